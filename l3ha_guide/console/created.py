"""What a console run created on a cloud, kept on disk until the run deletes it again.

Against the hosts of L3HA_LAB_HOSTS, the objects the manual creates carry a
prefix (`--name-prefix`, `l3ha-guide-` unless given) and are deleted when the
run ends, whether its examples passed, failed or were interrupted. Each
`openstack ... create` that succeeds, and each `openstack router add subnet`,
is noted at once in build/console/created.json with the command that undoes
it (`undo_for`). A run killed before it could delete them leaves the file;
the next run deletes them before its first example. On the embedded lab they
stay: the lab is thrown away as a whole, and later tests look at them.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from l3ha_guide.console.results import CONSOLE_DIR
from l3ha_guide.console.runner import HostMap, HostUnreachable, run
from l3ha_guide.ha_router import CONTROLLER

CREATED_PATH = CONSOLE_DIR / "created.json"
DEFAULT_PREFIX = "l3ha-guide-"
UNDO_TIMEOUT = 300.0  # `openstack server delete --wait` waits for Nova

_ID_ROW = re.compile(r"^\|\s*id\s*\|\s*(\S+)\s*\|", re.MULTILINE)
# What the client says when the object is gone already (deleted by a later example, or by hand).
_GONE = re.compile(r"No \w[\w ]* found for|No server with a name or ID|could not be found|\b404\b")


def undo_for(command: str, output: str) -> str | None:
    """The `openstack` command that removes what `command` made (its real output names the ID), or None."""
    words = command.replace("\\\n", " ").split()
    if len(words) < 3 or words[0] != "openstack":
        return None
    if words[1:4] == ["router", "add", "subnet"] and len(words) >= 6:
        return f"openstack router remove subnet {words[4]} {words[5]}"
    if "create" not in words[1:5]:  # `openstack security group rule create`
        return None
    resource = " ".join(words[1 : words.index("create")])
    found = _ID_ROW.search(output)
    if found is None:
        return None
    if resource == "server":
        return f"openstack server delete --wait {found.group(1)}"
    return f"openstack {resource} delete {found.group(1)}"


@dataclass(frozen=True)
class Created:
    undo: str  # the command that removes it, with the real ID or names
    credentials: str  # whose openrc file the command runs with, as the creating example's
    where: str  # the example's page, line, host and command


@dataclass
class CreatedObjects:
    """The objects a run created and has not deleted yet, oldest first, on disk after each change."""

    path: Path = CREATED_PATH

    def entries(self) -> list[Created]:
        if not self.path.exists():
            return []
        return [Created(**entry) for entry in json.loads(self.path.read_text(encoding="utf-8"))]

    def _write(self, entries: list[Created]) -> None:
        if not entries:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps([asdict(entry) for entry in entries], indent=1)
        self.path.write_text(text + "\n", encoding="utf-8")

    def note(self, command: str, output: str, credentials: str, where: str) -> None:
        """Note what the command made, if it made something (see `undo_for`)."""
        undo = undo_for(command, output)
        if undo is not None:
            self._write([*self.entries(), Created(undo, credentials, where)])

    def delete_all(self, host_map: HostMap) -> list[str]:
        """Remove every noted object, newest first; one line per object that could not be removed.

        Those stay noted, and the next run tries again."""
        kept: list[Created] = []
        problems: list[str] = []
        for entry in reversed(self.entries()):
            try:
                result = run(
                    host_map, CONTROLLER, entry.undo, timeout=UNDO_TIMEOUT, credentials=entry.credentials
                )
            except HostUnreachable as error:
                kept.insert(0, entry)
                problems.append(f"`{entry.undo}` (made by {entry.where}): {error}")
                continue
            if result.exit_status != 0 and not _GONE.search(result.output):
                kept.insert(0, entry)
                problems.append(f"`{entry.undo}` (made by {entry.where}): {result.output.strip()}")
        self._write(kept)
        return problems
