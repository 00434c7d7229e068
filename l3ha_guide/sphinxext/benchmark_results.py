"""The `benchmark-results` directive: the Benchmarks page's tables, read from the results JSON.

    ```{benchmark-results} _data/benchmarks.json
    :plot: _data/benchmarks.svg
    ```

Each section becomes a table of its figures (min, median, max for timings,
plain values otherwise), preceded by the machine and versions. With no results
file, the page says so instead of showing numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from l3ha_guide.sphinxext.data_files import note_data_file
from l3ha_guide.sphinxext.data_nodes import data_paragraph, data_table
from l3ha_guide.sphinxext.messages import _


def _format(value: object) -> str:
    return json.dumps(value) if isinstance(value, (list, dict)) else str(value)


class BenchSectionDirective(SphinxDirective):
    """A directive that shows one section of the results JSON named by its argument."""

    required_arguments = 1

    def bench_section(self, name: str) -> dict:
        """The section's figures ({} without a results file or without the section)."""
        absolute = self.env.relfn2path(self.arguments[0], self.env.docname)[1]
        note_data_file(self.env, absolute)
        path = Path(absolute)
        return json.loads(path.read_text()).get("sections", {}).get(name, {}) if path.exists() else {}

    @staticmethod
    def not_measured(text: str) -> list[nodes.Node]:
        note = nodes.important()
        note += data_paragraph(text)
        return [note]


class BenchmarkResults(SphinxDirective):
    required_arguments = 1
    option_spec = {"plot": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        absolute = self.env.relfn2path(self.arguments[0], self.env.docname)[1]
        note_data_file(self.env, absolute)
        path = Path(absolute)
        if not path.exists():
            return [data_paragraph(_("No benchmark results yet: run `l3ha-guide bench`."))]
        data = json.loads(path.read_text())
        machine = data["machine"]
        versions = ", ".join(f"{name} {version}" for name, version in machine["versions"].items() if version)
        result: list[nodes.Node] = [
            data_paragraph(
                _(
                    "{date}: {cores} cores, {memory} GiB, Python {python}, kernel {kernel}; {versions}."
                ).format(
                    date=machine["date"],
                    cores=machine["cores"],
                    memory=machine["memory_gib"],
                    python=machine["python"],
                    kernel=machine["kernel"],
                    versions=versions,
                )
            )
        ]
        for name, section in sorted(data["sections"].items()):
            rows = []
            for metric, value in section.items():
                if isinstance(value, dict) and "median" in value:
                    rows.append([metric, *(str(value[key]) for key in ("min", "median", "max", "runs"))])
                else:
                    rows.append([metric, _format(value), "", "", ""])
            section_node = nodes.rubric(text=name)
            section_node["translatable"] = False  # a section's name is data, like its figures
            result += [
                section_node,
                data_table([_("figure"), _("min"), _("median"), _("max"), _("runs")], rows),
            ]
        if "plot" in self.options:
            _relative, plot_absolute = self.env.relfn2path(self.options["plot"], self.env.docname)
            if Path(plot_absolute).exists():
                # A name for screen readers (the tables above hold the same figures); Sphinx
                # extracts image alt text into the page's own catalog, so it is not marked here.
                alt = "Plot of the timings in the tables above"
                result.append(nodes.image(uri=self.options["plot"], alt=alt, width="100%"))
        return result


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("l3ha_guide.sphinxext.messages")
    app.setup_extension("l3ha_guide.sphinxext.data_files")
    app.add_directive("benchmark-results", BenchmarkResults)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
