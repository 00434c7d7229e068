"""Pages that show a data file (lab results, failover figures, benchmarks) rebuild when it changes.

Sphinx's own `note_dependency` treats a missing file as changed on every build,
so without a lab run the truth report and the failover page were read and
written again on every rebuild: a second per save in the live preview. Here a
missing file is remembered instead, and its page is outdated only once the
file appears.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

MISSING = "l3ha_missing_data_files"  # env attribute: docname -> data files missing when it was read


def note_data_file(env: BuildEnvironment, path: str | Path) -> None:
    """Rebuild the current page when `path` changes, appears or disappears."""
    if Path(path).exists():
        env.note_dependency(str(path))
    else:
        getattr(env, MISSING, {}).setdefault(env.docname, set()).add(str(path))


def _init(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if not hasattr(env, MISSING):
        setattr(env, MISSING, {})


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, MISSING, {}).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    mine = getattr(env, MISSING)
    for docname in docnames:
        if docname in getattr(other, MISSING, {}):
            mine[docname] = getattr(other, MISSING)[docname]


def _appeared(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    return [
        docname
        for docname, paths in getattr(env, MISSING, {}).items()
        if docname in env.all_docs and any(Path(path).exists() for path in paths)
    ]


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("env-before-read-docs", _init)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _appeared)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
