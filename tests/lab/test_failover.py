"""Failover of the HA router: the backup takes over and the floating IP answers again."""

from __future__ import annotations

import pytest

from l3ha_guide.lab.failover import measure_failover, restore


@pytest.mark.parametrize("mode", ["graceful", "crash"])
def test_failover_promotes_the_backup_and_the_floating_ip_answers_again(lab, mode):
    result = measure_failover(lab, mode)
    try:
        assert result.new_master != result.old_master
        # keepalived with advert_int 2: about 1 s when stopped, 3 x advert_int + skew when the node dies.
        limit = 3 if mode == "graceful" else 3 * result.advert_int + 5
        assert 0 < result.promotion_seconds < limit
        assert 0 < result.outage_seconds < limit + 2
        assert [seq for offset, seq in result.replies if offset > result.outage_seconds + 1], "pings resumed"
    finally:
        states = restore(lab, result)
    assert sorted(states.values()) == ["backup", "primary"]
