"""Which source lines open or sit inside a literal block (code, console or config).

Sphinx extracts literal blocks only when `gettext_additional_targets` asks for
them; if it does, their translation must be the block itself, byte for byte.
A message is a literal block when its source location falls in such a fence.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from l3ha_guide import PROJECT_ROOT

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}|:{3,})\s*(\{[\w:-]+\})?")
# Directives whose body is shown verbatim; other directives (note, diagram, ...) hold prose.
LITERAL_DIRECTIVES = {"{code}", "{code-block}", "{sourcecode}", "{console-block}", "{config-block}"}


@cache
def literal_lines(source: Path) -> dict[int, frozenset[str]]:
    """Line numbers (1-based) of literal fences in a MyST page, fence lines included,
    each mapped to the stripped body lines of its fence."""
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    inside: dict[int, frozenset[str]] = {}
    open_fences: list[tuple[str, bool, int]] = []  # (delimiter, literal, first line)
    for number, line in enumerate(lines, start=1):
        match = FENCE.match(line)
        if match and open_fences and match.group(1) == open_fences[-1][0] and not line[match.end() :].strip():
            _, literal, first = open_fences.pop()
            if literal:
                body = frozenset(line.strip() for line in lines[first : number - 1] if line.strip())
                inside.update(dict.fromkeys(range(first, number + 1), body))
        elif match and not (open_fences and open_fences[-1][1]):
            directive = match.group(2)
            literal = match.group(1)[0] != ":" and (directive is None or directive in LITERAL_DIRECTIVES)
            open_fences.append((match.group(1), literal, number))
    return inside


@cache
def source_of(occurrence: str) -> Path:
    """A location as written by the gettext builder (relative to its output folder) → the page.

    `../../source/page.md` (output in build/gettext) is a page of this checkout;
    a path that does not exist there is tried from the file system root.
    """
    parts = [part for part in Path(occurrence).parts if part not in ("..", ".")]
    in_checkout = PROJECT_ROOT.joinpath(*parts)
    return in_checkout if in_checkout.exists() else Path("/", *parts)


def is_literal_block(msgid: str, occurrences: list[tuple[str, str]]) -> bool:
    """True when the message sits in a literal fence and is that fence's text.

    The text test matters: a directive may add prose at its own line (the console
    block's "Not run in the lab" note), which is translated like any paragraph.
    """
    first_line = msgid.strip().splitlines()[0].strip() if msgid.strip() else ""
    for file, line in occurrences:
        if line and line.isdigit():
            body = literal_lines(source_of(file)).get(int(line))
            if body is not None and first_line in body:
                return True
    return False
