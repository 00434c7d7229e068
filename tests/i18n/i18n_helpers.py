"""Helpers of the translation tests: the fixture project, a local HTTP server, the search page.

A module of its own (not conftest.py) so that test modules can import it by a
name no other test folder uses.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 for `directory`; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


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
