"""The real catalogs: every page has one, it holds the page's messages and passes the check;
and the search of the real Japanese manual finds compounds.

No gate: the catalogs are in the repository, so these always run. The check
fails until the last page is translated, and afterwards on any regression.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from i18n_helpers import search_results
from page_server import serve

from l3ha_guide.cli import main
from l3ha_guide.docs import sphinx_command
from l3ha_guide.i18n.stats import catalog_path, pages


def test_the_real_catalogs_pass_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    """Without a PATH the check covers locale/ and needs a catalog for every page."""
    assert pages(), "the manual has no pages"
    status = main(["i18n", "check"])
    output = capsys.readouterr()
    assert status == 0, output.out + output.err
    # one catalog per page, one for the generated text (truth report, figures, benchmarks)
    # and one for the site chrome that Sphinx's own ja catalog lacks (sphinx.po)
    assert f"{len(pages()) + 2} catalog(s) checked, no problem" in output.err


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


@pytest.mark.browser
@pytest.mark.parametrize("query", ["名前空間", "ネットワークノード"])
def test_the_japanese_manual_finds_compounds(built_manual: Path, chromium, query: str) -> None:
    with serve(built_manual / "ja") as base_url:
        found = search_results(chromium, base_url, query)
    assert found, f"searching the Japanese manual for {query} found nothing"
    for name in found:
        assert query in (built_manual / "ja" / name).read_text(encoding="utf-8"), name
