"""The manual as PDF (`tox -e pdf`, as README.md writes it): text, fonts, outline, links, layout, diagrams.

poppler-utils reads the PDFs (pdftotext, pdffonts, pdfimages; installed by the
test as `l3ha-guide system install pdf-tests` would), pypdf their outline and
links. What the pages must hold comes from the HTML manual built from the same
sources: each page's title, and facts of the scenario from the topology.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from reader_shell import documented, failure_message, run_as_reader

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.docs import sphinx_command
from l3ha_guide.pdf import FONTS, MARGIN, pdf_path
from l3ha_guide.system import install as install_system_packages
from l3ha_guide.topology import load as load_topology

PDF_COMMAND = "tox -e pdf"
LANGUAGES = ("en", "ja")
MM = 72 / 25.4  # points per millimetre
# Kinsoku: characters that never begin a line of Japanese text.
NO_LINE_START = "。、）」』】，．・：；？！"


@pytest.fixture(scope="module")
def pdfs(built_manual: Path) -> dict[str, Path]:
    install_system_packages(["pdf-tests"])
    assert documented(PDF_COMMAND, PROJECT_ROOT / "README.md")
    result = run_as_reader(PDF_COMMAND)
    assert result.returncode == 0, failure_message(PDF_COMMAND, result)
    assert re.search(r"pdf: print en done in [\d.]+ s", result.stdout), "no progress per phase"
    return {language: pdf_path(language) for language in LANGUAGES}


def pdftotext(pdf: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def squeezed(text: str) -> str:
    """Without whitespace: the PDF breaks lines where the HTML does not."""
    return re.sub(r"\s+", "", text)


def page_titles(built_manual: Path, language: str) -> dict[str, str]:
    titles = {}
    for page in sorted((built_manual / language).glob("*.html")):
        if page.stem in ("genindex", "search"):
            continue
        heading = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("h1")
        if heading:
            titles[page.stem] = heading.get_text().replace("#", "").replace("¶", "").strip()
    return titles


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_and_the_key_facts_are_in_the_pdf(
    pdfs: dict[str, Path], built_manual: Path, language: str
) -> None:
    text = squeezed(pdftotext(pdfs[language]))
    titles = page_titles(built_manual, language)
    assert len(titles) > 10
    missing = [title for title in titles.values() if squeezed(title) not in text]
    assert not missing, f"{language} PDF lacks the pages titled {missing}"
    topology = load_topology()
    addresses = [address for host in topology.hosts.values() if (address := host.address_on("management"))]
    options = ["l3_ha", "max_l3_agents_per_router", "l3_ha_net_cidr", "ha_vrrp_advert_int"]
    assert addresses and all(address in text for address in addresses), addresses
    assert all(option in text for option in options)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_title_page_names_the_release_and_the_last_lab_run(pdfs: dict[str, Path], language: str) -> None:
    first_page = pdftotext(pdfs[language], "-f", "1", "-l", "1")
    assert "29.0.0" in first_page
    catalog = polib.pofile(str(PROJECT_ROOT / "locale" / "ja" / "LC_MESSAGES" / "generated.po"))
    never = "No lab run has verified the examples of this edition yet."
    never = catalog.find(never).msgstr if language == "ja" else never
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", first_page) or squeezed(never) in squeezed(first_page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_font_is_embedded_and_japanese_has_its_own(pdfs: dict[str, Path], language: str) -> None:
    rows = subprocess.run(
        ["pdffonts", str(pdfs[language])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert rows, "pdffonts lists no font"
    fonts = [(row.split()[0], row) for row in rows]
    not_embedded = [row for _, row in fonts if row.split()[-5] != "yes"]
    assert not not_embedded, not_embedded
    assert not [row for _, row in fonts if "Type 3" in row], "fonts printed as unnamed Type 3 glyphs"
    if language in FONTS:
        family = FONTS[language][0].replace(" ", "")
        assert any(family in name for name, _ in fonts), f"no {family} in the {language} PDF"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_outline_lists_every_chapter(pdfs: dict[str, Path], built_manual: Path, language: str) -> None:
    from pypdf import PdfReader

    def titles(entries: list) -> Iterator[str]:
        for entry in entries:
            if isinstance(entry, list):
                yield from titles(entry)
            else:
                yield entry.title

    outline = {squeezed(title) for title in titles(PdfReader(pdfs[language]).outline)}
    chapters = page_titles(built_manual, language).values()
    missing = [chapter for chapter in chapters if squeezed(chapter) not in outline]
    assert not missing, f"the {language} outline lacks {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_internal_links_lead_to_pages_of_the_pdf(pdfs: dict[str, Path], language: str) -> None:
    from pypdf import PdfReader

    reader = PdfReader(pdfs[language])
    destinations = reader.named_destinations
    links = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots", []) or []
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    internal = [link["/Dest"] for link in links if "/Dest" in link]
    assert len(internal) > 50, f"only {len(internal)} internal links in the {language} PDF"
    dangling = [str(name) for name in internal if isinstance(name, str) and name not in destinations]
    assert not dangling, dangling[:10]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_runs_past_the_text_area(pdfs: dict[str, Path], language: str) -> None:
    layout = pdftotext(pdfs[language], "-bbox-layout")
    margin = {side: float(value.removesuffix("mm")) * MM for side, value in MARGIN.items()}
    slack = 1.0
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', layout, re.DOTALL)
    assert len(pages) > 20
    outside = []
    for number, (width, height, content) in enumerate(pages, start=1):
        for x_min, y_min, x_max, y_max, words in re.findall(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
            content,
            re.DOTALL,
        ):
            text = " ".join(re.findall(r">([^<]*)</word>", words))
            if re.fullmatch(r"\d+ / \d+", text):
                continue  # the page number, in the bottom margin by design
            if (
                float(x_min) < margin["left"] - slack
                or float(x_max) > float(width) - margin["right"] + slack
                or float(y_min) < margin["top"] - slack
                or float(y_max) > float(height) - margin["bottom"] + slack
            ):
                outside.append(f"page {number}: {text[:60]}")
    assert not outside, outside[:10]


@pytest.mark.parametrize("language", LANGUAGES)
def test_diagrams_are_vector_graphics_with_text(pdfs: dict[str, Path], language: str) -> None:
    images = subprocess.run(
        ["pdfimages", "-list", str(pdfs[language])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert not images, f"raster images in the {language} PDF: {images[:5]}"
    text = squeezed(pdftotext(pdfs[language]))
    # A label of the scenario diagram, as the page shows it in this language.
    label = "Network nodes" if language == "en" else "ネットワークノード"
    assert label in text or squeezed(label) in text


def test_japanese_lines_follow_kinsoku(pdfs: dict[str, Path]) -> None:
    lines = [line.strip() for line in pdftotext(pdfs["ja"]).splitlines() if line.strip()]
    assert sum(line.count("。") for line in lines) > 100, "too little Japanese text to judge"
    starting = [line for line in lines if line[0] in NO_LINE_START]
    assert not starting, starting[:10]


@pytest.mark.parametrize("language", LANGUAGES)
def test_tabs_are_printed_one_after_the_other(pdfs: dict[str, Path], language: str) -> None:
    text = squeezed(pdftotext(pdfs[language]))
    for command in ("$openstackroutercreate--hademo-router", "$neutronrouter-create--hatruedemo-router"):
        assert command.lower() in text.lower(), f"{command} is not in the {language} PDF"


def test_a_missing_font_fails_with_the_package_to_install(pdfs: dict[str, Path], tmp_path: Path) -> None:
    """With no font that fontconfig knows of, the build stops before printing and names the package."""
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path}</cachedir></fontconfig>\n')
    command = [str(PROJECT_ROOT / ".tox" / "pdf" / "bin" / "l3ha-guide"), "pdf", "ja"]
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "FONTCONFIG_FILE": str(config)}
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"install {FONTS['ja'][1]}" in result.stderr and "Traceback" not in result.stderr


def test_a_broken_diagram_fails_the_print_edition_with_file_and_line(
    built_manual: Path, tmp_path: Path
) -> None:
    # built_manual: the README's build command has installed Mermaid's CLI and Chromium by now.
    source = tmp_path / "source"
    shutil.copytree(PROJECT_ROOT / "source", source)
    diagram = source / "diagrams" / "hardware-layout.mmd"
    diagram.write_text(diagram.read_text(encoding="utf-8") + "\n  this is not --> mermaid -->\n")
    command = sphinx_command("en", "singlehtml")
    command[-2:] = [str(source), str(tmp_path / "singlehtml")]
    command[command.index("-d") + 1] = str(tmp_path / "doctrees")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert re.search(r"\.md:\d+: WARNING: diagram not drawn", output), output[-2000:]
    assert "Parse error" in output  # Mermaid's own message
