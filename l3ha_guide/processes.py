"""Helper processes this project starts (the preview's server, the warm renderers): alive, and stopped whole.

A helper that starts children of its own runs in a process group of its own
(`start_new_session=True`), so that stopping it stops its children too: a
runner such as tox signals only its own child, and kills it half a second later.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterator, Sequence


def alive(pid: int) -> bool:
    """Whether the process runs (reaped first if it is this process's child, so a zombie is not alive)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def signal_group(leader: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(leader, signum)


def stop_group(process: subprocess.Popen, signum: int = signal.SIGTERM, timeout: float = 30.0) -> None:
    """Signal the process's group, give the leader `timeout` seconds to clean up, then kill what is left."""
    signal_group(process.pid, signum)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=timeout)
    signal_group(process.pid, signal.SIGKILL)
    process.wait()


@contextlib.contextmanager
def process_group(
    command: Sequence[str], signum: int = signal.SIGTERM, timeout: float = 30.0, **popen: object
) -> Iterator[subprocess.Popen]:
    """`command` in a process group of its own, stopped as a whole (see `stop_group`) when the block ends."""
    process = subprocess.Popen(command, start_new_session=True, **popen)  # type: ignore[call-overload]
    try:
        yield process
    finally:
        stop_group(process, signum, timeout)
