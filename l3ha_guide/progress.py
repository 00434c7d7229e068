"""Phases of long work, each printed with its elapsed time; a failure names its phase.

    progress = Progress("lab up")
    with progress.phase("hosts and fabric"):
        ...

prints `lab up: hosts and fabric ... 0.9 s (total 0.9 s)`. If the body raises,
the phase is named in the error, and `log_tail()` adds the end of a log file.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from l3ha_guide.errors import UserError


def log_tail(path: Path, lines: int = 20) -> str:
    """The last lines of a log file, indented, or a note that it does not exist."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"    ({path} does not exist)"
    return "\n".join("    " + line for line in text.splitlines()[-lines:])


class Progress:
    def __init__(self, task: str, stream=sys.stderr) -> None:
        self.task = task
        self.stream = stream
        self.started = time.monotonic()
        self.timings: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        began = time.monotonic()
        print(f"{self.task}: {name} ...", file=self.stream, flush=True)
        try:
            yield
        except UserError as error:
            raise UserError(f"{self.task}: phase '{name}' failed: {error}") from None
        elapsed = time.monotonic() - began
        self.timings[name] = elapsed
        total = time.monotonic() - self.started
        print(
            f"{self.task}: {name} done in {elapsed:.1f} s (total {total:.1f} s)", file=self.stream, flush=True
        )
