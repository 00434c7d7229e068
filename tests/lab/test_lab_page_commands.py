"""The lab page's commands, run exactly as the page writes them, from a reader's shell.

Those that look at the lab run against the session's lab; `lab up --hosts-only`,
`lab status` and `lab down` also run on a lab of their own (L3HA_LAB_DIR, as the
page says), because `lab down` on the session's lab would end it for every test.
"""

from __future__ import annotations

import re
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from reader_shell import documented, failure_message, run_as_reader

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.console import results
from l3ha_guide.console.created import DEFAULT_PREFIX
from l3ha_guide.console.examples import extract
from l3ha_guide.ha_router import HARouter
from l3ha_guide.lab.scenario import ensure_scenario, sql
from l3ha_guide.topology import load as load_topology

pytestmark = pytest.mark.lab

LAB_PAGE = PROJECT_ROOT / "source" / "lab.md"
# The environment these tests run in has the project installed: `l3ha-guide` and `pytest` are its.
PROJECT_BIN = Path(sys.prefix) / "bin"


def run(command: str | tuple[str, ...], cwd: Path = PROJECT_ROOT, **environment: str):
    """One documented command line, or several (each documented) run in one shell, joined by `&&`."""
    lines = (command,) if isinstance(command, str) else command
    for line in lines:
        assert documented(line, LAB_PAGE), f"source/lab.md no longer shows `{line}`"
    command = " && ".join(lines)
    if environment:
        exports = " ".join(f"{key}={value}" for key, value in environment.items())
        command = f"export {exports}; {command}"
    result = run_as_reader(command, cwd=cwd, bin_dir=PROJECT_BIN, timeout=600)
    assert "Traceback" not in result.stdout, failure_message(command, result)
    return result


def test_commands_that_look_at_the_running_lab(lab, tmp_path: Path) -> None:
    ensure_scenario(lab)  # the router whose namespace the page's `ip netns` shows
    router_id = HARouter(lab.shell).id()

    result = run("l3ha-guide lab up")
    assert result.returncode == 0 and "already up" in result.stdout, failure_message("lab up", result)
    result = run("l3ha-guide lab status")
    assert result.returncode == 0, failure_message("lab status", result)
    assert all(name in result.stdout for name in load_topology().lab_hosts)

    result = run("l3ha-guide lab exec network1 -- ip netns")
    assert result.returncode == 0 and f"qrouter-{router_id}" in result.stdout, failure_message("exec", result)
    result = run(
        "l3ha-guide lab exec controller -- bash -c '. /root/admin-openrc && openstack network agent list'"
    )
    assert result.returncode == 0 and result.stdout.count("L3 agent") == 2, failure_message("agents", result)

    result = run("l3ha-guide lab ssh-config > lab-ssh-config", cwd=tmp_path)
    assert result.returncode == 0 and "Host network1" in (tmp_path / "lab-ssh-config").read_text()
    result = run("ssh -F lab-ssh-config network1 ip netns", cwd=tmp_path)
    assert result.returncode == 0 and f"qrouter-{router_id}" in result.stdout, failure_message("ssh", result)

    (tmp_path / "MY_TESTS.py").write_text(
        "def test_hostname(host):\n    assert host.check_output('hostname') in ('network1', 'network2')\n"
    )
    result = run(
        "pytest --hosts=ssh://network1,paramiko://network2 --ssh-config=lab-ssh-config MY_TESTS.py",
        cwd=tmp_path,
    )
    assert result.returncode == 0 and "2 passed" in result.stdout, failure_message("pytest over ssh", result)


def test_up_status_down_on_a_lab_of_its_own(needs_root, tmp_path: Path) -> None:
    state = str(tmp_path / "lab")
    up = run("l3ha-guide lab up --hosts-only", L3HA_LAB_DIR=state)
    assert up.returncode == 0 and "lab is up" in up.stdout, failure_message("lab up --hosts-only", up)
    try:
        status = run("l3ha-guide lab status", L3HA_LAB_DIR=state)
        assert status.returncode == 0 and "network2" in status.stdout, failure_message("lab status", status)
    finally:
        down = run("l3ha-guide lab down", L3HA_LAB_DIR=state)
    assert down.returncode == 0 and "lab is down" in down.stdout, failure_message("lab down", down)
    status = run("l3ha-guide lab status", L3HA_LAB_DIR=state)
    assert status.returncode == 3 and "lab: down" in status.stdout


# "Checking your own cloud with this guide", tried on the lab as the page says: over SSH and through
# an Ansible inventory, read-only; then the full run, which asks first and has no terminal here.
WRITE_SSH_CONFIG = "l3ha-guide lab ssh-config > lab-ssh-config"
WRITE_INVENTORY = "l3ha-guide lab ansible-inventory > lab-inventory.yml"
READ_ONLY_RUNS = {
    "ssh": (
        WRITE_SSH_CONFIG,
        "export L3HA_LAB_HOSTS=controller=ssh://controller,network1=ssh://network1,"
        "network2=ssh://network2,compute1=ssh://compute1,external=ssh://external",
        "pytest tests/console/test_console_examples.py --ssh-config=lab-ssh-config --read-only "
        "--name-prefix=",
    ),
    "ansible": (
        WRITE_INVENTORY,
        "export L3HA_LAB_HOSTS=controller=ansible://controller,network1=ansible://network1,"
        "network2=ansible://network2,compute1=ansible://compute1,external=ansible://external",
        "pytest tests/console/test_console_examples.py --ansible-inventory=lab-inventory.yml --read-only "
        "--name-prefix=",
    ),
}
FULL_RUN = "pytest tests/console/test_console_examples.py --ssh-config=lab-ssh-config"


def _cloud_state(lab) -> tuple[list[list[str]], list[list[str]]]:
    """What a read-only run must leave as it was: Neutron's objects with the HA state of each
    router's agents, and Nova's instances (read from the databases: fast, and no client involved)."""
    neutron = sql(
        lab,
        "SELECT 'network', id FROM networks UNION ALL SELECT 'subnet', id FROM subnets "
        "UNION ALL SELECT 'router', id FROM routers UNION ALL SELECT 'port', id FROM ports "
        "UNION ALL SELECT 'floating ip', id FROM floatingips "
        "UNION ALL SELECT CONCAT(router_id, ' ', l3_agent_id), state FROM ha_router_agent_port_bindings "
        "ORDER BY 1, 2",
    )
    return neutron, sql(lab, "SELECT uuid, vm_state FROM instances WHERE deleted = 0 ORDER BY 1", "nova")


def test_read_only_checks_of_the_lab_as_the_page_writes_them(lab) -> None:
    """Both read-only runs at once, as two operators might run them: each changes nothing, and
    every example that one verified, the other verified too, each through its own backend."""
    ensure_scenario(lab)
    before, started = _cloud_state(lab), datetime.now(UTC).isoformat(timespec="microseconds")
    try:
        with ThreadPoolExecutor(len(READ_ONLY_RUNS)) as pool:
            runs = {backend: pool.submit(run, lines) for backend, lines in READ_ONLY_RUNS.items()}
            outputs = {backend: future.result() for backend, future in runs.items()}
    finally:
        for written in ("lab-ssh-config", "lab-inventory.yml"):
            (PROJECT_ROOT / written).unlink(missing_ok=True)
    changing = [example for example in extract().console if example.changes and not example.skip]
    passed = {}
    for backend, result in outputs.items():
        summary = re.search(r"(\d+) passed, (\d+) skipped in", result.stdout)
        what = f"the read-only run over {backend}"
        assert result.returncode == 0 and summary, failure_message(what, result)
        passed[backend], left_out = int(summary[1]), int(summary[2])
        assert passed[backend] >= 1 and left_out >= len(changing), failure_message(backend, result)
    assert len(set(passed.values())) == 1, f"the runs verified different numbers of examples: {passed}"
    assert _cloud_state(lab) == before, "a read-only run changed the cloud"
    recorded = [outcome for outcome in results.load().values() if outcome.recorded_at >= started]
    assert len(recorded) == passed["ssh"] and all(outcome.status == results.VERIFIED for outcome in recorded)
    for outcome in recorded:  # the truth report names how each example was verified
        # The instance, left out of L3HA_LAB_HOSTS as the page says, is reached through the running lab.
        expected = {"nsenter"} if outcome.host == "instance" else set(READ_ONLY_RUNS)
        assert expected <= set(results.backends(outcome)), outcome


def test_a_full_run_lists_what_it_changes_and_runs_nothing_unasked(lab) -> None:
    before = _cloud_state(lab)
    try:
        result = run((*READ_ONLY_RUNS["ssh"][:2], FULL_RUN))
    finally:
        (PROJECT_ROOT / "lab-ssh-config").unlink(missing_ok=True)
    assert result.returncode == 1 and "pass --yes" in result.stdout, failure_message(FULL_RUN, result)
    changing = [example.id for example in extract().console if example.changes and not example.skip]
    assert changing and all(f"{example_id} on " in result.stdout for example_id in changing)
    # It says how what it would create is named and that it is deleted afterwards.
    assert f"prefix {DEFAULT_PREFIX!r} and deleted when the run ends" in result.stdout, result.stdout
    assert _cloud_state(lab) == before
