"""The environment of a reader's shell, for running a documented command as the reader would.

The benchmark and the tests run inside a virtual environment (tox's); a reader's
shell has none of it. `reader_environment()` drops it: its `bin` folder from
PATH, VIRTUAL_ENV, PYTHONPATH and tox's own variables, so `python3` and `tox`
are the machine's.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder)
    except OSError:
        return False


def reader_environment(bin_dir: Path | None = None) -> dict[str, str]:
    """os.environ without the running virtual environment; `bin_dir` first on PATH if given."""
    outer = Path(sys.prefix).resolve()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TOX_") and key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    }
    path = [part for part in env.get("PATH", "").split(os.pathsep) if part and not _inside(Path(part), outer)]
    if bin_dir is not None:
        path.insert(0, str(bin_dir))
    env["PATH"] = os.pathsep.join(path)
    return env
