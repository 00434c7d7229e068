"""The translatable labels of a Mermaid diagram, and the diagram with its labels replaced.

Labels are what a reader sees: quoted strings (`A["Network node 1"]`,
`-- "VRRP" -->`, `subgraph net ["Network node"]`), unquoted shape and edge
labels (`A[Controller]`, `-->|VXLAN|`), and in sequence diagrams participant
aliases, messages, notes and block titles (`loop Every 2 s`). Identifiers,
styles, comments and front matter are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SKIPPED_LINE = re.compile(r"^\s*(?:%%|classDef\b|class\b|style\b|linkStyle\b|click\b|direction\b)")
QUOTED = re.compile(r'"([^"\n]+)"')
PIPE = re.compile(r"\|([^|\"\n]+)\|")
# Unquoted node shapes after an identifier: id[..], id(..), id{..}, id([..]), id[(..)], id((..)), ...
SHAPE = re.compile(
    r"(?<![\w-])[\w-]+(?:\[\[|\[\(|\(\[|\(\(|\{\{|\[/|\[\\|\[|\(|\{|>)"
    r"(?P<label>[^\"\[\](){}|\n]+?)"
    r"(?:\]\]|\)\]|\]\)|\)\)|\}\}|/\]|\\\]|\]|\)|\})"
)
SEQUENCE_ALIAS = re.compile(r"^\s*(?:participant|actor)\s+\S+\s+as\s+(?P<label>.+?)\s*$")
# `A->>B: text`, `A--x B: text`, `Note over A,B: text`
SEQUENCE_TEXT = re.compile(
    r"^\s*(?:[^:\n]*?[-=]+[>)x]{1,2}[+-]?\s*[^:\n]+|[Nn]ote\s[^:\n]+):\s*(?P<label>.+?)\s*$"
)
SEQUENCE_BLOCK = re.compile(
    r"^\s*(?:loop|alt|else|opt|par|and|critical|option|break|title)\s+(?P<label>.+?)\s*$"
)


@dataclass(frozen=True)
class Label:
    start: int
    end: int
    text: str
    quote: bool  # the replacement must be written as a quoted string

    def written(self, translation: str) -> str:
        text = translation.replace('"', "#quot;")
        return f'"{text}"' if self.quote else text


def _diagram_body(code: str) -> tuple[int, str]:
    """Offset and text of the diagram after YAML front matter (`---` ... `---`)."""
    match = re.match(r"\s*---\n.*?\n---\n", code, re.DOTALL)
    return (match.end(), code[match.end() :]) if match else (0, code)


def _line_labels(line: str, offset: int, sequence: bool) -> list[Label]:
    labels: list[Label] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, text: str, quote: bool) -> None:
        if text.strip() and not any(start < stop and end > begin for begin, stop in taken):
            labels.append(Label(offset + start, offset + end, text.strip(), quote))
            taken.append((start, end))

    if sequence:
        for pattern in (SEQUENCE_ALIAS, SEQUENCE_TEXT, SEQUENCE_BLOCK):
            if match := pattern.match(line):
                add(match.start("label"), match.end("label"), match.group("label"), False)
                return labels
        return labels
    for match in QUOTED.finditer(line):
        add(match.start(), match.end(), match.group(1), True)
    for match in PIPE.finditer(line):
        add(match.start(1), match.end(1), match.group(1), True)
    for match in SHAPE.finditer(line):
        add(match.start("label"), match.end("label"), match.group("label"), True)
    return labels


def find_labels(code: str) -> list[Label]:
    """The labels in order of appearance."""
    offset, body = _diagram_body(code)
    lines = body.splitlines(keepends=True)
    first = next((line.strip() for line in lines if line.strip() and not line.lstrip().startswith("%%")), "")
    sequence = first.startswith("sequenceDiagram")
    labels: list[Label] = []
    for line in lines:
        if line.strip() and not SKIPPED_LINE.match(line) and line.strip() != first:
            labels.extend(_line_labels(line.rstrip("\n"), offset, sequence))
        offset += len(line)
    return sorted(labels, key=lambda label: label.start)


def translate(code: str, translations: dict[str, str]) -> str:
    """The diagram with each label that has a translation replaced by it."""
    for label in sorted(find_labels(code), key=lambda label: label.start, reverse=True):
        translation = translations.get(label.text)
        if translation:
            code = code[: label.start] + label.written(translation) + code[label.end :]
    return code
