"""The "Changes since Liberty" table is true: the validator gives each row's verdict on the
reference's Liberty blocks, and the page shows exactly the rows of the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.config import history
from l3ha_guide.config.findings import Finding
from l3ha_guide.config.schema import release_schema
from l3ha_guide.config.validate import validate

LIBERTY = Path(__file__).parent / "data" / "liberty"
PAGE = PROJECT_ROOT / "source" / "changes-since-liberty.md"


@pytest.fixture(scope="module")
def liberty_findings() -> list[Finding]:
    return validate([LIBERTY])


def occurrences(relative: str, key: str, value: str | None = None) -> list[tuple[str, int]]:
    """(path as the validator shows it, line) of every `key = ...` in the Liberty data's copies of a file."""
    found = []
    for path in sorted(LIBERTY.glob(f"*/etc/neutron/{relative}")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            name, _, rest = line.partition("=")
            if name.strip() == key and (value is None or rest.strip() == value):
                found.append((str(path), number))
    return found


def findings_at(findings: list[Finding], path: str, line: int) -> list[Finding]:
    return [
        f for f in findings if f.location.path.endswith(path.split("/data/")[-1]) and f.location.line == line
    ]


@pytest.mark.parametrize("change", history.OPTION_CHANGES, ids=lambda c: f"{c.file}:{c.option}")
def test_option_row_verdict(liberty_findings: list[Finding], change: history.OptionChange) -> None:
    places = occurrences(change.file, change.option)
    assert places, f"the Liberty data has no {change.option} in {change.file}"
    for path, line in places:
        found = findings_at(liberty_findings, path, line)
        if change.verdict == "removed" or change.option == "nova_metadata_ip":
            expected = [
                f
                for f in found
                if f.severity == "error" and f"{change.verdict} in {change.release}" in f.message
            ]
        else:  # renamed, old name still accepted: a warning naming the replacement and the release
            expected = [f for f in found if f.severity == "warning" and change.release in f.message]
        assert expected, f"{path}:{line}: got {[str(f) for f in found]}"


@pytest.mark.parametrize("change", history.OPTION_CHANGES, ids=lambda c: f"{c.file}:{c.option}")
def test_option_row_agrees_with_the_schema(change: history.OptionChange) -> None:
    file_schema = release_schema().for_path("etc/neutron/" + change.file)
    assert file_schema is not None
    assert file_schema.sections_with(change.option) == [], f"{change.option} still exists in neutron 29.0.0"
    still_accepted = (change.section, change.option) in file_schema.deprecated
    assert still_accepted == (change.verdict == "renamed" and change.option == "tenant_network_types")


@pytest.mark.parametrize("change", history.VALUE_CHANGES, ids=lambda c: c.option)
def test_value_row_verdict(liberty_findings: list[Finding], change: history.ValueChange) -> None:
    places = [place for file in ("l3_agent.ini", "dhcp_agent.ini", "plugins/ml2/openvswitch_agent.ini")
              for place in occurrences(file, change.option, change.old_value)]  # fmt: skip
    assert places
    for path, line in places:
        warnings = [f for f in findings_at(liberty_findings, path, line) if f.severity == "warning"]
        assert any("still loads" in f.message for f in warnings), (path, line)


def test_liberty_data_has_no_other_errors(liberty_findings: list[Finding]) -> None:
    """Every error on the Liberty blocks is explained by a row of the table."""
    options = {change.option for change in history.OPTION_CHANGES}
    unexplained = [
        str(finding)
        for finding in liberty_findings
        if finding.severity == "error" and not any(f"] {option} " in finding.message for option in options)
    ]
    assert unexplained == []
    assert sum(finding.severity == "error" for finding in liberty_findings) >= len(history.OPTION_CHANGES)


def page_tables() -> list[list[list[str]]]:
    """Each table of the page as rows of cell texts (header row first)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(PAGE.read_text())
    tables: list[list[list[str]]] = []
    inside = False
    for token in tokens:
        if token.type in ("table_open", "table_close"):
            inside = token.type == "table_open"
            if inside:
                tables.append([])
        elif inside and token.type == "tr_open":
            tables[-1].append([])
        elif inside and token.type == "inline":
            tables[-1][-1].append(token.content)
    return tables


def table_with(header: str) -> list[list[str]]:
    for table in page_tables():
        if header in table[0]:
            return table[1:]
    raise AssertionError(f"no table with a {header!r} column on {PAGE}")


def test_page_option_rows_match_the_data() -> None:
    rows = table_with("Liberty option")
    for change in history.OPTION_CHANGES:
        matching = [row for row in rows if f"`{change.option}`" == row[1] and f"`{change.file}`" in row[0]]
        assert matching, f"no row for {change.file} {change.option}"
        assert f"{change.verdict} in {change.release}" in matching[0][2]
    data_options = {f"`{change.option}`" for change in history.OPTION_CHANGES}
    assert {row[1] for row in rows} == data_options


def test_page_value_rows_match_the_data() -> None:
    rows = table_with("Liberty value")
    for change in history.VALUE_CHANGES:
        assert any(row[1] == f"`{change.option}`" and row[2] == f"`{change.old_value}`" for row in rows)
    assert len(rows) == len(history.VALUE_CHANGES)


def test_page_command_rows_match_the_data() -> None:
    rows = table_with("Liberty command")
    assert [(row[0], row[1]) for row in rows] == [
        (f"`{change.liberty}`", change.page_cell) for change in history.COMMAND_CHANGES
    ]
