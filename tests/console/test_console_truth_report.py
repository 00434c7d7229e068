"""Last in tests/console: the manual is built again with this run's results, and the report holds up.

Runs after the examples and the failover measurement (file order). The build is
incremental: the truth report and the failover page depend on the results files.
It starts from the published manual's build, in a folder of its own: the
published pages may be in use by the other test worker.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from l3ha_guide.console.examples import extract
from l3ha_guide.console.results import RESULTS_PATH, VERIFIED, load
from l3ha_guide.docs import BUILD_DIR, run_sphinx

pytestmark = pytest.mark.lab

EXECUTED_TARGET = 0.9
REPORT_BUILD = BUILD_DIR / "tests" / "truth-report"


def page_text(name: str) -> str:
    html = (REPORT_BUILD / "html" / "en" / f"{name}.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_truth_report_shows_this_run(console_session, built_manual: Path) -> None:
    manual = extract()
    outcomes = load(RESULTS_PATH)
    runnable = [example for example in manual.console if not example.skip]
    executed = [
        example
        for example in runnable
        if all(f"{example.id}@{host}" in outcomes for host in example.hosts)
        and all(outcomes[f"{example.id}@{host}"].digest == example.digest for host in example.hosts)
    ]
    for part in ("doctrees", "html"):
        shutil.copytree(BUILD_DIR / part / "en", REPORT_BUILD / part / "en", dirs_exist_ok=True)
    run_sphinx(("en",), build_dir=REPORT_BUILD)
    report = page_text("truth-report")
    assert "no results from a lab run" not in report
    summary = re.search(r"(\d+) console examples: (\d+) executed in the lab", report)
    assert summary, "the truth report has no summary"
    total, shown_executed = int(summary[1]), int(summary[2])
    assert total == len(manual.console) and shown_executed == len(executed)
    assert shown_executed / total >= EXECUTED_TARGET, f"only {shown_executed} of {total} examples executed"
    verified = sum(1 for outcome in outcomes.values() if outcome.status == VERIFIED)
    # Every node reached over SSH, as an operator reaches it; only the instance (no sshd) through nsenter.
    assert report.count("verified in the lab over ssh") >= 1 and verified >= 1
    backends = {
        host: outcomes[f"{example.id}@{host}"].backend for example in executed for host in example.hosts
    }
    assert all("ssh" in backends[host] for host in backends if host != "instance"), backends
    assert backends.get("instance") == "nsenter", backends
    assert "Measured in the lab on" in page_text("failover")
