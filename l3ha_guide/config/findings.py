"""What the validator reports: `path:line: error|warning: message`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, order=True)
class Finding:
    location: Location
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


def error(location: Location, message: str) -> Finding:
    return Finding(location, "error", message)


def warning(location: Location, message: str) -> Finding:
    return Finding(location, "warning", message)
