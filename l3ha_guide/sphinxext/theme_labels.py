"""The labels that Furo and sphinx-copybutton write in English whatever the language, translated.

Furo writes its toggle buttons' ARIA labels and its icons' titles into its
templates without gettext, and sphinx-copybutton's copybutton.js holds its
tooltips for a fixed list of languages, Japanese not among them. Both are
translated here from the site chrome's catalog (locale/LANG/LC_MESSAGES/sphinx.po),
where translators find them beside Sphinx's own labels:

- Furo's labels are replaced in each rendered page, as exact attribute values and
  `<title>` texts (a label Furo renames is then left in English, and the test
  that finds English labels on the Japanese pages names it);
- copybutton_messages.js_t adds this language's tooltips to sphinx-copybutton's
  table before its buttons are made.
"""

from __future__ import annotations

from html import escape

from sphinx.application import Sphinx
from sphinx.locale import get_translation

FURO_ARIA_LABELS = (
    "Toggle site navigation sidebar",
    "Toggle table of contents sidebar",
    "Toggle Light / Dark / Auto color theme",
)
FURO_ICON_TITLES = (
    "Contents",
    "Menu",
    "Expand",
    "Light mode",
    "Dark mode",
    "Auto light/dark, in light mode",
    "Auto light/dark, in dark mode",
)


def _translate_rendered_pages(app: Sphinx) -> None:
    if app.builder.format != "html" or (app.config.language or "en") == "en":
        return
    translate = get_translation("sphinx")
    replacements = [
        *(
            (f'aria-label="{label}"', f'aria-label="{escape(str(translate(label)))}"')
            for label in FURO_ARIA_LABELS
        ),
        *(
            (f"<title>{label}</title>", f"<title>{escape(str(translate(label)))}</title>")
            for label in FURO_ICON_TITLES
        ),
    ]
    templates = app.builder.templates
    render = templates.render

    def render_translated(template: str, context: dict) -> str:
        page = render(template, context)
        for english, translated in replacements:
            page = page.replace(english, translated)
        return page

    templates.render = render_translated  # type: ignore[method-assign]


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("sphinx_copybutton")
    app.setup_extension("l3ha_guide.sphinxext.accessibility")  # its static folder holds the script below
    app.connect("builder-inited", _translate_rendered_pages)
    app.add_js_file("copybutton_messages.js")  # after copybutton.js, added by sphinx_copybutton's setup
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
