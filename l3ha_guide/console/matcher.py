"""Compare a documented output with the real one, binding run-time values guide-wide.

The manual shows concrete values (UUIDs, MACs, the router's external address).
Each documented value of a bound kind (see `variables`) stands for one real
value across the whole guide, and different documented values for different real
ones. `match()` returns the bindings extended by what this output proved, or a
failure that says which documented line or row has no real counterpart.
`contradictions()` says, for an output that fails only because of earlier
bindings, which earlier place bound each value otherwise.

Compare modes (the `:compare:` option of a console block):
  exact           same lines in the same order (a documented `...` line skips any lines)
  lines           documented lines appear in the real output in order; other lines may come between
  contains        every documented line appears somewhere in the real output
  same-lines      the same lines as documented, nothing left out, in any order (a generated
                  file that sorts run-time values, such as keepalived.conf's addresses)
  table           same tables, same rows in the same order; text lines as in `lines`
  unordered-table same tables, rows in any order; text lines as in `lines`
  none            the output is not compared (the command must still succeed)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from l3ha_guide.console import tables
from l3ha_guide.console.variables import (
    OBJECT_NAME,
    OBJECT_NAME_PATTERN,
    RUNTIME_FIELDS,
    Kind,
    find_variables,
)

ELLIPSIS = "..."
SEARCH_BUDGET = 200_000  # alignment steps before a match is given up as too ambiguous
MAX_CANDIDATES = 16  # ways of binding a page's values kept open at once


class MatchError(Exception):
    """The documented output does not match; the message says where."""


@dataclass
class Bindings:
    """Documented value -> real value, per kind, for the whole guide; one-to-one.

    The names of the objects the manual creates are bound from the start: each
    stands for itself with `name_prefix` in front (empty on the embedded lab).
    """

    forward: dict[str, dict[str, str]] = field(default_factory=dict)
    # (kind, documented value) -> where it was bound ("source/page.md:LINE"); not part of equality.
    origins: dict[tuple[str, str], str] = field(default_factory=dict, compare=False)
    name_prefix: str = field(default="", compare=False)

    def copy(self) -> Bindings:
        return Bindings(
            {kind: dict(values) for kind, values in self.forward.items()},
            dict(self.origins),
            self.name_prefix,
        )

    def fresh(self) -> Bindings:
        """No values bound yet, the same names."""
        return Bindings(name_prefix=self.name_prefix)

    def record_origin(self, place: str) -> None:
        """Note `place` as where every binding without a recorded place was made."""
        for kind, values in self.forward.items():
            for documented in values:
                self.origins.setdefault((kind, documented), place)

    def origin(self, kind: str, documented: str) -> str:
        return self.origins.get((kind, documented), "an earlier example")

    def real(self, kind: Kind, documented: str) -> str | None:
        bound = self.forward.get(kind.name, {}).get(documented)
        return bound if bound is not None else self._derived(kind.name, documented)

    def _derived(self, kind: str, documented: str) -> str | None:
        """Values derived from others: device names from port ids, link-local addresses from MACs,
        and the real name of an object the manual creates."""
        if kind == OBJECT_NAME:
            return self.name_prefix + documented
        if kind == "port device":
            for port, real in self.forward.get("uuid", {}).items():
                if port.startswith(documented):
                    return real[: len(documented)]
        if kind == "link-local address":
            for mac, real in self.forward.get("mac", {}).items():
                if link_local(mac) == documented:
                    return link_local(real)
        return None

    def documented(self, kind: Kind, real: str) -> str | None:
        if kind.name == OBJECT_NAME:
            return real.removeprefix(self.name_prefix) if real.startswith(self.name_prefix) else None
        for documented, bound in self.forward.get(kind.name, {}).items():
            if bound == real:
                return documented
        return None

    def bind(self, kind: Kind, documented: str, real: str) -> None:
        self.forward.setdefault(kind.name, {})[documented] = real

    def substitute(self, documented_text: str) -> tuple[str, list[str]]:
        """Replace bound documented values by their real values.

        Returns the text and the documented values of bound kinds that have no
        binding yet (left as written: they may be values the reader types).
        """
        pieces, unbound, position = [], [], 0
        for occurrence in find_variables(documented_text):
            if not occurrence.kind.bound:
                continue
            real = self.real(occurrence.kind, occurrence.value)
            if real is None:
                unbound.append(occurrence.value)
                continue
            pieces.append(documented_text[position : occurrence.start])
            pieces.append(real)
            position = occurrence.end
        pieces.append(documented_text[position:])
        return "".join(pieces), unbound

    def replace_with(self, other: Bindings) -> None:
        """Take the other bindings' values, dropping ours that they contradict (a replaced object)."""
        for kind, values in other.forward.items():
            mine = self.forward.setdefault(kind, {})
            for documented, real in values.items():
                for old in [key for key, value in mine.items() if value == real and key != documented]:
                    del mine[old]
                mine[documented] = real
                self.origins[kind, documented] = other.origin(kind, documented)

    def as_documented(self, real_text: str) -> str:
        """Replace real values by the documented values bound to them (for suggestions).

        Values are found where their kind is found in documented text, so a VRID
        bound to 24 turns back in `vrid 24`, never in `/24`.
        """
        if self.name_prefix:  # the manual's names, as a prefixed name is no value of their kind
            real_text = re.sub(f"{re.escape(self.name_prefix)}(?={OBJECT_NAME_PATTERN})", "", real_text)
        pieces, position = [], 0
        for occurrence in find_variables(real_text):
            documented = self._documented_or_derived(occurrence.kind, occurrence.value)
            if documented is None or not occurrence.kind.bound:
                continue
            pieces += [real_text[position : occurrence.start], documented]
            position = occurrence.end
        return "".join(pieces) + real_text[position:]

    def _documented_or_derived(self, kind: Kind, real: str) -> str | None:
        documented = self.documented(kind, real)
        if documented is not None or kind.name not in ("port device", "link-local address"):
            return documented
        source = "uuid" if kind.name == "port device" else "mac"
        for documented_value, real_value in self.forward.get(source, {}).items():
            if kind.name == "port device" and real_value.startswith(real):
                return documented_value[: len(real)]
            if kind.name == "link-local address" and link_local(real_value) == real:
                return link_local(documented_value)
        return None

    def as_dict(self) -> dict[str, dict[str, str]]:
        return {kind: dict(values) for kind, values in self.forward.items() if values}


def link_local(mac: str) -> str:
    """The IPv6 link-local address the kernel makes from a MAC address (modified EUI-64)."""
    octets = [int(part, 16) for part in mac.split(":")]
    octets[0] ^= 0x02
    groups = [
        octets[0] << 8 | octets[1],
        octets[2] << 8 | 0xFF,
        0xFE << 8 | octets[3],
        octets[4] << 8 | octets[5],
    ]
    return "fe80::" + ":".join(f"{group:x}" for group in groups)


def normalise(line: str) -> str:
    """Runs of whitespace count as one space; leading and trailing whitespace do not count."""
    return " ".join(line.split())


def match_text(documented: str, real: str, bindings: Bindings) -> Bindings | None:
    """Match one documented line (or table cell) with one real one; new bindings or None."""
    documented, real = normalise(documented), normalise(real)
    pattern, groups, position = [], {}, 0
    free: list[tuple[str, Kind, str]] = []
    for occurrence in find_variables(documented):
        pattern.append(re.escape(documented[position : occurrence.start]))
        position = occurrence.end
        kind = occurrence.kind
        if not kind.bound:
            name = f"f{len(free)}"
            free.append((name, kind, occurrence.value))
            pattern.append(f"(?P<{name}>{kind.real})")
            continue
        bound = bindings.real(kind, occurrence.value)
        if bound is not None:
            pattern.append(re.escape(bound))
        elif (kind.name, occurrence.value) in groups:
            pattern.append(f"(?P={groups[kind.name, occurrence.value][0]})")
        else:
            name = f"v{len(groups)}"
            groups[kind.name, occurrence.value] = (name, kind)
            pattern.append(f"(?P<{name}>{kind.real})")
    pattern.append(re.escape(documented[position:]))
    found = re.fullmatch("".join(pattern), real)
    if found is None:
        return None
    if not all(kind.accepts(documented_value, found.group(name)) for name, kind, documented_value in free):
        return None
    if not groups:
        return bindings
    extended = bindings.copy()
    for (_, documented_value), (name, kind) in groups.items():
        real_value = found.group(name)
        if not kind.accepts(documented_value, real_value):
            return None
        if extended.documented(kind, real_value) is not None:
            return None  # this real value already stands for another documented value
        extended.bind(kind, documented_value, real_value)
    return extended


class _Search:
    """Backtracking alignment of documented lines onto real lines, with a step budget."""

    def __init__(self, documented: list[str], real: list[str], gaps: bool, ordered: bool = True) -> None:
        self.documented, self.real, self.gaps, self.ordered = documented, real, gaps, ordered
        self.steps = 0

    def run(self, bindings: Bindings) -> Bindings | None:
        if self.ordered:
            return self._ordered(0, 0, bindings)
        return self._unordered(0, frozenset(), bindings)

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > SEARCH_BUDGET:
            raise MatchError("the documented output is too ambiguous to align (search budget exhausted)")

    def _ordered(self, doc_index: int, real_index: int, bindings: Bindings) -> Bindings | None:
        self._tick()
        if doc_index == len(self.documented):
            return bindings if self.gaps or real_index == len(self.real) else None
        line = self.documented[doc_index]
        if line.strip() == ELLIPSIS:
            for next_real in range(real_index, len(self.real) + 1):
                result = self._ordered(doc_index + 1, next_real, bindings)
                if result is not None:
                    return result
            return None
        candidates = range(real_index, len(self.real)) if self.gaps else range(real_index, real_index + 1)
        for candidate in candidates:
            if candidate >= len(self.real):
                break
            extended = match_text(line, self.real[candidate], bindings)
            if extended is not None:
                result = self._ordered(doc_index + 1, candidate + 1, extended)
                if result is not None:
                    return result
        return None

    def _unordered(self, doc_index: int, used: frozenset[int], bindings: Bindings) -> Bindings | None:
        self._tick()
        if doc_index == len(self.documented):
            return bindings
        for candidate, real_line in enumerate(self.real):
            if candidate in used:
                continue
            extended = match_text(self.documented[doc_index], real_line, bindings)
            if extended is not None:
                result = self._unordered(doc_index + 1, used | {candidate}, extended)
                if result is not None:
                    return result
        return None


def _first_unmatched(documented: list[str], real: list[str], bindings: Bindings) -> str:
    """A short reason: the first documented line with no real counterpart (greedy)."""
    current = bindings
    for number, line in enumerate(documented, start=1):
        if line.strip() == ELLIPSIS:
            continue
        for real_line in real:
            extended = match_text(line, real_line, current)
            if extended is not None:
                current = extended
                break
        else:
            return f"documented line {number} has no counterpart in the real output: {line.strip()!r}"
    return "the documented lines appear, but not in this order or not one for one"


def _content_lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


def _match_lines(documented: list[str], real: list[str], mode: str, bindings: Bindings) -> Bindings:
    if mode == "exact":
        search = _Search(documented, real, gaps=False)
    elif mode == "contains":
        search = _Search([line for line in documented if line.strip()], real, gaps=True, ordered=False)
    else:
        search = _Search([line for line in documented if line.strip()], real, gaps=True)
    result = search.run(bindings)
    if result is None:
        raise MatchError(_first_unmatched(documented, real, bindings))
    return result


def _match_same_lines(documented: list[str], real: list[str], bindings: Bindings) -> Bindings:
    """Every documented line stands for one real line and no real line is left over; any order.

    Lines without variables pair off by their text first; only the others are searched.
    """
    documented = [line for line in documented if line.strip()]
    real = [line for line in real if line.strip()]
    if len(documented) != len(real):
        raise MatchError(f"{len(documented)} documented lines, {len(real)} real lines")
    remaining = [normalise(line) for line in real]
    with_variables = []
    for number, line in enumerate(documented, start=1):
        if find_variables(line):
            with_variables.append(line)
        elif normalise(line) in remaining:
            remaining.remove(normalise(line))
        else:
            raise MatchError(
                f"documented line {number} has no counterpart in the real output: {line.strip()!r}"
            )
    result = _Search(with_variables, remaining, gaps=True, ordered=False).run(bindings)
    if result is None:
        raise MatchError(_first_unmatched(with_variables, remaining, bindings))
    return result


def _match_row(
    header: list[str], documented: list[str], real: list[str], bindings: Bindings
) -> Bindings | None:
    if len(documented) != len(real):
        return None
    field_value = len(header) == 2 and header[0].lower() in ("field", "property")
    current = bindings
    for position, (documented_cell, real_cell) in enumerate(zip(documented, real, strict=True)):
        if field_value and position == 1 and normalise(documented[0]) in RUNTIME_FIELDS:
            continue
        extended = match_text(documented_cell, real_cell, current)
        if extended is None:
            return None
        current = extended
    return current


def _match_table(
    documented: tables.Table, real: tables.Table, ordered: bool, bindings: Bindings, number: int
) -> list[Bindings]:
    """Every distinct way (up to MAX_CANDIDATES) the documented rows can stand for the real rows."""
    if [normalise(cell) for cell in documented.header] != [normalise(cell) for cell in real.header]:
        raise MatchError(
            f"table {number}: the columns differ: documented {documented.header}, real {real.header}"
        )
    if len(documented.rows) != len(real.rows):
        raise MatchError(
            f"table {number}: {len(documented.rows)} documented rows, {len(real.rows)} real rows"
        )
    steps = 0
    solutions: list[Bindings] = []

    def assign(row_index: int, used: frozenset[int], current: Bindings) -> None:
        nonlocal steps
        steps += 1
        if steps > SEARCH_BUDGET:
            raise MatchError(f"table {number}: too ambiguous to align (search budget exhausted)")
        if len(solutions) >= MAX_CANDIDATES:
            return
        if row_index == len(documented.rows):
            if current not in solutions:
                solutions.append(current)
            return
        candidates = [row_index] if ordered else [i for i in range(len(real.rows)) if i not in used]
        for candidate in candidates:
            extended = _match_row(
                documented.header, documented.rows[row_index], real.rows[candidate], current
            )
            if extended is not None:
                assign(row_index + 1, used | {candidate}, extended)

    assign(0, frozenset(), bindings)
    if solutions:
        return solutions
    # Name the first documented row that matches no real row on its own.
    for row in documented.rows:
        if not any(_match_row(documented.header, row, other, bindings) for other in real.rows):
            raise MatchError(f"table {number}: documented row has no counterpart: | {' | '.join(row)} |")
    order = "in this order" if ordered else "one for one"
    raise MatchError(f"table {number}: every documented row matches some real row, but not {order}")


def _match_tables(documented: str, real: str, ordered: bool, bindings: Bindings) -> list[Bindings]:
    documented_segments, real_segments = tables.parse(documented), tables.parse(real)
    documented_tables, real_tables = tables.tables(documented_segments), tables.tables(real_segments)
    if len(documented_tables) != len(real_tables):
        raise MatchError(f"{len(documented_tables)} documented tables, {len(real_tables)} in the real output")
    current = [bindings]
    for number, (documented_table, real_table) in enumerate(
        zip(documented_tables, real_tables, strict=True), start=1
    ):
        current = [
            solution
            for candidate in current
            for solution in _match_table(documented_table, real_table, ordered, candidate, number)
        ][:MAX_CANDIDATES]
    documented_text = [line for line in tables.text_lines(documented_segments) if line.strip()]
    return [_match_lines(documented_text, tables.text_lines(real_segments), "lines", c) for c in current]


@dataclass(frozen=True)
class CompareMode:
    """How a console block's documented output is compared with the real one (`:compare:`)."""

    description: str
    compare: Callable[[str, str, Bindings], list[Bindings]]


def _lines(mode: str) -> Callable[[str, str, Bindings], list[Bindings]]:
    return lambda documented, real, bindings: [
        _match_lines(_content_lines(documented), _content_lines(real), mode, bindings)
    ]


COMPARE_MODES: dict[str, CompareMode] = {
    "exact": CompareMode("every line, in order, nothing left out", _lines("exact")),
    "lines": CompareMode(
        "the documented lines in order; real lines between them may be left out", _lines("lines")
    ),
    "contains": CompareMode("the documented lines, in any order", _lines("contains")),
    "same-lines": CompareMode(
        "every line, nothing left out, in any order (a file that sorts run-time values)",
        lambda documented, real, bindings: [
            _match_same_lines(_content_lines(documented), _content_lines(real), bindings)
        ],
    ),
    "table": CompareMode(
        "the client's tables row for row, and the text around them as `lines`",
        lambda documented, real, bindings: _match_tables(documented, real, True, bindings),
    ),
    "unordered-table": CompareMode(
        "the client's tables with their rows in any order",
        lambda documented, real, bindings: _match_tables(documented, real, False, bindings),
    ),
    "none": CompareMode("the command must succeed; its output is not compared", lambda _d, _r, b: [b]),
}


def match_all(documented: str, real: str, mode: str, candidates: list[Bindings]) -> list[Bindings]:
    """The candidate bindings that this output agrees with, each extended by it.

    An unordered table with interchangeable rows (two HA ports, say) binds its
    values in more than one way; every way is kept as a candidate until a later
    output on the page tells them apart. Raises MatchError if none agrees.
    """
    if mode not in COMPARE_MODES:
        raise ValueError(f"unknown compare mode {mode!r}")
    compare = COMPARE_MODES[mode].compare
    survivors: list[Bindings] = []
    first_error: MatchError | None = None
    for candidate in candidates:
        try:
            found = compare(documented, real, candidate)
        except MatchError as error:
            first_error = first_error or error
            continue
        survivors.extend(item for item in found if item not in survivors)
    if not survivors:
        raise first_error or MatchError("no candidate bindings")
    return survivors[:MAX_CANDIDATES]


def match(documented: str, real: str, mode: str, bindings: Bindings) -> Bindings:
    """The bindings extended by this output (the first way, if several); raises MatchError with a reason."""
    return match_all(documented, real, mode, [bindings])[0]


def contradictions(documented: str, real: str, mode: str, bindings: Bindings) -> list[str]:
    """Why an output that did not match with the guide's bindings matches without them: each value
    it binds otherwise than an earlier place did, naming that place. Empty if it matches neither way."""
    try:
        alone = match_all(documented, real, mode, [bindings.fresh()])[0]
    except MatchError:
        return []
    found = []
    for kind, values in alone.forward.items():
        bound = bindings.forward.get(kind, {})
        for documented_value, real_value in values.items():
            earlier_real = bound.get(documented_value)
            if earlier_real is not None and earlier_real != real_value:
                found.append(
                    f"{kind} {documented_value} is {real_value} here, but stands for {earlier_real} "
                    f"since {bindings.origin(kind, documented_value)}"
                )
            for earlier_documented, value in bound.items():
                if value == real_value and earlier_documented != documented_value:
                    found.append(
                        f"{kind} {documented_value} is {real_value} here, which "
                        f"{bindings.origin(kind, earlier_documented)} documents as {earlier_documented}"
                    )
    return found


def readable_diff(documented: str, real: str, bindings: Bindings) -> str:
    """A unified diff: the documented output (with values bound so far replaced) against the real one."""
    expected, _ = bindings.substitute(documented)
    return "\n".join(
        difflib.unified_diff(
            _content_lines(expected),
            _content_lines(real),
            fromfile="documented",
            tofile="real",
            lineterm="",
        )
    )
