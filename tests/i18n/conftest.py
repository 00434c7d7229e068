"""Fixtures for the translation tests: a small bilingual project and copies of its catalog.

tests/i18n/fixture is a one-page project (English page, Mermaid diagram, a
complete Japanese catalog) built with the manual's own conf.py, so the
extensions are tested as the manual uses them, in seconds.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polib
import pytest

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.docs import ensure_mermaid_cli, sphinx_command
from l3ha_guide.system import install as install_system_packages

FIXTURE = Path(__file__).parent / "fixture"
FIXTURE_CATALOG = FIXTURE / "locale" / "ja" / "LC_MESSAGES" / "index.po"


@pytest.fixture
def catalog(tmp_path: Path) -> polib.POFile:
    """A copy of the fixture's complete catalog; edit it, then `save()` it."""
    path = tmp_path / "index.po"
    shutil.copyfile(FIXTURE_CATALOG, path)
    return polib.pofile(str(path), wrapwidth=0)


def build_fixture(root: Path, builder: str = "html", language: str = "ja") -> Path:
    """Build the fixture project copied to `root` with the manual's conf.py; the output folder."""
    command = sphinx_command(language, builder, root=PROJECT_ROOT, build_dir=root / "build")
    command[-2] = str(root / "source")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "build" / builder / language


@pytest.fixture(scope="session")
def fixture_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("i18n-project")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    return root


@pytest.fixture(scope="session")
def fixture_html_ja(fixture_project: Path) -> Path:
    """The fixture's Japanese HTML (diagrams rendered by mermaid-cli with Debian's chromium)."""
    install_system_packages(["docs"])
    ensure_mermaid_cli()
    return build_fixture(fixture_project)


@pytest.fixture(scope="session")
def fixture_gettext(fixture_project: Path) -> Path:
    """The fixture's message templates (.pot), as `tox -e i18n` extracts them."""
    return build_fixture(fixture_project, "gettext", "en")


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


@pytest.fixture(scope="module")
def chromium():
    from l3ha_guide.browser import launch_chromium

    with launch_chromium() as browser:
        yield browser


def search_results(browser, base_url: str, query: str) -> list[str]:
    """The pages (file names) the built manual's search page lists for `query`."""
    page = browser.new_page()
    try:
        page.goto(f"{base_url}search.html?q={urllib.parse.quote(query)}", wait_until="load")
        # searchtools.js starts its progress pulse when it creates the heading and stops it when done.
        page.wait_for_function(
            "() => document.querySelector('#search-results h2') !== null && Search._pulse_status === -1",
            timeout=60_000,  # generous: the machine is shared with labs and builds
        )
        links = page.locator("#search-results ul.search li a").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
    finally:
        page.close()
    return [href.split("?")[0].split("#")[0] for href in links]
