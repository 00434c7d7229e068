"""Lab and failover benchmarks on a lab of their own (its own state folder).

Hosts: at least 20 hosts-only up/down cycles (targets: up ≤ 5 s, down ≤ 2 s, nothing left
behind). Lab: full bring-ups with Keystone, Nova and Neutron to the HA router
active/standby and the instance answering on its floating IP, each phase timed by
the lab itself, with the whole lab's memory.
Failover: graceful stops (keepalived SIGTERM) and crashes (all links of the
master cut), the time to promotion and the floating IP's outage of each, next
to the VRRP bound implied by the configuration: 3 × advert_int + skew time,
where VRRPv2's skew time is (256 − priority) / 256 s and Neutron uses priority 50
(`l3ha_guide.bench.tuning.vrrp_bound`). Each failover's timeline (the probe's
replies, and every silence in them) goes to build/bench/failover-runs.json, which
explains a run that stands out from the others.
"""

from __future__ import annotations

import json
import time

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.bench.measure import summarise
from l3ha_guide.bench.tuning import vrrp_bound
from l3ha_guide.lab import Lab, measure_failover, restore, up_with_scenario
from l3ha_guide.lab.failover import PING_INTERVAL, silences
from l3ha_guide.lab.hygiene import differences, snapshot

BENCH_LAB_DIR = PROJECT_ROOT / ".cache" / "bench-lab"
FAILOVER_RUNS = 5
TIMELINES = PROJECT_ROOT / "build" / "bench" / "failover-runs.json"
_timelines: list[dict[str, object]] = []  # this bench run's failovers, in order
HOST_CYCLES = 20


def _seconds(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def measure_host_cycles(runs: int = HOST_CYCLES) -> dict[str, object]:
    """Hosts, fabric and Open vSwitch up and down, at least 20 times; then compare the root namespace."""
    lab = Lab.load(state_dir=BENCH_LAB_DIR)
    before = snapshot()
    hosts_up, hosts_down = [], []
    try:
        for _ in range(max(runs, HOST_CYCLES)):
            hosts_up.append(_seconds(lambda: lab.up(hosts_only=True)))
            hosts_down.append(_seconds(lab.down))
    finally:
        lab.down()
    return {
        "hosts_and_ovs_up_s": summarise(hosts_up),
        "hosts_down_s": summarise(hosts_down),
        "root_namespace_differences_after_all_cycles": len(differences(before, snapshot())),
    }


def measure(runs: int = 3) -> dict[str, object]:
    """Full bring-ups, each phase as the lab timed it, to the instance answering on its floating IP."""
    lab = Lab.load(state_dir=BENCH_LAB_DIR)
    phases: dict[str, list[float]] = {}
    memory, full_down = [], []
    try:
        for _ in range(runs):
            up_with_scenario(lab)
            recorded = json.loads(lab.state.timings_file.read_text())
            for phase, seconds in recorded["phases"].items():
                phases.setdefault(phase, []).append(seconds)
            memory.append(recorded.get("memory_mib", 0) / 1024)
            full_down.append(_seconds(lab.down))
    finally:
        lab.down()
    totals = [sum(values) for values in zip(*phases.values(), strict=True)]
    return {
        **{f"phase: {phase}_s": summarise(samples) for phase, samples in phases.items()},
        "up_to_instance_on_floating_ip_total_s": summarise(totals),
        "full_lab_down_s": summarise(full_down),
        "peak_memory_gib": round(max(memory), 2),
    }


def measure_failovers(runs: int = FAILOVER_RUNS) -> dict[str, object]:
    runs = max(runs, FAILOVER_RUNS)
    lab = Lab.load(state_dir=BENCH_LAB_DIR)
    results: dict[str, object] = {}
    try:
        up_with_scenario(lab)
        advert_int = 0
        for mode in ("graceful", "crash"):
            promotion, outage, advert_int = failover_runs(lab, mode, runs, "failover")
            results[f"{mode}: promotion_s"] = summarise(promotion)
            results[f"{mode}: floating_ip_outage_s"] = summarise(outage)
        results["vrrp_advert_int_s"] = advert_int
        results["vrrp_master_down_interval_s"] = vrrp_bound(advert_int)
    finally:
        lab.down()
    return results


def failover_runs(lab, mode: str, runs: int, section: str) -> tuple[list[float], list[float], int]:
    """`runs` failovers of one mode, each restored: (promotions, outages, advertisement interval).
    Each run's timeline is added to TIMELINES as soon as it is measured, before the restore."""
    promotion, outage, advert_int = [], [], 0
    for _ in range(runs):
        result = measure_failover(lab, mode)
        promotion.append(result.promotion_seconds)
        outage.append(result.outage_seconds)
        advert_int = result.advert_int
        _timelines.append(
            {
                "section": section,
                "mode": mode,
                "advert_int": advert_int,
                "promotion_s": result.promotion_seconds,
                "outage_s": result.outage_seconds,
                "silences": silences(result.replies, PING_INTERVAL),
                "replies": result.replies,
            }
        )
        TIMELINES.parent.mkdir(parents=True, exist_ok=True)
        TIMELINES.write_text(json.dumps(_timelines, indent=1) + "\n", encoding="utf-8")
        restore(lab, result)
    return promotion, outage, advert_int
