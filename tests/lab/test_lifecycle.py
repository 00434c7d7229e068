"""Bring-up and teardown of hosts-only labs: idempotent, complete, and harmless to the root namespace."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import testinfra

from l3ha_guide.errors import UserError
from l3ha_guide.lab import hosts, hygiene, nova, ssh
from l3ha_guide.lab.lab import Lab
from l3ha_guide.lab.neutron import NeutronStarter
from l3ha_guide.progress import Progress
from l3ha_guide.waiting import wait_until


def run_cli(state_dir, *arguments: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "L3HA_LAB_DIR": str(state_dir)}
    return subprocess.run(
        [sys.executable, "-m", "l3ha_guide.cli", *arguments],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        **kwargs,
    )


def lab_processes(state_dir: Path) -> list[int]:
    """Every process whose command line mentions this lab's state folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(state_dir).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def assert_nothing_running(lab: Lab) -> None:
    assert hosts.find_holders(lab.state) == []
    assert lab_processes(lab.state.root) == []
    assert lab.init_pids() == {}


def assert_nothing_left(lab: Lab) -> None:
    assert_nothing_running(lab)
    assert not any((lab.state.root / "hosts").glob("*")), "host overlay folders are removed"


def test_up_down_cycles_leave_the_root_namespace_as_it_was(scratch_lab: Lab):
    before = hygiene.snapshot()
    for _ in range(3):
        assert scratch_lab.up(hosts_only=True) is True
        assert set(scratch_lab.host_pids()) == set(scratch_lab.topology.lab_hosts)
        # While up, the root namespace shows none of the lab's links or namespaces either.
        assert hygiene.differences(before, hygiene.snapshot()) == []
        scratch_lab.down()
        assert_nothing_left(scratch_lab)
    assert hygiene.differences(before, hygiene.snapshot()) == []


def test_each_host_has_its_own_shared_ssh_connection_and_down_ends_them(scratch_lab: Lab):
    """Every host's stanza reaches 127.0.0.1, so a ControlPath shared between hosts (such as ssh's
    %C) would send one host's commands to another: each host has its own, and `down` closes them."""
    scratch_lab.up(hosts_only=True)
    config = ssh.shared_ssh_config(scratch_lab.state, scratch_lab.host_pids())
    readers, _inventory = ssh.write_client_files(
        scratch_lab.state, scratch_lab.topology, scratch_lab.host_pids()
    )
    assert "ControlPath" in config.read_text() and "ControlPath" not in readers.read_text()
    names = ["network1", "network2"]
    for name in names * 2:  # the second round runs over the connections the first one opened
        host = testinfra.get_host(
            f"ssh://{name}?controlpersist={ssh.SESSION_PERSIST}", ssh_config=str(config)
        )
        assert host.check_output("hostname") == name
    for name in names:
        socket = ssh.control_path(scratch_lab.state, name)
        assert socket is not None and socket.is_socket()
        check = subprocess.run(
            ["ssh", "-F", str(config), "-O", "check", name], capture_output=True, text=True, check=False
        )
        assert check.returncode == 0, check.stderr
    scratch_lab.down()
    assert_nothing_left(scratch_lab)  # no ssh process names the lab's folder any more
    assert list(scratch_lab.state.ssh_dir.glob("mux-*")) == []


def test_up_on_a_running_lab_changes_nothing(needs_root, tmp_path: Path):
    state = tmp_path / "lab"
    try:
        first = run_cli(state, "lab", "up", "--hosts-only")
        assert first.returncode == 0, first.stderr
        assert "hosts and fabric done in" in first.stderr
        pids = Lab.load(state_dir=state).init_pids()
        second = run_cli(state, "lab", "up", "--hosts-only")
        assert second.returncode == 0
        assert "already up" in second.stdout
        assert Lab.load(state_dir=state).init_pids() == pids
        status = run_cli(state, "lab", "status")
        assert status.returncode == 0 and "network1" in status.stdout and "running" in status.stdout
    finally:
        run_cli(state, "lab", "down")
    assert run_cli(state, "lab", "status").returncode == 3


def test_exec_passes_output_and_exit_status_through(needs_root, tmp_path: Path):
    state = tmp_path / "lab"
    try:
        assert run_cli(state, "lab", "up", "--hosts-only").returncode == 0
        result = run_cli(state, "lab", "exec", "network2", "--", "sh", "-c", "hostname; exit 7")
        assert (result.returncode, result.stdout) == (7, "network2\n")
        unknown = run_cli(state, "lab", "exec", "nosuchhost", "--", "true")
        assert unknown.returncode == 1
        assert "unknown lab host 'nosuchhost'" in unknown.stderr and "Traceback" not in unknown.stderr
    finally:
        run_cli(state, "lab", "down")


def test_down_after_a_killed_up_leaves_nothing(needs_root, tmp_path: Path):
    state = tmp_path / "lab"
    before = hygiene.snapshot()
    for delay in (0.3, 0.8):
        driver = subprocess.Popen(
            [sys.executable, "-m", "l3ha_guide.cli", "lab", "up", "--hosts-only"],
            env={**os.environ, "L3HA_LAB_DIR": str(state)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        driver.send_signal(signal.SIGKILL)
        driver.wait()
        assert run_cli(state, "lab", "down").returncode == 0
        assert_nothing_left(Lab.load(state_dir=state))
    assert hygiene.differences(before, hygiene.snapshot()) == []


def test_a_failing_up_leaves_nothing_running_and_keeps_the_logs(scratch_lab: Lab, monkeypatch):
    def broken_ovs(self, host):
        self.exec(host.name, "echo 'ovs-vswitchd: injected' >/var/log/injected.log", check=True)
        raise UserError(f"{host.name}: Open vSwitch failed (injected)")

    monkeypatch.setattr(Lab, "_start_ovs", broken_ovs)
    with pytest.raises(UserError) as failure:
        scratch_lab.up(hosts_only=True)
    assert "Open vSwitch failed (injected)" in str(failure.value)
    assert "the lab is down; its logs stay in" in str(failure.value)
    assert_nothing_running(scratch_lab)
    kept = list((scratch_lab.state.root / "hosts").glob("*/upper/var/log/injected.log"))
    assert kept, "the failed hosts' logs were removed"
    scratch_lab.down()
    assert_nothing_left(scratch_lab)


def test_a_service_that_does_not_start_is_named_with_the_tail_of_its_log(scratch_lab: Lab):
    scratch_lab.up(hosts_only=True)
    scratch_lab.exec(
        "controller",
        "mkdir -p /var/log/neutron && echo 'ERROR neutron: database unreachable' "
        ">/var/log/neutron/neutron-api.log",
        check=True,
    )
    starter = NeutronStarter(scratch_lab, Progress("lab up"))
    with pytest.raises(UserError) as failure:
        starter.wait_until("controller", "false", "neutron-api", "/var/log/neutron/neutron-api.log", 1)
    message = str(failure.value)
    assert message.startswith("neutron-api on controller: not ready after 1 s")
    assert "ERROR neutron: database unreachable" in message


def test_a_compute_service_that_does_not_register_is_named_with_its_host_and_log(scratch_lab: Lab):
    """nova-compute's log lives on compute1, though the lab waits for it in the controller's database."""
    scratch_lab.up(hosts_only=True)
    scratch_lab.exec(
        "compute1",
        "mkdir -p /var/log/nova && echo 'ERROR nova: placement unreachable' >/var/log/nova/nova-compute.log",
        check=True,
    )
    starter = NeutronStarter(scratch_lab, Progress("lab up"))
    with pytest.raises(UserError) as failure:
        starter.wait_listed("nova", "SELECT 1", [("compute1", "nova-compute")], nova.log, "not running", 1)
    message = str(failure.value)
    assert message.startswith("nova-compute on compute1: not running after 1 s")
    assert "ERROR nova: placement unreachable" in message


def test_a_lab_never_takes_the_holders_of_a_sibling_folder_for_its_own(tmp_path: Path):
    """`.lab` and the test suite's second lab, `.lab-2`, side by side: `lab down` of one ends only its own."""
    from l3ha_guide.lab.state import HOLDER_MARKER, LabState

    first, second = tmp_path / ".lab", tmp_path / ".lab-2"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; time.sleep(60)",
            HOLDER_MARKER,
            str(second / "hosts" / "controller"),
        ]
    )
    try:
        cmdline = Path(f"/proc/{holder.pid}/cmdline")  # the parent's until the child has exec'd
        wait_until(lambda: HOLDER_MARKER.encode() in cmdline.read_bytes(), timeout=10, interval=0.01)
        assert hosts.is_holder(holder.pid, LabState(second))
        assert not hosts.is_holder(holder.pid, LabState(first))
    finally:
        holder.kill()
        holder.wait()
