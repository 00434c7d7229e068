"""The print edition: the whole manual on one page (Sphinx's singlehtml builder), made to be printed.

`l3ha-guide pdf` prints it with Chromium (l3ha_guide/pdf.py). For the
singlehtml builder only, this extension adds

- a title page (the manual's title, the Neutron release it targets, the date of
  the last lab run) and the table of contents, before the first chapter;
- print styles (static/print_edition.css): no site chrome, each chapter on a
  new page, tabs printed one after the other under their labels, code that
  wraps with a marker at each continued line, strict Japanese line breaking;
- static/print_edition.js, which splits code blocks into lines for those
  markers.

The HTML builders are left as they are.
"""

from __future__ import annotations

import re
from html import escape

from sphinx.application import Sphinx

from l3ha_guide.console import report
from l3ha_guide.sphinxext.messages import _

BUILDER = "singlehtml"
# On one page, a link to a section of another page is "#document-PAGE#SECTION" where the
# table of contents and the status lines build it: only the section's anchor is on the page.
CROSS_PAGE_ANCHOR = re.compile(r'href="#document-[^"#]*#')


def _add_assets(app: Sphinx) -> None:
    if app.builder.name == BUILDER:
        app.add_css_file("print_edition.css")
        app.add_js_file("print_edition.js")


def _last_lab_run(app: Sphinx) -> str:
    dates = [outcome.date for outcome in report.snapshot(app).outcomes.values()]
    if not dates:
        return _("No lab run has verified the examples of this edition yet.")
    return _("Examples last verified in the lab on {date}.").format(date=max(dates))


def _title_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    if app.builder.name != BUILDER or pagename != app.config.root_doc:
        return
    title = escape(app.config.project)
    release = escape(_("For OpenStack Networking (Neutron) {release}").format(release=app.config.release))
    contents, contents_title = context.get("toc") or "", escape(_("Contents"))
    body = (
        '<section class="print-title-page">'
        f'<p class="print-title">{title}</p>'
        f'<p class="print-release">{release}</p>'
        f'<p class="print-lab-run">{escape(_last_lab_run(app))}</p>'
        "</section>"
        '<nav class="print-contents">'
        f'<p class="print-contents-title">{contents_title}</p>{contents}'
        "</nav>"
    ) + context.get("body", "")
    context["body"] = CROSS_PAGE_ANCHOR.sub('href="#', body)


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("l3ha_guide.sphinxext.messages")
    app.setup_extension("l3ha_guide.console.report")
    app.setup_extension("l3ha_guide.sphinxext.accessibility")  # its static folder holds our files
    app.connect("builder-inited", _add_assets)
    app.connect("html-page-context", _title_page, priority=950)  # after the toc's captions get levels
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
