"""The manual's release claims about what changed since Liberty, checked against published releases.

OPTION_CHANGES (l3ha_guide/config/history.py, shown on source/changes-since-liberty.md) says in
which release each Liberty option went; PROSE_CLAIMS holds the claims the pages make in running
text. Each claim names its evidence: for neutron, the subject of the commit that made the change,
whose tag in neutron's ChangeLog (sdist of the release the manual targets) gives the series; for
oslo.log, the last release that defines the option and the first that does not, dated by its
upload to PyPI. A release note mentioning the change supports the claim (reno notes carry no
version). A wrong claim fails its test with the claim and the evidence; the data is not fixed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import pytest
from release_evidence import (
    NEUTRON_SERIES,
    SERIES_ORDER,
    SERIES_RELEASE_DATES,
    ChangeLog,
    EvidenceUnavailable,
    Release,
    ReleaseNote,
    attribution,
    defines_option,
    major,
    notes_mentioning,
    parse_changelog,
    parse_notes,
    release,
    series_name,
    series_of_upload,
)

from l3ha_guide import NEUTRON_RELEASE, PROJECT_ROOT
from l3ha_guide.config.history import OPTION_CHANGES


@dataclass(frozen=True)
class Note:
    """A release note supports the claim: one note's `section` contains every term."""

    section: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class NeutronCommit:
    """The commit that made the change, by its subject and the ChangeLog tag it sits under."""

    subject: str
    tag: str
    note: Note | None  # None: see UNREACHABLE


@dataclass(frozen=True)
class LibraryRemoval:
    """An option a library removed: defined in `last_with`'s module, gone from `first_without`'s."""

    project: str
    option: str
    module: str
    last_with: str
    first_without: str
    subject: str  # the removal's subject in first_without's ChangeLog, under its own heading
    note: Note


# Evidence per Liberty option of OPTION_CHANGES.
OPTION_EVIDENCE: dict[str, NeutronCommit | LibraryRemoval] = {
    # neutron stopped using it in Newton ("oslo: remove usage of oslo.log verbose option",
    # 9.0.0.0b1), but the option is oslo.log's: its removals in oslo.log 3.8.0 (Newton cycle) and
    # 3.21.0 were reverted in the same release; the third stuck.
    "verbose": LibraryRemoval(
        "oslo.log",
        "verbose",
        "oslo_log/_options.py",
        "3.21.0",
        "3.22.0",
        "Remove 'verbose' option (again)",
        Note("upgrade", ("'verbose' option has been removed",)),
    ),
    "allow_overlapping_ips": NeutronCommit(
        'Remove "allow_overlapping_ips" config option',
        "21.0.0.0rc1",
        Note("upgrade", ("allow_overlapping_ips",)),
    ),
    "min_l3_agents_per_router": NeutronCommit(
        "Remove deprecated min_l3_agents_per_router",
        "10.0.0.0b3",
        Note("upgrade", ("min_l3_agents_per_router", "removed in Ocata")),
    ),
    "tenant_network_types": (
        TENANT_RENAME := NeutronCommit(
            "Change tenant_network_types to project_network_types",
            "28.0.0.0rc1",
            Note(
                "deprecations", ("tenant_network_types", "project_network_types", "removed in the ``2027.1``")
            ),
        )
    ),
    "prevent_arp_spoofing": NeutronCommit(
        "Remove deprecated prevent_arp_spoofing option",
        "11.0.0.0b3",
        Note("upgrade", ("prevent_arp_spoofing",)),
    ),
    "use_namespaces": NeutronCommit("Remove deprecated use_namespaces option", "8.0.0.0b1", None),
    "external_network_bridge": NeutronCommit(
        "Remove deprecated 'external_network_bridge' option",
        "14.0.0.0b3",
        Note("upgrade", ("external_network_bridge", "has been removed")),
    ),
    "nova_metadata_ip": NeutronCommit(
        "Deprecate nova_metadata_ip in favor of nova_metadata_host option",
        "11.0.0.0b1",
        Note("deprecations", ("nova_metadata_ip", "nova_metadata_host")),
    ),
}

Relation = Literal["in", "after"]  # the change came in the series, or in a later one

CHANGES_PAGE = "source/changes-since-liberty.md"


@dataclass(frozen=True)
class ProseClaim:
    claim: str
    # Where the pages state it today: (page below the project folder, its words, whitespace-insensitive).
    places: tuple[tuple[str, str], ...]
    relation: Relation
    series: str
    evidence: NeutronCommit


CONNTRACKD = NeutronCommit(
    "Add conntrackd support to HA routers in L3 agent",
    "26.0.0.0b2",
    Note("features", ("ha_conntrackd_enabled",)),
)

PROSE_CLAIMS: tuple[ProseClaim, ...] = (
    ProseClaim(
        "l3_ha_network_type exists since Liberty",
        (
            (
                CHANGES_PAGE,
                "`l3_ha_network_type` chooses the network type of the HA network. It exists since Liberty",
            ),
        ),
        "in",
        "Liberty",
        NeutronCommit("Add configurable options for HA networks", "7.0.0.0b3", None),
    ),
    ProseClaim(
        "ha_conntrackd_enabled exists since neutron 26.0.0",
        (
            (CHANGES_PAGE, "Since Neutron 26.0.0, the L3 agent can run conntrackd"),
            ("source/failover.md", "available since Neutron 26.0.0"),
            ("source/overview.md", "Since Neutron 26.0.0, setting `ha_conntrackd_enabled = True`"),
        ),
        "in",
        NEUTRON_SERIES[26],
        CONNTRACKD,
    ),
    ProseClaim(
        "nova_metadata_ip was removed in Queens",
        (
            (
                CHANGES_PAGE,
                "accepts a host name or an address. The old name was removed in Queens.",
            ),
        ),
        "in",
        "Queens",
        NeutronCommit(
            "Remove deprecated nova_metadata_ip",
            "12.0.0.0b3",
            Note("deprecations", ("nova_metadata_ip", "removed in Queens")),
        ),
    ),
    ProseClaim(
        "ha_keepalived_state_change_server_threads was added in Ocata",
        ((CHANGES_PAGE, "`ha_keepalived_state_change_server_threads`, added in Ocata"),),
        "in",
        "Ocata",
        NeutronCommit(
            "New option for num_threads for state change server",
            "10.0.0.0b1",
            Note("upgrade", ("ha_keepalived_state_change_server_threads", "has been added")),
        ),
    ),
    ProseClaim(
        "ha_keepalived_state_change_server_threads was removed in 2026.2",
        (
            (CHANGES_PAGE, "was removed in 2026.2 (Neutron 29.0.0), when the helper became a shell script"),
            ("source/prerequisites.md", "removed in 2026.2 (Neutron 29.0.0). Remove it from `l3_agent.ini`"),
        ),
        "in",
        NEUTRON_SERIES[29],
        NeutronCommit(
            "l3: Remove unused ``ha_keepalived_state_change_server_threads`` config option",
            "29.0.0.0b1",
            Note("upgrade", ("ha_keepalived_state_change_server_threads", "has been removed")),
        ),
    ),
    ProseClaim(
        "neutron-keepalived-state-change is a shell script since neutron 29.0.0",
        (
            ("source/packet-flow.md", "(a shell script since Neutron 29.0.0)"),
            (
                "source/prerequisites.md",
                "Since Neutron 29.0.0, `neutron-keepalived-state-change` is a `/bin/sh`",
            ),
        ),
        "in",
        NEUTRON_SERIES[29],
        NeutronCommit(
            "Replace keepalived-state-change by a dash script",
            "29.0.0.0b1",
            Note("features", ("keepalive-state-change", "posix shell script")),
        ),
    ),
    ProseClaim(
        "tenant_network_types was the name in Liberty (renamed later)",
        (("source/packet-flow.md", "(`tenant_network_types` in Liberty)"),),
        "after",
        "Liberty",
        TENANT_RENAME,
    ),
)

# What no test here can check, and why.
UNREACHABLE: dict[str, str] = {
    "use_namespaces removed in Mitaka: release note": (
        "no reno note in the neutron sdist mentions use_namespaces; the ChangeLog tag is the only evidence"
    ),
    "l3_ha_network_type exists since Liberty: release note": "no reno note in the neutron sdist mentions it",
    "l3_ha_network_type exists since Liberty: the commit's content": (
        "the subject 'Add configurable options for HA networks' does not name the option; that the commit"
        " (git 98618644ce) adds l3_ha_network_type to neutron/db/l3_hamode_db.py is in neutron's git"
        " history, which no sdist carries, and neutron 7.0.0 (Liberty) has no sdist on PyPI (the"
        " oldest there is 10.0.5)"
    ),
    "tenant_network_types: the old name works until 2027.1": (
        "a plan, not a release: the deprecation note's 'removed in the 2027.1 release' is checked;"
        " the removal itself cannot be checked before 2027.1 is published"
    ),
    "neutron series Zed = 21": (
        "the branch commit 'Update master for stable/zed' sits under 23.0.0.0b1 (no 22.x tag in the"
        " ChangeLog); 21 follows from Yoga = 20 and 2023.1 = 22, which are checked"
    ),
}

# Branch commits whose ChangeLog tag is not the series' own, and why.
BRANCH_COMMIT_EXCEPTIONS: dict[str, str] = {
    "Update reno for stable/mitaka": (
        "listed under 8.0.0.0rc2, which reached master by a merge of stable/mitaka; git has the commit"
        " first in 9.0.0.0b1"
    ),
}
NEXT_SERIES_COMMIT = re.compile(r"Update (?:master|reno) for stable/(\S+)")  # on master, next cycle
SAME_SERIES_COMMIT = re.compile(  # on the new stable branch
    r"Update (?:\.gitreview|TOX_CONSTRAINTS_FILE) for stable/(\S+)"
    r"|Update default branch in \.gitreview to stable/(\S+)"
)
# Major versions without a tag in neutron 29.0.0's ChangeLog.
MISSING_MAJORS = {22: "no 22.x (2023.1) tag appears; its commits sit under 23.0.0.0b1 and b2"}


# Evidence, fetched once per module


def fetched(project: str, version: str, patterns: tuple[str, ...]) -> Release:
    """The release, or a one-line failure naming the URL (failed outside the `except`: no chained trace)."""
    try:
        return release(project, version, patterns)
    except EvidenceUnavailable as error:
        problem = str(error)
    pytest.fail(problem, pytrace=False)


@pytest.fixture(scope="module")
def neutron() -> Release:
    return fetched("neutron", NEUTRON_RELEASE, ("ChangeLog", "releasenotes/notes/*.yaml"))


@pytest.fixture(scope="module")
def neutron_changelog(neutron: Release) -> ChangeLog:
    return parse_changelog(neutron.files["ChangeLog"])


@pytest.fixture(scope="module")
def neutron_notes(neutron: Release) -> list[ReleaseNote]:
    return parse_notes(neutron.files)


@pytest.fixture(scope="module")
def library() -> dict[tuple[str, str], Release]:
    """The library sdists of OPTION_EVIDENCE, by (project, version)."""
    return {
        (evidence.project, version): fetched(
            evidence.project, version, ("ChangeLog", evidence.module, "releasenotes/notes/*.yaml")
        )
        for evidence in OPTION_EVIDENCE.values()
        if isinstance(evidence, LibraryRemoval)
        for version in (evidence.last_with, evidence.first_without)
    }


# The claims


@dataclass(frozen=True)
class OptionClaim:
    option: str
    verdict: str
    release: str  # as history.py writes it: "Mitaka", "Newton (oslo.log)"

    @property
    def series(self) -> str:
        return self.release.partition(" (")[0]

    @property
    def project(self) -> str:
        return self.release.partition(" (")[2].rstrip(")") or "neutron"

    def __str__(self) -> str:
        return f"{self.option} {self.verdict} in {self.release}"


OPTION_CLAIMS = sorted(
    {OptionClaim(change.option, change.verdict, change.release) for change in OPTION_CHANGES}, key=str
)
WHERE = "l3ha_guide/config/history.py OPTION_CHANGES, shown on source/changes-since-liberty.md"


def claims_with(kind: type) -> list[OptionClaim]:
    return [claim for claim in OPTION_CLAIMS if isinstance(OPTION_EVIDENCE.get(claim.option), kind)]


def attributed_series(changelog: ChangeLog, evidence: NeutronCommit) -> str:
    """The series of the evidence commit's tag, after checking the tag is the one recorded."""
    found = attribution(changelog, evidence.subject)
    assert found.tag == evidence.tag, f"{evidence.subject!r} sits under {found.tag}, not {evidence.tag}"
    assert not found.gap, (
        f"{evidence.subject!r} sits under {found.tag} right after {found.previous_tag}: it may belong to"
        " a release whose tags the ChangeLog lacks"
    )
    return found.series


def test_neutron_changelog_has_every_release(neutron_changelog: ChangeLog) -> None:
    assert neutron_changelog.tags[0] == NEUTRON_RELEASE
    majors = {major(tag) for tag in neutron_changelog.tags} & set(NEUTRON_SERIES)
    assert majors == set(NEUTRON_SERIES) - set(MISSING_MAJORS)
    assert sum(len(subjects) for _, subjects in neutron_changelog.sections) > 15000


def test_series_numbering_matches_branch_commits(neutron_changelog: ChangeLog) -> None:
    """A stable branch's own commits sit under its major version; master's reno update under the next."""
    checked: set[str] = set()
    for tag, subjects in neutron_changelog.sections:
        for subject in subjects:
            same, following = SAME_SERIES_COMMIT.fullmatch(subject), NEXT_SERIES_COMMIT.fullmatch(subject)
            if not (same or following) or subject in BRANCH_COMMIT_EXCEPTIONS:
                continue
            branch = series_name(next(group for group in (same or following).groups() if group))
            if attribution(neutron_changelog, subject).gap:
                continue
            number = major(tag) - (1 if following else 0)
            listed = NEUTRON_SERIES.get(number)
            assert listed == branch, f"{subject!r} under {tag} makes {number} {branch}, not {listed}"
            checked.add(branch)
    unchecked = set(SERIES_ORDER) - checked
    assert unchecked == {"Zed"}, f"series not checked by a branch commit: {sorted(unchecked)}"


@pytest.mark.parametrize("claim", claims_with(NeutronCommit), ids=str)
def test_neutron_option_claim(claim: OptionClaim, neutron_changelog: ChangeLog) -> None:
    evidence = OPTION_EVIDENCE[claim.option]
    assert isinstance(evidence, NeutronCommit)
    series = attributed_series(neutron_changelog, evidence)
    assert (claim.project, claim.series) == ("neutron", series), (
        f"claim '{claim}' ({WHERE}) is wrong: {evidence.subject!r} sits under tag {evidence.tag} of"
        f" neutron {NEUTRON_RELEASE}'s ChangeLog, so the change came in {series} (neutron)"
    )


@pytest.mark.parametrize("claim", claims_with(LibraryRemoval), ids=str)
def test_library_option_claim(claim: OptionClaim, library: dict[tuple[str, str], Release]) -> None:
    evidence = OPTION_EVIDENCE[claim.option]
    assert isinstance(evidence, LibraryRemoval)
    before = library[evidence.project, evidence.last_with]
    after = library[evidence.project, evidence.first_without]
    assert defines_option(before.files[evidence.module], evidence.option), (
        f"{evidence.project} {evidence.last_with} does not define {evidence.option} in {evidence.module}"
    )
    assert not defines_option(after.files[evidence.module], evidence.option), (
        f"{evidence.project} {evidence.first_without} still defines {evidence.option} in {evidence.module}"
    )
    changelog = parse_changelog(after.files["ChangeLog"])
    assert changelog.tags[:2] == [evidence.first_without, evidence.last_with]
    removals = changelog.tags_of(evidence.subject)
    reverts = changelog.tags_of(f'Revert "{evidence.subject}"')
    assert removals and removals[0] == evidence.first_without, f"{evidence.subject!r} sits under {removals}"
    assert all(changelog.position(tag) > changelog.position(removals[0]) for tag in reverts)
    uploaded = after.entry.uploaded
    series = series_of_upload(uploaded)
    # Dating by upload holds for releases from master: the previous series had branched before it.
    branched = SERIES_ORDER[SERIES_ORDER.index(series) - 1]
    assert changelog.tags_of(f"Update reno for stable/{branched.lower()}"), (
        f"{evidence.project} {evidence.first_without}'s ChangeLog shows no stable/{branched.lower()} branch"
    )
    dates = ", ".join(f"{name} {day}" for name, day in SERIES_RELEASE_DATES.items())
    assert (claim.project, claim.series) == (evidence.project, series), (
        f"claim '{claim}' ({WHERE}) is wrong: {evidence.project} {evidence.last_with} still defines"
        f" {evidence.option!r} ({evidence.module}), {evidence.first_without} does not (ChangeLog:"
        f" {evidence.subject!r}, not reverted); {evidence.first_without} was uploaded {uploaded:%Y-%m-%d}"
        f" (series released {dates}), so it went in {series} ({evidence.project})"
    )


@pytest.mark.parametrize("claim", PROSE_CLAIMS, ids=lambda claim: claim.claim)
def test_prose_claim(claim: ProseClaim, neutron_changelog: ChangeLog) -> None:
    for page, words in claim.places:
        text = " ".join((PROJECT_ROOT / page).read_text(encoding="utf-8").split())
        assert words in text, f"{page} no longer says {words!r}: update PROSE_CLAIMS"
    series = attributed_series(neutron_changelog, claim.evidence)
    true, stated = SERIES_ORDER.index(series), SERIES_ORDER.index(claim.series)
    holds = true == stated if claim.relation == "in" else true > stated
    where = "; ".join(f"{page}: {words!r}" for page, words in claim.places) or "on no page"
    assert holds, (
        f"claim '{claim.claim}' ({where}) is wrong: {claim.evidence.subject!r} sits under tag"
        f" {claim.evidence.tag} of neutron {NEUTRON_RELEASE}'s ChangeLog, so it came in {series}"
    )


NOTED = [
    pytest.param(evidence, id=name)
    for name, evidence in [
        *((str(claim), OPTION_EVIDENCE.get(claim.option)) for claim in OPTION_CLAIMS),
        *((claim.claim, claim.evidence) for claim in PROSE_CLAIMS),
    ]
    if evidence is not None and evidence.note is not None
]


@pytest.mark.parametrize("evidence", NOTED)
def test_release_note_supports_claim(
    evidence: NeutronCommit | LibraryRemoval,
    neutron_notes: list[ReleaseNote],
    library: dict[tuple[str, str], Release],
) -> None:
    assert evidence.note is not None
    section, terms = evidence.note.section, evidence.note.terms
    if isinstance(evidence, NeutronCommit):
        found = notes_mentioning(neutron_notes, section, terms)
        assert found, f"no {section} note in neutron {NEUTRON_RELEASE} mentions {terms}"
        return
    before = parse_notes(library[evidence.project, evidence.last_with].files)
    after = parse_notes(library[evidence.project, evidence.first_without].files)
    assert notes_mentioning(after, section, terms), (
        f"no {section} note in {evidence.first_without} says {terms}"
    )
    assert not notes_mentioning(before, section, terms), f"{evidence.last_with} already has the note"


def test_every_claim_has_evidence() -> None:
    """A new row of OPTION_CHANGES needs evidence here; a missing check needs its reason in UNREACHABLE."""
    for claim in OPTION_CLAIMS:
        evidence = OPTION_EVIDENCE.get(claim.option)
        assert evidence is not None, f"no evidence for claim '{claim}' in OPTION_EVIDENCE"
        project = evidence.project if isinstance(evidence, LibraryRemoval) else "neutron"
        assert claim.project == project, f"claim '{claim}' names {claim.project}, its evidence is {project}'s"
        if evidence.note is None:
            assert f"{claim.option} {claim.verdict} in {claim.release}: release note" in UNREACHABLE
    for prose in PROSE_CLAIMS:
        assert prose.series in SERIES_ORDER, prose
        if prose.evidence.note is None:
            assert f"{prose.claim}: release note" in UNREACHABLE
