"""`l3ha-guide i18n check` on catalogs broken one way at a time: each is reported at its msgstr line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from i18n_helpers import FIXTURE, FIXTURE_CATALOG

from l3ha_guide.cli import main
from l3ha_guide.i18n.command import missing_catalogs

PARAGRAPH = "Each network node keeps the HA router in a namespace, reached with `ip netns`."
FIXTURE_PAGE = "../../tests/i18n/fixture/source/index.md"


def run_check(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str]:
    status = main(["i18n", "check", *map(str, paths)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return status, captured.out + captured.err


def msgstr_line(path: Path, msgid: str) -> int:
    """The line of the msgstr that belongs to `msgid`, found by reading the file as text."""
    lines = [line.lstrip("#~ ") for line in path.read_text(encoding="utf-8").splitlines()]
    for start, line in enumerate(lines):
        if not line.startswith("msgid "):
            continue
        end = next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr"))
        parts = [lines[start].removeprefix("msgid "), *lines[start + 1 : end]]
        if "".join(polib.unescape(part.strip()[1:-1]) for part in parts) == msgid:
            return end + 1
    raise AssertionError(f"{msgid!r} is not in {path}")


def fence_line() -> int:
    lines = (FIXTURE / "source" / "index.md").read_text(encoding="utf-8").splitlines()
    return lines.index("```console") + 1


def add(msgid: str, msgstr: str, **options: object) -> Callable[[polib.POFile], str]:
    def edit(catalog: polib.POFile) -> str:
        options.setdefault("occurrences", [(FIXTURE_PAGE, "3")])
        catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr, **options))
        return msgid

    return edit


def retranslate(msgstr: str) -> Callable[[polib.POFile], str]:
    def edit(catalog: polib.POFile) -> str:
        catalog.find(PARAGRAPH).msgstr = msgstr
        return PARAGRAPH

    return edit


def mark_fuzzy(catalog: polib.POFile) -> str:
    catalog.find(PARAGRAPH).flags.append("fuzzy")
    return PARAGRAPH


BROKEN = {
    "untranslated": (retranslate(""), "untranslated: 'Each network node"),
    "fuzzy": (mark_fuzzy, "fuzzy entry 'Each network node"),
    "obsolete": (add("Old text", "古い文", obsolete=True), "obsolete entry 'Old text'"),
    "link dropped": (
        add("See [the lab](lab.md).", "ラボを参照。"),
        "link target(s) missing in msgstr: lab.md",
    ),
    "link added": (add("See the lab.", "[ラボ](lab.md)を参照。"), "link target(s) added in msgstr: lab.md"),
    "link target changed": (
        add("See [the lab](lab.md).", "[ラボ](labo.md)を参照。"),
        "link target(s) missing in msgstr: lab.md",
    ),
    "bare URL dropped": (
        add("Read https://docs.openstack.org/neutron/ first.", "まず公式文書を読みます。"),
        "link target(s) missing in msgstr: https://docs.openstack.org/neutron/",
    ),
    "role target changed": (
        add("Read {ref}`the lab <lab-setup>`.", "{ref}`ラボ <lab>`を参照。"),
        "role(s) missing in msgstr: {ref}`lab-setup`",
    ),
    "role dropped": (add("Read {doc}`lab`.", "ラボを参照。"), "role(s) missing in msgstr: {doc}`lab`"),
    "inline code changed": (
        retranslate("各ネットワークノードは HA ルーターを名前空間に置き、`ip netns exec` で確認できます。"),
        "inline code missing in msgstr: ip netns",
    ),
    "substitution dropped": (
        add("Neutron {{ release }} ships it.", "Neutron に含まれます。"),
        "substitution(s) missing in msgstr: {{ release }}",
    ),
    "placeholder dropped": (
        add("%(count)s agents", "エージェント"),
        "substitution(s) missing in msgstr: %(count)s",
    ),
    "unbalanced bold": (
        add("The **master** router answers.", "**マスタールーターが応答します。"),
        "`**` stays literal",
    ),
    "bold next to 「」 before Japanese": (
        add('The **"master"** router answers.', "**「マスター」**ルーターが応答します。"),
        "`**` stays literal (2x): CommonMark does not open or close `**` between punctuation",
    ),
    "bold dropped": (
        add("The **master** router answers.", "マスタールーターが応答します。"),
        "emphasis differs: msgid has 1 strong, msgstr has none",
    ),
    "unbalanced backtick": (
        retranslate("各ネットワークノードは HA ルーターを名前空間に置き、`ip netns で確認できます。"),
        "unbalanced backtick",
    ),
    "literal block changed": (
        add(
            "$ ip netns\nqrouter-1", "$ ip netns\nqrouter-2", occurrences=[(FIXTURE_PAGE, str(fence_line()))]
        ),
        "literal block differs from the source",
    ),
    "glossary term": (
        retranslate("各ネットワーク ノードは HA ルーターを名前空間に置き、`ip netns` で確認できます。"),
        "glossary: 'network node' is translated as 'ネットワークノード'",
    ),
    "address changed": (
        add("The gateway is 203.0.113.1.", "ゲートウェイは 203.0.113.2 です。"),
        "number(s) or address(es) missing in msgstr: 203.0.113.1",
    ),
    "prefix length changed": (
        add("It uses 169.254.192.0/18.", "169.254.192.0/16 を使います。"),
        "number(s) or address(es) missing in msgstr: 169.254.192.0/18",
    ),
    "digits swapped": (
        add("It takes about 6.8 s.", "約 8.6 秒かかります。"),
        "number(s) or address(es) added in msgstr: 8.6",
    ),
    "variant spelling": (
        add("The metadata proxy answers.", "メタデータプロキシが応答します。"),
        "style: write 'プロキシー', not 'プロキシ'",
    ),
    "middle dot": (
        add("Both interfaces are up.", "管理・トンネルの両インターフェースが動作しています。"),
        "style: no 中黒 between words (…管理・トンネルの両…)",
    ),
    "half-width comma": (
        add("First the agent, then the router.", "まずエージェント,次にルーターです。"),
        "style: ',' after Japanese text, write '、'",
    ),
    "plain-form ending": (
        add("The agent starts keepalived.", "エージェントは keepalived を起動する。"),
        "style: plain-form sentence ending",
    ),
    "English left untranslated": (
        add("The agent starts keepalived on every node.", "The agent starts keepalived on every node."),
        "English left untranslated 'The agent starts keepalived",
    ),
}


def test_the_fixture_catalog_passes(capsys: pytest.CaptureFixture[str]) -> None:
    status, output = run_check(capsys, FIXTURE_CATALOG)
    assert status == 0, output
    assert "1 catalog(s) checked, no problem" in output


@pytest.mark.parametrize(("edit", "expected"), BROKEN.values(), ids=BROKEN.keys())
def test_each_broken_translation_is_reported_at_its_msgstr(
    capsys: pytest.CaptureFixture[str],
    catalog: polib.POFile,
    edit: Callable[[polib.POFile], str],
    expected: str,
) -> None:
    msgid = edit(catalog)
    catalog.save()
    path = Path(catalog.fpath)
    status, output = run_check(capsys, path)
    assert status == 1, output
    line = msgstr_line(path, msgid)
    reported = [row for row in output.splitlines() if row.startswith(f"{path}:{line}: error: ")]
    assert any(expected in row for row in reported), f"wanted {expected!r} at line {line}:\n{output}"


@pytest.mark.parametrize(
    "edit",
    [
        add('The **"master"** router answers.', "「**マスター**」ルーターが応答します。"),
        add(
            "$ ip netns\nqrouter-1", "$ ip netns\nqrouter-1", occurrences=[(FIXTURE_PAGE, str(fence_line()))]
        ),
        add("Read {ref}`the lab <lab-setup>`.", "{ref}`ラボ <lab-setup>`を参照。"),
        add("Two network nodes.", "2 台のノード。", tcomment="glossary: ok, the sentence before names them"),
        add("It runs 20 daemons on 2 nodes.", "2 台のノードで 20 個のデーモンが動作します。"),
        add("Twenty-odd daemons.", "20 余りのデーモンです。", tcomment="style: ok, a number word"),
        add("Open vSwitch", "Open vSwitch"),
        add("Read the lab guide now.", "Read the lab guide now.", tcomment="untranslated: ok, a quotation"),
    ],
    ids=[
        "bold outside 「」",
        "literal block identical",
        "role text translated",
        "glossary exception",
        "same numbers, any order",
        "style exception",
        "a name stays",
        "untranslated on purpose",
    ],
)
def test_correct_translations_pass(
    capsys: pytest.CaptureFixture[str], catalog: polib.POFile, edit: Callable[[polib.POFile], str]
) -> None:
    edit(catalog)
    catalog.save()
    status, output = run_check(capsys, Path(catalog.fpath))
    assert status == 0, output


def test_a_directory_is_searched_for_catalogs(
    capsys: pytest.CaptureFixture[str], catalog: polib.POFile
) -> None:
    retranslate("")(catalog)
    nested = Path(catalog.fpath).parent / "ja" / "LC_MESSAGES" / "index.po"
    nested.parent.mkdir(parents=True)
    catalog.save(str(nested))
    status, output = run_check(capsys, Path(catalog.fpath).parent)
    assert status == 1
    assert f"{nested}:{msgstr_line(nested, PARAGRAPH)}: error: untranslated" in output


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ('msgid ""\nmsgstr ""\n\nmsgid "unterminated\nmsgstr "x"\n', 4, "malformed catalog: not a PO line"),
        ('msgid ""\nmsgstr ""\n\nmsgid "a"\n\nmsgid "b"\nmsgstr ""\n', 6, "malformed catalog"),
        ('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\nmsgstr_typo "c"\n', 6, "malformed catalog"),
    ],
    ids=["unterminated string", "msgid without msgstr", "unknown keyword"],
)
def test_a_malformed_catalog_is_an_error_with_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, line: int, expected: str
) -> None:
    path = tmp_path / "broken.po"
    path.write_text(text, encoding="utf-8")
    status, output = run_check(capsys, path)
    assert status == 1
    assert f"{path}:{line}: error: {expected}" in output, output


def test_a_catalog_that_is_not_utf8_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "latin1.po"
    path.write_bytes('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "é"\n'.encode("latin-1"))
    status, output = run_check(capsys, path)
    assert status == 1
    assert f"{path}:5: error: malformed catalog: not UTF-8" in output


def test_a_missing_path_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, output = run_check(capsys, tmp_path / "nowhere.po")
    assert status == 1
    assert "nowhere.po:0: error: no such file or directory" in output


def test_a_page_without_a_catalog_is_reported(tmp_path: Path) -> None:
    source, locale = tmp_path / "source", tmp_path / "locale"
    (source / "diagrams").mkdir(parents=True)
    (locale / "ja" / "LC_MESSAGES").mkdir(parents=True)
    for page in ("index", "failover"):
        (source / f"{page}.md").write_text(f"# {page}\n", encoding="utf-8")
    (source / "diagrams" / "note.md").write_text("not a page\n", encoding="utf-8")
    (locale / "ja" / "LC_MESSAGES" / "index.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    problems = missing_catalogs("ja", locale, source)
    assert problems == [
        f"{locale}/ja/LC_MESSAGES/failover.po:0: error: no catalog for the page source/failover.md:"
        " run `tox -e i18n`"
    ]


def test_a_template_header_is_reported_at_its_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "index.po"
    header = (
        '# SOME DESCRIPTIVE TITLE.\n#, fuzzy\nmsgid ""\nmsgstr ""\n'
        '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"\n'
    )
    body = FIXTURE_CATALOG.read_text(encoding="utf-8").split('msgstr ""\n', 1)[1]
    path.write_text(header + body, encoding="utf-8")
    status, output = run_check(capsys, path)
    assert status == 1
    assert f"{path}:1: error: the header still says 'SOME DESCRIPTIVE TITLE'" in output
    assert f"{path}:2: error: the header is marked fuzzy" in output
    assert f"{path}:5: error: the header still says 'FULL NAME'" in output
    assert f"{path}:5: error: the header still says 'EMAIL@ADDRESS'" in output
