"""Published release artifacts as evidence: sdists from PyPI, their pbr ChangeLog and reno notes.

An sdist is looked up in PyPI's simple index (PEP 691 JSON), downloaded with urllib, checked
against the index's size and sha256 and kept in ${XDG_CACHE_HOME:-~/.cache}/l3ha-guide/sdists/
with its index entry beside it (<file>.json). A file on PyPI never changes once uploaded, so a
re-run reads the cache only (and checks the file's sha256 again), without network.

pbr writes the ChangeLog from `git log` of the released branch: a heading per tag (`29.0.0`, then
a line of dashes) and the subjects of the commits below it (`* subject`). A commit sits under
the first tag after it in log order, which within a cycle can be a later beta than the tag that
first contains it in git; the major version, and so the series, is what the tests rely on.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import itertools
import json
import os
import re
import tarfile
import tempfile
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

INDEX_URL = "https://pypi.org/simple/{project}/"
INDEX_ACCEPT = "application/vnd.pypi.simple.v1+json"
TIMEOUT = 120  # seconds, per request

# Neutron's major version -> OpenStack series (https://releases.openstack.org/teams/neutron.html);
# tests/claims/test_release_claims.py checks it against the branch commits in the ChangeLog.
NEUTRON_SERIES: dict[int, str] = {
    7: "Liberty",
    8: "Mitaka",
    9: "Newton",
    10: "Ocata",
    11: "Pike",
    12: "Queens",
    13: "Rocky",
    14: "Stein",
    15: "Train",
    16: "Ussuri",
    17: "Victoria",
    18: "Wallaby",
    19: "Xena",
    20: "Yoga",
    21: "Zed",
    22: "2023.1",
    23: "2023.2",
    24: "2024.1",
    25: "2024.2",
    26: "2025.1",
    27: "2025.2",
    28: "2026.1",
    29: "2026.2",
}
SERIES_ORDER: tuple[str, ...] = tuple(NEUTRON_SERIES.values())

# Release dates of the series that date a library release by its upload
# (https://releases.openstack.org/newton/, /ocata/, /pike/: "Release date").
SERIES_RELEASE_DATES: dict[str, dt.date] = {
    "Newton": dt.date(2016, 10, 6),
    "Ocata": dt.date(2017, 2, 22),
    "Pike": dt.date(2017, 8, 30),
}


class EvidenceUnavailable(Exception):
    """A release artifact could not be fetched or does not match its index entry (one-line message)."""


# Downloads


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "l3ha-guide" / "sdists"


def normalized(project: str) -> str:
    """The project's name in index URLs (PEP 503)."""
    return re.sub(r"[-_.]+", "-", project).lower()


def _get(url: str, accept: str | None = None) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read()
    except (urllib.error.URLError, OSError) as error:
        raise EvidenceUnavailable(f"cannot download {url}: {error}") from None


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class IndexEntry:
    """One file of a project as PyPI's simple index lists it."""

    filename: str
    url: str
    sha256: str
    size: int
    upload_time: str  # ISO 8601, UTC

    @property
    def uploaded(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.upload_time.replace("Z", "+00:00"))


def index_entry(project: str, version: str) -> IndexEntry:
    """The index entry of the sdist of project==version (its file name may use `.`, `-` or `_`)."""
    url = INDEX_URL.format(project=normalized(project))
    try:
        files = json.loads(_get(url, INDEX_ACCEPT))["files"]
    except (ValueError, KeyError) as error:
        raise EvidenceUnavailable(f"{url} is not a PEP 691 JSON index: {error}") from None
    names = {
        f"{spelling}-{version}.tar.gz"
        for spelling in (project, normalized(project), project.replace(".", "_"))
    }
    for file in files:
        if file["filename"] in names:
            return IndexEntry(
                file["filename"], file["url"], file["hashes"]["sha256"], file["size"], file["upload-time"]
            )
    raise EvidenceUnavailable(f"{url} lists no sdist {' or '.join(sorted(names))}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def sdist(project: str, version: str) -> tuple[Path, IndexEntry]:
    """The sdist of project==version, verified: from the cache, or downloaded into it."""
    folder = cache_dir()
    for record in folder.glob(f"*-{version}.tar.gz.json"):
        entry = IndexEntry(**json.loads(record.read_text()))
        path = folder / entry.filename
        same_project = normalized(entry.filename.removesuffix(f"-{version}.tar.gz")) == normalized(project)
        if same_project and path.is_file() and _sha256(path) == entry.sha256:
            return path, entry
    entry = index_entry(project, version)
    data = _get(entry.url)
    actual = hashlib.sha256(data).hexdigest()
    if len(data) != entry.size or actual != entry.sha256:
        raise EvidenceUnavailable(
            f"{entry.url}: got {len(data)} bytes with sha256 {actual}, "
            f"the index says {entry.size} bytes with sha256 {entry.sha256}"
        )
    path = folder / entry.filename
    _write_atomically(path, data)
    _write_atomically(folder / f"{entry.filename}.json", json.dumps(asdict(entry), indent=1).encode())
    return path, entry


@dataclass(frozen=True)
class Release:
    """Some files of a released sdist, by their path below its top folder."""

    project: str
    version: str
    entry: IndexEntry
    files: dict[str, str]


def release(project: str, version: str, patterns: tuple[str, ...]) -> Release:
    """The files of project==version's sdist whose paths (below the top folder) match a glob pattern."""
    path, entry = sdist(project, version)
    files: dict[str, str] = {}
    try:
        with tarfile.open(path, "r|gz") as archive:
            for member in archive:
                relative = member.name.partition("/")[2]
                if member.isfile() and any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
                    extracted = archive.extractfile(member)
                    assert extracted is not None
                    files[relative] = extracted.read().decode("utf-8")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise EvidenceUnavailable(f"cannot read {path} (from {entry.url}): {error}") from None
    return Release(project, version, entry, files)


# The ChangeLog


@dataclass(frozen=True)
class ChangeLog:
    """A pbr ChangeLog: (tag, commit subjects) per heading, newest first."""

    sections: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def tags(self) -> list[str]:
        return [tag for tag, _ in self.sections]

    def tags_of(self, subject: str) -> list[str]:
        """Every tag the subject sits under, newest first (a commit reverted and reapplied sits twice)."""
        return [tag for tag, subjects in self.sections if subject in subjects]

    def previous_tag(self, tag: str) -> str | None:
        """The heading below (older than) the tag's."""
        index = self.tags.index(tag)
        return self.tags[index + 1] if index + 1 < len(self.tags) else None

    def position(self, tag: str) -> int:
        """0 for the newest heading, larger for older ones."""
        return self.tags.index(tag)


def parse_changelog(text: str) -> ChangeLog:
    """pbr's ChangeLog; subjects lose pbr's backslash escapes (`ip\\_range` is `ip_range`)."""
    lines = text.splitlines()
    sections: list[tuple[str, list[str]]] = []
    for index, line in enumerate(lines):
        underline = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() and not line.startswith("* ") and re.fullmatch(r"-+", underline):
            if len(underline) == len(line):
                sections.append((line, []))
        elif line.startswith("* ") and sections:
            sections[-1][1].append(re.sub(r"\\(.)", r"\1", line[2:]))
    return ChangeLog(tuple((tag, tuple(subjects)) for tag, subjects in sections))


def major(tag: str) -> int:
    return int(tag.split(".")[0])


def neutron_series(tag: str) -> str:
    try:
        return NEUTRON_SERIES[major(tag)]
    except (KeyError, ValueError):
        raise ValueError(f"{tag} is not a neutron tag of a series in NEUTRON_SERIES") from None


@dataclass(frozen=True)
class Attribution:
    """Where a commit subject sits in neutron's ChangeLog, and the series that means."""

    subject: str
    tag: str
    previous_tag: str | None

    @property
    def series(self) -> str:
        return neutron_series(self.tag)

    @property
    def gap(self) -> bool:
        """Whether the ChangeLog lacks the tags of a major version just before this tag's: the commit may
        then belong to that version (neutron 29.0.0's ChangeLog has no 22.x tag)."""
        if self.previous_tag is None:
            return False
        older = major(self.previous_tag)
        return older in NEUTRON_SERIES and older < major(self.tag) - 1


def attribution(changelog: ChangeLog, subject: str) -> Attribution:
    """The subject's attribution; it must sit under exactly one tag."""
    tags = changelog.tags_of(subject)
    if len(tags) != 1:
        raise AssertionError(f"{subject!r} sits under {len(tags)} ChangeLog tags {tags}, expected one")
    return Attribution(subject, tags[0], changelog.previous_tag(tags[0]))


def series_name(branch_name: str) -> str:
    """`zed` -> `Zed`, `2024.1` -> `2024.1` (branch names are lower case)."""
    return branch_name.capitalize()


def series_of_upload(uploaded: dt.datetime) -> str:
    """The series a library release from master belongs to: the first series released on or after its
    upload day (stable-branch releases of a series come later and are not dated this way)."""
    dated = sorted(SERIES_RELEASE_DATES.items(), key=lambda item: item[1])
    day = uploaded.date()
    for (_, start), (series, end) in itertools.pairwise(dated):
        if start < day <= end:
            return series
    raise ValueError(f"{day} is outside the dated series {', '.join(series for series, _ in dated)}")


# Release notes and source


@dataclass(frozen=True)
class ReleaseNote:
    """A reno note: its file name and its text per section, whitespace collapsed."""

    name: str
    sections: dict[str, str]


def parse_notes(files: dict[str, str]) -> list[ReleaseNote]:
    notes: list[ReleaseNote] = []
    for path, text in sorted(files.items()):
        if not path.startswith("releasenotes/notes/"):
            continue
        data = yaml.safe_load(text) or {}
        sections: dict[str, str] = {}
        for section, value in data.items():
            items = value if isinstance(value, list) else [value]
            sections[str(section)] = " ".join(" ".join(str(item).split()) for item in items)
        notes.append(ReleaseNote(path.rpartition("/")[2], sections))
    return notes


def notes_mentioning(notes: list[ReleaseNote], section: str, terms: tuple[str, ...]) -> list[str]:
    """Names of the notes whose section contains every term."""
    return [
        note.name
        for note in notes
        if section in note.sections and all(term in note.sections[section] for term in terms)
    ]


def defines_option(source: str, option: str) -> bool:
    """Whether Python source declares the oslo.config option (`cfg.BoolOpt('name', ...)`)."""
    return re.search(rf"\bcfg\.\w*Opt\(\s*['\"]{re.escape(option)}['\"]", source) is not None
