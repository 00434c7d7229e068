"""What the theme and Sphinx leave out for assistive technology, added to every HTML page.

- Toctree captions are `<p role="heading">` without `aria-level` (Sphinx's HTML
  writer), which screen readers cannot place in the outline: they get level 2,
  in the page body and in Furo's navigation sidebar.
- Code blocks and tables that scroll sideways become focusable when they
  overflow (static/scroll_regions.js), so a keyboard can scroll them.

`tests/test_accessibility.py` runs axe-core over every page to keep it so.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

CAPTION = '<p class="caption" role="heading">'
CAPTION_WITH_LEVEL = '<p class="caption" role="heading" aria-level="2">'
STATIC = Path(__file__).with_name("static")


def _caption_levels(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    for key in ("body", "furo_navigation_tree", "toc"):
        if isinstance(context.get(key), str):
            context[key] = context[key].replace(CAPTION, CAPTION_WITH_LEVEL)


def _static_path(app: Sphinx, config: Config) -> None:
    config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("config-inited", _static_path)
    app.connect("html-page-context", _caption_levels, priority=900)  # after Furo builds its sidebar
    app.add_js_file("scroll_regions.js")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
