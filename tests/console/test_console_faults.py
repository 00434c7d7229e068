"""The pieces of the lab's faults that need no lab: an agent's processes, when a split brain is in place."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from l3ha_guide.lab.neutron import agent_pids

PS = """\
      1 python -c import os, time  l3ha-lab-holder /work/main/.lab/hosts/network1
     64 neutron-openvswitch-agent (/venv/bin/python /venv/bin/neutron-openvswitch-agent --config-file x)
     68 neutron-l3-agent: master process [/venv/bin/neutron-l3-agent --config-file /etc/neutron/l3_agent.ini]
     86 neutron-l3-agent: ServiceWrapper worker(0)
     99 /venv/bin/python /venv/bin/neutron-metadata-agent --config-file /etc/neutron/metadata_agent.ini
    510 /bin/sh /venv/bin/neutron-keepalived-state-change --router_id 7a46dba8 --log-file /x/l3-agent.log
    713 keepalived -P -f /var/lib/neutron/ha_confs/7a46dba8/keepalived.conf
"""


class FakeLab:
    def __init__(self) -> None:
        self.commands: list[object] = []

    def exec(self, host: str, command: object) -> SimpleNamespace:
        self.commands.append((host, command))
        return SimpleNamespace(stdout=PS, returncode=0)


def test_an_agents_processes_are_its_parent_and_workers_only() -> None:
    lab = FakeLab()
    assert agent_pids(lab, "network1", "neutron-l3-agent") == [68, 86]
    assert agent_pids(lab, "network1", "neutron-openvswitch-agent") == [64]
    assert agent_pids(lab, "network1", "neutron-metadata-agent") == [99]
    # Its children live on: keepalived and the state-change monitor are not the agent.
    assert agent_pids(lab, "network1", "neutron-dhcp-agent") == []
    assert {host for host, _ in lab.commands} == {"network1"}


class Clock:
    """Time that passes only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class FlappingRouter:
    """keepalived's states per poll, as two masters taking turns in FAULT would show them."""

    def __init__(self, polls: list[tuple[str, str]]) -> None:
        self.polls = polls
        self.read = 0

    def id(self) -> str:
        return "7a46dba8"

    def keepalived_states(self, router_id: str) -> dict[str, str]:
        network1, network2 = self.polls[min(self.read, len(self.polls) - 1)]
        self.read += 1
        return {"network1": network1, "network2": network2}

    def ha_states(self) -> dict[str, str]:
        return {"network1": "active", "network2": "active"}


def _cut(monkeypatch, polls: list[tuple[str, str]]) -> Clock:
    import time

    from l3ha_guide.console import faults

    clock = Clock()
    monkeypatch.setattr(time, "monotonic", clock.monotonic)
    monkeypatch.setattr(time, "sleep", clock.sleep)
    isolated: list[bool] = []
    monkeypatch.setattr(faults, "_isolate", isolated.append)
    router = FlappingRouter(polls)
    faults.cut_ha_path(SimpleNamespace(router=lambda: router))
    assert isolated == [True]
    return clock


def test_a_split_brain_is_in_place_once_both_nodes_stayed_master(monkeypatch) -> None:
    from l3ha_guide.console.faults import SPLIT_SETTLED_SECONDS

    both = ("primary", "primary")
    # One poll a second: before the backup promotes, both master, one steps down twice, both master.
    polls = [("primary", "backup")] * 3 + [both] * 10 + [("backup", "primary")] * 2 + [both]
    clock = _cut(monkeypatch, polls)
    # The window starts again with the last time both became master (poll 15).
    assert clock.now == 15 + SPLIT_SETTLED_SECONDS


def test_a_split_brain_that_never_settles_fails_its_injection(monkeypatch) -> None:
    from l3ha_guide.console.faults import SPLIT_SECONDS
    from l3ha_guide.waiting import WaitTimeout

    turns = [("primary", "primary")] * 20 + [("backup", "primary")] * 5
    with pytest.raises(WaitTimeout, match="did not stay master") as raised:
        _cut(monkeypatch, turns * (SPLIT_SECONDS // len(turns) + 2))
    assert "'network1': 'backup'" in str(raised.value) or "'network1': 'primary'" in str(raised.value)


def test_each_agent_type_is_one_the_networking_api_reports() -> None:
    from neutron_lib import constants

    from l3ha_guide.lab.neutron import AGENTS

    known = {value for name, value in vars(constants).items() if name.startswith("AGENT_TYPE_")}
    assert {agent.agent_type for agent in AGENTS} <= known
