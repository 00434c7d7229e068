"""Connection state: which long-lived TCP connections survive a failover, without and with conntrackd.

On the bench's lab, for each setting of SETTINGS in order, a connection on each
path of `l3ha_guide.lab.connections.PATHS` (to the floating IP; out through
SNAT) across each kind of failure:

- `off`: `ha_conntrackd_enabled` as the lab starts, off (Neutron's default);
- `on, agents restarted`: the L3 agents restarted with the option on, the
  router left alone, as an operator who only restarts the agents leaves it
  (conntrackd runs, but the running state-change monitors were started without
  `--enable_conntrackd`); measured for SNAT and a crash only;
- `on`: the router disabled and enabled again, so that its monitors restart
  with the option.

Each cell records how many connections survived of how many, and the client's
last words of a connection that did not. Also recorded: how the option changed
the router's keepalived.conf (a diff) and which files it added beside it. `figure_name` names the cells, for
the failover page's `connection-state` directive.
"""

from __future__ import annotations

import datetime
import difflib

from l3ha_guide.bench.tuning import MODES, versions
from l3ha_guide.progress import Progress

SECTION = "connections"  # in source/_data/benchmarks.json (l3ha_guide.bench.SECTIONS)
SETTINGS = ("off", "on, agents restarted", "on")
ONLY_SNAT_CRASH = "on, agents restarted"
PATHS = ("floating-ip", "snat")  # l3ha_guide.lab.connections.PATHS, without importing the lab
# What the option does to the router's folder on a network node, from `off` to `on`:
KEEPALIVED_CONF_CHANGES = "keepalived.conf: changed lines"  # a unified diff, empty if none
FILES_ADDED = "files added beside keepalived.conf"


def figure_name(setting: str, path: str, mode: str) -> str:
    return f"conntrackd {setting}: {path}, {mode}"


def cells(setting: str) -> list[tuple[str, str]]:
    if setting == ONLY_SNAT_CRASH:
        return [("snat", "crash")]
    return [(path, mode) for path in PATHS for mode in MODES]


def measure(runs: int = 1) -> dict[str, object]:
    from l3ha_guide.bench.lab import BENCH_LAB_DIR
    from l3ha_guide.lab import Lab, up_with_scenario

    lab = Lab.load(state_dir=BENCH_LAB_DIR)
    progress = Progress("bench connections")
    results: dict[str, object] = {}
    try:
        with progress.phase("lab and scenario"):
            lab.down()  # `off` needs a lab whose agents run as they start, with no option of a measurement
            up_with_scenario(lab)
        results["date"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        results["versions"] = versions(lab)
        before = _router_files(lab)
        for setting in SETTINGS:
            with progress.phase(f"conntrackd {setting}: set"):
                _apply(lab, setting)
            for path, mode in cells(setting):
                with progress.phase(f"conntrackd {setting}: {runs} × {path}, {mode}"):
                    results[figure_name(setting, path, mode)] = _cell(lab, path, mode, runs)
        after = _router_files(lab)
        results[KEEPALIVED_CONF_CHANGES] = list(
            difflib.unified_diff(before[0].splitlines(), after[0].splitlines(), lineterm="", n=0)
        )
        results[FILES_ADDED] = sorted(set(after[1]) - set(before[1]))
    finally:
        lab.down()
    return results


def _router_files(lab) -> tuple[str, list[str]]:
    """The router's keepalived.conf on the first network node, and the names beside it."""
    from l3ha_guide.ha_router import HARouter

    router = HARouter(lab.shell)
    router_id = router.id()
    host = lab.topology.network_nodes[0]
    listing = lab.exec(host, f"ls {HARouter.conf_dir(router_id)}", check=True).stdout.split()
    return router.keepalived_conf(host, router_id), listing


def _cell(lab, path: str, mode: str, runs: int) -> dict[str, object]:
    from l3ha_guide.lab.connections import connection_across_failover

    outcomes = [connection_across_failover(lab, path, mode) for _ in range(runs)]
    lost = [outcome.client_said for outcome in outcomes if not outcome.survived]
    return {"survived": runs - len(lost), "runs": runs, "client_said": lost[-1] if lost else ""}


def _apply(lab, setting: str) -> None:
    from l3ha_guide.ha_router import HARouter
    from l3ha_guide.lab.neutron import restart_l3_agents
    from l3ha_guide.waiting import wait_until

    router = HARouter(lab.shell)
    if setting == "off":
        return  # the lab as it starts
    if setting == ONLY_SNAT_CRASH:
        restart_l3_agents(lab, {"ha_conntrackd_enabled": True})
    else:
        router_id = router.id()
        router.openstack(f"router set --disable {router.name}")
        wait_until(
            lambda: (
                not any(router.keepalived_running(host, router_id) for host in lab.topology.network_nodes)
            ),
            timeout=90,
            interval=1,
            failure=f"keepalived of {router.name} still runs after `router set --disable`",
        )
        router.openstack(f"router set --enable {router.name}")
    router.wait_healthy(timeout=180, after=f"conntrackd {setting}")
    router_id = router.id()
    running = f"kill -0 $(cat {HARouter.conf_dir(router_id)}/conntrackd.pid 2>/dev/null) 2>/dev/null"
    # The restarted agents process the router in the background, keepalived's states stay as they were.
    wait_until(
        lambda: all(lab.exec(host, running).returncode == 0 for host in lab.topology.network_nodes),
        timeout=120,
        interval=1,
        failure=f"conntrackd does not run for {router.name} on every network node with conntrackd {setting}",
    )
