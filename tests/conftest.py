"""Shared fixtures: the built manual (built once per run, incrementally) and the embedded lab.

tox runs the suite in two pytest-xdist workers (`--dist loadgroup`). The lab's
tests form one group, run first and in file order by one worker: they mostly
wait on the lab (its services, VRRP timers, the documented `sleep`s), while the
other worker runs the rest, module by module (a module's tests share fixtures
and folders). Run alone, without xdist, the order is the same.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import pytest
from filelock import FileLock
from reader_shell import BUILD_COMMAND, failure_message, run_as_reader

from l3ha_guide.docs import BUILD_DIR

# Seconds spent per test folder (setup, call, teardown), for `l3ha-guide bench tests`.
DURATIONS_FILE = BUILD_DIR / "tests" / "durations.json"
_durations: defaultdict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    folder = report.nodeid.split("::")[0].rpartition("/")[0]
    _durations[folder] += report.duration


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("l3ha-guide console examples")
    group.addoption(
        "--read-only",
        action="store_true",
        help="run only the console examples that change nothing on the hosts (for a production cloud)",
    )
    group.addoption(
        "--name-prefix",
        metavar="PREFIX",
        help="put PREFIX before the name of each object the manual creates "
        "(default: l3ha-guide- on the hosts of L3HA_LAB_HOSTS, none on the embedded lab)",
    )
    group.addoption(
        "--keep-created",
        action="store_true",
        help="on the hosts of L3HA_LAB_HOSTS, keep the objects the run creates (they are deleted at its end)",
    )
    group.addoption(
        "--yes",
        action="store_true",
        help="run the examples that change the hosts of L3HA_LAB_HOSTS without asking first",
    )


LAB_FIXTURES = {"lab", "console_session", "needs_root", "scratch_lab"}


def _in_lab_group(item: pytest.Item) -> bool:
    uses_lab = LAB_FIXTURES & set(getattr(item, "fixturenames", ()))
    return (
        bool(uses_lab) or item.get_closest_marker("lab") is not None or item.nodeid.startswith("tests/lab/")
    )


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    lab_items = [item for item in items if _in_lab_group(item)]
    others = [item for item in items if not _in_lab_group(item)]
    for item in lab_items:
        item.add_marker(pytest.mark.xdist_group("lab"))
    for item in others:
        item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    items[:] = lab_items + others  # the longest group starts first


_yielding = False


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under xdist, the worker of the other tests yields the CPU to the lab's worker, whose
    `openstack` commands (each a Python start-up of a second or two) are the run's critical path."""
    global _yielding
    if not _yielding and os.environ.get("PYTEST_XDIST_WORKER") and not _in_lab_group(item):
        os.nice(10)  # this worker and what it starts from now on: builds, browsers, tox
        _yielding = True


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller sees every report and writes the file
    if _durations:
        DURATIONS_FILE.parent.mkdir(parents=True, exist_ok=True)
        rounded = {folder: round(seconds, 1) for folder, seconds in sorted(_durations.items())}
        DURATIONS_FILE.write_text(json.dumps(rounded, indent=1) + "\n")


@pytest.fixture(scope="session")
def built_manual() -> Path:
    """The manual as README.md's build command makes it: once per run, in whichever worker needs
    it first (a second build would rewrite pages that the other worker's tests are reading)."""
    marker = BUILD_DIR / "tests" / "built-manual-run"
    marker.parent.mkdir(parents=True, exist_ok=True)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    with FileLock(marker.with_suffix(".lock")):
        if not run or not marker.exists() or marker.read_text() != run:
            result = run_as_reader(BUILD_COMMAND)
            assert result.returncode == 0, failure_message(BUILD_COMMAND, result)
            if run:
                marker.write_text(run)
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
    _claim_the_lab_for_this_worker()
    with running_lab() as running:
        yield running


def _claim_the_lab_for_this_worker() -> None:
    """Two workers bringing up the one lab would tear each other's hosts down: fail clearly instead."""
    run, worker = os.environ.get("PYTEST_XDIST_TESTRUNUID"), os.environ.get("PYTEST_XDIST_WORKER")
    if not run:
        return
    owner = BUILD_DIR / "tests" / "lab-worker"
    owner.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(owner.with_suffix(".lock")):
        claimed = owner.read_text().split() if owner.exists() else []
        if claimed and claimed[0] == run and claimed[1] != worker:
            pytest.fail(
                f"the lab's tests run in two workers ({claimed[1]} and {worker}): the xdist group "
                "'lab' did not hold (see tests/conftest.py)"
            )
        owner.write_text(f"{run} {worker}\n")
