"""The lab's Neutron agents as the troubleshooting page kills and starts them again.

An agent is named by (host, binary). Killing it is SIGKILL by PID, as in a
crash (`lab.neutron.kill_agent`); starting it again is what the node's init
system would do, and is done once the server counts the agent alive. Both need
the embedded lab (its processes); the server's view goes through the host map,
as on any cloud. The faults (console.faults) and the lab actions that undo them
(console.lab_actions) share these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from l3ha_guide.console.runner import HostMap
from l3ha_guide.waiting import wait_until

if TYPE_CHECKING:
    from l3ha_guide.lab.lab import Lab

# The agents the troubleshooting page kills.
L3_AGENT = ("network1", "neutron-l3-agent")
OVS_AGENT = ("network2", "neutron-openvswitch-agent")
ALIVE_SECONDS = 90  # from a start to the server counting the agent alive (it reports at once)


def embedded_lab() -> Lab:
    from l3ha_guide.lab.lab import Lab

    return Lab.load()


def dead_after() -> float:
    """How long after a kill the server may take to count an agent dead: the lab's `agent_down_time`,
    counted from the agent's last heartbeat, plus one `report_interval` of slack (both set by the
    lab overlays)."""
    from l3ha_guide.lab.configs import overlay_option

    down_time = overlay_option("controller", "DEFAULT", "agent_down_time")
    return float(down_time) + float(overlay_option("network", "agent", "report_interval"))


def is_alive(host_map: HostMap, agent: tuple[str, str]) -> bool | None:
    """Whether the server counts the agent alive (None unless it lists exactly one such agent)."""
    from l3ha_guide.lab.neutron import agent_named

    host, binary = agent
    query = urlencode({"agent_type": agent_named(binary).agent_type, "host": host, "fields": "alive"})
    (found,) = host_map.router().api(f"agents?{query}")
    listed = [listed["alive"] for listed in found["agents"]]
    return listed[0] if len(listed) == 1 else None


def kill(agent: tuple[str, str]) -> None:
    from l3ha_guide.lab.neutron import kill_agent

    host, binary = agent
    kill_agent(embedded_lab(), host, binary)


def start_again(host_map: HostMap, agent: tuple[str, str]) -> str:
    """Start a killed agent as its node's init would; done when the server counts it alive."""
    from l3ha_guide.lab.neutron import agent_named, agent_pids, start_agent

    host, binary = agent
    lab = embedded_lab()
    if agent_pids(lab, host, binary):
        return f"{binary} on {host} was running"
    start_agent(lab, host, agent_named(binary))
    wait_counted(host_map, agent, alive=True, timeout=ALIVE_SECONDS)
    return f"{binary} on {host} was started again"


def wait_counted(host_map: HostMap, agent: tuple[str, str], alive: bool, timeout: float) -> None:
    """Until the server counts the agent alive (or dead)."""
    host, binary = agent
    wanted = "alive" if alive else "dead"
    wait_until(
        lambda: is_alive(host_map, agent) is alive,
        timeout=timeout,
        interval=2 if alive else 5,  # a dead agent takes agent_down_time: no need to ask often
        failure=f"the server does not count {binary} on {host} {wanted} after {timeout} s",
    )
