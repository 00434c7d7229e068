"""Steps the lab performs in the reader's place, named by a console block's `:lab-action:`.

- boot-instance: Nova's part of `openstack server create`, done by the lab
  (`l3ha_guide.lab.boot_instance`): the instance's port on demo-net bound to
  compute1, the `instance` host plugged into br-int, its address by DHCP.
- make-network1-master, make-network2-master: keepalived elects either
  network node; the manual's example names the master. If the other node won,
  the lab stops its keepalived gracefully (SIGTERM, so it sends priority 0 and
  the named node takes over at once), then waits until the L3 agent has
  restarted it as the backup and the server reports the named node active.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from l3ha_guide.console.runner import HostMap, run
from l3ha_guide.errors import UserError
from l3ha_guide.i18n.marks import N_
from l3ha_guide.topology import load as load_topology

ROUTER = load_topology().openstack.router
HA_CONFS = "/var/lib/neutron/ha_confs"
WAIT_SECONDS = 240  # the L3 agent checks its children (and restarts keepalived) every 60 s by default
SETTLE_SECONDS = 120


def ha_states(host_map: HostMap, router: str = ROUTER) -> dict[str, str]:
    """Host -> HA state of the router's L3 agents, as the server reports them."""
    command = f"openstack network agent list --router {router} --long -f value -c Host -c 'HA State'"
    result = run(host_map, "controller", command, timeout=60)
    if result.exit_status != 0:
        raise UserError(f"cannot read the HA states of {router}: {result.output.strip()}")
    states = {}
    for line in result.output.splitlines():
        words = line.split()
        if len(words) == 2:
            states[words[0]] = words[1]
    return states


def router_id(host_map: HostMap, router: str = ROUTER) -> str:
    result = run(host_map, "controller", f"openstack router show {router} -f value -c id", timeout=60)
    if result.exit_status != 0:
        raise UserError(f"cannot find {router}: {result.output.strip()}")
    return result.output.strip().splitlines()[-1]


def keepalived_running(host_map: HostMap, host: str, pid_file: str) -> bool:
    return run(host_map, host, f"kill -0 $(cat {pid_file})", timeout=30).exit_status == 0


def keepalived_config_errors(host_map: HostMap, host: str, router_uuid: str) -> str:
    """keepalived's own check of the router's config on `host` (why a respawn fails), empty if fine."""
    config = f"{HA_CONFS}/{router_uuid}/keepalived.conf"
    check = f"ip netns exec qrouter-{router_uuid} keepalived --config-test -f {config} 2>&1"
    result = run(host_map, host, f"{check} | grep -iv 'script_security\\|track_interface'", timeout=30)
    return result.output.strip()


def wait_for_l3_agents(host_map: HostMap, router: str, device: str, present: bool) -> None:
    """Wait until keepalived.conf on every node hosting `router` has (or no longer has) a `device` port."""
    router_uuid = router_id(host_map, router)
    hosts = list(ha_states(host_map, router))
    check = f"grep -q ' dev {device}' {HA_CONFS}/{router_uuid}/keepalived.conf"
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        holding = {host: run(host_map, host, check, timeout=30).exit_status == 0 for host in hosts}
        waiting = [host for host, holds in holding.items() if holds is not present]
        if not waiting:
            return
        if time.monotonic() > deadline:
            holds = "holds no" if present else "still holds a"
            raise UserError(
                f"{router}: keepalived.conf on {', '.join(waiting)} {holds} {device} device "
                f"after {SETTLE_SECONDS} s: the L3 agents lag behind the server"
            )
        time.sleep(1)


def make_master(host_map: HostMap, master: str) -> str:
    """Make `master` the active node of the router, stopping the other's keepalived once if needed.

    Done when the server reports the wanted states and keepalived runs on both
    nodes again (a later failure of the master needs a live backup).
    """
    backup = next(host for host in load_topology().network_nodes if host != master)
    wanted = {master: "active", backup: "standby"}
    router_uuid = router_id(host_map)
    pid_file = f"{HA_CONFS}/{router_uuid}.pid.keepalived"
    deadline = time.monotonic() + WAIT_SECONDS
    stopped = False
    states: dict[str, str] = {}
    while time.monotonic() < deadline:
        states = ha_states(host_map)
        both_running = all(keepalived_running(host_map, host, pid_file) for host in (master, backup))
        if states == wanted and both_running:
            return f"{master} was the master" if not stopped else f"{master} made the master"
        if not stopped and states.get(backup) == "active" and both_running:
            result = run(host_map, backup, f"kill -TERM $(cat {pid_file})", timeout=30)
            if result.exit_status != 0:
                raise UserError(f"cannot stop keepalived on {backup}: {result.output.strip()}")
            stopped = True
        time.sleep(3)
    errors = {
        host: keepalived_config_errors(host_map, host, router_uuid)
        for host in (master, backup)
        if not keepalived_running(host_map, host, pid_file)
    }
    raise UserError(
        f"{master} did not become the master of {ROUTER} with keepalived running on both nodes "
        f"within {WAIT_SECONDS} s: {states}"
        + "".join(f"\nkeepalived on {host} does not start: {text}" for host, text in errors.items())
    )


def boot_instance(host_map: HostMap) -> object:
    """The embedded lab does Nova's part (a real lab has Nova and runs the skipped command instead)."""
    lab = importlib.import_module("l3ha_guide.lab.lab").Lab.load()
    instance = importlib.import_module("l3ha_guide.lab.scenario").boot_instance(lab)
    return f"port {instance.port_id}, address {instance.fixed_ip}"


@dataclass(frozen=True)
class LabAction:
    """A step the lab performs in the reader's place (`:lab-action:`): what the truth report says, and how."""

    description: str
    perform: Callable[[HostMap], object]


ACTIONS: dict[str, LabAction] = {
    "boot-instance": LabAction(
        N_(
            "the lab performs Nova's part: a port on demo-net bound to compute1, "
            "the instance host plugged into br-int, its address from Neutron's DHCP agent"
        ),
        boot_instance,
    ),
    "make-network1-master": LabAction(
        N_(
            "the lab makes network1 the master, as in the example, before the commands run "
            "(keepalived elects either node; if network2 won, its keepalived is stopped gracefully once)"
        ),
        lambda host_map: make_master(host_map, "network1"),
    ),
    "make-network2-master": LabAction(
        N_(
            "the lab makes network2 the master, as in the example, before the commands run "
            "(after the links return either node may hold the router; if network1 does, its keepalived is "
            "stopped gracefully once)"
        ),
        lambda host_map: make_master(host_map, "network2"),
    ),
}
