"""Steps the lab performs in the reader's place, named by a console block's `:lab-action:`.

- make-network1-master, make-network2-master: keepalived elects either
  network node; the manual's example names the master. If the other node won,
  the lab stops its keepalived gracefully (SIGTERM, so it sends priority 0 and
  the named node takes over at once), then waits until the L3 agent has
  restarted it as the backup and the server reports the named node active.
- measure-ipv6-failover: the IPv6 page's failover, measured. The lab makes
  network1 the master, then stops its keepalived gracefully while the instance
  pings the upstream router's IPv6 address every 0.1 s (lab.failover), starts
  it again as the L3 agent would, and saves the outage for the page's figure
  (build/console/failover-ipv6.json). network2 is then the master. Outside the
  embedded lab it only makes network2 the master, as make-network2-master.
- wait-for-router-advertisement: the instance configures its IPv6 address and
  default route from radvd's next advertisement. radvd sends three at start,
  then one every min_rtr_adv_interval to max_rtr_adv_interval seconds (30 to
  100); the first ones can go out before the agents have wired a new port, so
  the lab waits up to two of the longest intervals (read from radvd's
  configuration on the node that runs it).
- start-l3-agent-network1, start-ovs-agent-network2: the agent that the
  fault `l3-agent-dead` or `ovs-agent-dead` killed (console.faults) starts again
  (console.agents).

In a read-only run (a production cloud) an action only checks that the cloud
already is as the example needs it (`LabAction.check`); if not, the example
and the rest of its page are left out, with that reason.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from l3ha_guide.console.agents import L3_AGENT, OVS_AGENT, start_again
from l3ha_guide.console.runner import HostMap, run
from l3ha_guide.console.versions import probe_versions
from l3ha_guide.errors import UserError
from l3ha_guide.ha_router import HARouter
from l3ha_guide.i18n.marks import N_
from l3ha_guide.topology import instance_device
from l3ha_guide.topology import load as load_topology
from l3ha_guide.waiting import wait_until

WAIT_SECONDS = 240  # the L3 agent checks its children (and restarts keepalived) every 60 s by default
SETTLE_SECONDS = 120
MAX_STOPS = 3  # stops of the backup's keepalived in one make_master
# After a stop: the L3 agent respawns keepalived within check_child_processes_interval (10 s in the
# lab) and a new master wins within the master down interval (about 7 s).
RESTOP_SECONDS = 30


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
    """Make `master` the active node of the router, stopping the other's keepalived if needed.

    Done when keepalived's state files and the server agree on the wanted roles
    (`master` primary and active, the other backup and standby) and keepalived
    runs on both nodes (a later failure of the master needs a live backup).
    The server alone is not enough: right after a flap its view can lag behind
    keepalived's.
    """
    backup = next(host for host in load_topology().network_nodes if host != master)
    wanted = {master: "active", backup: "standby"}
    wanted_keepalived = {master: "primary", backup: "backup"}
    router = host_map.router()
    router_uuid = router.id()
    stopped: list[float] = []  # when the backup's keepalived was stopped
    seen: dict[str, dict[str, str]] = {}

    def is_master() -> bool:
        seen["server"] = router.ha_states()
        seen["keepalived"] = router.keepalived_states(router_uuid)
        both_running = all(router.keepalived_running(host, router_uuid) for host in (master, backup))
        if seen["server"] == wanted and seen["keepalived"] == wanted_keepalived and both_running:
            return True
        backup_leads = seen["server"].get(backup) == "active" or seen["keepalived"].get(backup) == "primary"
        # Once more if a VRRP flap gave the backup the router back after its keepalived ran again.
        settled = not stopped or time.monotonic() - stopped[-1] >= RESTOP_SECONDS
        if backup_leads and both_running and settled and len(stopped) < MAX_STOPS:
            router.stop_keepalived(backup, router_uuid)
            stopped.append(time.monotonic())
        return False

    def failure() -> str:
        errors = {
            host: keepalived_config_errors(host_map, host, router_uuid)
            for host in (master, backup)
            if not router.keepalived_running(host, router_uuid)
        }
        return (
            f"{master} did not become the master of {router.name} with keepalived running on both nodes "
            f"within {WAIT_SECONDS} s ({backup}'s keepalived stopped {len(stopped)} times): {seen}"
            + "".join(f"\nkeepalived on {host} does not start: {text}" for host, text in errors.items())
            + f"\nlast transitions: {router.recent_transitions(router_uuid)}"
        )

    wait_until(is_master, timeout=WAIT_SECONDS, interval=1, failure=failure)
    return f"{master} made the master" if stopped else f"{master} was the master"


def measure_ipv6_failover(host_map: HostMap) -> str:
    """network1 fails gracefully to network2 while the instance pings over IPv6; the figure's run."""
    if not host_map.embedded_lab:
        return make_master(host_map, "network2")
    from datetime import UTC, datetime

    from l3ha_guide.console.failover_figures import FailoverResults, measured_run, measurement_path, save
    from l3ha_guide.lab.failover import PING_INTERVAL, Probe, measure_failover, restore
    from l3ha_guide.lab.lab import Lab

    topology = load_topology()
    make_master(host_map, "network1")
    lab = Lab.load()
    instance = topology.instance.name
    probe = Probe(instance, str(topology.openstack.external_ipv6_gateway))
    result = measure_failover(lab, "graceful", probe)
    restore(lab, result)
    bound = 3 * result.advert_int + 1  # VRRP's bound for a crash: a graceful stop must stay well inside
    if result.outage_seconds >= bound:
        raise UserError(
            f"ping -6 {probe.address} from {instance}: {result.outage_seconds:.1f} s without replies across "
            f"the failover, not under VRRP's bound of {bound} s"
        )
    make_master(host_map, "network2")
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    figure = FailoverResults(
        date, probe_versions(host_map), [measured_run(result, PING_INTERVAL)], probe.host, probe.address
    )
    save(
        figure,
        measurement_path("ipv6"),
    )
    return (
        f"{result.old_master} failed over to {result.new_master}: promoted after "
        f"{result.promotion_seconds:.1f} s, IPv6 outage {result.outage_seconds:.1f} s"
    )


def instance_ipv6_missing(host_map: HostMap) -> str:
    """Empty once the instance has an address from the project's IPv6 prefix, past duplicate address
    detection, and a default route learnt from a router advertisement (`proto ra`); else what it
    lacks. A tentative address is not used yet: a ping goes out from the link-local address, and
    the router answers "beyond scope of source address"."""
    topology = load_topology()
    instance = topology.instance.name
    prefix = topology.openstack.project_ipv6_cidr
    usable = f"ip -6 -o addr show dev {instance_device()} scope global -tentative"
    _, addresses = host_map.shell(instance, usable, 30)
    _, routes = host_map.shell(instance, "ip -6 route show default proto ra", 30)
    lacks = []
    found = re.findall(r"inet6 (\S+)", addresses)
    if not any(ipaddress.ip_interface(address).ip in prefix for address in found):
        lacks.append(
            f"no address from {prefix} on {instance_device()} (usable: {', '.join(found) or 'none'})"
        )
    if "default" not in routes:
        lacks.append("no default route from an advertisement")
    return f"{instance} has " + " and ".join(lacks) if lacks else ""


def wait_for_router_advertisement(host_map: HostMap) -> str:
    """Until the instance has configured itself from an advertisement of the router's radvd."""
    router = host_map.router()
    router_uuid = router.id()
    seen: dict[str, str] = {}

    def advertising() -> int | None:
        hosts = router.radvd_hosts(router_uuid)
        intervals = (router.max_rtr_adv_interval(host, router_uuid) for host in hosts)
        return next((interval for interval in intervals if interval), None)

    interval = wait_until(
        advertising,
        timeout=SETTLE_SECONDS,
        interval=1,
        failure=lambda: (
            f"{router.name}: radvd runs on no network node after {SETTLE_SECONDS} s "
            f"(HA states: {router.ha_states()})"
        ),
    )
    timeout = 2 * interval + 10  # the first advertisements may be missed (module docstring)
    started = time.monotonic()

    def configured() -> bool:
        seen["instance"] = instance_ipv6_missing(host_map)
        return not seen["instance"]

    wait_until(
        configured,
        timeout=timeout,
        interval=1,
        failure=lambda: (
            f"{seen['instance']} {timeout} s after radvd of {router.name} ran (MaxRtrAdvInterval "
            f"{interval}); radvd now runs on {router.radvd_hosts(router_uuid) or 'no node'}, "
            f"keepalived: {router.keepalived_states(router_uuid)}, HA states: {router.ha_states()}"
        ),
    )
    return f"the instance configured IPv6 from an advertisement after {time.monotonic() - started:.0f} s"


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
    "wait-for-router-advertisement": LabAction(
        N_(
            "the lab waits until the instance has an address from the advertised prefix and a default "
            "route from an advertisement (radvd advertises at least every max_rtr_adv_interval seconds)"
        ),
        wait_for_router_advertisement,
        instance_ipv6_missing,
    ),
    "start-l3-agent-network1": LabAction(
        N_(
            "the lab starts the L3 agent on network1 again, as the node's init system would, and waits "
            "until the server counts it alive and the agent's log shows that it has processed each of its "
            "routers"
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
    "measure-ipv6-failover": LabAction(
        N_(
            "the lab makes network1 the master, then stops its keepalived gracefully while the instance "
            "pings the upstream router's IPv6 address every 0.1 s, starts it again as the L3 agent would, "
            "and measures the outage shown below; network2 is then the master"
        ),
        measure_ipv6_failover,
        lambda host_map: is_master(host_map, "network2"),
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
