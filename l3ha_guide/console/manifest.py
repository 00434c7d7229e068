"""The Sphinx builder that collects the manual's console examples and config blocks.

`sphinx-build -b console-manifest` (run by `l3ha_guide.console.examples.extract`)
reads the pages and writes manifest.json (the data model lives in `examples`).
The directives only mark; this builder collects; `tests/console` runs; the
same split as Sphinx's doctest.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from sphinx.builders import Builder

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.console.examples import (
    BUILDER,
    GUIDE,
    ConfigExample,
    ConsoleExample,
    Manifest,
    console_digest,
    digest,
    dump,
    split_commands,
)
from l3ha_guide.files import write_atomically


def _relative(source: str) -> str:
    try:
        return str(Path(source).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return source


def collect(docname: str, doctree: nodes.document) -> tuple[list[ConsoleExample], list[ConfigExample]]:
    console, config = [], []
    for node in doctree.findall(nodes.literal_block):
        source = _relative(node.source or "")
        if "console_hosts" in node:
            line = node["console_line"]
            commands = split_commands(node.astext(), line)
            example = ConsoleExample(
                page=docname,
                source=source,
                line=line,
                hosts=list(node["console_hosts"]),
                compare=node["console_compare"],
                skip=node["console_skip"],
                lab_action=node.get("console_lab_action", ""),
                fault=node.get("console_fault", ""),
                commands=commands,
                bindings=node.get("console_bindings", GUIDE),
                credentials=node.get("console_credentials", "admin"),
                exit_status=node.get("console_exit_status", 0),
                changes=node.get("console_changes", ""),
            )
            example.digest = console_digest(
                example.hosts,
                example.compare,
                example.skip,
                node.astext(),
                example.credentials,
                example.exit_status,
                example.fault,
            )
            console.append(example)
        elif "config_path" in node:
            example = ConfigExample(
                docname, source, node.line or 0, node["config_path"], list(node["config_roles"])
            )
            example.digest = digest(example.path, example.roles, node.astext())
            config.append(example)
    return console, config


def reading_order(root: str, includes: dict[str, list[str]], all_docs: Iterable[str]) -> list[str]:
    """Documents in toctree order (depth first from the root), then any others by name."""
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in includes.get(docname, []):
            visit(child)

    visit(root)
    return order + sorted(set(all_docs) - set(order))


class ConsoleManifestBuilder(Builder):
    """Writes manifest.json into the output folder instead of pages."""

    name = BUILDER
    epilog = "The console manifest is in %(outdir)s/manifest.json."
    allow_parallel = False

    def init(self) -> None:
        self.collected: dict[str, tuple[list[ConsoleExample], list[ConfigExample]]] = {}

    def get_outdated_docs(self) -> Iterable[str]:
        return self.env.found_docs

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return docname

    def prepare_writing(self, docnames: set[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        self.collected[docname] = collect(docname, doctree)

    def finish(self) -> None:
        manifest = Manifest()
        for docname in reading_order(self.config.root_doc, self.env.toctree_includes, self.collected):
            console, config = self.collected.get(docname, ([], []))
            manifest.console.extend(console)
            manifest.config.extend(config)
        write_atomically(Path(self.outdir) / "manifest.json", dump(manifest))
