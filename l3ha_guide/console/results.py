"""The outcome of each console example on each host in the last lab run: build/console/results.json.

One record per (example, host), each with its own date, the versions of the
software it ran against and the digest of the block it ran, so a block edited
since its run is recognised as not verified. Records are merged into the file
as tests finish (atomically), so an interrupted run keeps what it verified, and
one at a time (a lock beside the file), so runs side by side lose none.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock

from l3ha_guide.console.examples import CONSOLE_DIR
from l3ha_guide.files import write_atomically

RESULTS_PATH = CONSOLE_DIR / "results.json"
VERIFIED, FAILED, ACTED = "verified", "failed", "lab-action"


@dataclass
class Outcome:
    id: str  # "source/page.md:LINE"
    host: str
    status: str  # VERIFIED, FAILED or ACTED (a lab action performed in the block's place)
    digest: str
    detail: str = ""
    date: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    versions: dict[str, str] = field(default_factory=dict)
    backend: str = ""  # how the host was reached (runner.HostMap.backend): nsenter, ssh, ansible, ...
    # `date` is for readers; this tells runs within one minute apart ("" in files written before it).
    recorded_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="microseconds"))

    @property
    def key(self) -> str:
        return f"{self.id}@{self.host}"


def load(path: Path = RESULTS_PATH) -> dict[str, Outcome]:
    """Outcomes by key; empty if there has been no run (or the file is unreadable)."""
    try:
        records = json.loads(path.read_text(encoding="utf-8"))["outcomes"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    outcomes = [Outcome(**{"recorded_at": "", **record}) for record in records]
    return {outcome.key: outcome for outcome in outcomes}


def backends(outcome: Outcome) -> list[str]:
    return [name for name in outcome.backend.split(",") if name]


def record(outcome: Outcome, path: Path = RESULTS_PATH) -> None:
    """Merge one outcome into the file. Verifying the same block again through another backend
    adds that backend: the truth report names every way the example was proven."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(path.with_suffix(".lock")):
        outcomes = load(path)
        earlier = outcomes.get(outcome.key)
        if earlier and earlier.status == outcome.status == VERIFIED and earlier.digest == outcome.digest:
            outcome.backend = ",".join(sorted({*backends(earlier), *backends(outcome)}))
        outcomes[outcome.key] = outcome
        data = {"outcomes": [asdict(item) for item in outcomes.values()]}
        write_atomically(path, json.dumps(data, indent=1, ensure_ascii=False))
