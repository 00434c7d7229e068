"""Docutils nodes for generated data (benchmarks, failover figures, the truth report).

Generated text is kept out of the translation catalogs: it changes with every
run, and a build with results would extract other messages than one without.
"""

from __future__ import annotations

from docutils import nodes


def data_paragraph(content: str | nodes.Node) -> nodes.paragraph:
    text = content if isinstance(content, nodes.Node) else nodes.Text(content)
    paragraph = nodes.paragraph("", "", text)
    paragraph["translatable"] = False
    return paragraph


def data_table(
    headers: list[str],
    rows: list[list[str | nodes.Node]],
    widths: list[int] | None = None,
    css_class: str = "",
) -> nodes.table:
    classes = [css_class] if css_class else []
    if widths:
        classes.append("colwidths-given")  # the HTML writers then set each column's width
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in widths or [1] * len(headers))

    def row(cells: list[str | nodes.Node]) -> nodes.row:
        result = nodes.row()
        for cell in cells:
            result += nodes.entry("", data_paragraph(cell))
        return result

    group += nodes.thead("", row(list(headers)))
    group += nodes.tbody("", *(row(cells) for cells in rows))
    return table
