"""The failover page's connection-state table: the bench's `connections` section."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx_page import build_page

from l3ha_guide.bench import connections as bench


def test_the_bench_names_the_labs_paths_and_failures() -> None:
    from l3ha_guide.lab import connections, failover

    assert bench.PATHS == connections.PATHS and bench.MODES == failover.MODES


def test_only_snat_and_a_crash_are_measured_with_the_agents_restarted_only() -> None:
    assert bench.cells(bench.ONLY_SNAT_CRASH) == [("snat", "crash")]
    assert len(bench.cells("off")) == len(bench.PATHS) * len(bench.MODES)


def test_the_connection_table_and_without(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "_data").mkdir(parents=True)
    data = source / "_data" / "benchmarks.json"

    def build() -> str:
        return build_page(source, "# Failover\n\n```{connection-state} _data/benchmarks.json\n```\n")

    assert "No connection figures yet" in build()
    reset = "broken after 12.9 s: [Errno 104] Connection reset by peer"
    section: dict[str, object] = {
        "date": "2026-12-04 16:30 UTC",
        "versions": {"Neutron": "29.0.0"},
        bench.KEEPALIVED_CONF_CHANGES: [],
        bench.FILES_ADDED: ["conntrackd.conf", "conntrackd.pid"],
    }
    for setting in bench.SETTINGS:
        for path, mode in bench.cells(setting):
            lost = path == "snat" and setting != "on"
            section[bench.figure_name(setting, path, mode)] = {
                "survived": 0 if lost else 2,
                "runs": 2,
                "client_said": reset if lost else "",
            }
    data.write_text(json.dumps({"sections": {bench.SECTION: section}}), encoding="utf-8")
    page = build()
    assert "No connection figures yet" not in page
    assert "on 2026-12-04 16:30 UTC with Neutron 29.0.0" in page
    lost_cells = sum(1 for s in bench.SETTINGS for p, _ in bench.cells(s) if p == "snat" and s != "on")
    assert page.count("0 of 2 kept") == lost_cells and page.count(reset) == lost_cells
    assert page.count("2 of 2 kept") == sum(len(bench.cells(s)) for s in bench.SETTINGS) - lost_cells
    assert page.count("<td><p>—</p></td>") == 3  # the cells measured with the agents restarted only
    assert "keepalived.conf unchanged; files added: conntrackd.conf, conntrackd.pid." in page
