"""The piece of the lab's faults that needs no lab: which processes are an agent's."""

from __future__ import annotations

from types import SimpleNamespace

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
