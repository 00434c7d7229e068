"""ASCII tables as the `openstack` and `neutron` clients print them (cliff/prettytable).

    +------+-------+
    | Field | Value |
    +------+-------+
    | name | demo  |
    +------+-------+

An output is split into segments: runs of plain text lines and tables. A table
row whose first cell is empty continues the cell values of the row above (how
the clients print multi-line values). Cell text is stripped, so the width of
borders and padding never matters.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


Segment = Table | str  # a table, or one plain text line


def _is_border(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) > 1 and stripped[0] == "+" and set(stripped) <= {"+", "-", "="}


def _is_row(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip()[1:-1].split("|")]


def parse(text: str) -> list[Segment]:
    """Split an output into plain lines and tables, in order."""
    segments: list[Segment] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if not _is_border(line):
            segments.append(line)
            index += 1
            continue
        table: Table | None = None
        index += 1
        while index < len(lines) and (_is_border(lines[index]) or _is_row(lines[index])):
            current = lines[index]
            index += 1
            if _is_border(current):
                continue
            cells = _cells(current)
            if table is None:
                table = Table(header=cells)
            elif table.rows and cells[0] == "" and any(cells[1:]):
                previous = table.rows[-1]
                for position, cell in enumerate(cells[: len(previous)]):
                    if cell:
                        previous[position] = f"{previous[position]}\n{cell}" if previous[position] else cell
            else:
                table.rows.append(cells)
        segments.append(table if table is not None else "")
    return segments


def tables(segments: list[Segment]) -> list[Table]:
    return [segment for segment in segments if isinstance(segment, Table)]


def text_lines(segments: list[Segment]) -> list[str]:
    return [segment for segment in segments if isinstance(segment, str)]
