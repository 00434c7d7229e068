"""A language switcher that works offline: each page links to the same page in the other language.

The two languages are built side by side (build/html/en, build/html/ja), so the
link is a relative path; no theme ships one that works from file://.
"""

from __future__ import annotations

from sphinx.application import Sphinx

LANGUAGES = {"en": "English", "ja": "日本語"}


def add_switch_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    current = app.config.language or "en"
    depth = pagename.count("/") + 1  # from this page up to build/html/<lang>/.., the common root
    prefix = "../" * depth
    context["language_links"] = [
        {
            "code": code,
            "label": label,
            "url": f"{prefix}{code}/{pagename}.html",
            "current": code == current,
        }
        for code, label in LANGUAGES.items()
    ]


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("html-page-context", add_switch_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
