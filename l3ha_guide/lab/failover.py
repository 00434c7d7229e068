"""Failover of the manual's router (demo-router), measured: promotion time and outage of a ping through it.

    result = measure_failover(lab, "graceful")   # SIGTERM to the master's keepalived
    result = measure_failover(lab, "crash")      # every link of the master cut from the fabric side
    result = measure_failover(lab, "graceful", Probe("instance", "2001:db8:1::1"))  # another path
    restore(lab, result)                          # the old master back; active/standby again

A measurement that fails (no promotion, a failover before the failure, no
replies) undoes its failure itself before it raises, so the router is never
left with a stopped keepalived or a node's links cut.

While the master fails, a probe pings through the router every 0.1 s (`ping -D`
stamps each reply): by default the external host pings the floating IP; the
IPv6 page's probe is the instance pinging the upstream router's IPv6 address.
The backup host meanwhile watches keepalived's state file; the result holds
both times and a timeline of the replies, for the manual's figures and the
benchmark. The ping ends once the address has answered for a few seconds
after the outage, or at a deadline of at least PING_SECONDS that grows with
the router's advertisement interval.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import threading
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field

from l3ha_guide.errors import UserError
from l3ha_guide.ha_router import HARouter
from l3ha_guide.lab.hosts import lab_environment
from l3ha_guide.lab.scenario import ROUTER, ensure_scenario

MODES = ("graceful", "crash")
PING_INTERVAL = 0.1
BASELINE_SECONDS = 3.0
ANSWERING_AFTER_SECONDS = 3.0  # replies after the outage, to show that the floating IP answers again
PING_SECONDS = 20  # at least, for the shortest advertisement intervals
DEADLINE_MARGIN_SECONDS = 10
REPLY = re.compile(r"^\[(?P<stamp>[\d.]+)\].*icmp_seq=(?P<seq>\d+)")


@dataclass(frozen=True)
class Probe:
    """Who pings what through the router during a failover (ping picks IPv4 or IPv6 by the address)."""

    host: str
    address: str


@dataclass
class FailoverResult:
    mode: str
    old_master: str
    new_master: str
    promotion_seconds: float
    outage_seconds: float
    advert_int: int
    pings_sent: int
    pings_answered: int
    probe: Probe
    # (seconds since the failure, icmp_seq) for every reply, for the timeline figure.
    replies: list[tuple[float, int]] = field(default_factory=list)
    keepalived_command: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _master_and_backup(lab, router_id: str) -> tuple[str, str]:
    states = HARouter(lab.shell).keepalived_states(router_id)
    masters = [host for host, state in states.items() if state == "primary"]
    backups = [host for host, state in states.items() if state == "backup"]
    if len(masters) != 1 or not backups:
        raise UserError(f"{ROUTER} is not active/standby before the failover: {states}")
    return masters[0], backups[0]


def _advert_int(lab, host: str, router_id: str) -> int:
    match = re.search(r"advert_int\s+(\d+)", HARouter(lab.shell).keepalived_conf(host, router_id))
    return int(match.group(1)) if match else 0


def _deadline(advert_int: int) -> int:
    """Seconds the ping and the watcher may take: the baseline, a crash's three missed
    advertisements (plus skew, under a second), the replies after the outage and a margin."""
    needed = BASELINE_SECONDS + 3 * advert_int + 1 + ANSWERING_AFTER_SECONDS + DEADLINE_MARGIN_SECONDS
    return max(PING_SECONDS, round(needed))


def _keepalived_command(lab, host: str, router_id: str) -> list[str]:
    pid = lab.exec(host, f"cat {HARouter.pid_file(router_id)}", check=True).stdout.strip()
    raw = lab.exec(host, f"cat /proc/{pid}/cmdline | tr '\\0' '\\n'", check=True).stdout
    return [part for part in raw.splitlines() if part]


@dataclass
class Failure:
    """A failure injected with `fail`, for `restore`."""

    mode: str
    old_master: str
    new_master: str
    keepalived_command: list[str]


def _planned(lab, mode: str) -> tuple[Failure, str]:
    """The failure about to be injected (who fails, who takes over) and the router's ID."""
    if mode not in MODES:
        raise UserError(f"failover mode must be one of {', '.join(MODES)}, not {mode!r}")
    router = HARouter(lab.shell).id()
    master, backup = _master_and_backup(lab, router)
    return Failure(mode, master, backup, _keepalived_command(lab, master, router)), router


def fail(lab, mode: str) -> Failure:
    """Fail the router's master (graceful or crash) without measuring, for measurements of their own."""
    failure, router = _planned(lab, mode)
    _fail(lab, mode, failure.old_master, router)
    return failure


def _fail(lab, mode: str, master: str, router_id: str) -> None:
    if mode == "graceful":
        HARouter(lab.shell).stop_keepalived(master, router_id)
        return
    host = lab.topology.hosts[master]
    batch = "".join(f"link set {host.fabric_link(interface)} down\n" for interface in host.interfaces)
    result = lab.fabric_exec(["ip", "-batch", "-"], input=batch)
    if result.returncode != 0:
        raise UserError(f"fabric: could not cut {master}'s links: {result.stderr.strip()}")


def helper_process(cleanup: ExitStack, argv: list[str], deadline: float) -> subprocess.Popen:
    """A helper process on a lab host (its output on stdout, errors included), ended with the
    measurement however it ends. It must end by itself within `deadline` seconds: a process killed
    from outside the host's PID namespace would leave its child running there."""
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=lab_environment()
    )
    cleanup.callback(process.wait, timeout=deadline + 10)
    cleanup.callback(lambda: process.poll() is None and process.kill())
    return process


def measure_failover(lab, mode: str, probe: Probe | None = None) -> FailoverResult:
    """Fail the master (`mode`) while `probe` pings through the router; by default the external
    host pings the instance's floating IP (the scenario is completed first if needed)."""
    if probe is None:
        probe = Probe("external", ensure_scenario(lab).floating_ip)
    failure, router = _planned(lab, mode)
    master, backup = failure.old_master, failure.new_master
    advert_int = _advert_int(lab, master, router)
    deadline = _deadline(advert_int)
    state_file = f"{HARouter.conf_dir(router)}/state"
    # Both helpers end by themselves: ping's -w, the watcher's timeout.
    watch = f'until [ "$(cat {state_file} 2>/dev/null)" = primary ]; do sleep 0.02; done; date +%s.%N'
    # A measurement that fails leaves no failure behind; a measured one is restored by the caller.
    with ExitStack() as undo_unless_measured:
        with ExitStack() as cleanup:
            ping = helper_process(
                cleanup,
                lab.command(
                    probe.host,
                    [
                        *("ping", "-D", "-n", "-i", str(PING_INTERVAL), "-w", str(deadline)),
                        # with -w, -c counts replies: those before the failure and those after the outage
                        *("-c", str(round((BASELINE_SECONDS + ANSWERING_AFTER_SECONDS) / PING_INTERVAL))),
                        probe.address,
                    ],
                ),
                deadline,
            )
            replies: list[tuple[float, int]] = []
            reader = threading.Thread(target=_read_replies, args=(ping, replies), daemon=True)
            reader.start()
            watcher = helper_process(
                cleanup, lab.command(backup, ["timeout", str(deadline), "bash", "-c", watch]), deadline
            )
            time.sleep(BASELINE_SECONDS)
            failed_at = time.time()
            _fail(lab, mode, master, router)
            undo_unless_measured.callback(_undo, lab, failure, router)
            try:
                promoted_at = float(watcher.communicate(timeout=deadline + 5)[0].strip())
            except (subprocess.TimeoutExpired, ValueError):
                raise UserError(
                    f"{backup} was not promoted within {deadline} s after the {mode} failure"
                ) from None
            ping.wait(timeout=deadline + 10)
            reader.join(timeout=5)
        if promoted_at < failed_at:
            # The watcher started before the failure: the backup took over by itself during the baseline.
            raise UserError(
                f"{backup} became the master {failed_at - promoted_at:.1f} s before the {mode} failure of "
                f"{master}: the router failed over by itself"
            )
        outage = _longest_gap_after(sorted(stamp for stamp, _ in replies), failed_at)
        if outage is None:
            raise UserError(
                f"ping of {probe.address} from {probe.host}: no replies before or after the failure"
            )
        undo_unless_measured.pop_all()
    sent = max((seq for _, seq in replies), default=0)
    return FailoverResult(
        mode=mode,
        old_master=master,
        new_master=backup,
        promotion_seconds=round(promoted_at - failed_at, 3),
        outage_seconds=round(outage, 3),
        advert_int=advert_int,
        pings_sent=sent,
        pings_answered=len(replies),
        probe=probe,
        replies=[(round(stamp - failed_at, 3), seq) for stamp, seq in replies],
        keepalived_command=failure.keepalived_command,
    )


def gaps(stamps: list[float]) -> list[tuple[float, float]]:
    """(start, length) of every gap between two consecutive replies, in the stamps' own time."""
    ordered = sorted(stamps)
    return [(earlier, later - earlier) for earlier, later in itertools.pairwise(ordered)]


def silences(replies: list[tuple[float, int]], interval: float) -> list[tuple[float, float]]:
    """(start, length) in seconds since the failure of every gap between two replies longer than two
    ping intervals: one long silence is the outage; two mean the address answered in between."""
    return [
        (round(start, 3), round(length, 3))
        for start, length in gaps([offset for offset, _ in replies])
        if length > 2 * interval
    ]


def _longest_gap_after(stamps: list[float], failed_at: float) -> float | None:
    """The longest silence between two replies that ends after the failure (the outage)."""
    if not stamps or min(stamps) > failed_at or max(stamps) <= failed_at:
        return None
    return max(length for start, length in gaps(stamps) if start + length > failed_at)


def _read_replies(ping: subprocess.Popen, replies: list[tuple[float, int]]) -> None:
    for line in ping.stdout:
        match = REPLY.match(line)
        if match:
            replies.append((float(match["stamp"]), int(match["seq"])))


def _start_keepalived(lab, host: str, router_id: str, keepalived_command: list[str]) -> None:
    """Start keepalived in the router's namespace as the L3 agent starts it (the same command line on
    every node: the paths depend on the router only), instead of waiting up to a minute for the agent."""
    command = ["ip", "netns", "exec", f"qrouter-{router_id}", *keepalived_command]
    lab.exec(host, command, check=True)


def ensure_keepalived_on_both(lab) -> None:
    """keepalived runs for the router on every network node (after an example stopped it on one)."""
    router = HARouter(lab.shell)
    router_id = router.id()
    running = {host: router.keepalived_running(host, router_id) for host in lab.topology.network_nodes}
    source = next((host for host, up in running.items() if up), None)
    if source is None:
        raise UserError(f"keepalived of {ROUTER} runs on no network node")
    command = _keepalived_command(lab, source, router_id)
    for host in (host for host, up in running.items() if not up):
        _start_keepalived(lab, host, router_id, command)


def _undo(lab, failure: FailoverResult | Failure, router_id: str) -> None:
    """The old master's links up, or its keepalived started as the L3 agent started it; no waiting."""
    if failure.mode == "crash":
        host = lab.topology.hosts[failure.old_master]
        batch = "".join(f"link set {host.fabric_link(interface)} up\n" for interface in host.interfaces)
        lab.fabric_exec(["ip", "-batch", "-"], input=batch)
    elif not HARouter(lab.shell).keepalived_running(failure.old_master, router_id):
        _start_keepalived(lab, failure.old_master, router_id, failure.keepalived_command)


def restore(lab, result: FailoverResult | Failure, timeout: float = 120) -> dict[str, str]:
    """Bring the old master back; done when the router is active/standby again (keepalived's states)."""
    router = HARouter(lab.shell)
    _undo(lab, result, router.id())
    return router.wait_healthy(timeout, after=f"restoring {result.old_master}")
