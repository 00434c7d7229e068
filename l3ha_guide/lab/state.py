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
from pathlib import Path
from typing import Any

from l3ha_guide.topology import REPO_ROOT

# Marks every holder process's command line, so `down` can find a holder whose
# PID was never recorded (the driver killed between spawn and record).
HOLDER_MARKER = "l3ha-lab-holder"


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
        try:
            return json.loads(self.file.read_text())
        except (OSError, ValueError):
            return {}

    def update(self, **changes: Any) -> dict[str, Any]:
        data = self.load()
        data.update(changes)
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.file.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=2, sort_keys=True))
        temporary.replace(self.file)
        return data

    def record_holder(self, name: str, outer_pid: int, init_pid: int | None) -> None:
        holders = self.load().get("holders", {})
        holders[name] = {"outer": outer_pid, "init": init_pid}
        self.update(holders=holders)

    def secret(self, name: str) -> str:
        """A secret generated once per lab (e.g. the metadata secret), never committed.

        `lab up` asks for secrets from several threads at once; without the lock, two
        read-modify-writes of the file interleave and one secret is lost, then generated
        again with another value than the one already written into a config file.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / "secrets.json"
        with open(self.root / "secrets.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one open file each: threads exclude each other too
            try:
                values = json.loads(path.read_text())
            except (OSError, ValueError):
                values = {}
            if name not in values:
                values[name] = secrets.token_hex(16)
                temporary = path.with_suffix(".tmp")
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(descriptor, "w") as file:
                    file.write(json.dumps(values, indent=2))
                temporary.replace(path)
        return values[name]

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
