"""Shared fixtures: the built manual (built once per session, incrementally) and the embedded lab."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from reader_shell import BUILD_COMMAND, failure_message, run_as_reader

from l3ha_guide.docs import BUILD_DIR

# Seconds spent per test folder (setup, call, teardown), for `l3ha-guide bench tests`.
DURATIONS_FILE = BUILD_DIR / "tests" / "durations.json"
_durations: defaultdict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    folder = report.nodeid.split("::")[0].rpartition("/")[0]
    _durations[folder] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _durations:
        DURATIONS_FILE.parent.mkdir(parents=True, exist_ok=True)
        rounded = {folder: round(seconds, 1) for folder, seconds in sorted(_durations.items())}
        DURATIONS_FILE.write_text(json.dumps(rounded, indent=1) + "\n")


@pytest.fixture(scope="session")
def built_manual() -> Path:
    result = run_as_reader(BUILD_COMMAND)
    assert result.returncode == 0, failure_message(BUILD_COMMAND, result)
    return BUILD_DIR / "html"


@pytest.fixture(scope="session")
def lab():
    """The embedded lab with real Neutron, up once per session (a lab already up is reused and left up)."""
    from l3ha_guide.lab.fixture import in_ci, running_lab, unavailable_reason

    reason = unavailable_reason()
    if reason:
        if in_ci():
            pytest.fail(f"lab tests must run in CI: {reason}")
        pytest.skip(reason)
    with running_lab() as running:
        yield running
