"""`l3ha-guide pdf [LANG...]`: the manual as PDF, build/pdf/l3ha-guide-LANG.pdf, English and Japanese.

The same sources, catalogs and diagrams as the HTML manual. Sphinx's singlehtml
builder writes each language's print edition on one page
(build/singlehtml/LANG; see sphinxext/print_edition.py), and Debian's chromium,
driven by Playwright (the `pdf` extra), prints it: A4, page numbers, an
outline (bookmarks) from the headings, internal links, the diagrams as vector
graphics with their text, the fonts embedded (BIZ UDPGothic for Japanese),
text that can be searched and copied.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.docs import (
    BUILD_DIR,
    LANGUAGES,
    add_languages_argument,
    chosen_languages,
    ensure_mermaid_cli,
    run_sphinx,
)
from l3ha_guide.errors import UserError
from l3ha_guide.extras import require
from l3ha_guide.progress import Progress
from l3ha_guide.system import install as install_system_packages

BUILDER = "singlehtml"
# The font each language's print styles name (sphinxext/static/print_edition.css), and its package.
FONTS = {"ja": ("BIZ UDPGothic", "fonts-morisawa-bizud-gothic")}
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
FOOTER = (
    '<div style="width:100%;font-size:8pt;text-align:center;color:#555">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def pdf_path(language: str, build_dir: Path = BUILD_DIR) -> Path:
    return build_dir / "pdf" / f"l3ha-guide-{language}.pdf"


def check_fonts(languages: tuple[str, ...]) -> None:
    """Chromium would print the text with whatever font is at hand, or as empty boxes: refuse first."""
    for language in languages:
        if language not in FONTS:
            continue
        family, package = FONTS[language]
        found = subprocess.run(["fc-list", family, "family"], capture_output=True, text=True, check=False)
        if family not in found.stdout:
            raise UserError(
                f"the {language} PDF needs the font {family}, which fontconfig does not find: "
                f"install {package} (`l3ha-guide system install docs` as root)"
            )


def print_edition(language: str, build_dir: Path = BUILD_DIR) -> Path:
    return build_dir / BUILDER / language / "index.html"


def print_pdf(browser: object, source: Path, target: Path) -> None:
    """Print one language's print edition with the browser's PDF backend."""
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(source.resolve().as_uri(), wait_until="load")
        page.emulate_media(media="print")
        page.wait_for_function("document.fonts.status === 'loaded'")
        target.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(target),
            format="A4",
            margin=MARGIN,
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            outline=True,
            tagged=True,
        )
    finally:
        page.close()


def make_pdfs(
    languages: tuple[str, ...] = LANGUAGES,
    root: Path = PROJECT_ROOT,
    build_dir: Path = BUILD_DIR,
    progress: Progress | None = None,
) -> list[Path]:
    """The print editions of the project at `root`, printed: build_dir/pdf/l3ha-guide-LANG.pdf."""
    from l3ha_guide.browser import launch_chromium

    progress = progress or Progress("pdf")
    with progress.phase("sphinx singlehtml " + " + ".join(languages)):
        run_sphinx(languages, root=root, build_dir=build_dir, builder=BUILDER)
    written = []
    with launch_chromium() as browser:
        for language in languages:
            with progress.phase(f"print {language}"):
                print_pdf(browser, print_edition(language, build_dir), pdf_path(language, build_dir))
            written.append(pdf_path(language, build_dir))
    return written


def build(languages: tuple[str, ...] = LANGUAGES) -> list[Path]:
    require("pdf", "`pdf` (printing with Chromium through Playwright)")
    progress = Progress("pdf")
    with progress.phase("system packages"):
        install_system_packages(["docs"])
    with progress.phase("fonts"):
        check_fonts(languages)
    with progress.phase("mermaid-cli"):
        ensure_mermaid_cli()
    written = make_pdfs(languages, progress=progress)
    for path in written:
        print(f"wrote {path}")
    return written


def _pdf_command(args: argparse.Namespace) -> int:
    build(chosen_languages(args))
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    add_languages_argument(parser)
    parser.set_defaults(func=_pdf_command)
