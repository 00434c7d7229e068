"""Data files that another process may read while this one writes them (a build beside a lab run,
the English and Japanese builds side by side)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def replaced_atomically(path: Path, mode: str = "w") -> Iterator[IO]:
    """A file for `path`'s new content, which replaces `path` at once when the block ends: a reader
    sees the old file or the new one, never a part. If the block fails, `path` stays as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    encoding = None if "b" in mode else "utf-8"
    with tempfile.NamedTemporaryFile(mode, dir=path.parent, delete=False, encoding=encoding) as temporary:
        try:
            yield temporary
        except BaseException:
            temporary.close()
            os.unlink(temporary.name)
            raise
    os.chmod(temporary.name, 0o644)
    os.replace(temporary.name, path)


def write_atomically(path: Path, text: str) -> None:
    with replaced_atomically(path) as target:
        target.write(text)
