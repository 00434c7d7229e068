"""A page that shows a data file is read again when the file changes or appears, and only then."""

from __future__ import annotations

import io
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

EXTENSION = """
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from l3ha_guide.sphinxext.data_files import note_data_file


class ShowData(SphinxDirective):
    required_arguments = 1

    def run(self):
        path = self.env.relfn2path(self.arguments[0], self.env.docname)[1]
        note_data_file(self.env, path)
        text = open(path).read() if os.path.exists(path) else "no data yet"
        return [nodes.paragraph(text=text)]


def setup(app):
    app.setup_extension("l3ha_guide.sphinxext.data_files")
    app.add_directive("show-data", ShowData)
    return {"parallel_read_safe": True}
"""


def _read_pages(project: Path) -> set[str]:
    """Build the project; the pages Sphinx read (again)."""
    read: set[str] = set()
    with docutils_namespace():
        app = Sphinx(project, project, project / "html", project / "doctrees", "html", status=io.StringIO())
        app.connect("env-before-read-docs", lambda app, env, docnames: read.update(docnames))
        app.build()
    return read


def test_missing_data_is_not_a_change_until_it_appears(tmp_path: Path) -> None:
    (tmp_path / "show_data.py").write_text("import os\n" + EXTENSION)
    (tmp_path / "conf.py").write_text(
        f'import sys\nsys.path.insert(0, {str(tmp_path)!r})\nextensions = ["show_data"]\n'
    )
    (tmp_path / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   results\n   other\n")
    (tmp_path / "results.rst").write_text("Results\n=======\n\n.. show-data:: results.json\n")
    (tmp_path / "other.rst").write_text("Other\n=====\n\nNo data here.\n")

    assert _read_pages(tmp_path) == {"index", "results", "other"}
    assert _read_pages(tmp_path) == set()  # Sphinx alone read results again on every build
    assert "no data yet" in (tmp_path / "html" / "results.html").read_text()

    (tmp_path / "results.json").write_text("first results")
    assert _read_pages(tmp_path) == {"results"}
    assert "first results" in (tmp_path / "html" / "results.html").read_text()
    assert _read_pages(tmp_path) == set()

    (tmp_path / "results.json").write_text("second results")
    assert _read_pages(tmp_path) == {"results"}
    assert "second results" in (tmp_path / "html" / "results.html").read_text()
