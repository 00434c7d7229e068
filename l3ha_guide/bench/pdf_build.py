"""The PDF manual's build time, on a private copy of the project: both languages, print editions and print.

Each run starts from an empty build folder with the diagram cache warm (the
first, untimed, build warms it): what `tox -e pdf` costs on a machine that has
built the manual before. Target: both PDFs in at most 60 s.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from l3ha_guide.bench.docs_build import copy_project
from l3ha_guide.bench.measure import summarise, time_runs
from l3ha_guide.docs import ensure_mermaid_cli
from l3ha_guide.pdf import check_fonts, make_pdfs

LANGUAGES = ("en", "ja")


def measure(runs: int = 3) -> dict[str, object]:
    ensure_mermaid_cli()
    check_fonts(LANGUAGES)
    with tempfile.TemporaryDirectory(prefix="l3ha-bench-pdf-") as temporary:
        root = copy_project(Path(temporary))
        build_dir = root / "build"
        make_pdfs(LANGUAGES, root=root, build_dir=build_dir)  # warms the diagram cache
        timings = time_runs(
            lambda: make_pdfs(LANGUAGES, root=root, build_dir=build_dir),
            runs,
            prepare=lambda: shutil.rmtree(build_dir, ignore_errors=True),
        )
        return {"both_pdfs_from_an_empty_build_folder_s": summarise(timings)}
