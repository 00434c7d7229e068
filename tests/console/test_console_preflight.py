"""Bad host mappings stop the console suite before its first example: one line per problem, exit 1.

Each case runs the suite as a reader would against hosts of their own, with
an empty lab state folder (no embedded lab to fall back on), and nothing to
connect to outside this machine: an unreachable host is an ssh_config alias
whose ProxyCommand fails, and a controller without clients or credentials is
this machine itself (`local://`), where only `true`, `command -v` and `test -r`
run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.ha_router import CREDENTIALS


def run_suite(tmp_path: Path, hosts: str, *arguments: str, path: str | None = None):
    environment = {
        **os.environ,
        "L3HA_LAB_HOSTS": hosts,
        "L3HA_LAB_DIR": str(tmp_path / "no-lab"),
        "PATH": path or os.environ["PATH"],
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "tests/console/test_console_examples.py",
        "--yes",
        *arguments,
    ]
    return subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def assert_stopped_with(result: subprocess.CompletedProcess[str], *lines: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "the console examples cannot run:" in output and "Traceback" not in output, output[-3000:]
    assert " passed" not in output and " failed" not in output, output[-3000:]  # nothing ran
    for line in lines:
        assert line in output, output[-3000:]


def test_an_unreachable_host_and_a_missing_one(tmp_path: Path) -> None:
    config = tmp_path / "ssh_config"
    config.write_text("Host nowhere\n    ProxyCommand false\n")
    # The ping from the instance builds on what the scenario pages do before it, on every node.
    result = run_suite(tmp_path, "controller=ssh://nowhere", f"--ssh-config={config}", "-k", "instance")
    unmapped = ("network1", "external", "instance")
    assert_stopped_with(
        result,
        "controller (ssh://nowhere): cannot connect (exit status 255)",
        *(f"{name}: not in L3HA_LAB_HOSTS; add {name}=ssh://" for name in unmapped),
    )


def test_a_controller_without_the_client_or_the_credentials(tmp_path: Path) -> None:
    for path in CREDENTIALS.values():
        assert not Path(path).exists(), f"{path} exists on this machine: this test needs a machine without it"
    tools = tmp_path / "bin"  # a PATH with what the runner needs (`timeout`), and no OpenStack client
    tools.mkdir()
    (tools / "timeout").symlink_to(shutil.which("timeout"))
    result = run_suite(tmp_path, "controller=local://", "-k", "verify-services.md:23", path=str(tools))
    assert_stopped_with(
        result,
        "controller: no `openstack` command in a session there: install python-openstackclient",
        f"controller: no {CREDENTIALS['admin']}: write the admin user's credentials there",
    )
