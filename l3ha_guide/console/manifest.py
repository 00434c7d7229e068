"""The manifest of the manual's console examples and config blocks, collected by Sphinx.

`sphinx-build -b console-manifest` (run by `extract()`) reads the pages and
writes build/console/manifest.json: every `console-block` with its page, the
line of each command, host(s), commands, documented output, compare mode,
skip reason and lab action, and every `config-block` with its target path, in
the manual's reading order (the toctree's). The directives only mark; this
builder collects; `tests/console` runs; the same split as Sphinx's doctest.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from docutils import nodes
from sphinx.builders import Builder

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.errors import UserError

CONSOLE_DIR = PROJECT_ROOT / "build" / "console"
MANIFEST_PATH = CONSOLE_DIR / "manifest.json"
PROMPT = "$ "


@dataclass
class Command:
    line: int  # source line of the command
    command: str  # as documented (a trailing backslash continues it on the next line)
    output: str = ""  # documented output


class _Located:
    """An example is identified by its page source and line, in results and reports."""

    source: str
    line: int

    @property
    def id(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass
class ConsoleExample(_Located):
    page: str  # docname, e.g. "verify-operation"
    source: str  # path relative to the project root
    line: int  # line of the block's first command
    hosts: list[str]
    compare: str
    skip: str
    lab_action: str
    commands: list[Command]
    digest: str = ""  # identifies the block's content, so stale results are recognised
    kind: str = "console"


@dataclass
class ConfigExample(_Located):
    page: str
    source: str
    line: int
    path: str
    roles: list[str]
    digest: str = ""
    kind: str = "config"


@dataclass
class Manifest:
    console: list[ConsoleExample] = field(default_factory=list)
    config: list[ConfigExample] = field(default_factory=list)


def split_commands(text: str, first_line: int) -> list[Command]:
    """Commands (lines after the prompt, with continuation lines) and the output each printed."""
    commands: list[Command] = []
    continuing = False
    for offset, line in enumerate(text.splitlines()):
        if continuing:
            commands[-1].command += "\n" + line
        elif line.startswith(PROMPT):
            commands.append(Command(first_line + offset, line[len(PROMPT) :]))
        elif commands:
            commands[-1].output += line + "\n"
        continuing = bool(commands) and line.endswith("\\") and (continuing or line.startswith(PROMPT))
    return commands


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


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
                commands=commands,
            )
            example.digest = digest(example.hosts, example.compare, example.skip, node.astext())
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

    name = "console-manifest"
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
        Path(self.outdir).mkdir(parents=True, exist_ok=True)
        (Path(self.outdir) / "manifest.json").write_text(dump(manifest), encoding="utf-8")


def dump(manifest: Manifest) -> str:
    return json.dumps(asdict(manifest), indent=1, ensure_ascii=False) + "\n"


def load(path: Path = MANIFEST_PATH) -> Manifest:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UserError(
            f"{path}: cannot read the console manifest ({error}); run `l3ha-guide console extract`"
        ) from None
    console = [
        ConsoleExample(**{**entry, "commands": [Command(**command) for command in entry["commands"]]})
        for entry in data["console"]
    ]
    return Manifest(console, [ConfigExample(**entry) for entry in data["config"]])


def extract(
    source_dir: Path = PROJECT_ROOT / "source",
    output_dir: Path = CONSOLE_DIR,
    doctree_dir: Path = PROJECT_ROOT / "build" / "doctrees" / "console",
) -> Manifest:
    """Run the manifest builder on the English pages; return the manifest."""
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        ConsoleManifestBuilder.name,
        "-q",
        "-c",
        str(PROJECT_ROOT),
        "-d",
        str(doctree_dir),
        str(source_dir),
        str(output_dir),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    output = (result.stdout + result.stderr).splitlines()
    if result.returncode != 0:
        tail = "\n".join(output[-20:])
        raise UserError(f"{source_dir}: extracting the console examples failed:\n{tail}")
    # A broken block is an error (not a warning) in Sphinx's output: then the manifest is incomplete.
    errors = [index for index, line in enumerate(output) if ": ERROR:" in line or ": CRITICAL:" in line]
    if errors:
        details = "\n".join("\n".join(output[index : index + 4]) for index in errors[:5])
        raise UserError(details)
    return load(output_dir / "manifest.json")
