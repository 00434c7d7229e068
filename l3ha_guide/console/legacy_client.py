"""The Liberty-era `neutron` command, in its own environment, for the manual's second tabs.

python-neutronclient 10.0.0 dropped the `neutron` command; 9.0.0 is the last
release that has it. It lives in a virtual environment under .cache/ (outside
the lab's state folder, so `lab down` keeps it), made once from PyPI: with uv
when the `lab` extra brought it (a few seconds), else with venv and pip (40 s).
Lab hosts share the repository's folder, so the controller runs it from there.
Test sessions that run at once (two workers, or two read-only runs) make it
one after the other, under a lock beside it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from filelock import FileLock

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.errors import UserError

VERSION = "9.0.0"
ENV_DIR = PROJECT_ROOT / ".cache" / f"python-neutronclient-{VERSION}"


def bin_dir(env_dir: Path = ENV_DIR) -> Path:
    return env_dir / "bin"


def _uv() -> str | None:
    try:
        from uv import find_uv_bin
    except ImportError:
        return None
    return find_uv_bin()


def ensure(env_dir: Path = ENV_DIR) -> Path:
    """The folder holding the `neutron` command, made if missing."""
    neutron = bin_dir(env_dir) / "neutron"
    if neutron.exists():
        return neutron.parent
    env_dir.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(env_dir.with_name(f"{env_dir.name}.lock")):
        if not neutron.exists():  # another process may have made it meanwhile
            _make(env_dir, neutron)
    return neutron.parent


def _make(env_dir: Path, neutron: Path) -> None:
    shutil.rmtree(env_dir, ignore_errors=True)  # what a failed or killed attempt left
    requirement = f"python-neutronclient=={VERSION}"
    uv = _uv()
    if uv:
        steps = [
            [uv, "venv", "--quiet", "--python", sys.executable, str(env_dir)],
            [uv, "pip", "install", "--quiet", "--python", str(bin_dir(env_dir) / "python"), requirement],
        ]
    else:
        steps = [
            [sys.executable, "-m", "venv", str(env_dir)],
            [str(bin_dir(env_dir) / "pip"), "install", "--quiet", requirement],
        ]
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-10:])
            raise UserError(f"{env_dir}: cannot install python-neutronclient {VERSION}:\n{tail}")
    if not neutron.exists():
        raise UserError(f"python-neutronclient {VERSION} installed no `neutron` command in {neutron.parent}")
