"""Japanese search finds compounds the default splitter cuts apart (名前空間) or keeps whole (HAルーター).

Proven in Debian's chromium on the search page of a built Japanese project:
the fixture now, the real manual once every page has its translation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from i18n_helpers import search_results
from page_server import serve
from sphinx.search.ja import DefaultSplitter

from l3ha_guide.sphinxext.japanese_search import ScriptRunSplitter

QUERIES = ["名前空間", "ネットワークノード", "名前空間に置き", "HA ルーター"]


def index_terms(html: Path) -> set[str]:
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return set(index["terms"]) | set(index["titleterms"])


def test_the_default_splitter_cuts_the_compound_apart() -> None:
    """The cause: without the fix the index holds 名前 and 空間, never 名前空間."""
    assert DefaultSplitter({}).split("名前空間") == ["名前", "空間"]


def test_the_index_splitter_adds_script_runs() -> None:
    words = ScriptRunSplitter({}).split("各ネットワークノードの名前空間に HAルーター と network1")
    assert {"名前", "空間", "名前空間", "ネットワークノード", "HA", "ルーター", "network1"} <= set(words)
    assert "の" not in words[-6:], "hiragana runs are not added"


def test_the_built_index_holds_the_compounds(fixture_html_ja: Path) -> None:
    assert {"名前空間", "ネットワークノード", "ルーター"} <= index_terms(fixture_html_ja)


@pytest.mark.browser
def test_the_browser_finds_compounds_in_the_fixture(fixture_html_ja: Path, chromium) -> None:
    with serve(fixture_html_ja) as base_url:
        for query in QUERIES:
            assert search_results(chromium, base_url, query) == ["index.html"], query
        assert search_results(chromium, base_url, "存在しない用語") == [], "a missing word must find nothing"
