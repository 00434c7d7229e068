"""The preview's warm build server builds as sphinx-build does and relays its output and status."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.warm_sphinx import CLIENT_SCRIPT


def _serve_command(socket_path: Path, owner: int) -> list[str]:
    serve = ["--serve", str(socket_path), str(PROJECT_ROOT), "en", str(owner)]
    return [sys.executable, "-m", "l3ha_guide.warm_sphinx", *serve]


def _start(socket_path: Path) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(_serve_command(socket_path, os.getpid()), stdout=subprocess.PIPE)
    assert server.stdout is not None
    assert server.stdout.readline().strip() == b"ready"
    return server


@pytest.fixture(scope="module")
def build_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    socket_path = tmp_path_factory.mktemp("warm-sphinx") / "build.sock"
    server = _start(socket_path)
    yield socket_path
    server.terminate()
    server.wait()


def _client(socket_path: Path, *arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-S", "-I", str(CLIENT_SCRIPT), str(socket_path), sys.executable, *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_a_build_through_the_server_writes_the_pages(build_socket: Path, tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "conf.py").write_text('project = "warm"\n')
    (source / "index.rst").write_text("Warm\n====\n\nBuilt by a forked child.\n")
    result = _client(build_socket, "-m", "sphinx", "build", "-b", "html", "source", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "build succeeded" in result.stdout
    assert "Built by a forked child." in (tmp_path / "html" / "index.html").read_text()


def test_a_failing_build_relays_its_message_and_status(build_socket: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-source"
    result = _client(build_socket, "-m", "sphinx", "build", "-q", str(missing), str(tmp_path / "out"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert str(missing) in result.stdout


def test_other_commands_run_on_the_real_python(build_socket: Path) -> None:
    result = _client(build_socket, "-c", "import sys; print('direct', sys.flags.isolated)")
    assert result.returncode == 0 and result.stdout.split() == ["direct", "0"]


def test_the_server_stops_when_its_owner_is_gone(tmp_path: Path) -> None:
    """The preview killed with SIGKILL leaves no build server and no folder behind."""
    owner = subprocess.Popen(["sleep", "600"])
    folder = tmp_path / "owner"  # the killed owner's temporary folder, which holds the socket
    folder.mkdir()
    server = subprocess.Popen(_serve_command(folder / "orphan.sock", owner.pid), stdout=subprocess.PIPE)
    assert server.stdout is not None and server.stdout.readline().strip() == b"ready"
    owner.kill()
    owner.wait()
    deadline = time.monotonic() + 10  # it looks for its owner every 2 s
    while server.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert server.poll() == 0, "the build server outlived its owner"
    assert not folder.exists(), "the build server left its dead owner's folder"
