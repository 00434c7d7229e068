"""The catalogs round-trip through translation tools without whole-file diffs.

Weblate reads and writes PO files with translate-toolkit; with line wrapping
turned off, as translating.md tells, a save changes only what a translator
changed. A tool that wraps lines anyway is undone by `l3ha-guide i18n unwrap`,
which `tox -e i18n` runs.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import polib
import pytest
from translate.storage import pypo

from l3ha_guide.cli import main
from l3ha_guide.i18n import LOCALE_DIR
from l3ha_guide.i18n.layout import entries_of

CATALOGS = sorted(LOCALE_DIR.glob("ja/LC_MESSAGES/*.po"))
NO_WRAPPING = -1  # translate-toolkit's width for Weblate's "no line wrapping"


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


@pytest.mark.parametrize("path", CATALOGS, ids=[path.name for path in CATALOGS])
def test_a_platform_save_without_wrapping_changes_nothing(path: Path) -> None:
    raw = path.read_bytes()
    assert bytes(pypo.pofile(raw, width=NO_WRAPPING)) == raw


def test_a_translation_edited_on_a_platform_changes_one_line_and_keeps_the_comments() -> None:
    path = LOCALE_DIR / "ja/LC_MESSAGES/lab.po"
    raw = path.read_bytes()
    store = pypo.pofile(raw, width=NO_WRAPPING)
    commented = next(unit for unit in store.units if "style: ok" in unit.getnotes("translator"))
    commented.target = commented.target + " (改訂)"
    after = bytes(store)
    changed = changed_lines(raw, after)
    assert len(changed) == 2 and changed[0].startswith("-msgstr ") and changed[1].endswith(' (改訂)"')
    assert b"# style: ok, the English writes twenty-odd in words" in after


def test_unwrap_restores_a_wrapped_catalog_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = LOCALE_DIR / "ja/LC_MESSAGES/failover.po"
    copy = tmp_path / "failover.po"
    wrapped = polib.pofile(str(original), wrapwidth=76)
    wrapped.save(str(copy))
    assert len(changed_lines(original.read_bytes(), copy.read_bytes())) > 20  # a whole-file diff
    assert main(["i18n", "unwrap", str(tmp_path)]) == 0
    assert copy.read_bytes() == original.read_bytes()
    assert f"{copy}: one line per message again" in capsys.readouterr().out
    assert entries_of(polib.pofile(str(copy))) == entries_of(polib.pofile(str(original)))
    # Already in layout: nothing is written.
    assert main(["i18n", "unwrap", str(copy)]) == 0 and capsys.readouterr().out == ""


def test_unwrap_reports_a_broken_catalog_and_leaves_it_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.po"
    text = 'msgid ""\nmsgstr ""\n\nmsgid "unterminated\nmsgstr "x"\n'
    broken.write_text(text, encoding="utf-8")
    shutil.copy(LOCALE_DIR / "ja/LC_MESSAGES/index.po", tmp_path / "index.po")
    assert main(["i18n", "unwrap", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert f"{broken}:4: error: malformed catalog" in captured.err and "Traceback" not in captured.err
    assert broken.read_text(encoding="utf-8") == text
