"""The `connection-state` directive: which connections survived a failover, from the last bench run.

    ```{connection-state} _data/benchmarks.json
    ```

Reads the `connections` section that `l3ha-guide bench connections` writes
(l3ha_guide.bench.connections) and shows a table: one row per path and kind
of failure, one column per conntrackd setting, each cell how many connections
were kept; then the client's last words for the lost ones, and what the option
changed in the router's folder. Without that section it says so.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from l3ha_guide.bench.connections import (
    FILES_ADDED,
    KEEPALIVED_CONF_CHANGES,
    MODES,
    PATHS,
    SECTION,
    SETTINGS,
    figure_name,
)
from l3ha_guide.sphinxext.benchmark_results import BenchSectionDirective
from l3ha_guide.sphinxext.data_nodes import data_paragraph, data_table
from l3ha_guide.sphinxext.failover_tuning import MODE_LABELS
from l3ha_guide.sphinxext.messages import N_, _

PATH_LABELS = {
    "floating-ip": N_("from external to the floating IP"),
    "snat": N_("from the instance out through SNAT"),
}
SETTING_LABELS = {
    "off": N_("conntrackd off"),
    "on, agents restarted": N_("conntrackd on, L3 agents restarted only"),
    "on": N_("conntrackd on, router disabled and enabled"),
}


def _cell(measured: dict | None) -> str:
    if measured is None:
        return "—"
    return _("{kept} of {runs} kept").format(kept=measured["survived"], runs=measured["runs"])


class ConnectionState(BenchSectionDirective):
    def run(self) -> list[nodes.Node]:
        section = self.bench_section(SECTION)
        if not any(figure_name(setting, "snat", "crash") in section for setting in SETTINGS):
            return self.not_measured(_("No connection figures yet: run `l3ha-guide bench connections`."))
        unknown = _("unknown")
        versions = ", ".join(f"{name} {version or unknown}" for name, version in section["versions"].items())
        intro = _(
            "Measured by l3ha-guide bench connections on {date} with {software}: long-lived TCP "
            "connections across one failover each."
        ).format(date=section["date"], software=versions)
        rows = []
        lost: list[str] = []
        for connection in PATHS:
            for mode in MODES:
                label = f"{_(PATH_LABELS[connection])}, {_(MODE_LABELS[mode])}"
                cells = [section.get(figure_name(setting, connection, mode)) for setting in SETTINGS]
                rows.append([label, *(_cell(cell) for cell in cells)])
                lost += [
                    f"{label}, {_(SETTING_LABELS[setting])}: {cell['client_said']}"
                    for setting, cell in zip(SETTINGS, cells, strict=True)
                    if cell and cell["client_said"]
                ]
        headers = [_("Connection, failure"), *(_(SETTING_LABELS[setting]) for setting in SETTINGS)]
        result: list[nodes.Node] = [
            data_paragraph(intro),
            data_table(headers, rows, css_class="connection-state"),
        ]
        if lost:
            result.append(data_paragraph(_("What the client saw of each lost connection:")))
            items = [nodes.list_item("", data_paragraph(line)) for line in lost]
            result.append(nodes.bullet_list("", *items))
        changes = section.get(KEEPALIVED_CONF_CHANGES, [])
        files = ", ".join(section.get(FILES_ADDED, [])) or _("none")
        changed = (
            _("keepalived.conf changed: {lines}").format(lines="; ".join(changes))
            if changes
            else _("keepalived.conf unchanged")
        )
        folder = _("From conntrackd off to on, in the router's folder: {changed}; files added: {files}.")
        result.append(data_paragraph(folder.format(changed=changed, files=files)))
        return result


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("l3ha_guide.sphinxext.messages")
    app.setup_extension("l3ha_guide.sphinxext.data_files")
    app.add_directive("connection-state", ConnectionState)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
