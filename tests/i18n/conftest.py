"""Fixtures for the translation tests: a small bilingual project and copies of its catalog.

tests/i18n/fixture is a one-page project (English page, Mermaid diagram, a
complete Japanese catalog) built with the manual's own conf.py, so the
extensions are tested as the manual uses them, in seconds.
"""

from __future__ import annotations

import shutil
import subprocess
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
