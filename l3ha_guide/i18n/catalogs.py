"""Finding and reading gettext catalogs, with a clear error for a malformed one.

polib forgives some broken files (an unterminated string swallows the rest of
an entry), so each line is first checked against the PO grammar: blank, a
comment, a keyword with one quoted string, or a quoted continuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polib

PO_LINE = re.compile(
    r"""^\s*(?:
        \#.*                                                   # comment, flags, references, obsolete
      | (?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(?:[^"\\]|\\.)*"
      | "(?:[^"\\]|\\.)*"
    )?\s*$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: error: {self.message}"


class MalformedCatalog(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@cache
def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def find_catalogs(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The .po files named or found below the given directories, and paths that do not exist."""
    catalogs: list[Path] = []
    missing: list[Problem] = []
    for path in paths:
        if path.is_dir():
            catalogs.extend(sorted(path.rglob("*.po")))
        elif path.is_file():
            catalogs.append(path)
        else:
            missing.append(Problem(path, 0, "no such file or directory"))
    return catalogs, missing


def read_catalog(path: Path) -> tuple[polib.POFile, list[str]]:
    """The parsed catalog and its lines; MalformedCatalog names the first bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise MalformedCatalog(Problem(path, line, "malformed catalog: not UTF-8")) from None
    except OSError as error:
        raise MalformedCatalog(Problem(path, 0, f"cannot read: {error.strerror}")) from None
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not PO_LINE.match(line):
            raise MalformedCatalog(
                Problem(path, number, f"malformed catalog: not a PO line: {line.strip()[:60]!r}")
            )
    try:
        catalog = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as error:
        line_match = re.search(r"line (\d+)", str(error))
        line = int(line_match.group(1)) if line_match else 1
        raise MalformedCatalog(Problem(path, line, f"malformed catalog: {error}")) from None
    return catalog, lines


def msgstr_line(lines: list[str], entry: polib.POEntry) -> int:
    """The line of the entry's msgstr (where a translator edits), else the entry's first line."""
    start = entry.linenum or 1
    for number in range(start, len(lines) + 1):
        stripped = lines[number - 1].lstrip("#~ ")
        if stripped.startswith("msgstr"):
            return number
    return start
