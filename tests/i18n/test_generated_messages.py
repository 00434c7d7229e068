"""The text the extensions generate (truth report, failover figures, benchmarks) is translated too."""

from __future__ import annotations

import polib
import pytest

from l3ha_guide.i18n.generated import extract
from l3ha_guide.sphinxext.messages import CATALOG, LOCALE_DIR, compile_catalogs

CATALOG_PATH = LOCALE_DIR / "ja" / "LC_MESSAGES" / f"{CATALOG}.po"


@pytest.fixture(scope="module")
def japanese() -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in polib.pofile(str(CATALOG_PATH))}


def test_every_generated_message_is_in_the_japanese_catalog_and_translated(japanese):
    messages = extract()
    assert len(messages) >= 20  # the truth report, the failover figures and the benchmarks
    missing = [message for message in messages if message not in japanese]
    assert not missing, f"run `tox -e i18n`, then translate in {CATALOG_PATH}: {missing}"
    untranslated = [m for m in messages if not japanese[m].msgstr or japanese[m].fuzzy]
    assert not untranslated, untranslated


def test_catalogs_compile_next_to_their_po_files(tmp_path):
    target = tmp_path / "ja" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / f"{CATALOG}.po").write_bytes(CATALOG_PATH.read_bytes())
    assert compile_catalogs(tmp_path) == [target / f"{CATALOG}.mo"]
    assert compile_catalogs(tmp_path) == []  # up to date: nothing to do


def test_the_japanese_truth_report_shows_translated_headers(built_manual, japanese):
    english = (built_manual / "en" / "truth-report.html").read_text(encoding="utf-8")
    page = (built_manual / "ja" / "truth-report.html").read_text(encoding="utf-8")
    for header in ("Example", "Host", "Command", "Status"):
        translated = japanese[header].msgstr
        assert f"<p>{header}</p></th>" in english
        assert f"<p>{translated}</p></th>" in page and f"<p>{header}</p></th>" not in page
