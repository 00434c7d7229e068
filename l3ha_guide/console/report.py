"""The `truth-report` directive: every console example and config block with its status.

    ```{truth-report}
    ```

Statuses come from the last lab run (build/console/results.json, see
`results`): verified in the lab (with date and versions), failed in the lab,
changed since the run, not run, or not runnable with its reason; config blocks
are validated only (against Neutron's option schema, not run). The blocks are
collected from all pages while Sphinx reads them; the table is made once every
page is read. A build without results says so and claims nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.console import manifest, results, status
from l3ha_guide.console.variables import LAB_DIFFERENCES
from l3ha_guide.sphinxext.data_files import note_data_file
from l3ha_guide.sphinxext.data_nodes import data_paragraph, data_table
from l3ha_guide.sphinxext.messages import N_, _

EXECUTED_TARGET = 0.9  # the share of console examples the lab must execute
ENV_KEY = "l3ha_examples"  # env attribute: docname -> {"console": [...], "config": [...]}
CONFIG_STATUS = N_("validated only")  # what the report, and the line under each block, says of a config block


class truth_report(nodes.General, nodes.Element):  # docutils names node classes in lower case
    """Placeholder, replaced by the report once all pages are read."""


class TruthReport(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        note_data_file(self.env, self.config.console_results_path)
        node = truth_report()
        self.set_source_info(node)
        return [node]


def _collect(app: Sphinx, doctree: nodes.document) -> None:
    console, config = manifest.collect(app.env.docname, doctree)
    store = getattr(app.env, ENV_KEY, {})
    store[app.env.docname] = {"console": [asdict(e) for e in console], "config": [asdict(e) for e in config]}
    setattr(app.env, ENV_KEY, store)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, ENV_KEY, {}).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    store = getattr(env, ENV_KEY, {})
    for docname in docnames:
        if docname in getattr(other, ENV_KEY, {}):
            store[docname] = getattr(other, ENV_KEY)[docname]
    setattr(env, ENV_KEY, store)


def report_pages(env: BuildEnvironment) -> list[str]:
    return [docname for docname in env.found_docs if "{truth-report}" in _source_text(env, docname)]


@dataclass(frozen=True)
class BuildSnapshot:
    """What every page of one build shows of the lab run, read once: a build beside a running
    lab run (which writes the results as it goes) stays the same from page to page."""

    outcomes: dict[str, results.Outcome]
    report_pages: list[str]


_snapshots: WeakKeyDictionary[Sphinx, BuildSnapshot] = WeakKeyDictionary()


def snapshot(app: Sphinx) -> BuildSnapshot:
    """This build's snapshot, taken when its first page is written (all pages are read by then)."""
    if app not in _snapshots:
        outcomes = results.load(Path(app.config.console_results_path))
        _snapshots[app] = BuildSnapshot(outcomes, report_pages(app.env))
    return _snapshots[app]


def _source_text(env: BuildEnvironment, docname: str) -> str:
    try:
        return Path(env.doc2path(docname)).read_text(encoding="utf-8")
    except OSError:
        return ""


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Any page changed: its examples may have changed, so the report is made anew."""
    return report_pages(env) if added or changed or removed else []


# --- statuses -------------------------------------------------------------------


def example_status(example: dict[str, Any], outcomes: dict[str, results.Outcome]) -> tuple[str, str]:
    """(category, text) for one console example, in the page's language."""
    return status.example_status(example, outcomes, _)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _first_command(example: dict[str, Any]) -> str:
    if not example["commands"]:
        return ""
    first = example["commands"][0]["command"].split("\\\n")[0].strip()
    more = len(example["commands"]) - 1
    return first + (_(" (and {count} more)").format(count=more) if more else "")


# --- nodes ------------------------------------------------------------------------


def _paragraph(text: str) -> nodes.paragraph:
    return data_paragraph(text)


def _table(headers: list[str], rows: list[list[nodes.Node | str]], widths: list[int]) -> nodes.table:
    return data_table(headers, rows, widths, css_class="truth-report")


def row_anchor(example_id: str) -> str:
    """The id of an example's row in the report, which the line under the block links to."""
    return "example-" + nodes.make_id(example_id)


def _location(app: Sphinx, fromdocname: str, example: dict[str, Any]) -> nodes.Node:
    label = f"{example['source'].removeprefix('source/')}:{example['line']}"
    uri = app.builder.get_relative_uri(fromdocname, example["page"])
    anchor = nodes.inline(ids=[row_anchor(status.example_id(example))])
    anchor += nodes.reference(label, label, refuri=uri, internal=True)
    return anchor


def _summary(
    console: list[dict[str, Any]], statuses: list[tuple[str, str]], versions: dict[str, str]
) -> list:
    counts = Counter(category for category, _text in statuses)
    total = len(console)
    executed = counts["verified"] + counts["failed"]
    share = executed / total if total else 0.0
    lines = [
        _(
            "{total} console examples: {executed} executed in the lab ({share}; target at least "
            "{target}), of which {verified} verified and {failed} failed; {not_runnable} not runnable; "
            "{changed} changed since the last run; {not_run} not run."
        ).format(
            total=total,
            executed=executed,
            share=f"{share:.0%}",
            target=f"{EXECUTED_TARGET:.0%}",
            verified=counts["verified"],
            failed=counts["failed"],
            not_runnable=counts["not-runnable"],
            changed=counts["changed"],
            not_run=counts["not-run"],
        )
    ]
    if versions:
        unknown = _("unknown")
        described = ", ".join(f"{name} {version or unknown}" for name, version in versions.items())
        lines.append(_("Software in the last lab run: {software}.").format(software=described))
    return [_paragraph(line) for line in lines]


def _resolve(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    placeholders = list(doctree.findall(truth_report))
    if not placeholders:
        return
    store = getattr(app.env, ENV_KEY, {})
    order = manifest.reading_order(app.config.root_doc, app.env.toctree_includes, store)
    console = [example for docname in order for example in store.get(docname, {}).get("console", [])]
    config = [example for docname in order for example in store.get(docname, {}).get("config", [])]
    results_path = Path(app.config.console_results_path)
    outcomes = snapshot(app).outcomes
    statuses = [example_status(example, outcomes) for example in console]

    content: list[nodes.Node] = []
    if not outcomes:
        note = nodes.important()
        note += _paragraph(
            _(
                "This build has no results from a lab run ({path} is missing or empty), so no console "
                "example is shown as verified. Run the tests (tox) as root to produce them, then build."
            ).format(path=_shown(results_path))
        )
        content.append(note)
    latest = max(outcomes.values(), key=lambda outcome: outcome.date, default=None)
    content.extend(_summary(console, statuses, latest.versions if latest else {}))
    rows = [
        [
            _location(app, fromdocname, example),
            ", ".join(example["hosts"]),
            nodes.literal("", _first_command(example)),
            text,
        ]
        for example, (_category, text) in zip(console, statuses, strict=True)
    ]
    content.append(_table([_("Example"), _("Host"), _("Command"), _("Status")], rows, [24, 12, 32, 32]))
    differences = nodes.bullet_list()
    for difference in LAB_DIFFERENCES:
        differences += nodes.list_item("", _paragraph(_(difference)))
    content.append(
        _paragraph(_("Where the lab differs from a real deployment, the matcher accepts both forms:"))
    )
    content.append(differences)
    content.append(
        _paragraph(
            _(
                "{count} config blocks: validated only. Each is checked against Neutron's option "
                "schema by the config validator; the lab runs with the files extracted from them."
            ).format(count=len(config))
        )
    )
    config_rows = [
        [
            _location(app, fromdocname, example),
            ", ".join(example["roles"]),
            nodes.literal("", example["path"]),
            _(CONFIG_STATUS),
        ]
        for example in config
    ]
    headers = [_("Block"), _("Roles"), _("File"), _("Status")]
    content.append(_table(headers, config_rows, [20, 15, 40, 25]))
    for placeholder in placeholders:
        placeholder.replace_self(content)


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("l3ha_guide.sphinxext.messages")
    app.setup_extension("l3ha_guide.sphinxext.data_files")
    app.add_config_value("console_results_path", str(results.RESULTS_PATH), "env")
    app.add_node(truth_report)
    app.add_directive("truth-report", TruthReport)
    app.connect("doctree-read", _collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("doctree-resolved", _resolve)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
