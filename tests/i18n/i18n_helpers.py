"""Helpers of the translation tests: the fixture project, the search page (served by page_server).

A module of its own (not conftest.py) so that test modules can import it by a
name no other test folder uses.
"""

from __future__ import annotations

import subprocess
import urllib.parse
from pathlib import Path

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.docs import sphinx_command

FIXTURE = Path(__file__).parent / "fixture"
FIXTURE_CATALOG = FIXTURE / "locale" / "ja" / "LC_MESSAGES" / "index.po"


def build_fixture(root: Path, builder: str = "html", language: str = "ja") -> Path:
    """Build the fixture project copied to `root` with the manual's conf.py; the output folder."""
    command = sphinx_command(language, builder, root=PROJECT_ROOT, build_dir=root / "build")
    command[-2] = str(root / "source")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "build" / builder / language


def search_results(browser, base_url: str, query: str) -> list[str]:
    """The pages (file names) the built manual's search page lists for `query`."""
    page = browser.new_page()
    try:
        page.goto(f"{base_url}search.html?q={urllib.parse.quote(query)}", wait_until="load")
        # searchtools.js gives the heading a span of progress dots while it searches, and replaces
        # the heading's text (dropping the span) when the search is finished.
        page.wait_for_function(
            "() => { const h2 = document.querySelector('#search-results h2');"
            " return h2 !== null && h2.querySelector('span') === null; }",
            timeout=60_000,  # generous: the machine is shared with labs and builds
        )
        links = page.locator("#search-results ul.search li a").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
    finally:
        page.close()
    return [href.split("?")[0].split("#")[0] for href in links]
