"""Failover tuning: the failover measured for several VRRP advertisement intervals, on the bench's lab.

For each `ha_vrrp_advert_int` of ADVERT_INTERVALS, the L3 agents of the
network nodes restart with that value (`neutron.restart_l3_agents`), the
lab waits until both keepalived.conf carry it and the router is
active/standby again, and then measures:

- graceful and crash failovers as the `failover` section does, at least
  FAILOVER_RUNS of each, next to the VRRP bound for a crash
  (3 × interval + skew time);
- the advertisements on the master's HA device for ADVERT_CAPTURE_SECONDS
  (tcpdump in the router's namespace): frames and bytes per second, what one
  router costs the HA network before tunnel encapsulation;
- the state changes the nodes' state-change logs record during that capture,
  while nothing fails (false failovers; any is one too many).

Each figure's name says its interval (`figure_name`), so the Benchmarks page
shows the section like any other and the failover page's `failover-tuning`
directive reads it back.
"""

from __future__ import annotations

import datetime
import re
import time

from l3ha_guide.bench.measure import summarise
from l3ha_guide.errors import UserError
from l3ha_guide.progress import Progress

SECTION = "tuning"  # the section's name in source/_data/benchmarks.json (l3ha_guide.bench.SECTIONS)
ADVERT_INTERVALS = (1, 2, 5)  # seconds; 2 is Neutron's default
MODES = ("graceful", "crash")  # l3ha_guide.lab.failover.MODES, without importing the lab
ADVERT_CAPTURE_SECONDS = 30
NEUTRON_VRRP_PRIORITY = 50  # every HA router's keepalived.conf; VRRPv2 skew = (256 - priority) / 256
FRAME = re.compile(r"ethertype IPv4 \(0x0800\), length (\d+):.*VRRP")


def figure_name(advert_int: int, figure: str) -> str:
    return f"advert_int {advert_int} s: {figure}"


def vrrp_bound(advert_int: int) -> float:
    """VRRPv2's master down interval: a crash is noticed at most this long after the last advertisement."""
    return round(3 * advert_int + (256 - NEUTRON_VRRP_PRIORITY) / 256, 3)


def measure(runs: int = 5) -> dict[str, object]:
    from l3ha_guide.bench.lab import BENCH_LAB_DIR, FAILOVER_RUNS
    from l3ha_guide.lab import Lab, up_with_scenario

    runs = max(runs, FAILOVER_RUNS)
    lab = Lab.load(state_dir=BENCH_LAB_DIR)
    progress = Progress("bench tuning")
    results: dict[str, object] = {}
    try:
        with progress.phase("lab and scenario"):
            up_with_scenario(lab)
        results["date"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        results["versions"] = versions(lab)
        for advert_int in ADVERT_INTERVALS:
            results.update(_measure_interval(lab, advert_int, runs, progress))
    finally:
        lab.down()
    return results


def _measure_interval(lab, advert_int: int, runs: int, progress: Progress) -> dict[str, object]:
    from l3ha_guide.bench.lab import failover_runs

    with progress.phase(f"advert_int {advert_int} s: L3 agents restarted, keepalived settled"):
        router_id = _set_advert_int(lab, advert_int)
    with progress.phase(f"advert_int {advert_int} s: advertisements captured"):
        logged_before = _state_changes(lab, router_id)
        frames, bytes_ = _capture_advertisements(lab, router_id)
        idle_changes = _state_changes(lab, router_id) - logged_before
    figures: dict[str, object] = {}
    for mode in MODES:
        with progress.phase(f"advert_int {advert_int} s: {runs} {mode} failovers"):
            promotion, outage, _ = failover_runs(lab, mode, runs, f"tuning, advert_int {advert_int} s")
        figures[figure_name(advert_int, f"{mode}: promotion_s")] = summarise(promotion)
        figures[figure_name(advert_int, f"{mode}: floating_ip_outage_s")] = summarise(outage)
    figures[figure_name(advert_int, "vrrp_master_down_interval_s")] = vrrp_bound(advert_int)
    figures[figure_name(advert_int, "advertisements_per_s")] = round(frames / ADVERT_CAPTURE_SECONDS, 3)
    figures[figure_name(advert_int, "advertisement_bytes_per_s")] = round(bytes_ / ADVERT_CAPTURE_SECONDS, 1)
    figures[figure_name(advert_int, "state_changes_while_idle")] = idle_changes
    return figures


def _set_advert_int(lab, advert_int: int) -> str:
    """Restart both L3 agents with the interval; the router's ID once both keepalived run with it."""
    from l3ha_guide.ha_router import HARouter
    from l3ha_guide.lab.neutron import restart_l3_agents
    from l3ha_guide.waiting import wait_until

    router = HARouter(lab.shell)
    router_id = router.id()
    nodes = lab.topology.network_nodes
    restart_l3_agents(lab, {"ha_vrrp_advert_int": advert_int})
    expected = re.compile(rf"^\s*advert_int {advert_int}$", re.MULTILINE)
    states: dict[str, str] = {}

    def settled() -> bool:
        # Both nodes' keepalived read the new interval, and only then one primary and one backup
        # (while the nodes' intervals differ, they need not agree on a master).
        if not all(expected.search(router.keepalived_conf(host, router_id)) for host in nodes):
            return False
        states.update(router.keepalived_states(router_id))
        return sorted(states.values()) == ["backup", "primary"]

    wait_until(
        settled,
        timeout=180,
        interval=1,
        failure=lambda: f"keepalived did not settle with advert_int {advert_int} (states: {states})",
    )
    time.sleep(3 * advert_int + 1)  # a transition the restart set off would show in the states now
    wait_until(settled, timeout=60, interval=1, failure=lambda: f"keepalived flaps: {states}")
    router.wait_active_standby(timeout=120)
    return router_id


def _capture_advertisements(lab, router_id: str) -> tuple[int, int]:
    """(frames, bytes) of the master's VRRP advertisements on its HA device over the capture."""
    from l3ha_guide.ha_router import HARouter

    router = HARouter(lab.shell)
    master = next(host for host, state in router.keepalived_states(router_id).items() if state == "primary")
    device = re.search(r"^\s*interface (ha-\S+)", router.keepalived_conf(master, router_id), re.MULTILINE)
    if device is None:
        raise UserError(f"{master}: keepalived.conf of the router names no ha- interface")
    capture = (
        f"ip netns exec qrouter-{router_id} timeout {ADVERT_CAPTURE_SECONDS} "
        f"tcpdump -l -n -e -i {device.group(1)} vrrp 2>/dev/null; true"
    )
    output = lab.exec(master, capture, check=True, timeout=ADVERT_CAPTURE_SECONDS + 30).stdout
    sizes = [int(match.group(1)) for match in map(FRAME.search, output.splitlines()) if match]
    if not sizes:
        raise UserError(f"{master}: no VRRP advertisement on {device.group(1)} in {ADVERT_CAPTURE_SECONDS} s")
    return len(sizes), sum(sizes)


def _state_changes(lab, router_id: str) -> int:
    """Transitions the nodes' neutron-keepalived-state-change logs recorded so far."""
    from l3ha_guide.ha_router import HARouter

    log = HARouter.state_change_log(router_id)
    total = 0
    for host in lab.topology.network_nodes:
        # grep exits 1 when nothing matched (the count is 0) and 2 when the log is missing
        count = f"grep -c 'Detected state change' {log} || [ $? -eq 1 ]"
        total += int(lab.exec(host, count, check=True).stdout.strip())
    return total


def versions(lab) -> dict[str, str]:
    from l3ha_guide.console.versions import VERSION_PROBES, version_in

    versions = {}
    for name, (host, command) in VERSION_PROBES.items():
        result = lab.exec(host, command)
        versions[name] = version_in(result.returncode, result.stdout)
    return versions
