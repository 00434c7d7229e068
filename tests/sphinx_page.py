"""One Markdown page built with the project's conf.py, for tests of a directive."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from l3ha_guide import PROJECT_ROOT


def build_page(source: Path, markdown: str) -> str:
    """Write `markdown` as source/index.md, build it (warnings are errors), return its HTML."""
    source.mkdir(parents=True, exist_ok=True)
    (source / "index.md").write_text(markdown, encoding="utf-8")
    output = source.parent / "html"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "-E", "-c", str(PROJECT_ROOT)]
    subprocess.run([*command, str(source), str(output)], check=True)
    return (output / "index.html").read_text(encoding="utf-8")
