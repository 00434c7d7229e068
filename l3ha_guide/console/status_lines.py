"""One line under every console and config block: what the last lab run proved about it.

A console block says whether it was verified in the lab (date and versions),
failed, changed since the run, not run yet, or not runnable and why; a config
block says what the truth report says of it. The line links to the block's row
in the truth report. The status comes from build/console/results.json and the
block's digest, exactly as in the report (`report.example_status`), so a build
without results says "not run in the lab yet" and never invents one.

A page with blocks depends on the results file: it is read again when a lab run
writes new results.
"""

from __future__ import annotations

from dataclasses import asdict

from docutils import nodes
from sphinx.application import Sphinx

from l3ha_guide.console import manifest, report, results
from l3ha_guide.console.status import example_id
from l3ha_guide.sphinxext.data_files import note_data_file
from l3ha_guide.sphinxext.messages import _


def _blocks(doctree: nodes.Node) -> list[nodes.literal_block]:
    return [
        node
        for node in doctree.findall(nodes.literal_block)
        if "console_hosts" in node or "config_path" in node
    ]


def _depend_on_results(app: Sphinx, doctree: nodes.document) -> None:
    if _blocks(doctree):
        note_data_file(app.env, app.config.console_results_path)


def _console_text(example: dict, outcomes: dict[str, results.Outcome]) -> tuple[str, str]:
    category, text = report.example_status(example, outcomes)
    if category == "verified":
        outcome = outcomes[f"{example_id(example)}@{example['hosts'][0]}"]
        software = ", ".join(f"{name} {version}" for name, version in outcome.versions.items() if version)
        if software:
            text = _("{status}, with {software}").format(status=text, software=software)
    return category, text


def _add_lines(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    blocks = _blocks(doctree)
    if not blocks:
        return
    console, config = manifest.collect(fromdocname, doctree)  # in the same order as the blocks
    console_examples, config_examples = iter(console), iter(config)
    snapshot = report.snapshot(app)  # the same results for every page of the build
    outcomes, report_pages = snapshot.outcomes, snapshot.report_pages
    for block in blocks:
        if "console_hosts" in block:
            example = asdict(next(console_examples))
            category, text = _console_text(example, outcomes)
        else:
            example = asdict(next(config_examples))
            category, text = "validated", _(report.CONFIG_STATUS)
        line = nodes.paragraph(classes=["example-status", f"example-status-{category}"])
        if report_pages:
            uri = app.builder.get_relative_uri(fromdocname, report_pages[0])
            anchor = report.row_anchor(example_id(example))
            line += nodes.reference(text, text, refuri=f"{uri}#{anchor}", internal=True)
        else:
            line += nodes.Text(text)
        block.parent.insert(block.parent.index(block) + 1, line)


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("l3ha_guide.console.report")
    app.connect("doctree-read", _depend_on_results)
    app.connect("doctree-resolved", _add_lines)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
