"""The lab state folder: PIDs, keys, secrets, logs and phase timings of one lab.

Everything a lab creates outside its namespaces lives here (default `.lab/`
in the repository, or `$L3HA_LAB_DIR`), and every PID is recorded as soon as
the process exists, so `lab down` after a killed `lab up` still finds it all.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from l3ha_guide.topology import REPO_ROOT

# Marks every holder process's command line, so `down` can find a holder whose
# PID was never recorded (the driver killed between spawn and record).
HOLDER_MARKER = "l3ha-lab-holder"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def default_state_dir() -> Path:
    return Path(os.environ.get("L3HA_LAB_DIR", REPO_ROOT / ".lab")).resolve()


class LabState:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root or default_state_dir()
        self.file = self.root / "state.json"
        self.timings_file = self.root / "timings.json"

    def host_dir(self, host: str) -> Path:
        return self.root / "hosts" / host

    def upper(self, host: str, path: str) -> Path:
        """Where a host's file under an overlaid folder (/etc, /var/lib, /var/log, /root) lives."""
        return self.host_dir(host) / "upper" / path.lstrip("/")

    @property
    def ssh_dir(self) -> Path:
        return self.root / "ssh"

    def load(self) -> dict[str, Any]:
        return _read_json(self.file)

    def update(self, **changes: Any) -> dict[str, Any]:
        return self._edit(self.file, lambda data: data.update(changes))

    def record_holder(self, name: str, outer_pid: int, init_pid: int | None) -> None:
        record = {"outer": outer_pid, "init": init_pid}
        self._edit(self.file, lambda data: data.setdefault("holders", {}).update({name: record}))

    def secret(self, name: str) -> str:
        """A secret generated once per lab (e.g. the metadata secret), never committed (mode 0600)."""
        new = secrets.token_hex(16)
        values = self._edit(self.root / "secrets.json", lambda data: data.setdefault(name, new), mode=0o600)
        return values[name]

    def _edit(
        self, path: Path, edit: Callable[[dict[str, Any]], object], mode: int = 0o644
    ) -> dict[str, Any]:
        """Read, edit and replace one of the state's JSON files under the state folder's lock.

        `lab up` works from several threads at once. Without the lock, two read-modify-writes
        interleave and one change is lost: a lost secret was generated again with another value
        than the one already in neutron.conf, and MariaDB refused neutron-db-manage.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "state.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # each caller opens its own file: threads wait too
            data = _read_json(path)
            edit(data)
            temporary = path.with_suffix(".tmp")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            with os.fdopen(descriptor, "w") as file:
                file.write(json.dumps(data, indent=2, sort_keys=True))
            temporary.replace(path)
        return data

    def write_timings(self, timings: dict[str, float], **extra: Any) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.timings_file.write_text(json.dumps({"phases": timings, **extra}, indent=2))

    def add_timing(self, phase: str, seconds: float, **extra: Any) -> None:
        """Add a phase measured after `up` (e.g. the HA router reaching active/standby)."""
        try:
            data = json.loads(self.timings_file.read_text())
        except (OSError, ValueError):
            data = {"phases": {}}
        data["phases"][phase] = round(seconds, 2)
        data.update(extra)
        self.timings_file.write_text(json.dumps(data, indent=2))
