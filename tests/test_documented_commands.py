"""Every command README.md and the pages on how this guide proves itself tell a reader to run, as written.

`tox` itself runs `lint` and `tests` (its envlist); the build command runs in the
`built_manual` fixture; this module runs the others, each exactly as its page
writes it, from a reader's shell (tests/reader_shell.py), and checks that the
pages still write them so. The extra-free commands run in the environment of
`tox -e docs`, which installs the project with no extras, as a reader or a
translator has it; a command that needs an extra must refuse with the hint.
"""

from __future__ import annotations

import http.client
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import polib
import pytest
from reader_shell import (
    BUILD_COMMAND,
    CORE_ENV_BIN,
    copy_of_project,
    documented,
    failure_message,
    run_as_reader,
)

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.docs import BUILD_DIR
from l3ha_guide.i18n.mermaid_labels import find_labels
from l3ha_guide.processes import process_group
from l3ha_guide.reader_environment import reader_environment

README = PROJECT_ROOT / "README.md"
TRANSLATING = PROJECT_ROOT / "source" / "translating.md"
PAGES = [README, TRANSLATING, *(PROJECT_ROOT / "source" / name for name in ("lab.md", "benchmarks.md"))]
TEST_COMMAND = "python3 -m pip install --quiet tox && tox"
ACTIVATE = ". .tox/docs/bin/activate"  # translating.md: the shell in which `l3ha-guide` is at hand
# A copy of the project for the commands that rewrite tracked files (kept, with its tox environments).
READER_COPY = BUILD_DIR / "reader-copy"

# Commands that need no extra: (command as documented, the page that documents it).
CORE_COMMANDS = [
    ("l3ha-guide --help", None),
    ("l3ha-guide validate", None),
    ("l3ha-guide i18n check", TRANSLATING),
    ("l3ha-guide i18n check locale/ja/LC_MESSAGES/failover.po", TRANSLATING),
    ("l3ha-guide console extract", README),
    ("l3ha-guide console status", README),
    ("tox -e i18n-stats", TRANSLATING),
]
# `tox -e NAME` that README.md or the pages name, and where each runs.
TOX_ENVIRONMENTS_RUN = {
    "docs": "tests/conftest.py::built_manual",
    "i18n": "test_tox_i18n_refreshes_the_catalogs_of_a_fresh_copy",
    "i18n-stats": "test_core_commands_run_without_extras",
    "preview": "test_tox_preview_shows_a_saved_translation",
    "pdf": "tests/test_pdf.py::pdfs",
}
# Named for readers but not run by the test command, each with the reason.
NOT_RUN = {
    "bench": "measures the lab and its failovers many times over (about an hour); `l3ha-guide bench` "
    "is its own proof, and its results are on the Benchmarks page",
    "schema": "downloads neutron's and nova's sdists and installs both into a fresh environment to "
    "regenerate files that are committed; run after changing a pinned release",
}


def test_readme_states_the_build_and_test_commands() -> None:
    assert documented(BUILD_COMMAND, README) and documented(BUILD_COMMAND, TRANSLATING)
    assert documented(TEST_COMMAND, README)
    assert (
        "tox" in (PROJECT_ROOT / ".ci" / "run").read_text()
        and TEST_COMMAND in (PROJECT_ROOT / ".ci" / "run").read_text()
    ), ".ci/run must run the README's test command"


def test_every_documented_tox_environment_is_run_or_says_why() -> None:
    named = {name for page in PAGES for name in re.findall(r"tox -e ([\w-]+)", page.read_text())}
    assert named, "the pages name no tox environment"
    assert named <= set(TOX_ENVIRONMENTS_RUN) | set(NOT_RUN), sorted(named - set(TOX_ENVIRONMENTS_RUN))


@pytest.mark.parametrize(("command", "page"), CORE_COMMANDS, ids=[command for command, _ in CORE_COMMANDS])
def test_core_commands_run_without_extras(built_manual: Path, command: str, page: Path | None) -> None:
    """In the shell translating.md describes: the environment of `tox -e docs` activated."""
    assert documented(ACTIVATE, TRANSLATING)
    if page is not None:
        assert documented(command, page), f"{page.name} no longer shows `{command}`"
    result = run_as_reader(f"{ACTIVATE} && {command}")
    assert result.returncode == 0, failure_message(command, result)
    assert "Traceback" not in result.stdout
    assert result.stdout.strip(), f"`{command}` printed nothing"


def test_the_core_environment_has_no_extras(built_manual: Path) -> None:
    """`tox -e docs` stands for a fresh venv with the package and no extras."""
    optional = ("testinfra", "neutron", "matplotlib")
    probe = f"import importlib.util as u; print([m for m in {optional!r} if u.find_spec(m)])"
    result = subprocess.run(
        [str(CORE_ENV_BIN / "python"), "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        ("l3ha-guide lab up", "lab"),
        ("l3ha-guide bench config", "bench"),
        ("l3ha-guide preview", "preview"),
        ("l3ha-guide pdf", "pdf"),
    ],
)
def test_commands_that_need_an_extra_name_it(built_manual: Path, command: str, extra: str) -> None:
    # A hint comes at once; the timeout turns an environment that has the extra after all
    # (and so starts serving or measuring) into a failure instead of a hang.
    result = run_as_reader(f"{ACTIVATE} && {command}", timeout=120)
    assert result.returncode == 1, failure_message(command, result)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stdout, result.stdout
    assert f"pip install 'l3ha-guide[{extra}]'" in lines[0]


def translated_entries(locale: Path) -> dict[str, int]:
    return {
        path.name: len(polib.pofile(str(path)).translated_entries())
        for path in sorted(locale.glob("ja/LC_MESSAGES/*.po"))
    }


def test_tox_i18n_refreshes_the_catalogs_of_a_fresh_copy() -> None:
    """Run in a copy: `tox -e i18n` rewrites the catalogs, and a test never rewrites a user's files."""
    command = "tox -e i18n"
    assert documented(command, TRANSLATING)
    copy = copy_of_project(READER_COPY)
    before = translated_entries(copy / "locale")
    # As a translation tool that wraps long lines would save it: the refresh restores the layout.
    rewrapped = copy / "locale/ja/LC_MESSAGES/failover.po"
    polib.pofile(str(rewrapped), wrapwidth=76).save(str(rewrapped))
    result = run_as_reader(command, cwd=copy)
    assert result.returncode == 0, failure_message(command, result)
    assert (copy / "build" / "gettext" / "generated.pot").is_file()
    after = translated_entries(copy / "locale")
    assert after.keys() == before.keys() and before, "a catalog appeared or went missing"
    # The committed catalogs are up to date: refreshing them loses no translation.
    lost = {name: (before[name], after[name]) for name in before if after[name] < before[name]}
    assert not lost, f"translations lost by `tox -e i18n` (before, after): {lost}; run it and commit"
    assert rewrapped.read_bytes() == (PROJECT_ROOT / "locale/ja/LC_MESSAGES/failover.po").read_bytes()


def _page(url: str) -> str | None:
    """The page, or None while it is not served whole: a page read while the preview rewrites it
    ends early (http.client.IncompleteRead); the callers ask again until their deadline."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (OSError, http.client.HTTPException):
        return None


def _a_saved_diagram_label_redraws_its_diagram(copy: Path, url: str) -> None:
    """A changed label of the page's first diagram: the page then shows a new SVG holding it."""
    catalog_path = copy / "locale/ja/LC_MESSAGES/architecture.po"
    catalog = polib.pofile(str(catalog_path), wrapwidth=0)
    diagram = copy / "source/diagrams/architecture-overview.mmd"
    labels = [label.text for label in find_labels(diagram.read_text())]
    label = next(text for text in labels if (entry := catalog.find(text)) and entry.msgstr)
    before = set(re.findall(r'_images/[^"]+\.svg', _page(url) or ""))
    assert before, f"{url} shows no diagram"
    marker = f"図{time.time_ns() % 10_000}"
    catalog.find(label).msgstr += marker
    catalog.save(str(catalog_path))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        new = set(re.findall(r'_images/[^"]+\.svg', _page(url) or "")) - before
        if new:
            image = url.rsplit("/", 1)[0] + "/" + new.pop()
            assert marker in (_page(image) or ""), f"{image} does not show the saved label"
            return
        time.sleep(0.2)
    raise AssertionError(f"the saved diagram label did not reach {url} within 60 s")


def test_tox_preview_shows_a_saved_translation() -> None:
    """`tox -e preview` in a copy: it serves the Japanese pages and shows a saved msgstr and a
    saved diagram label by itself."""
    command = "tox -e preview"
    assert documented(command, TRANSLATING)
    copy = copy_of_project(READER_COPY)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    leftovers_before = _helper_folders()
    with process_group(
        ["bash", "-c", f"{command} -- --port {port}"],
        signal.SIGINT,  # Ctrl+C in the terminal: the whole foreground group, tox included
        cwd=copy,
        env=reader_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as preview:
        url = f"http://127.0.0.1:{port}/failover.html"
        deadline = time.monotonic() + 600
        while (page := _page(url)) is None and preview.poll() is None and time.monotonic() < deadline:
            time.sleep(1)
        assert page is not None, f"`{command}` served nothing at {url} (exit {preview.poll()})"
        catalog_path = copy / "locale/ja/LC_MESSAGES/failover.po"
        catalog = polib.pofile(str(catalog_path), wrapwidth=0)
        entry = next(entry for entry in catalog if entry.msgid.startswith("Watch network1"))
        marker = f"プレビュー確認 {time.time_ns()}"
        assert marker not in page
        entry.msgstr += marker
        catalog.save(str(catalog_path))
        deadline = time.monotonic() + 60
        while marker not in (_page(url) or "") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker in (_page(url) or ""), f"the saved translation did not reach {url} within 60 s"
        _a_saved_diagram_label_redraws_its_diagram(copy, f"http://127.0.0.1:{port}/architecture.html")
    # The helpers stop by themselves once their owner is gone (they look every 2 s).
    deadline = time.monotonic() + 10
    while (left := _helper_folders() - leftovers_before) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"stopping `{command}` left {sorted(left)}"


def _helper_folders() -> set[Path]:
    """The preview's temporary folders: its warm Sphinx server's and its diagram renderer's."""
    temporary = Path(tempfile.gettempdir())
    return {*temporary.glob("l3ha-warm-sphinx-*"), *temporary.glob("l3ha-diagrams-*")}
