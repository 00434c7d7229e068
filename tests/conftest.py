"""Shared fixtures: the built manual (built once per run, incrementally) and the embedded lab.

tox runs the suite in two pytest-xdist workers (`--dist loadgroup`). The
manual's examples on the lab (tests/console, then the lab page's runs of them)
form one group, run first and in file order by one worker: they mostly wait on
the lab (its services, VRRP timers, the documented `sleep`s). The other worker
runs the rest, module by module (a module's tests share fixtures and folders),
and the lab's own tests (tests/lab) last, on a second lab of their own, while
the examples still run. Run alone, without xdist, the order is the same, on
one lab.
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


def _lab_group(item: pytest.Item) -> str | None:
    """The xdist group of a test that needs the lab: the manual's examples, or the lab's own tests."""
    uses_lab = LAB_FIXTURES & set(getattr(item, "fixturenames", ()))
    if not (uses_lab or item.get_closest_marker("lab") is not None or item.nodeid.startswith("tests/lab/")):
        return None
    # The lab page's read-only runs are runs of the examples too: after them, on the same lab.
    examples = item.nodeid.startswith(("tests/console/", "tests/lab/test_lab_page_commands.py"))
    return "lab-examples" if examples else "lab"


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    groups = {item.nodeid: _lab_group(item) or item.nodeid.split("::")[0] for item in items}
    for item in items:
        item.add_marker(pytest.mark.xdist_group(groups[item.nodeid]))
    # The examples, the longest group, start first; the lab's own tests come last, so that their
    # lab comes up once the other worker's builds and browsers are done with the CPU.
    order = {"lab-examples": 0, "lab": 2}
    items.sort(key=lambda item: order.get(groups[item.nodeid], 1))  # stable: file order within


def pytest_configure(config: pytest.Config) -> None:
    # xdist hands out the groups in the order above, not largest first.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


_yielding = False


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under xdist, the worker of the other tests yields the CPU to the examples' worker, whose
    `openstack` commands (each a Python start-up of a second or two) are the run's critical path;
    so does the second lab it brings up for tests/lab, which inherits its nice value."""
    global _yielding
    if not _yielding and os.environ.get("PYTEST_XDIST_WORKER") and _lab_group(item) is None:
        os.nice(10)  # this worker and what it starts from now on: builds, browsers, tox
        _yielding = True


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller sees every report and writes the file
    if _durations:
        DURATIONS_FILE.parent.mkdir(parents=True, exist_ok=True)
        rounded = {folder: round(seconds, 1) for folder, seconds in sorted(_durations.items())}
        DURATIONS_FILE.write_text(json.dumps(rounded, indent=1) + "\n")


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clock that moves only when the code under test sleeps: wait loops run at once."""
    import time

    now = [0.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    monkeypatch.setattr(time, "sleep", lambda seconds: now.__setitem__(0, now[0] + seconds))


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
    _choose_the_lab_of_this_worker()
    with running_lab() as running:
        yield running


def _choose_the_lab_of_this_worker() -> None:
    """Under xdist, each worker that needs a lab has one: the first to ask takes the lab of
    L3HA_LAB_DIR (or .lab), the second a sibling folder (`.lab-2`), for itself and what it starts."""
    from l3ha_guide.lab.state import default_state_dir

    run, worker = os.environ.get("PYTEST_XDIST_TESTRUNUID"), os.environ.get("PYTEST_XDIST_WORKER")
    if not run:
        return
    owners = BUILD_DIR / "tests" / "lab-workers"
    owners.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(owners.with_suffix(".lock")):
        claimed = owners.read_text().split() if owners.exists() else []
        workers = claimed[1:] if claimed[:1] == [run] else []
        if worker not in workers:
            workers.append(worker)
            owners.write_text(" ".join([run, *workers]) + "\n")
    if rank := workers.index(worker):
        first = default_state_dir()
        os.environ["L3HA_LAB_DIR"] = str(first.with_name(f"{first.name}-{rank + 1}"))
