"""Faults the embedded lab injects so that the troubleshooting page shows real symptoms.

A console block names the fault its commands look at (`:fault: l3-agent-dead`).
The session injects it before the first such block and keeps it while the
following blocks name the same fault; before any other block runs, and when
the session ends, it heals it and waits until the router is healthy again
(one node active, one standby, keepalived on both). So each fault stays on its
own section, and every page still runs in any order.

- l3-agent-dead: network1 is made the master, then its L3 agent is killed
  (SIGKILL, as in a crash), and the server waits `agent_down_time` before it
  counts the agent as dead. keepalived and the state-change monitor live on.
- ovs-agent-dead: the Open vSwitch agent on network2 is killed. Ports bound
  to network2 from then on stay DOWN: nothing wires them into br-int.

Faults need the lab itself (its processes): against other
hosts the blocks are left out, and a read-only run never injects them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from l3ha_guide.console.runner import HostMap
from l3ha_guide.i18n.marks import N_
from l3ha_guide.topology import load as load_topology
from l3ha_guide.waiting import wait_until

if TYPE_CHECKING:
    from l3ha_guide.lab.lab import Lab

AGENT_DEAD_SECONDS = 150  # the server's agent_down_time (75 s) after the last heartbeat (every 30 s)
HEAL_SECONDS = 180


def _lab() -> Lab:
    from l3ha_guide.lab.lab import Lab

    return Lab.load()


def _network_nodes() -> list[str]:
    return load_topology().network_nodes


# --- dead agents -----------------------------------------------------------------------------

# The agents a fault kills: (host, binary) -> the agent type `openstack network agent list` filters by.
L3_AGENT = ("network1", "neutron-l3-agent")
OVS_AGENT = ("network2", "neutron-openvswitch-agent")
AGENT_TYPES = {"neutron-l3-agent": "l3", "neutron-openvswitch-agent": "open-vswitch"}


def _agent_alive(host_map: HostMap, agent: tuple[str, str]) -> str:
    """True/False as the server reports the agent ('' if it is not listed)."""
    host, binary = agent
    listing = f"network agent list --agent-type {AGENT_TYPES[binary]} --host {host} -f value -c Alive"
    return host_map.router().openstack(listing).strip()


def _kill(agent: tuple[str, str]) -> None:
    from l3ha_guide.lab.neutron import kill_agent

    host, binary = agent
    kill_agent(_lab(), host, binary)


def start_again(host_map: HostMap, agent: tuple[str, str]) -> str:
    """Start a killed agent as its node's init would; done when the server counts it alive."""
    from l3ha_guide.lab.neutron import AGENTS, agent_pids, start_agent

    host, binary = agent
    lab = _lab()
    if agent_pids(lab, host, binary):
        return f"{binary} on {host} was running"
    start_agent(lab, host, next(known for known in AGENTS if known.binary == binary))
    wait_until(
        lambda: _agent_alive(host_map, agent) == "True",
        timeout=90,
        interval=2,
        failure=f"{binary} on {host} was started but the server does not count it alive",
    )
    return f"{binary} on {host} was started again"


def kill_l3_agent(host_map: HostMap) -> str:
    from l3ha_guide.console.lab_actions import make_master

    host = L3_AGENT[0]
    make_master(host_map, host)
    _kill(L3_AGENT)
    wait_until(
        lambda: _agent_alive(host_map, L3_AGENT) == "False",
        timeout=AGENT_DEAD_SECONDS,
        interval=5,
        failure=f"the server still counts the L3 agent on {host} alive after {AGENT_DEAD_SECONDS} s",
    )
    return f"the L3 agent on {host} (the master) was killed and the server counts it dead"


def revive_l3_agent(host_map: HostMap) -> str:
    start_again(host_map, L3_AGENT)
    router = host_map.router()
    if sorted(router.ha_states().values()) != ["active", "standby"]:
        # A restarted agent reports a router's state only on a change of the router (see the page).
        router.openstack(f"router set --description resync {router.name}")
        router.openstack(f"router set --description '' {router.name}")
    return _wait_healthy(host_map)


def kill_ovs_agent(host_map: HostMap) -> str:
    _kill(OVS_AGENT)
    return f"the Open vSwitch agent on {OVS_AGENT[0]} was killed"


def revive_ovs_agent(host_map: HostMap) -> str:
    start_again(host_map, OVS_AGENT)
    return _wait_healthy(host_map)


# --- healthy again ----------------------------------------------------------------------------


def _wait_healthy(host_map: HostMap) -> str:
    router = host_map.router()
    router_uuid = router.id()
    seen: dict[str, object] = {}

    def healthy() -> bool:
        seen["server"] = router.ha_states()
        seen["keepalived"] = {host: router.keepalived_state(host, router_uuid) for host in _network_nodes()}
        return sorted(seen["server"].values()) == ["active", "standby"] and sorted(
            seen["keepalived"].values()
        ) == ["backup", "primary"]

    wait_until(
        healthy,
        timeout=HEAL_SECONDS,
        interval=1,
        failure=lambda: f"{router.name} is not healthy again after {HEAL_SECONDS} s: {seen}",
    )
    return f"healed: {seen['server']}"


@dataclass(frozen=True)
class Fault:
    """A fault the lab injects before a block's commands (`:fault:`), and how it is undone."""

    description: str
    inject: Callable[[HostMap], str]
    heal: Callable[[HostMap], str]


FAULTS: dict[str, Fault] = {
    "ovs-agent-dead": Fault(
        N_(
            "the lab killed the Open vSwitch agent on network2 (the server still counts it alive for "
            "agent_down_time)"
        ),
        kill_ovs_agent,
        revive_ovs_agent,
    ),
    "l3-agent-dead": Fault(
        N_(
            "the lab made network1 the master, killed its L3 agent and waited until the server counted "
            "the agent dead"
        ),
        kill_l3_agent,
        revive_l3_agent,
    ),
}
