"""The lab's Neutron agents as the troubleshooting page kills and starts them again.

An agent is named by (host, binary). Killing it is SIGKILL by PID, as in a
crash (`lab.neutron.kill_agent`); starting it again is what the node's init
system would do, and is done once the server counts the agent alive and, for an
L3 agent, once it has taken over each of its routers again. Both need
the embedded lab (its processes); the server's view goes through the host map,
as on any cloud. The faults (console.faults) and the lab actions that undo them
(console.lab_actions) share these.
"""

from __future__ import annotations

from pathlib import Path
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
SYNC_SECONDS = 120  # from alive to the end of the L3 agent's first full sync of its routers
# The L3 agent's INFO line once it has processed a router (neutron.agent.l3.agent).
ROUTER_PROCESSED = "Finished a router update for {router_id}"


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


def _listed(host_map: HostMap, agent: tuple[str, str], field: str) -> object | None:
    """One field of the agent as the server lists it (None unless it lists exactly one such agent)."""
    from l3ha_guide.lab.neutron import agent_named

    host, binary = agent
    query = urlencode({"agent_type": agent_named(binary).agent_type, "host": host, "fields": field})
    (found,) = host_map.router().api(f"agents?{query}")
    listed = [listed[field] for listed in found["agents"]]
    return listed[0] if len(listed) == 1 else None


def is_alive(host_map: HostMap, agent: tuple[str, str]) -> bool | None:
    """Whether the server counts the agent alive (None unless it lists exactly one such agent)."""
    return _listed(host_map, agent, "alive")  # type: ignore[return-value]


def hosted_routers(host_map: HostMap, agent: tuple[str, str]) -> list[str]:
    """The IDs of the routers the server has scheduled to an L3 agent."""
    agent_id = _listed(host_map, agent, "id")
    (found,) = host_map.router().api(f"agents/{agent_id}/l3-routers")
    return sorted(router["id"] for router in found["routers"])


def kill(agent: tuple[str, str]) -> None:
    from l3ha_guide.lab.neutron import kill_agent

    host, binary = agent
    kill_agent(embedded_lab(), host, binary)


def start_again(host_map: HostMap, agent: tuple[str, str]) -> str:
    """Start a killed agent as its node's init would; done when the server counts it alive and, for
    an L3 agent, when it has processed each of its routers.

    An L3 agent reports alive before its first full sync. A router update that reaches it before the
    sync has taken the router over again is handled as a new router, which skips the comparison of
    the HA state with the server's (neutron.agent.l3.agent `_process_updated_router`): the
    troubleshooting page's `router set` would then never correct the state.
    """
    from l3ha_guide.lab.neutron import agent_named, agent_pids, service_log, start_agent

    host, binary = agent
    lab = embedded_lab()
    if agent_pids(lab, host, binary):
        return f"{binary} on {host} was running"
    log = lab.state.upper(host, service_log(binary))
    written_before = log.stat().st_size if log.exists() else 0
    start_agent(lab, host, agent_named(binary))
    wait_counted(host_map, agent, alive=True, timeout=ALIVE_SECONDS)
    if binary == L3_AGENT[1]:  # any L3 agent, on whichever host
        wait_processed(log, written_before, hosted_routers(host_map, agent), binary, host)
    return f"{binary} on {host} was started again"


def wait_processed(log: Path, offset: int, router_ids: list[str], binary: str, host: str) -> None:
    """Until the agent's log, from `offset` on, says that it has processed each router."""

    def missing() -> list[str]:
        with log.open("rb") as written:
            written.seek(offset)
            text = written.read().decode(errors="replace")
        return [
            router_id for router_id in router_ids if ROUTER_PROCESSED.format(router_id=router_id) not in text
        ]

    wait_until(
        lambda: not missing(),
        timeout=SYNC_SECONDS,
        failure=lambda: (
            f"{binary} on {host} has not processed routers {', '.join(missing())} "
            f"{SYNC_SECONDS} s after the server counted it alive (no '{ROUTER_PROCESSED}' in {log})"
        ),
    )


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
