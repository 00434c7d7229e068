"""Fixtures for the translation tests: a small bilingual project and copies of its catalog.

tests/i18n/fixture is a one-page project (English page, Mermaid diagram, a
complete Japanese catalog) built with the manual's own conf.py, so the
extensions are tested as the manual uses them, in seconds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from i18n_helpers import FIXTURE, FIXTURE_CATALOG, build_fixture

from l3ha_guide.docs import ensure_mermaid_cli
from l3ha_guide.system import install as install_system_packages


@pytest.fixture
def catalog(tmp_path: Path) -> polib.POFile:
    """A copy of the fixture's complete catalog; edit it, then `save()` it."""
    path = tmp_path / "index.po"
    shutil.copyfile(FIXTURE_CATALOG, path)
    return polib.pofile(str(path), wrapwidth=0)


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


@pytest.fixture(scope="module")
def chromium():
    from l3ha_guide.browser import launch_chromium  # Playwright is imported only when a test needs it

    with launch_chromium() as browser:
        yield browser
