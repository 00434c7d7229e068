"""The `diagram` directive: a Mermaid diagram kept as a file under source/diagrams/.

    ```{diagram} diagrams/hardware-layout.mmd
    :caption: Hardware layout
    :alt: Controller, two network nodes and compute nodes on four networks
    ```

A missing file fails the build with the page and line. Rendering goes through
sphinxcontrib-mermaid with `mermaid_cmd` set to `mermaid_command()`, a cache in
front of mermaid-cli, so the pages carry SVG files and need no script from a CDN.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinxcontrib.mermaid import Mermaid


def mermaid_command() -> str:
    """The `mermaid_cmd` for conf.py: this interpreter running the diagram cache."""
    return f"{shlex.quote(sys.executable)} -m l3ha_guide.diagram_cache"


class Diagram(Mermaid):
    required_arguments = 1

    def run(self, **kwargs):  # type: ignore[override]
        env = self.state.document.settings.env
        relative_path = self.arguments[0]
        _, absolute_path = env.relfn2path(relative_path, env.docname)
        if not Path(absolute_path).is_file():
            raise self.error(f"diagram file not found: {relative_path} (looked in {absolute_path})")
        return super().run(**kwargs)


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("sphinxcontrib.mermaid")
    app.add_directive("diagram", Diagram)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
