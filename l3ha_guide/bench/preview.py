"""The live preview's delay, on a private copy of the project: from saving a catalog to the page.

`l3ha-guide preview` (sphinx-autobuild) serves the Japanese pages of the copy;
each run appends a marker to one translated paragraph, or to one diagram
label (which makes mermaid-cli draw that diagram again), saves the catalog and
polls the served page until it shows the change. Target: at most 2 s for both.
"""

from __future__ import annotations

import re
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import polib

from l3ha_guide.bench.docs_build import copy_project
from l3ha_guide.bench.measure import summarise
from l3ha_guide.diagram_renderer import ensure_running, warm_renderer
from l3ha_guide.docs import ensure_mermaid_cli
from l3ha_guide.errors import UserError
from l3ha_guide.i18n.mermaid_labels import find_labels
from l3ha_guide.preview import HOST, autobuild_command
from l3ha_guide.processes import process_group

IMAGE = re.compile(r'_images/[^"]+\.svg')
START_TIMEOUT = 600.0
CHANGE_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait(condition: object, timeout: float, what: str) -> float:
    began = time.perf_counter()
    while not condition():  # type: ignore[operator]
        if time.perf_counter() - began > timeout:
            raise UserError(f"bench preview: {what} did not happen within {timeout:g} s")
        time.sleep(0.05)
    return time.perf_counter() - began


def _entry(root: Path, wanted: object) -> tuple[Path, str, str]:
    """(catalog, msgid, page) of the first translated entry for which wanted(entry) holds."""
    for path in sorted((root / "locale" / "ja" / "LC_MESSAGES").glob("*.po")):
        for entry in polib.pofile(str(path), wrapwidth=0).translated_entries():
            if wanted(entry) and entry.occurrences:  # type: ignore[operator]
                page = Path(entry.occurrences[0][0]).stem
                return path, entry.msgid, page
    raise UserError("bench preview: no translated entry of the kind to edit")


def _append(catalog_path: Path, msgid: str, marker: str) -> None:
    catalog = polib.pofile(str(catalog_path), wrapwidth=0)
    entry = catalog.find(msgid)
    assert entry is not None
    entry.msgstr += marker
    catalog.save(str(catalog_path))


def measure(runs: int = 3) -> dict[str, object]:
    ensure_mermaid_cli()
    with tempfile.TemporaryDirectory(prefix="l3ha-bench-preview-") as temporary, warm_renderer() as renderer:
        root = copy_project(Path(temporary))
        labels = {
            label.text
            for path in (root / "source" / "diagrams").glob("*.mmd")
            for label in find_labels(path.read_text())
        }
        paragraph = _entry(root, lambda entry: len(entry.msgid) > 80 and entry.msgid not in labels)
        label = _entry(root, lambda entry: entry.msgid in labels and entry.msgstr != entry.msgid)
        port = _free_port()
        ensure_running(renderer)  # as `l3ha-guide preview` does, before serving
        with process_group(
            autobuild_command("ja", port, root), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ):
            first = f"http://{HOST}:{port}/{paragraph[2]}.html"
            _wait(lambda: _page(first), START_TIMEOUT, "the first build")
            results: dict[str, object] = {}
            for name, (catalog, msgid, page) in {"msgstr": paragraph, "diagram_label": label}.items():
                url = f"http://{HOST}:{port}/{page}.html"
                samples = []
                for run in range(runs):
                    time.sleep(1)  # let the previous rebuild settle
                    marker = f"計測{run}"
                    before = set(IMAGE.findall(_page(url)))
                    _append(catalog, msgid, marker)
                    if name == "msgstr":
                        shown = lambda url=url, marker=marker: marker in _page(url)  # noqa: E731
                    else:
                        shown = lambda url=url, before=before: set(IMAGE.findall(_page(url))) - before  # noqa: E731
                    samples.append(_wait(shown, CHANGE_TIMEOUT, f"the {name} edit on {page}"))
                results[f"save_to_page_after_{name}_edit_s"] = summarise(samples)
            return results
