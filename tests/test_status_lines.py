"""Under every console and config block, in both languages, one status line that says what the truth
report says of that block, and links to its row there."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

LANGUAGES = ("en", "ja")


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _report_rows(report: BeautifulSoup) -> dict[str, str]:
    """Row anchor -> the text of the row's Status cell."""
    rows = {}
    for anchor in report.select('tr [id^="example-"]'):
        row = anchor.find_parent("tr")
        rows[anchor["id"]] = row.find_all("td")[-1].get_text(" ", strip=True)
    return rows


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_block_has_the_status_of_its_report_row(built_manual: Path, language: str) -> None:
    rows = _report_rows(_soup(built_manual / language / "truth-report.html"))
    assert len(rows) > 50, "the truth report has no example rows"
    shown = 0
    for page in sorted((built_manual / language).glob("*.html")):
        if page.name == "truth-report.html":
            continue
        for container in _soup(page).select("div.console-block-container, div.config-block-container"):
            lines = container.select("p.example-status")
            assert len(lines) == 1, f"{language}/{page.name}: {len(lines)} status lines under a block"
            link = lines[0].find("a")
            target, _, anchor = link["href"].partition("#")
            assert target == "truth-report.html" and anchor in rows, f"{page.name}: {link['href']}"
            # The line may add the software versions to a verified status; it never says something else.
            assert link.get_text(" ", strip=True).startswith(rows[anchor]), f"{page.name}: {anchor}"
            shown += 1
    assert shown == len(rows), f"{len(rows)} examples in the report, {shown} status lines on the pages"
