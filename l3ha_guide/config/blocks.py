"""Find the `config-block` directives of the Markdown sources, without running Sphinx.

markdown-it-py (which myst-parser already brings) finds the fences wherever they sit, in list
items too; the content of other directives is parsed again, the way MyST parses nested
directives, so a block inside a `{note}` is found as well. Every body line keeps its page line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin

from l3ha_guide.config.findings import Finding, Location, error
from l3ha_guide.config.placeholders import PLACEHOLDERS
from l3ha_guide.topology import NODE_ROLES

DIRECTIVE = "config-block"
ROLES = NODE_ROLES  # the node roles of examples/lab/topology.yaml
DIRECTIVE_INFO = re.compile(r"^\{(?P<name>[\w-]+)\}\s*(?P<argument>.*)$")
# Directives whose content is literal text, not Markdown: a config-block inside one is a sample.
LITERAL_DIRECTIVES = frozenset(
    {"code-block", "code", "sourcecode", "code-cell", "literalinclude", "console-block", "mermaid", "math",
     "raw", "eval-rst", "csv-table", "diagram"}
)  # fmt: skip
OPTION_LINE = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")


@dataclass
class ConfigBlock:
    page: str
    target: str  # absolute path on the node, e.g. /etc/neutron/l3_agent.ini
    roles: tuple[str, ...]
    location: Location  # the fence's opening line
    lines: list[tuple[Location, str]]  # body lines with their page lines


@dataclass
class Page:
    path: str
    blocks: list[ConfigBlock]
    explained: set[str]  # placeholders named in the text outside the blocks
    findings: list[Finding]


# MyST's `colon_fence` extension is on in conf.py, so `:::{config-block}` is a block too.
_markdown = MarkdownIt("commonmark").use(colon_fence_plugin)
OPENING_LINE = re.compile(r"^\s*(```+|~~~+|:::+)\s*\{config-block\}")


def _split_options(content_lines: list[str]) -> tuple[dict[str, str], int]:
    """Leading `:key: value` lines and the index of the first body line after them."""
    options: dict[str, str] = {}
    index = 0
    while index < len(content_lines) and (match := OPTION_LINE.match(content_lines[index].strip())):
        options[match["key"]] = match["value"].strip()
        index += 1
    if index < len(content_lines) and not content_lines[index].strip():
        index += 1
    return options, index


def _scan(
    page: str,
    text: str,
    first_line: int,
    blocks: list[ConfigBlock],
    findings: list[Finding],
    samples: set[int],
) -> None:
    """first_line: the 1-based page line of the text's first line; samples collects code-sample lines."""
    for token in _markdown.parse(text):
        if token.type not in ("fence", "colon_fence") or token.map is None:
            continue
        match = DIRECTIVE_INFO.match(token.info.strip())
        opening = first_line + token.map[0]
        if match is None or match["name"] in LITERAL_DIRECTIVES:
            samples.update(range(opening, first_line + token.map[1]))
            continue
        content_lines = token.content.splitlines()
        options, body_start = _split_options(content_lines)
        body_first_line = opening + 1 + body_start
        if match["name"] != DIRECTIVE:
            _scan(page, "\n".join(content_lines[body_start:]), body_first_line, blocks, findings, samples)
            continue
        location = Location(page, opening)
        target = match["argument"].strip()
        roles = tuple(role for role in re.split(r"[,\s]+", options.get("roles", "")) if role)
        if not target.startswith("/"):
            findings.append(error(location, f"config-block needs an absolute target path, got {target!r}"))
            continue
        if not roles or any(role not in ROLES for role in roles):
            findings.append(
                error(location, f"config-block {target}: ':roles:' must name some of {', '.join(ROLES)}")
            )
            continue
        body = [
            (Location(page, body_first_line + index), line)
            for index, line in enumerate(content_lines[body_start:])
        ]
        if not any(line.strip() for _, line in body):
            findings.append(error(location, f"config-block {target} is empty"))
            continue
        blocks.append(ConfigBlock(page, target, roles, location, body))


def read_page(path: Path, shown_as: str | None = None) -> Page:
    shown = shown_as or str(path)
    text = path.read_text(encoding="utf-8")
    blocks: list[ConfigBlock] = []
    findings: list[Finding] = []
    samples: set[int] = set()
    _scan(shown, text, 1, blocks, findings, samples)
    # A fence the scanner did not take as a directive (inside a code sample, say) would silently
    # drop a block from extraction; name it instead.
    seen = (
        {block.location.line for block in blocks} | {finding.location.line for finding in findings} | samples
    )
    for number, line in enumerate(text.splitlines(), 1):
        if OPENING_LINE.match(line) and number not in seen:
            findings.append(error(Location(shown, number), "config-block not recognised as a directive here"))
    body_lines = {location.line for block in blocks for location, _ in block.lines}
    prose = "\n".join(line for number, line in enumerate(text.splitlines(), 1) if number not in body_lines)
    explained = {name for name in PLACEHOLDERS if name in prose}
    return Page(shown, blocks, explained, findings)
