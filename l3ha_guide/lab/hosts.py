"""Lab hosts as namespaces: one holder process per host, commands through nsenter.

A holder is `unshare` with new PID, network, mount and UTS namespaces; inside
it sets the hostname, mounts a private /run, overlays /etc, /var/lib,
/var/log and /root (upper layers in the lab state folder), mounts a fresh
sysfs, and then becomes a reaper as PID 1 so that exited daemons do not
linger. Killing that PID 1 makes the kernel remove everything in the host.
The fabric is a holder too, with nothing but a network namespace worth using.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

from l3ha_guide.errors import UserError
from l3ha_guide.lab.state import HOLDER_MARKER, LabState
from l3ha_guide.waiting import WaitTimeout, wait_until

OVERLAID = ("etc", "var/lib", "var/log", "root")
RUN_FOLDERS = ("netns", "openvswitch", "sshd", "mysqld", "lock", "neutron")

# PID 1 of each host: reap every orphan, forever.
REAPER = (
    "import os, time\n"
    "while True:\n"
    "    try:\n"
    "        os.wait()\n"
    "    except ChildProcessError:\n"
    "        time.sleep(0.5)\n"
)

HOST_SETUP = """set -e
hostname "$1"
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p {run_folders}
chown mysql:mysql /run/mysqld 2>/dev/null || true
for folder in {overlaid}; do
    layers="lowerdir=/$folder,upperdir=$2/upper/$folder,workdir=$2/work/$folder"
    mount -t overlay overlay -o "$layers" "/$folder"
done
umount -l /sys
mount -t sysfs sysfs /sys
ip link set lo up
touch "$2/ready"
exec {python} -c "$3" {marker} "$2"
""".format(
    run_folders=" ".join(f"/run/{name}" for name in RUN_FOLDERS),
    overlaid=" ".join(OVERLAID),
    python=shlex.quote(sys.executable),
    marker=HOLDER_MARKER,
)

FABRIC_SETUP = f"""set -e
ip link set lo up
touch "$2/ready"
exec {shlex.quote(sys.executable)} -c "$3" {HOLDER_MARKER} "$2"
"""

UNSHARE = ["setsid", "unshare", "--pid", "--fork", "--mount-proc", "--net", "--mount", "--uts"]


def lab_path() -> str:
    """PATH inside the hosts: the virtual environment's bin first (neutron, privsep-helper)."""
    return ":".join(
        [str(Path(sys.executable).parent), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
    )


def lab_environment() -> dict[str, str]:
    return {
        "PATH": lab_path(),
        "HOME": "/root",
        "LANG": "C.UTF-8",
        "TERM": "dumb",
        # Fewer malloc arenas in the threaded Neutron services and their privsep helpers: less memory.
        "MALLOC_ARENA_MAX": "2",
    }


def spawn_holder(state: LabState, name: str, *, fabric: bool = False) -> subprocess.Popen:
    """Start a holder and record its PID at once; `wait_ready` finds its PID 1."""
    folder = state.host_dir(name)
    (folder / "ready").unlink(missing_ok=True)
    for overlaid in OVERLAID:
        (folder / "upper" / overlaid).mkdir(parents=True, exist_ok=True)
        (folder / "work" / overlaid).mkdir(parents=True, exist_ok=True)
    script = FABRIC_SETUP if fabric else HOST_SETUP
    process = subprocess.Popen(
        [
            *UNSHARE,
            "--propagation",
            "private",
            "--",
            "sh",
            "-c",
            script,
            HOLDER_MARKER,
            name,
            str(folder),
            REAPER,
        ],
        cwd="/",
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "holder.log", "wb"),  # noqa: SIM115 - the child keeps it
        env=lab_environment(),
    )
    state.record_holder(name, process.pid, None)
    return process


def init_pid_of(outer_pid: int) -> int | None:
    """PID 1 of the host, as seen from the root namespace: the only child of unshare."""
    try:
        children = Path(f"/proc/{outer_pid}/task/{outer_pid}/children").read_text().split()
    except OSError:
        return None
    return int(children[0]) if children else None


def wait_ready(state: LabState, name: str, process: subprocess.Popen, timeout: float = 10.0) -> int:
    ready = state.host_dir(name) / "ready"

    def init_pid_when_ready() -> int | None:
        if process.poll() is not None:
            log = (state.host_dir(name) / "holder.log").read_text(errors="replace").strip()
            raise UserError(f"host {name}: namespace setup failed (exit {process.returncode}): {log}")
        return init_pid_of(process.pid) if ready.exists() else None

    init_pid = wait_until(
        init_pid_when_ready,
        timeout=timeout,
        interval=0.01,
        failure=f"host {name}: namespace not ready after {timeout:.0f} s",
    )
    state.record_holder(name, process.pid, init_pid)
    return init_pid


def is_holder(pid: int, state: LabState) -> bool:
    """True if PID is one of this lab's holders (never signal a recycled PID)."""
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    inside = str(state.root).encode() + b"/"  # not a sibling lab's folder, such as `.lab-2`
    return HOLDER_MARKER.encode() in arguments and any(argument.startswith(inside) for argument in arguments)


def find_holders(state: LabState) -> list[int]:
    """Holder PIDs of this lab found in /proc, for holders whose PID was never recorded."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and is_holder(int(entry.name), state):
            found.append(int(entry.name))
    return found


def _in_own_pid_namespace(pid: int) -> bool:
    try:
        return os.readlink(f"/proc/{pid}/ns/pid") == os.readlink("/proc/self/ns/pid")
    except OSError:
        return False


def kill_holder(pid: int, state: LabState) -> None:
    """SIGKILL a host's PID 1 (given it or its outer `unshare`): the kernel then removes the host."""
    if not is_holder(pid, state):
        return
    if _in_own_pid_namespace(pid):
        # The outer unshare: killing it would orphan the host, so kill its PID 1.
        inner = init_pid_of(pid)
        if inner is None:
            return
        pid = inner
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def wait_gone(pids: list[int], timeout: float = 5.0) -> list[int]:
    """Wait until PIDs have exited (reaping our own children); returns those still present."""
    remaining = list(pids)

    def all_gone() -> bool:
        remaining[:] = [pid for pid in remaining if not _exited(pid)]
        return not remaining

    with contextlib.suppress(WaitTimeout):
        wait_until(all_gone, timeout=timeout, interval=0.01)
    return remaining


def _exited(pid: int) -> bool:
    """Reaped now (our own child), or gone or a zombie of another parent."""
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished:
            return True
    except ChildProcessError:
        pass
    return _process_state(pid) in (None, "Z")


def _process_state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def nsenter(init_pid: int, *, network_only: bool = False) -> list[str]:
    """The nsenter prefix for a host; `--root --wd` keep the host's own mounts (overlays, /run)."""
    if network_only:
        return ["nsenter", "-t", str(init_pid), "-n", "--"]
    return ["nsenter", "-t", str(init_pid), "-p", "-n", "-m", "-u", "--root", "--wd", "--"]
