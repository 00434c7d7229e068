"""Japanese search that finds compounds: 名前空間, ネットワークノード, L3エージェント.

Sphinx indexes Japanese with TinySegmenter, which cuts 名前空間 into 名前 + 空間
and keeps HAルーター whole, while the browser looks a query up unsplit; so the
natural queries find nothing. Both sides here share one rule: a word is cut
into runs of one script (kanji, katakana, hiragana, other letters and digits).
The index gets every run of two or more characters besides TinySegmenter's
words; the browser splits the query into the same runs (the generated
`splitQuery` of japanese_search.js, served in language_data.js) and drops hiragana runs (particles and
okurigana), so 名前空間を確認 looks up 名前空間 and 確認.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search.ja import DefaultSplitter, SearchJapanese

# Same character classes as TinySegmenter (sphinx.search.ja); everything else is "other".
SCRIPT_CLASSES = {
    "kanji": "[一-龠々〆ヵヶ]",
    "katakana": "[ァ-ヴーｱ-ﾝﾞｰ]",
    "hiragana": "[ぁ-ん]",
}
SKIPPED_IN_QUERY = "hiragana"
_CLASS_PATTERNS = {name: re.compile(pattern) for name, pattern in SCRIPT_CLASSES.items()}
_SEPARATOR = re.compile(r"[^\w]+")


def script_of(character: str) -> str:
    for name, pattern in _CLASS_PATTERNS.items():
        if pattern.match(character):
            return name
    return "other"


def script_runs(text: str) -> list[tuple[str, str]]:
    """(script, run) for each run of characters of one script within a word."""
    return [
        (script, "".join(characters))
        for word in _SEPARATOR.split(text)
        for script, characters in itertools.groupby(word, key=script_of)
    ]


class ScriptRunSplitter(DefaultSplitter):
    """TinySegmenter's words plus every run of one script (2+ characters, not hiragana)."""

    def split(self, input: str) -> list[str]:
        runs = [run for script, run in script_runs(input) if script != SKIPPED_IN_QUERY and len(run) > 1]
        return [*super().split(input), *runs]


def query_splitter_js() -> str:
    """japanese_search.js with this module's script classes filled in."""
    template = (Path(__file__).with_name("japanese_search.js")).read_text(encoding="utf-8")
    return template.replace("__SCRIPT_CLASSES__", json.dumps(SCRIPT_CLASSES, ensure_ascii=False)).replace(
        "__SKIPPED_SCRIPT__", json.dumps(SKIPPED_IN_QUERY)
    )


class CompoundAwareJapanese(SearchJapanese):
    js_splitter_code = query_splitter_js()

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        if "type" not in options:  # a splitter chosen in html_search_options wins
            self.splitter = ScriptRunSplitter(options)


def setup(app: Sphinx) -> dict[str, object]:
    app.add_search_language(CompoundAwareJapanese)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
