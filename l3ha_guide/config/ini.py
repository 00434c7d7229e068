"""A line-keeping reader for oslo.config ini text.

oslo.config's own parser keeps the last of duplicated keys and forgets line numbers, and the
validator needs both. This reader follows its syntax (comments with `#` or `;`, `[section]`,
`key = value`, indented continuation lines, one pair of surrounding quotes stripped) but keeps
every entry with the location it came from. Text may be a whole file or the blocks of a page,
so each line arrives with its own location.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from l3ha_guide.config.findings import Finding, Location, error
from l3ha_guide.config.placeholders import PLACEHOLDERS


@dataclass
class Entry:
    section: str | None  # None only in files without sections (dnsmasq)
    key: str
    value: str
    location: Location


@dataclass
class ConfigDocument:
    """One target file (for example /etc/neutron/l3_agent.ini) as read from a file or from blocks."""

    target: str
    entries: list[Entry] = field(default_factory=list)
    sections: list[tuple[str, Location]] = field(default_factory=list)
    # Placeholders that the text around the blocks (or the file's comments) explains.
    explained: set[str] = field(default_factory=set)
    origin: Location | None = None  # where the file or its first block starts

    def last(self, section: str | None, key: str) -> Entry | None:
        """The entry that takes effect (the last one), like oslo.config."""
        matches = [entry for entry in self.entries if entry.section == section and entry.key == key]
        return matches[-1] if matches else None


def strip_quotes(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def read_ini(document: ConfigDocument, lines: Iterable[tuple[Location, str]]) -> list[Finding]:
    """Add the entries of these lines to the document; syntax errors come back as findings."""
    findings: list[Finding] = []
    section: str | None = None
    previous: Entry | None = None
    for location, raw in lines:
        stripped = raw.strip()
        if not stripped:
            previous = None
            continue
        if stripped.startswith(("#", ";")):
            document.explained.update(name for name in PLACEHOLDERS if name in stripped)
            continue
        if raw[0].isspace() and previous is not None:
            previous.value += "\n" + stripped  # a continuation line
            continue
        if stripped.startswith("["):
            if not stripped.endswith("]") or not stripped[1:-1].strip():
                findings.append(error(location, f"malformed section header {stripped!r}; write [section]"))
                section, previous = None, None
                continue
            section = stripped[1:-1].strip()
            document.sections.append((section, location))
            previous = None
            continue
        if "=" not in stripped:
            findings.append(error(location, f"expected 'option = value', found {stripped!r} (no '=')"))
            previous = None
            continue
        key, value = (part.strip() for part in stripped.split("=", 1))
        if not key:
            findings.append(error(location, f"no option name before '=' in {stripped!r}"))
            continue
        if section is None:
            findings.append(error(location, f"option {key!r} comes before any [section]"))
            continue
        previous = Entry(section, key, strip_quotes(value), location)
        document.entries.append(previous)
    return findings


def read_flat(document: ConfigDocument, lines: Iterable[tuple[Location, str]]) -> list[Finding]:
    """Files without sections, one `key` or `key=value` a line (dnsmasq's configuration)."""
    for location, raw in lines:
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            if stripped:
                document.explained.update(name for name in PLACEHOLDERS if name in stripped)
            continue
        key, _, value = stripped.partition("=")
        document.entries.append(Entry(None, key.strip(), value.strip(), location))
    return []


def numbered_lines(path: str, text: str, first_line: int = 1) -> list[tuple[Location, str]]:
    return [(Location(path, first_line + offset), line) for offset, line in enumerate(text.splitlines())]
