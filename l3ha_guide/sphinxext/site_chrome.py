"""The site's own name in the page's language: the project and the title in every page's chrome.

conf.py takes PROJECT and SITE_TITLE from here; once the configuration is read,
they are replaced by their translation from generated.po, so the Japanese pages
carry a Japanese site title in the sidebar, in each page's <title> and in the
footer, like the rest of their text.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config

from l3ha_guide.sphinxext.messages import N_, _

PROJECT = N_("Neutron L3 HA with VRRP and Open vSwitch")
SITE_TITLE = N_("Neutron L3 HA guide")


def _translate(app: Sphinx, config: Config) -> None:
    config.project = _(config.project)
    config.html_title = _(config.html_title)


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("l3ha_guide.sphinxext.messages")
    app.connect("config-inited", _translate)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
