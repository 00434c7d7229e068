"""The markup of one message, read with MyST's own Markdown parser.

A message is parsed exactly as the manual's pages are (markdown-it-py with
MyST's plugins), so emphasis that CommonMark leaves literal, for example
`**「名前空間」**を` where the closing `**` sits between punctuation and a
Japanese letter, shows up here as a literal `**` in a text token.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

# The extensions conf.py enables, so messages parse as the pages do.
MYST_EXTENSIONS = {"colon_fence", "deflist"}
ROLE_TARGET = re.compile(r"<([^<>]+)>\s*$")
BARE_URL = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?、。]")
SUBSTITUTION = re.compile(r"\{\{\s*[\w.]+\s*\}\}|%\(\w+\)[sdr]|%[sd]\b")
# Delimiters that must never survive parsing as plain text.
LITERAL_DELIMITERS = ("**", "`")


@dataclass
class Markup:
    links: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    code: Counter[str] = field(default_factory=Counter)
    emphasis: Counter[str] = field(default_factory=Counter)
    literal_delimiters: Counter[str] = field(default_factory=Counter)
    substitutions: Counter[str] = field(default_factory=Counter)
    prose: str = ""


@cache
def _parser() -> MarkdownIt:
    return create_md_parser(MdParserConfig(enable_extensions=MYST_EXTENSIONS), RendererHTML)


def role_target(content: str) -> str:
    """`the lab <lab-target>` → `lab-target`; `other` → `other`."""
    match = ROLE_TARGET.search(content)
    return (match.group(1) if match else content).strip()


def read_markup(message: str) -> Markup:
    markup = Markup(substitutions=Counter(SUBSTITUTION.findall(message)))
    prose: list[str] = []
    for block in _parser().parseInline(message):
        for token in block.children or []:
            if token.type == "link_open":
                markup.links[str(token.attrs.get("href", ""))] += 1
            elif token.type == "image":
                markup.links[str(token.attrs.get("src", ""))] += 1
            elif token.type == "myst_role":
                markup.roles[f"{{{token.meta['name']}}}`{role_target(token.content)}`"] += 1
            elif token.type == "code_inline":
                markup.code[token.content] += 1
            elif token.type in ("strong_open", "em_open"):
                markup.emphasis[token.type.removesuffix("_open")] += 1
            elif token.type == "text":
                prose.append(token.content)
                markup.links.update(BARE_URL.findall(token.content))
                for delimiter in LITERAL_DELIMITERS:
                    markup.literal_delimiters[delimiter] += token.content.count(delimiter)
    markup.prose = " ".join(prose)
    return markup
