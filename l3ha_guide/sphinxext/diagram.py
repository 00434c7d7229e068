"""The `diagram` directive: a Mermaid diagram kept as a file under source/diagrams/.

    ```{diagram} diagrams/hardware-layout.mmd
    :caption: Hardware layout
    :alt: Controller, two network nodes and compute nodes on four networks
    ```

A missing file fails the build with the page and line. Rendering goes through
sphinxcontrib-mermaid with `mermaid_cmd` set to `mermaid_command()`, a cache in
front of mermaid-cli, so the pages carry SVG files and need no script from a CDN.

Translation: each label of the diagram (and the :alt: text) becomes a child
`diagram_label` node, a Sphinx `translatable`, so the gettext builder extracts
it into the page's catalog and the Locale transform hands it its msgstr. The
translated labels are written into the Mermaid code only when the diagram is
rendered, so the Japanese pages get Japanese diagrams from the same .po files.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinxcontrib import mermaid as sphinx_mermaid

from l3ha_guide.i18n.mermaid_labels import find_labels, translate

logger = logging.getLogger(__name__)


def mermaid_command() -> str:
    """The `mermaid_cmd` for conf.py: this interpreter running the diagram cache."""
    return f"{shlex.quote(sys.executable)} -m l3ha_guide.diagram_cache"


class diagram(sphinx_mermaid.mermaid):  # lower case: the docutils convention for node classes
    """A Mermaid diagram whose `diagram_label` children carry the translated labels."""


class diagram_label(nodes.Element, addnodes.translatable):
    """One label (or the alt text) of a diagram: extracted by gettext, translated by Locale."""

    def preserve_original_messages(self) -> None:
        pass  # the original stays in self["original"]; the translation goes elsewhere

    def apply_translated_message(self, original_message: str, translated_message: str) -> None:
        self["translation"] = translated_message

    def extract_original_messages(self) -> Sequence[str]:
        return [self["original"]]


def _translations(node: diagram, kind: str) -> dict[str, str]:
    return {
        label["original"]: label["translation"]
        for label in node.findall(diagram_label)
        if label["kind"] == kind and label.get("translation")
    }


def translated_code(node: diagram) -> str:
    return translate(node["code"], _translations(node, "label"))


def translated_alt(node: diagram) -> str | None:
    alt = node.get("alt")
    return _translations(node, "alt").get(alt, alt) if alt else None


class Diagram(sphinx_mermaid.Mermaid):
    required_arguments = 1

    def run(self, **kwargs):  # type: ignore[override]
        env = self.state.document.settings.env
        relative_path = self.arguments[0]
        _, absolute_path = env.relfn2path(relative_path, env.docname)
        if not Path(absolute_path).is_file():
            raise self.error(f"diagram file not found: {relative_path} (looked in {absolute_path})")
        if not self.options.get("alt"):
            raise self.error("a diagram needs :alt:, the text a screen reader reads instead of the drawing")
        result = super().run(**kwargs)
        return [self._with_labels(node) for node in result]

    def _with_labels(self, node: nodes.Node) -> nodes.Node:
        """Turn the mermaid node (alone or inside its figure) into a diagram node with labels."""
        if not isinstance(node, nodes.Element):
            return node
        for original in list(node.findall(sphinx_mermaid.mermaid)):
            replacement = diagram(original.rawsource, **original.attributes)
            source, line = self.state_machine.get_source_and_line(self.lineno)
            texts = dict.fromkeys(label.text for label in find_labels(replacement["code"]))
            labels = [("label", text) for text in texts]
            if replacement.get("alt"):
                labels.append(("alt", replacement["alt"]))
            for kind, text in labels:
                label = diagram_label(original=text, kind=kind)
                label.source, label.line = source, line
                replacement += label
            if original is node:
                return replacement
            original.replace_self(replacement)
        return node


def html_visit_diagram(self, node: diagram) -> None:
    """The SVG as an <object> that assistive technology announces: role="img" with the (translated)
    alt text as its label; sphinxcontrib-mermaid's own markup leaves the alt text as fallback
    content, which a screen reader may never read."""
    try:
        image = sphinx_mermaid.render_mm(self, translated_code(node), node["options"], "svg", "mermaid")[0]
    except sphinx_mermaid.MermaidError as error:
        image, message = None, str(error)
    else:
        message = "the diagram command could not run (see mermaid_cmd in conf.py)"
    if image is None:
        logger.warning(f"diagram not drawn: {message}", location=node)
        raise nodes.SkipNode
    alt = escape(translated_alt(node) or "")
    self.body.append(
        f'<object data="{escape(image)}" type="image/svg+xml" class="mermaid" role="img" aria-label="{alt}">'
        f'<p class="warning">{alt}</p></object>\n'
    )
    raise nodes.SkipNode


def latex_visit_diagram(self, node: diagram) -> None:
    sphinx_mermaid.render_mm_latex(self, node, translated_code(node), node["options"])


def texinfo_visit_diagram(self, node: diagram) -> None:
    sphinx_mermaid.render_mm_texinfo(self, node, translated_code(node), node["options"])


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("sphinxcontrib.mermaid")
    app.add_node(
        diagram,
        html=(html_visit_diagram, None),
        latex=(latex_visit_diagram, None),
        texinfo=(texinfo_visit_diagram, None),
        text=(sphinx_mermaid.text_visit_mermaid, None),
        man=(sphinx_mermaid.man_visit_mermaid, None),
    )
    app.add_node(diagram_label)
    app.add_directive("diagram", Diagram)
    # env_version: the HTML of a diagram changed (role="img"), so old builds are built again
    return {"version": "3", "env_version": 3, "parallel_read_safe": True, "parallel_write_safe": True}
