"""Run a documented command as a reader runs it: in a shell, from the project folder.

The tests run inside tox's `tests` environment; a reader's shell has none of
it (`l3ha_guide.reader_environment`), so `python3` and `tox` are the machine's,
and `l3ha-guide` is the one of the environment a page says it comes from.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.reader_environment import reader_environment

# README.md's build command, run as written by the `built_manual` fixture.
BUILD_COMMAND = "python3 -m pip install --quiet tox && tox -e docs"
# The environment `tox -e docs` makes: the project installed with no extras.
CORE_ENV_BIN = PROJECT_ROOT / ".tox" / "docs" / "bin"


def documented(command: str, page: Path) -> bool:
    """Whether the page shows the command on a line of its own (after a `$ ` or `# ` prompt, or
    indented, with or without a trailing comment), or as inline code."""
    text = page.read_text(encoding="utf-8")
    pattern = rf"^\s*(?:[$#] )?{re.escape(command)}(?:\s+#.*)?\s*$"
    return re.search(pattern, text, re.MULTILINE) is not None or f"`{command}`" in text


def run_as_reader(
    command: str, cwd: Path = PROJECT_ROOT, bin_dir: Path | None = None, timeout: float = 1200
) -> subprocess.CompletedProcess[str]:
    """The command line exactly as documented, in bash, with stdout and stderr together."""
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=reader_environment(bin_dir),
        stdin=subprocess.DEVNULL,  # as in CI: nothing to answer a question on
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )


def failure_message(command: str, result: subprocess.CompletedProcess[str], lines: int = 40) -> str:
    tail = "\n".join(result.stdout.splitlines()[-lines:])
    return f"`{command}` exited {result.returncode}; the end of its output:\n{tail}"


def copy_of_project(destination: Path) -> Path:
    """The project's files as a fresh clone has them (plus uncommitted edits), at `destination`.

    What is already there is replaced, except `.tox` and `node_modules`: a
    copy kept under build/ keeps its environments from one run to the next.
    """
    destination.mkdir(parents=True, exist_ok=True)
    for child in destination.iterdir():
        if child.name in (".tox", "node_modules"):
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for relative in filter(None, listed.split("\0")):
        source = PROJECT_ROOT / relative
        if not source.is_file():
            continue  # deleted in the working tree
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return destination
