"""Sphinx configuration for the L3 HA guide (English source, Japanese translation).

Build both languages with `l3ha-guide docs` (or `tox -e docs`); it calls
sphinx-build with `-c .` on `source/`, once per language, into build/html/<lang>.
"""

import sys
from pathlib import Path

from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from l3ha_guide.sphinxext.diagram import mermaid_command  # noqa: E402
from l3ha_guide.sphinxext.site_chrome import PROJECT, SITE_TITLE  # noqa: E402

project = PROJECT  # translated on the Japanese pages (site_chrome)
author = "The l3ha-guide authors"
copyright = "2015 OpenStack Foundation (CC BY 3.0); 2026 the l3ha-guide authors"
release = "29.0.0"  # the Neutron release the manual targets

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.mermaid",
    "sphinx_copybutton",
    "l3ha_guide.sphinxext.config_block",
    "l3ha_guide.sphinxext.console_block",
    "l3ha_guide.console.status_lines",
    "l3ha_guide.sphinxext.option_claims",
    "l3ha_guide.sphinxext.diagram",
    "l3ha_guide.sphinxext.language_switch",
    "l3ha_guide.sphinxext.japanese_search",
    "l3ha_guide.sphinxext.benchmark_results",
    "l3ha_guide.sphinxext.failover_tuning",
    "l3ha_guide.sphinxext.connection_state",
    "l3ha_guide.sphinxext.navigation_refresh",
    "l3ha_guide.sphinxext.site_chrome",
    "l3ha_guide.sphinxext.accessibility",
    "l3ha_guide.sphinxext.theme_labels",
    "l3ha_guide.sphinxext.print_edition",
]

# Copy buttons copy what a reader types: the lines after a `$ ` prompt without it, no
# output, and each line that a trailing backslash continues, as the shell joins them.
copybutton_prompt_text = "$ "
copybutton_only_copy_prompt_lines = True
copybutton_line_continuation_character = "\\"

root_doc = "index"
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "diagrams", "_data"]
templates_path = ["source/_templates"]
html_static_path = ["source/_static"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# Translation: one catalog per page, kept in locale/<lang>/LC_MESSAGES.
language = "en"
locale_dirs = ["../locale"]
gettext_compact = False
gettext_uuid = False
gettext_location = True

# Diagrams: rendered to SVG at build time by mermaid-cli with Debian's chromium,
# through a cache, so the published pages make no request to any other host.
mermaid_output_format = "svg"
mermaid_cmd = mermaid_command()
# mermaid-config.json: Japanese labels in BIZ UDPGothic, a TrueType font that the PDF embeds by name.
mermaid_params = [
    *("--puppeteerConfigFile", str(ROOT / "puppeteer-config.json")),
    *("-c", str(ROOT / "mermaid-config.json")),
    *("-b", "white"),
]

html_theme = "furo"
html_title = SITE_TITLE
html_last_updated_fmt = ""
html_theme_options = {"navigation_with_keys": True}
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "language-switch.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}
html_css_files = ["guide.css"]


def _without_search_index(app: Sphinx) -> None:
    if not app.config.search_index and hasattr(app.builder, "search"):
        app.builder.search = False


def setup(app: Sphinx) -> None:
    # The live preview (l3ha-guide preview) builds with -D search_index=0: indexing the
    # Japanese words of each rewritten page is a third of its rebuild, and nobody searches a preview.
    app.add_config_value("search_index", True, "html", types=[bool])
    app.connect("builder-inited", _without_search_index)
