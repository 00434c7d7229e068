"""The catalogs' layout: one line per message (no wrapping), as `sphinx-intl update --line-width 0` writes.

A translation tool that wraps long lines (Poedit, a platform) would otherwise
turn a one-word fix into a whole-file diff, and sphinx-intl leaves a file whose
messages did not change as it is. `unwrap(paths)` rewrites the catalogs that are
not in this layout; their content (entries, comments, flags, obsolete entries)
stays the same, which the caller can check with `entries_of`.
"""

from __future__ import annotations

from pathlib import Path

import polib

from l3ha_guide.i18n.catalogs import find_catalogs, read_catalog


def entries_of(catalog: polib.POFile) -> list[tuple[object, ...]]:
    """What a catalog says, independent of its layout."""
    return [
        (
            entry.msgctxt,
            entry.msgid,
            entry.msgstr,
            entry.tcomment,
            entry.comment,
            tuple(entry.flags),
            entry.obsolete,
        )
        for entry in catalog
    ]


def unwrap(paths: list[Path]) -> list[Path]:
    """Rewrite the catalogs under `paths` whose lines are wrapped; returns the rewritten ones.

    Raises MalformedCatalog for a file that is not valid gettext (that file is left as it is).
    """
    catalogs, _ = find_catalogs(paths)
    rewritten = []
    for path in catalogs:
        catalog, _ = read_catalog(path)
        unwrapped = str(catalog)  # read with wrapwidth=0: one line per string
        original = path.read_text(encoding="utf-8")
        if unwrapped.rstrip("\n") != original.rstrip("\n"):
            path.write_text(unwrapped.rstrip("\n") + "\n", encoding="utf-8")
            rewritten.append(path)
    return rewritten
