"""Failover of the HA router, measured in the lab for the failover page's figures.

The backup takes over within VRRP's bounds and the floating IP answers again;
each measurement is also the page's figure (one measurement serves both).

Runs after test_console_examples.py (file order). For each kind of failure the
lab's measurement (l3ha_guide.lab.failover) pings the floating IP from the
external host while the master fails, then the old master is restored; the
results go to build/console/failover.json for the `failover-results` directive.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from l3ha_guide.console.failover_figures import LABELS, FailoverResults, measured_run, save

pytestmark = pytest.mark.lab


def test_failover_is_measured_for_the_manual(console_session, lab) -> None:
    from l3ha_guide.ha_router import HARouter
    from l3ha_guide.lab.failover import PING_INTERVAL, ensure_keepalived_on_both, measure_failover, restore

    runs = []
    for mode in LABELS:
        # The failover page stopped keepalived on a node; the L3 agent would restart it within a minute.
        ensure_keepalived_on_both(lab)
        HARouter(lab.shell).wait_healthy(after="starting keepalived on both nodes")
        result = measure_failover(lab, mode)
        try:
            assert result.new_master != result.old_master
            # keepalived with advert_int 2: about 1 s when stopped, 3 x advert_int + skew when the node dies.
            limit = 3 if mode == "graceful" else 3 * result.advert_int + 5
            assert 0 < result.promotion_seconds < limit
            assert 0 < result.outage_seconds < limit + 2
            resumed = [seq for offset, seq in result.replies if offset > result.outage_seconds + 1]
            assert resumed, "the floating IP answers again after the outage"
        finally:
            states = restore(lab, result)
        assert sorted(states.values()) == ["backup", "primary"]
        runs.append(measured_run(result, PING_INTERVAL))
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    save(FailoverResults(date, dict(console_session.versions), runs, result.probe.host, result.probe.address))
