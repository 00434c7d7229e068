"""The Liberty-era `neutron` command's environment: made once, also by sessions that start at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from l3ha_guide.console import legacy_client


def test_two_sessions_at_once_make_it_once_over_what_a_killed_attempt_left(tmp_path: Path) -> None:
    env_dir = tmp_path / "python-neutronclient"
    (env_dir / "bin").mkdir(parents=True)  # a virtual environment begun, without its packages
    code = (
        "from pathlib import Path; from l3ha_guide.console import legacy_client; "
        f"print(legacy_client.ensure(Path({str(env_dir)!r})))"
    )
    sessions = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(2)
    ]
    outputs = [session.communicate(timeout=300)[0] for session in sessions]
    assert [session.returncode for session in sessions] == [0, 0], outputs
    assert [output.strip() for output in outputs] == [str(legacy_client.bin_dir(env_dir))] * 2
    version = subprocess.run(
        [str(legacy_client.bin_dir(env_dir) / "neutron"), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert version.returncode == 0 and legacy_client.VERSION in version.stdout + version.stderr, version
