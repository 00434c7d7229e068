"""Truth-report statuses from recorded outcomes, and the page a build makes without results."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from sphinx_page import build_page

from l3ha_guide.console import results
from l3ha_guide.console.report import example_status

EXAMPLE = {
    "source": "source/verify-operation.md",
    "line": 40,
    "hosts": ["network1", "network2"],
    "skip": "",
    "lab_action": "",
    "digest": "abc",
}


def outcome(host: str, status: str = results.VERIFIED, digest: str = "abc") -> results.Outcome:
    return results.Outcome(
        "source/verify-operation.md:40", host, status, digest, "boom", "2026-11-23 20:00 UTC"
    )


def by_key(*items: results.Outcome) -> dict[str, results.Outcome]:
    return {item.key: item for item in items}


def test_verified_only_when_every_host_verified_the_current_block() -> None:
    assert example_status(EXAMPLE, by_key(outcome("network1"), outcome("network2")))[0] == "verified"
    assert example_status(EXAMPLE, by_key(outcome("network1")))[0] == "not-run"
    assert (
        example_status(EXAMPLE, by_key(outcome("network1"), outcome("network2", digest="old")))[0]
        == "changed"
    )
    category, text = example_status(EXAMPLE, by_key(outcome("network1"), outcome("network2", results.FAILED)))
    assert category == "failed" and "network2" in text and "boom" in text
    assert example_status(EXAMPLE, {})[0] == "not-run"


def test_not_runnable_names_its_reason_and_the_lab_action() -> None:
    skipped = {**EXAMPLE, "skip": "needs-internet", "lab_action": "make-network1-master"}
    category, text = example_status(skipped, {})
    assert category == "not-runnable" and "Internet" in text and "network1 the master" in text


def test_a_verified_block_under_a_fault_names_the_fault() -> None:
    from l3ha_guide.console.faults import FAULTS

    faulty = {**EXAMPLE, "fault": "l3-agent-dead"}
    category, text = example_status(faulty, by_key(outcome("network1"), outcome("network2")))
    assert category == "verified" and text.endswith(FAULTS["l3-agent-dead"].description)
    assert (
        FAULTS["l3-agent-dead"].description
        not in example_status(EXAMPLE, by_key(outcome("network1"), outcome("network2")))[1]
    )


def test_results_merge_and_survive_a_reload(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    assert results.load(path) == {}
    results.record(outcome("network1", results.FAILED), path)
    results.record(outcome("network2"), path)
    results.record(outcome("network1"), path)  # a later run replaces the earlier outcome
    loaded = results.load(path)
    assert {key: item.status for key, item in loaded.items()} == {
        "source/verify-operation.md:40@network1": results.VERIFIED,
        "source/verify-operation.md:40@network2": results.VERIFIED,
    }


PAGE = """\
# Page

```{console-block}
:host: network1

$ ip netns
qrouter-7a46dba8-8846-498c-9e10-588664558473
```

```{console-block}
:host: controller
:skip: needs-internet

$ ping -c 4 openstack.org
```

```{config-block} /etc/neutron/neutron.conf
:roles: controller

[DEFAULT]
l3_ha = True
```
"""


def build_report(tmp_path: Path, results_path: Path) -> str:
    import re

    page = build_page(
        tmp_path / "source",
        "# Index\n\n```{toctree}\npage\nreport\n```\n",
        others={"page": PAGE, "report": "# Report\n\n```{truth-report}\n```\n"},
        settings={"console_results_path": results_path},
        read="report",
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


RECORDS_PER_RUN = 40


def _record_as_one_run(path: Path, host: str) -> None:
    for line in range(RECORDS_PER_RUN):
        item = results.Outcome(f"source/verify-operation.md:{line}", host, results.VERIFIED, "abc")
        results.record(item, path)


def test_runs_side_by_side_lose_no_outcome(tmp_path: Path) -> None:
    """Two processes recording at once, as the lab page's two read-only runs do: every record stays."""
    path = tmp_path / "results.json"
    hosts = ("network1", "network2")
    with ProcessPoolExecutor(len(hosts)) as pool:
        list(pool.map(_record_as_one_run, [path] * len(hosts), hosts))
    assert len(results.load(path)) == RECORDS_PER_RUN * len(hosts)


def test_report_without_results_says_so_and_claims_nothing(tmp_path: Path) -> None:
    text = build_report(tmp_path, tmp_path / "missing.json")
    assert "no results from a lab run" in text
    assert "verified in the lab" not in text
    assert "2 console examples: 0 executed" in text
    assert "not runnable: needs access to the Internet" in text
    assert "page.md:6" in text and "page.md:17" in text and "validated only" in text


def test_report_shows_the_last_run(tmp_path: Path) -> None:
    from l3ha_guide.console.examples import console_digest

    block = "$ ip netns\nqrouter-7a46dba8-8846-498c-9e10-588664558473"
    results_path = tmp_path / "results.json"
    record = results.Outcome(
        f"{tmp_path}/source/page.md:6",
        "network1",
        results.VERIFIED,
        console_digest(["network1"], "lines", "", block),
        date="2026-11-23 21:00 UTC",
        versions={"Neutron": "29.0.0", "Open vSwitch": "3.1.0", "keepalived": "2.2.7"},
    )
    results.record(record, results_path)
    text = build_report(tmp_path, results_path)
    assert "no results from a lab run" not in text
    assert "verified in the lab (2026-11-23 21:00 UTC)" in text
    assert "1 executed in the lab (50%" in text
    assert "Neutron 29.0.0, Open vSwitch 3.1.0, keepalived 2.2.7" in text


def test_reply_ticks_mark_the_lost_pings() -> None:
    from l3ha_guide.console.failover_figures import reply_ticks

    ticks = reply_ticks([(0.0, 1), (0.1, 2), (0.5, 6)], 0.1)
    assert [answered for _, answered in ticks] == [True, True, False, False, False, True]
    assert ticks[3][0] == pytest.approx(0.3)


def test_failover_figures_from_results_and_without(tmp_path: Path) -> None:
    from l3ha_guide.console.failover_figures import FailoverResults, FailoverRun, measurement_path, save

    page_text = "# Failover\n\n```{failover-results}\n```\n\n## IPv6\n\n```{failover-results} ipv6\n```\n"
    path = tmp_path / "failover.json"

    def build() -> str:
        return build_page(tmp_path / "source", page_text, settings={"console_failover_path": path})

    assert build().count("no failover measurements") == 2
    replies = [(t * 0.2, not 10 <= t < 16) for t in range(40)]
    run = FailoverRun("graceful", "network1", "network2", 0.9, 1.2, 2.0, 2.9, replies)
    versions = {"Neutron": "29.0.0", "keepalived": "2.2.7"}
    save(FailoverResults("2026-11-23 21:00 UTC", versions, [run], "external", "203.0.113.104"), path)
    page = build()
    assert page.count("no failover measurements") == 1  # the IPv6 measurement is still missing
    assert "Measured in the lab on 2026-11-23 21:00 UTC with Neutron 29.0.0, keepalived 2.2.7" in page
    assert "0.9 s" in page and "1.2 s" in page
    assert page.count('height="20" fill="#d33"') == 6 and "<svg" in page
    assert "one ping of 203.0.113.104 from external" in page
    ipv6 = FailoverResults("2026-11-23 21:05 UTC", versions, [run], "instance", "2001:db8:1::1")
    save(ipv6, measurement_path("ipv6", path))
    page = build()
    assert "no failover measurements" not in page
    assert "one ping of 2001:db8:1::1 from instance" in page and "21:05 UTC" in page


def test_the_status_names_every_backend_that_verified_the_block(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    for host, backend in (("network1", "ssh"), ("network2", "ssh"), ("network1", "ansible")):
        verified = outcome(host)
        verified.backend = backend
        results.record(verified, path)
    recorded = results.load(path)
    assert [results.backends(item) for item in recorded.values()] == [["ansible", "ssh"], ["ssh"]]
    category, text = example_status(EXAMPLE, recorded)
    assert category == "verified" and "over ansible, ssh (" in text
    failed = outcome("network1", results.FAILED)
    failed.backend = "nsenter"
    results.record(failed, path)  # a failure replaces what was verified before
    assert results.backends(results.load(path)[failed.key]) == ["nsenter"]


def test_outcomes_of_one_minute_are_told_apart_and_older_files_still_load(tmp_path: Path) -> None:
    """`date` is the minute readers see; `recorded_at` orders runs inside one minute (the lab
    page's read-only runs follow the examples on the same lab)."""
    import json

    results_path = tmp_path / "results.json"
    minute = "2026-12-07 14:10 UTC"
    first = results.Outcome("source/page.md:6", "network1", results.VERIFIED, "abc", date=minute)
    results.record(first, results_path)
    later = results.Outcome("source/page.md:9", "network1", results.VERIFIED, "def", date=minute)
    results.record(later, results_path)
    loaded = results.load(results_path)
    assert loaded[first.key].date == loaded[later.key].date
    assert loaded[first.key].recorded_at < loaded[later.key].recorded_at
    data = json.loads(results_path.read_text())
    for record in data["outcomes"]:
        del record["recorded_at"]  # as written before the field existed
    results_path.write_text(json.dumps(data))
    assert {outcome.recorded_at for outcome in results.load(results_path).values()} == {""}
