"""Helpers for the config tests: write a config file or tree, validate it, find a finding."""

from __future__ import annotations

import shutil
from pathlib import Path

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.config.findings import Finding
from l3ha_guide.config.validate import validate

EXAMPLES = PROJECT_ROOT / "examples"


class Checker:
    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def examples_copy(self) -> Path:
        """The extracted examples (controller, network, compute) in a scratch folder."""
        tree = self.root / "tree"
        for role in ("controller", "network", "compute"):
            shutil.copytree(EXAMPLES / role, tree / role)
        return tree

    def edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text()
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new))


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in {path}")


def at(findings: list[Finding], path: Path, line: int, severity: str = "error") -> list[str]:
    """Messages reported at path:line with this severity."""
    return [
        finding.message
        for finding in findings
        if (finding.location.path, finding.location.line, finding.severity) == (str(path), line, severity)
    ]


__all__ = ["Checker", "at", "line_of", "validate"]
