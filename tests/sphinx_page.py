"""Markdown pages built with the project's conf.py, for tests of a directive."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from l3ha_guide import PROJECT_ROOT


def build_page(
    source: Path,
    markdown: str,
    *,
    others: dict[str, str] | None = None,
    settings: dict[str, object] | None = None,
    read: str = "index",
) -> str:
    """Write `markdown` as source/index.md (and `others`, name -> Markdown, beside it), build them
    from scratch with conf.py's values overridden by `settings` (warnings are errors), and return
    the HTML of the page `read`."""
    source.mkdir(parents=True, exist_ok=True)
    for name, text in {"index": markdown, **(others or {})}.items():
        (source / f"{name}.md").write_text(text, encoding="utf-8")
    output = source.parent / "html"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "-E", "-c", str(PROJECT_ROOT)]
    for name, value in (settings or {}).items():
        command += ["-D", f"{name}={value}"]
    subprocess.run([*command, str(source), str(output)], check=True)
    return (output / f"{read}.html").read_text(encoding="utf-8")
