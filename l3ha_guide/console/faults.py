"""Faults the embedded lab injects so that the troubleshooting page shows real symptoms.

A console block names the fault its commands look at (`:fault: l3-agent-dead`).
The session injects it before the first such block and keeps it while the
following blocks name the same fault; before any other block runs, and when
the session ends, it heals it and waits until the router is healthy again
(one node active, one standby, keepalived on both). So each fault stays on its
own section, and every page still runs in any order.

- ha-path-cut: split brain. The fabric stops forwarding between the tunnel
  links of the two network nodes (bridge port isolation in the fabric's
  namespace; each still reaches compute1), so the VRRP advertisements are
  lost while both nodes keep their external links. Both masters then share
  the gateway port's MAC address on the external network, and the health
  check of the one whose gateway replies go to the other can fail: the nodes
  may take turns in FAULT before the split settles. The fault is in place once
  both have stayed master for SPLIT_SETTLED_SECONDS.
- l3-agent-dead: network1 is made the master, then its L3 agent is killed
  (SIGKILL, as in a crash), and the server waits `agent_down_time` before it
  counts the agent as dead (the lab shortens it, see source/lab.md).
  keepalived and the state-change monitor live on. The fault is in place when
  the server reports both agents standby while network1's keepalived is
  primary; a VRRP flap meanwhile costs one more try.
- ovs-agent-dead: the Open vSwitch agent on network2 is killed. Ports bound
  to network2 from then on stay DOWN: nothing wires them into br-int.

Faults need the lab itself (its fabric and its processes): against other
hosts the blocks are left out, and a read-only run never injects them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from l3ha_guide.console.agents import (
    L3_AGENT,
    OVS_AGENT,
    dead_after,
    embedded_lab,
    kill,
    start_again,
    wait_counted,
)
from l3ha_guide.console.lab_actions import make_master
from l3ha_guide.console.runner import HostMap
from l3ha_guide.errors import UserError
from l3ha_guide.i18n.marks import N_
from l3ha_guide.topology import load as load_topology
from l3ha_guide.waiting import wait_until

HEAL_SECONDS = 180
KILL_ATTEMPTS = 2  # a VRRP flap while the agent dies spoils one attempt, not the page
# Longer than the health check's two failed checks (fall 2, every 5 s) and one more interval.
SPLIT_SETTLED_SECONDS = 30
SPLIT_SECONDS = 240  # how long the nodes may take turns in FAULT before both stay master


# --- split brain -----------------------------------------------------------------------------


def _tunnel_links() -> list[str]:
    """The fabric ends of the network nodes' links on the tunnel network."""
    topology = load_topology()
    links = []
    for name in topology.network_nodes:
        host = topology.hosts[name]
        interface = host.interface_on("tunnel")
        if interface is None:
            raise UserError(f"{name} has no link on the tunnel network (examples/lab/topology.yaml)")
        links.append(host.fabric_link(interface))
    return links


def _isolate(isolated: bool) -> None:
    """Isolated bridge ports forward only to ports that are not isolated: here, compute1's."""
    lab = embedded_lab()
    for link in _tunnel_links():
        result = lab.fabric_exec(
            ["bridge", "link", "set", "dev", link, "isolated", "on" if isolated else "off"]
        )
        if result.returncode != 0:
            raise UserError(f"fabric: cannot set {link} isolated {isolated}: {result.stderr.strip()}")


def cut_ha_path(host_map: HostMap) -> str:
    router = host_map.router()
    router_uuid = router.id()
    _isolate(True)
    seen: dict[str, object] = {}
    both_master_since: list[float] = []

    def settled() -> bool:
        seen["keepalived"] = router.keepalived_states(router_uuid)
        if set(seen["keepalived"].values()) != {"primary"}:
            both_master_since.clear()
            return False
        if not both_master_since:
            both_master_since.append(time.monotonic())
        seen["server"] = router.ha_states()
        return time.monotonic() - both_master_since[0] >= SPLIT_SETTLED_SECONDS and set(
            seen["server"].values()
        ) == {"active"}

    wait_until(
        settled,
        timeout=SPLIT_SECONDS,
        interval=1,
        failure=lambda: (
            f"both nodes did not stay master for {SPLIT_SETTLED_SECONDS} s within {SPLIT_SECONDS} s: {seen}"
        ),
    )
    return f"the network nodes' tunnel links no longer reach each other; both nodes are master: {seen}"


def restore_ha_path(host_map: HostMap) -> str:
    _isolate(False)
    return _wait_healthy(host_map, "the tunnel network was joined again")


# --- dead agents -----------------------------------------------------------------------------


def kill_l3_agent(host_map: HostMap) -> str:
    """Kill the master's L3 agent until the router is as the page shows it once the agent is dead.

    The server then reports every agent standby (the dead one rewritten) while
    keepalived still has the killed agent's node primary. If a flap of the
    VRRP pair in the meantime left another picture (another node primary, or
    its agent reporting active), the agent is started again, the router healed
    and the fault injected once more.
    """
    host = L3_AGENT[0]
    router = host_map.router()
    router_uuid = router.id()
    nodes = load_topology().network_nodes
    documented = {
        "server": dict.fromkeys(nodes, "standby"),
        "keepalived": {node: "primary" if node == host else "backup" for node in nodes},
    }
    earlier: list[str] = []
    for _attempt in range(KILL_ATTEMPTS):
        make_master(host_map, host)
        kill(L3_AGENT)
        wait_counted(host_map, L3_AGENT, alive=False, timeout=2 * dead_after())  # twice: a loaded machine
        seen = {"server": router.ha_states(), "keepalived": router.keepalived_states(router_uuid)}
        if seen == documented:
            retried = f" (attempts before this one saw: {'; '.join(earlier)})" if earlier else ""
            return f"the L3 agent on {host} (the master) was killed and the server counts it dead{retried}"
        earlier.append(f"{seen}, last transitions {router.recent_transitions(router_uuid)}")
        revive_l3_agent(host_map)
    raise UserError(
        f"the router was not as the page shows it once the L3 agent on {host} was dead, in "
        f"{KILL_ATTEMPTS} attempts (wanted {documented}): " + "; ".join(earlier)
    )


def revive_l3_agent(host_map: HostMap) -> str:
    start_again(host_map, L3_AGENT)
    router = host_map.router()
    if sorted(router.ha_states().values()) != ["active", "standby"]:
        # A restarted agent reports a router's state only on a change of the router (see the page).
        router.openstack(f"router set --description resync {router.name}")
        router.openstack(f"router set --description '' {router.name}")
    return _wait_healthy(host_map, f"the L3 agent on {L3_AGENT[0]} was started again")


def kill_ovs_agent(host_map: HostMap) -> str:
    kill(OVS_AGENT)
    return f"the Open vSwitch agent on {OVS_AGENT[0]} was killed"


def revive_ovs_agent(host_map: HostMap) -> str:
    start_again(host_map, OVS_AGENT)
    return _wait_healthy(host_map, f"the Open vSwitch agent on {OVS_AGENT[0]} was started again")


# --- healthy again ----------------------------------------------------------------------------


def _wait_healthy(host_map: HostMap, after: str) -> str:
    states = host_map.router().wait_healthy(HEAL_SECONDS, after=after)
    return f"healed: keepalived {states}"


@dataclass(frozen=True)
class Fault:
    """A fault the lab injects before a block's commands (`:fault:`), and how it is undone."""

    description: str
    inject: Callable[[HostMap], str]
    heal: Callable[[HostMap], str]


FAULTS: dict[str, Fault] = {
    "ha-path-cut": Fault(
        N_(
            "the lab cut the tunnel network between network1 and network2 (both still reach compute1 "
            "and the external network) and waited until both nodes stayed master"
        ),
        cut_ha_path,
        restore_ha_path,
    ),
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
