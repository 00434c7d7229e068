"""The glossary file loads, and terms match the way translators expect."""

from __future__ import annotations

from pathlib import Path

import pytest

from l3ha_guide.i18n import GLOSSARY_FILE
from l3ha_guide.i18n.glossary import GlossaryError, load_glossary, violations
from l3ha_guide.i18n.markup import read_markup
from l3ha_guide.i18n.style import StyleError, load_style


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(GLOSSARY_FILE)


def test_the_glossary_holds_the_reference_terms(glossary) -> None:
    agreed = {term.english: term.japanese for term in glossary}
    assert agreed["network node"] == ("ネットワークノード",)
    assert agreed["namespace"] == ("名前空間",)
    assert agreed["floating IP"] == ("Floating IP",)
    assert agreed["master router"] == ("マスタールーター",)
    assert agreed["backup router"] == ("バックアップルーター",)


@pytest.mark.parametrize(
    ("msgid", "msgstr", "violated"),
    [
        ("Both Network Nodes run it.", "両方のネットワークノードで動きます。", []),
        ("The namespaces of the routers.", "ルーターの名前空間。", []),
        ("The namespaces of the routers.", "ルーターのネームスペース。", ["namespace"]),
        ("Set `namespace` here.", "ここで `namespace` を設定します。", []),
        ("See [the namespace page](namespaces.md).", "[名前空間のページ](namespaces.md)を参照。", []),
        ("Attach a floating IP.", "フローティング IP を割り当てます。", ["floating IP"]),
        ("The master router fails.", "マスタールーターが故障します。", []),
        ("The master router fails.", "主ルーターが故障します。", ["master router"]),
    ],
)
def test_terms_in_the_prose_need_the_agreed_japanese(glossary, msgid: str, msgstr: str, violated) -> None:
    prose = read_markup(msgid).prose
    assert [term.english for term in violations(glossary, prose, msgstr)] == violated


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "terms:\n  network node: [unclosed\n",
            "glossary.yaml:3: error: malformed glossary: while parsing a flow sequence: expected ',' or ']'",
        ),
        ("- just a list\n", "glossary.yaml:1: error: the glossary needs a `terms:` mapping"),
        ("terms:\n  network node: 42\n", "glossary term 'network node' needs a Japanese string or list"),
    ],
)
def test_a_bad_glossary_is_an_error_with_its_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as raised:
        load_glossary(path)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("variants: [unclosed\n", "style.yaml:2: error: malformed style file"),
        ("- just a list\n", "style.yaml:1: error: the style file needs a `variants:` mapping"),
        ("variants:\n  'プロキシ(?!ー': プロキシー\n", "variant 'プロキシ(?!ー' is not a regular expression"),
    ],
)
def test_a_bad_style_file_is_an_error_with_its_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "style.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StyleError) as raised:
        load_style(path)
    assert message in str(raised.value)
