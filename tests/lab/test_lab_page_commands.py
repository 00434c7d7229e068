"""The lab page's commands, run exactly as the page writes them, from a reader's shell.

Those that look at the lab run against the session's lab; `lab up --hosts-only`,
`lab status` and `lab down` also run on a lab of their own (L3HA_LAB_DIR, as the
page says), because `lab down` on the session's lab would end it for every test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from reader_shell import documented, failure_message, run_as_reader

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.ha_router import HARouter
from l3ha_guide.lab.scenario import ensure_scenario
from l3ha_guide.topology import load as load_topology

pytestmark = pytest.mark.lab

LAB_PAGE = PROJECT_ROOT / "source" / "lab.md"
# The environment these tests run in has the project installed: `l3ha-guide` and `pytest` are its.
PROJECT_BIN = Path(sys.prefix) / "bin"


def run(command: str, cwd: Path = PROJECT_ROOT, **environment: str):
    assert documented(command, LAB_PAGE), f"source/lab.md no longer shows `{command}`"
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
