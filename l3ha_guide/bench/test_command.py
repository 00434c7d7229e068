"""The README's whole test command, timed once per run (it brings up the lab: minutes, not seconds)."""

from __future__ import annotations

import subprocess

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.bench.measure import summarise, time_runs
from l3ha_guide.errors import UserError

README_TEST_COMMAND = "python3 -m pip install --quiet tox && tox"


def measure(runs: int = 1) -> dict[str, object]:
    def run_suite() -> None:
        result = subprocess.run(README_TEST_COMMAND, shell=True, cwd=PROJECT_ROOT, check=False)
        if result.returncode != 0:
            raise UserError(f"the test command failed (exit {result.returncode}): {README_TEST_COMMAND}")

    return {"readme_test_command_s": summarise(time_runs(run_suite, runs))}
