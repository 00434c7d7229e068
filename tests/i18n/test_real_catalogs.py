"""The real catalogs pass the check, and the real Japanese manual's search finds compounds.

These run once every page of the manual has its catalog in locale/ja/LC_MESSAGES
(the translation task adds them with `tox -e i18n`); until then they are skipped
with the list of pages that lack one. The guard test fails as soon as some pages
have a catalog and others do not, so a finished translation cannot lose a page silently.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from i18n_helpers import search_results, serve

from l3ha_guide.cli import main
from l3ha_guide.docs import sphinx_command
from l3ha_guide.i18n import LOCALE_DIR
from l3ha_guide.i18n.stats import catalog_path, pages, pages_without_catalog

PAGES_WITHOUT_CATALOG = pages_without_catalog()
every_page_has_a_catalog = pytest.mark.skipif(
    bool(PAGES_WITHOUT_CATALOG),
    reason=f"translation not there yet; pages without a catalog: {', '.join(PAGES_WITHOUT_CATALOG)}",
)


def test_a_started_translation_covers_every_page() -> None:
    assert pages(), "the manual has no pages"
    translated = [page for page in pages() if page not in PAGES_WITHOUT_CATALOG]
    assert not translated or not PAGES_WITHOUT_CATALOG, (
        f"pages without a catalog: {PAGES_WITHOUT_CATALOG}; run `tox -e i18n`"
    )


@every_page_has_a_catalog
def test_the_real_catalogs_pass_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["i18n", "check", str(LOCALE_DIR)])
    output = capsys.readouterr()
    assert status == 0, output.out + output.err
    assert f"{len(pages())} catalog(s) checked, no problem" in output.err


@every_page_has_a_catalog
def test_the_catalogs_hold_the_messages_of_the_english_pages(tmp_path: Path) -> None:
    """A catalog not refreshed after an English edit would leave that text in English silently."""
    command = sphinx_command("en", "gettext", build_dir=tmp_path)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    stale = []
    for template in sorted((tmp_path / "gettext" / "en").glob("*.pot")):
        wanted = {entry.msgid for entry in polib.pofile(str(template))}
        held = {entry.msgid for entry in polib.pofile(str(catalog_path(template.stem))) if not entry.obsolete}
        if wanted != held:
            stale.append(f"{template.stem}: {len(wanted - held)} new, {len(held - wanted)} gone")
    assert stale == [], f"run `tox -e i18n`: {stale}"


@every_page_has_a_catalog
@pytest.mark.browser
@pytest.mark.parametrize("query", ["名前空間", "ネットワークノード"])
def test_the_japanese_manual_finds_compounds(built_manual: Path, chromium, query: str) -> None:
    with serve(built_manual / "ja") as base_url:
        found = search_results(chromium, base_url, query)
    assert found, f"searching the Japanese manual for {query} found nothing"
    for name in found:
        assert query in (built_manual / "ja" / name).read_text(encoding="utf-8"), name
