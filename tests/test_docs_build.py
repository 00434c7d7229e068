"""The manual builds in both languages with no warning, and bad markup fails with file and line."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.docs import sphinx_command
from l3ha_guide.sphinxext.site_chrome import SITE_TITLE
from l3ha_guide.sphinxext.theme_labels import FURO_ARIA_LABELS, FURO_ICON_TITLES


def test_both_languages_built(built_manual: Path) -> None:
    for language in ("en", "ja"):
        index = built_manual / language / "index.html"
        assert index.is_file(), f"{index} was not built"
        assert f'lang="{language}"' in index.read_text(encoding="utf-8")


def test_diagrams_are_svg_files_not_cdn_scripts(built_manual: Path) -> None:
    html = (built_manual / "en" / "index.html").read_text(encoding="utf-8")
    assert 'type="image/svg+xml"' in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("```{diagram} diagrams/no-such.mmd\n```\n", "diagram file not found: diagrams/no-such.mmd"),
        ("```{diagram} diagrams/hardware-layout.mmd\n```\n", "a diagram needs :alt:"),
        ("See [the lab](no-such-page.md).\n", "no-such-page"),
        ("```{no-such-directive}\nbody\n```\n", "no-such-directive"),
        ("```{config-block} /etc/neutron/neutron.conf\n[DEFAULT]\n```\n", "add ':roles:'"),
    ],
)
def test_bad_markup_fails_with_file_and_line(tmp_path: Path, markup: str, message: str) -> None:
    source = tmp_path / "source"
    shutil.copytree(PROJECT_ROOT / "source", source)
    page = source / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + markup, encoding="utf-8")
    line = page.read_text(encoding="utf-8").count("\n") - markup.count("\n") + 1
    command = sphinx_command("en")
    command[-2:] = [str(source), str(tmp_path / "html")]
    command[command.index("-d") + 1] = str(tmp_path / "doctrees")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert message in output
    assert f"index.md:{line}" in output, output


def test_site_chrome_is_in_the_page_language(built_manual: Path) -> None:
    """Every page's lang attribute, and the site title in its <title> and sidebar, in its language."""
    catalog = polib.pofile(str(PROJECT_ROOT / "locale/ja/LC_MESSAGES/generated.po"))
    titles = {"en": SITE_TITLE, "ja": catalog.find(SITE_TITLE).msgstr}
    assert titles["ja"] and titles["ja"] != SITE_TITLE, "the site title has no Japanese translation"
    for language, title in titles.items():
        pages = sorted((built_manual / language).glob("*.html"))
        assert len(pages) > 10
        for page in pages:
            html = page.read_text(encoding="utf-8")
            assert re.search(rf"<html [^>]*\blang=\"{language}\"", html), f"{page}: wrong or missing lang"
            assert re.search(rf"<title>([^<]* - )?{re.escape(title)}</title>", html), f"{page}: <title>"
            assert f'sidebar-brand-text">{title}<' in html, f"{page}: sidebar title"


def test_every_diagram_is_an_image_with_its_alt_text_as_label(built_manual: Path) -> None:
    """Screen readers announce role="img" with aria-label; the Japanese label is the translated :alt:."""
    labels: dict[str, list[str]] = {}
    for language in ("en", "ja"):
        for page in sorted((built_manual / language).glob("*.html")):
            html = page.read_text(encoding="utf-8")
            objects = re.findall(r'<object [^>]*type="image/svg\+xml"[^>]*>', html)
            for tag in objects:
                label = re.search(r' aria-label="([^"]+)"', tag)
                assert ' role="img"' in tag and label, f"{page}: {tag}"
                labels.setdefault(language, []).append(label[1])
    assert len(labels["en"]) == len(labels["ja"]) >= 10
    untranslated = [label for label in labels["ja"] if label in labels["en"]]
    assert not untranslated, f"Japanese diagrams labelled in English: {untranslated}"


def test_japanese_chrome_has_no_english_label(built_manual: Path) -> None:
    """Tooltips, ARIA labels and icon titles of the ja pages are Japanese: locale/ja/LC_MESSAGES/sphinx.po
    adds what Sphinx's own ja catalog lacks, and what Furo writes in English (theme_labels.py)."""
    labels: set[str] = set()
    english: dict[str, set[str]] = {}
    pattern = r'(?:title|aria-label)="([^"]*)"|<title>([^<]*)</title>'
    for page in sorted((built_manual / "ja").glob("*.html")):
        for match in re.finditer(pattern, page.read_text(encoding="utf-8")):
            value = match[1] or match[2] or ""
            labels.add(value)
            if re.search(r"[A-Za-z]{3}", value) and not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", value):
                english.setdefault(value, set()).add(page.name)
    assert not english, english
    catalog = polib.pofile(str(PROJECT_ROOT / "locale" / "ja" / "LC_MESSAGES" / "sphinx.po"))
    for label in ("Link to this heading", "Language", *FURO_ARIA_LABELS, *FURO_ICON_TITLES):
        entry = catalog.find(label)
        assert entry and entry.msgstr in labels, f"{label!r} is not on the ja pages in Japanese"
