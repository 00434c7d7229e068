"""Steps the lab performs in the reader's place, named by a console block's `:lab-action:`.

- make-network1-master, make-network2-master: keepalived elects either
  network node; the manual's example names the master. If the other node won,
  the lab stops its keepalived gracefully (SIGTERM, so it sends priority 0 and
  the named node takes over at once), then waits until the L3 agent has
  restarted it as the backup and the server reports the named node active.
- start-l3-agent-network1, start-ovs-agent-network2: the agent that the
  fault `l3-agent-dead` or `ovs-agent-dead` killed (console.faults) starts again.

In a read-only run (a production cloud) an action only checks that the cloud
already is as the example needs it (`LabAction.check`); if not, the example
and the rest of its page are left out, with that reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from l3ha_guide.console.faults import L3_AGENT, OVS_AGENT, start_again
from l3ha_guide.console.runner import HostMap, run
from l3ha_guide.ha_router import HARouter
from l3ha_guide.i18n.marks import N_
from l3ha_guide.topology import load as load_topology
from l3ha_guide.waiting import wait_until

WAIT_SECONDS = 240  # the L3 agent checks its children (and restarts keepalived) every 60 s by default
SETTLE_SECONDS = 120


def keepalived_config_errors(host_map: HostMap, host: str, router_uuid: str) -> str:
    """keepalived's own check of the router's config on `host` (why a respawn fails), empty if fine."""
    config = f"{HARouter.conf_dir(router_uuid)}/keepalived.conf"
    check = f"ip netns exec qrouter-{router_uuid} keepalived --config-test -f {config} 2>&1"
    result = run(host_map, host, f"{check} | grep -iv 'script_security\\|track_interface'", timeout=30)
    return result.output.strip()


def wait_for_l3_agents(host_map: HostMap, router_name: str, device: str, present: bool) -> None:
    """Wait until keepalived.conf on every node hosting the router has (or no longer has) a `device` port."""
    router = HARouter(host_map.shell, router_name)
    router_uuid = router.id()
    hosts = list(router.ha_states())
    check = f"grep -q ' dev {device}' {HARouter.conf_dir(router_uuid)}/keepalived.conf"
    waiting: list[str] = []

    def settled() -> bool:
        waiting[:] = [host for host in hosts if (host_map.shell(host, check, 30)[0] == 0) is not present]
        return not waiting

    holds = "holds no" if present else "still holds a"
    wait_until(
        settled,
        timeout=SETTLE_SECONDS,
        interval=1,
        failure=lambda: (
            f"{router_name}: keepalived.conf on {', '.join(waiting)} {holds} {device} device "
            f"after {SETTLE_SECONDS} s: the L3 agents lag behind the server"
        ),
    )


def make_master(host_map: HostMap, master: str) -> str:
    """Make `master` the active node of the router, stopping the other's keepalived once if needed.

    Done when the server reports the wanted states and keepalived runs on both
    nodes again (a later failure of the master needs a live backup).
    """
    backup = next(host for host in load_topology().network_nodes if host != master)
    wanted = {master: "active", backup: "standby"}
    router = host_map.router()
    router_uuid = router.id()
    stopped: list[str] = []
    states: dict[str, str] = {}

    def is_master() -> bool:
        states.clear()
        states.update(router.ha_states())
        both_running = all(router.keepalived_running(host, router_uuid) for host in (master, backup))
        if states == wanted and both_running:
            return True
        if not stopped and states.get(backup) == "active" and both_running:
            router.stop_keepalived(backup, router_uuid)
            stopped.append(backup)
        return False

    def failure() -> str:
        errors = {
            host: keepalived_config_errors(host_map, host, router_uuid)
            for host in (master, backup)
            if not router.keepalived_running(host, router_uuid)
        }
        return (
            f"{master} did not become the master of {router.name} with keepalived running on both nodes "
            f"within {WAIT_SECONDS} s: {states}"
            + "".join(f"\nkeepalived on {host} does not start: {text}" for host, text in errors.items())
        )

    wait_until(is_master, timeout=WAIT_SECONDS, interval=3, failure=failure)
    return f"{master} made the master" if stopped else f"{master} was the master"


def is_master(host_map: HostMap, master: str) -> str:
    """Empty if the server reports `master` as the router's active node; else what it reports."""
    router = host_map.router()
    states = router.ha_states()
    if states.get(master) == "active":
        return ""
    return f"{master} is not the master of {router.name} here (HA states: {states})"


@dataclass(frozen=True)
class LabAction:
    """A step the lab performs in the reader's place (`:lab-action:`): what the truth report says, and how."""

    description: str
    perform: Callable[[HostMap], object]
    check: Callable[[HostMap], str]  # read-only: why the cloud is not as the example needs it, or ""


ACTIONS: dict[str, LabAction] = {
    "make-network1-master": LabAction(
        N_(
            "the lab makes network1 the master, as in the example, before the commands run "
            "(keepalived elects either node; if network2 won, its keepalived is stopped gracefully once)"
        ),
        lambda host_map: make_master(host_map, "network1"),
        lambda host_map: is_master(host_map, "network1"),
    ),
    "start-l3-agent-network1": LabAction(
        N_(
            "the lab starts the L3 agent on network1 again, as the node's init system would, and waits "
            "until the server counts it alive"
        ),
        lambda host_map: start_again(host_map, L3_AGENT),
        lambda host_map: "the embedded lab starts this agent",
    ),
    "start-ovs-agent-network2": LabAction(
        N_(
            "the lab starts the Open vSwitch agent on network2 again, as the node's init system would, "
            "and waits until the server counts it alive"
        ),
        lambda host_map: start_again(host_map, OVS_AGENT),
        lambda host_map: "the embedded lab starts this agent",
    ),
    "make-network2-master": LabAction(
        N_(
            "the lab makes network2 the master, as in the example, before the commands run "
            "(after the links return either node may hold the router; if network1 does, its keepalived is "
            "stopped gracefully once)"
        ),
        lambda host_map: make_master(host_map, "network2"),
        lambda host_map: is_master(host_map, "network2"),
    ),
}
