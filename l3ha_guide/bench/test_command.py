"""The README's whole test command, timed, with where its time goes.

Each run reports the whole command, each tox environment's setup (creating it,
installing packages) and commands, as tox prints them, and the time pytest
spent in each test folder, setup and teardown included (the first lab test's
setup brings the lab up), from the file tests/conftest.py writes
(build/tests/durations.json). Minutes, not seconds: one run by default.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import defaultdict

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.bench.measure import summarise
from l3ha_guide.errors import UserError
from l3ha_guide.reader_environment import reader_environment

README_TEST_COMMAND = "python3 -m pip install --quiet tox && tox"
DURATIONS = PROJECT_ROOT / "build" / "tests" / "durations.json"
# tox's report line, e.g. "  tests: OK (183.52=setup[96.21]+cmd[87.31] seconds)".
TOX_REPORT = re.compile(
    r"^\s*(?P<env>[\w.-]+): OK \((?P<total>[\d.]+)="
    r"setup\[(?P<setup>[\d.]+)\]\+cmd\[(?P<cmd>[\d.,]+)\] seconds\)"
)


def figures_of(tox_output: str, durations: dict[str, float]) -> dict[str, float]:
    figures: dict[str, float] = {}
    for line in tox_output.splitlines():
        match = TOX_REPORT.match(line)
        if match:
            figures[f"tox {match['env']}: setup_s"] = float(match["setup"])
            figures[f"tox {match['env']}: commands_s"] = sum(float(part) for part in match["cmd"].split(","))
    for folder, seconds in durations.items():
        figures[f"pytest {folder}_s"] = seconds
    return figures


def run_once() -> dict[str, float]:
    DURATIONS.unlink(missing_ok=True)
    began = time.perf_counter()
    process = subprocess.Popen(
        README_TEST_COMMAND,
        shell=True,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=reader_environment(),  # as a reader runs it: the machine's python3 and tox, not this venv's
    )
    lines = []
    for line in process.stdout:
        sys.stderr.write(line)
        lines.append(line)
    if process.wait() != 0:
        raise UserError(f"the test command failed (exit {process.returncode}): {README_TEST_COMMAND}")
    elapsed = time.perf_counter() - began
    durations = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
    return {"readme_test_command_s": elapsed, **figures_of("".join(lines), durations)}


def measure(runs: int = 1) -> dict[str, object]:
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        for name, seconds in run_once().items():
            samples[name].append(seconds)
    return {name: summarise(values) for name, values in samples.items()}
