"""A restarted L3 agent is waited for until its log, since the start, shows each of its routers."""

from __future__ import annotations

import pytest

from l3ha_guide.console import agents
from l3ha_guide.errors import UserError

BEFORE = "INFO neutron.agent.l3.agent [-] Finished a router update for r1, update_id u0. Time elapsed: 0.5\n"


@pytest.fixture
def log(tmp_path, monkeypatch):
    monkeypatch.setattr(agents, "SYNC_SECONDS", 0.3)
    path = tmp_path / "neutron-l3-agent.log"
    path.write_text(BEFORE)
    return path


def test_a_line_written_before_the_start_does_not_count(log):
    with pytest.raises(UserError, match=r"neutron-l3-agent on network1 has not processed routers r1 "):
        agents.wait_processed(log, len(BEFORE), ["r1"], "neutron-l3-agent", "network1")


def test_each_router_must_be_processed_since_the_start(log):
    with log.open("a") as written:
        written.write("INFO neutron.agent.l3.agent [-] L3 agent started\n")
        written.write(BEFORE.replace("u0", "u1"))
    agents.wait_processed(log, len(BEFORE), ["r1"], "neutron-l3-agent", "network1")
    with pytest.raises(UserError, match="has not processed routers r2 "):
        agents.wait_processed(log, len(BEFORE), ["r1", "r2"], "neutron-l3-agent", "network1")
