"""Fixtures of the lab tests: the manual's scenario in the session's lab, and a throw-away
hosts-only lab in its own state folder."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from l3ha_guide.lab.fixture import in_ci, unavailable_reason
from l3ha_guide.lab.lab import Lab


@pytest.fixture
def needs_root() -> None:
    reason = unavailable_reason()
    if reason:
        if in_ci():
            pytest.fail(f"lab tests must run in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture
def scratch_lab(needs_root) -> Lab:
    """A second, hosts-only lab with its own state folder; it never touches the session's lab.
    The folder's path is short, as a repository's `.lab` is: the session's ssh_config shares a
    connection per host only where the socket's path fits (l3ha_guide.lab.ssh.control_path)."""
    folder = Path(tempfile.mkdtemp(prefix="l3ha-scratch-lab-"))
    lab = Lab.load(state_dir=folder / "lab")
    yield lab
    lab.down()
    shutil.rmtree(folder)


@pytest.fixture(scope="module")
def scenario(lab):
    """The manual's networks, HA router and instance with its floating IP, made if missing."""
    from l3ha_guide.lab.scenario import ensure_scenario

    return ensure_scenario(lab)
