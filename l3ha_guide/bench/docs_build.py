"""Build timings on a private copy of the project, so no page a user wrote is touched.

Clean bilingual build (diagram cache warm), then incremental rebuilds after one
page edit, after one msgstr edit and after one diagram label's msgstr edit (which
draws that diagram again with mmdc: a Chromium start); the ratios incremental /
clean are what the issue targets promise (clean ≤ 20 s, incremental ≤ 3 s on 2 cores).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import polib

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.bench.measure import summarise, time_runs
from l3ha_guide.docs import ensure_mermaid_cli, run_sphinx
from l3ha_guide.i18n.mermaid_labels import find_labels

COPIED = ("conf.py", "puppeteer-config.json", "mermaid-config.json", "source", "locale", "examples")


def copy_project(destination: Path) -> Path:
    for name in COPIED:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("*.mo"))
        elif source.exists():
            shutil.copy2(source, destination / name)
    return destination


def edit_page(root: Path) -> None:
    page = root / "source" / "overview.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAn edit for the benchmark.\n", encoding="utf-8")


def edit_msgstr(root: Path) -> bool:
    """Change one translated prose message (a paragraph, not a diagram label, whose edit
    re-renders diagrams); False when no catalog has such a translation yet."""
    for path in sorted((root / "locale" / "ja" / "LC_MESSAGES").glob("*.po")):
        catalog = polib.pofile(str(path))
        for entry in catalog.translated_entries():
            if len(entry.msgid) > 80:
                entry.msgstr += "。"
                catalog.save()
                return True
    return False


def edit_diagram_label(root: Path) -> bool:
    """Change the translation of one diagram label; False when no label is translated yet."""
    labels = {
        label.text
        for path in (root / "source" / "diagrams").glob("*.mmd")
        for label in find_labels(path.read_text())
    }
    for path in sorted((root / "locale" / "ja" / "LC_MESSAGES").glob("*.po")):
        catalog = polib.pofile(str(path))
        for entry in catalog.translated_entries():
            if entry.msgid in labels and entry.msgstr != entry.msgid:
                entry.msgstr += "・"
                catalog.save()
                return True
    return False


def measure(runs: int = 3) -> dict[str, object]:
    ensure_mermaid_cli()
    with tempfile.TemporaryDirectory(prefix="l3ha-bench-docs-") as temporary:
        root = copy_project(Path(temporary))
        build_dir = root / "build"
        run_sphinx(root=root, build_dir=build_dir)  # warms the diagram cache

        clean = time_runs(
            lambda: run_sphinx(root=root, build_dir=build_dir),
            runs,
            prepare=lambda: shutil.rmtree(build_dir, ignore_errors=True),
        )
        page_edit = time_runs(
            lambda: run_sphinx(root=root, build_dir=build_dir), runs, prepare=lambda: edit_page(root)
        )
        results: dict[str, object] = {
            "clean_bilingual_build_s": summarise(clean),
            "rebuild_after_page_edit_s": summarise(page_edit),
            "page_edit_to_clean_ratio": round(min(page_edit) / min(clean), 3),
        }
        translation_edits = {"msgstr": edit_msgstr, "diagram_label": edit_diagram_label}
        for name, edit in translation_edits.items():
            if not edit(root):  # nothing of that kind translated yet
                continue
            timings = time_runs(
                lambda: run_sphinx(("ja",), root=root, build_dir=build_dir),
                runs,
                prepare=lambda edit=edit: edit(root),
            )
            results[f"ja_rebuild_after_{name}_edit_s"] = summarise(timings)
            results[f"{name}_edit_to_clean_ratio"] = round(min(timings) / min(clean), 3)
        return results
