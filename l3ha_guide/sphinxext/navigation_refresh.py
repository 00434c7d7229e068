"""Rewrite every page when a page title changes, so the sidebar never shows a stale title.

Sphinx re-reads only the pages whose source or catalog changed, and writes only
those: every other page keeps the old title in its navigation (most visible
after a translator edits a title's msgstr). When a title changed, all pages are
written again; that costs writing, not reading, so an edit stays fast.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def _titles(env: BuildEnvironment) -> dict[str, str]:
    return {docname: title.astext() for docname, title in env.titles.items()}


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    previous: dict[str, str] = getattr(env, "l3ha_titles", {})
    current = _titles(env)
    env.l3ha_titles = current  # pickled with the environment for the next build
    if previous and previous != current:
        return sorted(env.found_docs)
    return []


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("env-get-updated", pages_to_rewrite)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
