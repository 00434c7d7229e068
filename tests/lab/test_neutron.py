"""Real Neutron in the lab: every agent alive on its host, and the HA router active/standby."""

from __future__ import annotations

import re

import pytest
import testinfra
from lab_helpers import openstack_json

from l3ha_guide.ha_router import HARouter
from l3ha_guide.lab.neutron import ZYGOTE_LOG, agent_pids, agents_on


def test_every_agent_is_alive_on_its_host(lab):
    agents = {(a["Host"], a["Binary"]): a["Alive"] for a in openstack_json("network agent list")}
    expected = {("compute1", "neutron-openvswitch-agent")} | {
        (host, binary)
        for host in ("network1", "network2")
        for binary in (
            "neutron-openvswitch-agent",
            "neutron-l3-agent",
            "neutron-dhcp-agent",
            "neutron-metadata-agent",
        )
    }
    assert expected <= set(agents)
    assert all(agents[key] for key in expected)


def test_ha_router_has_one_active_and_one_standby_agent(scenario):
    rows = openstack_json("network agent list --router demo-router --long")
    assert sorted(row["HA State"] for row in rows) == ["active", "standby"]
    assert sorted(row["Host"] for row in rows) == ["network1", "network2"]


def test_the_lab_waits_on_the_ha_states_the_api_reports(lab, scenario):
    """`lab up` reads the router's HA states from Neutron's database, not through the client."""
    from l3ha_guide.lab.scenario import ha_states

    api = HARouter(lab.shell).ha_states()
    assert sorted(api.values()) == ["active", "standby"]
    assert ha_states(lab) == api


def test_the_lab_clients_api_answers_match_the_openstack_client(lab, scenario):
    """HARouter asks the Networking API itself (l3ha_guide.networking_api): the client's answers."""
    router = HARouter(lab.shell)
    rows = openstack_json("network agent list --router demo-router --long")
    assert router.ha_states() == {row["Host"]: row["HA State"] for row in rows}
    assert router.id() == openstack_json("router show demo-router")["id"]


@pytest.mark.parametrize(("host", "role"), [("network1", "network"), ("compute1", "compute")])
def test_the_api_counts_each_agent_of_a_host_alive_by_its_type(lab, host, role):
    """The agent types that console.agents asks the API about are the ones the agents report."""
    from types import SimpleNamespace

    from l3ha_guide.console.agents import is_alive

    host_map = SimpleNamespace(router=lambda: HARouter(lab.shell))
    assert {agent.binary: is_alive(host_map, (host, agent.binary)) for agent in agents_on(role)} == {
        agent.binary: True for agent in agents_on(role)
    }


def test_the_lab_client_names_a_router_it_cannot_find(lab):
    from l3ha_guide.errors import UserError

    with pytest.raises(UserError, match="0 routers are named no-such-router"):
        HARouter(lab.shell, "no-such-router").id()


def test_ha_network_and_ha_ports_exist(scenario):
    assert any(n["Name"].startswith("HA network") for n in openstack_json("network list"))
    ha_ports = openstack_json("port list --device-owner network:router_ha_interface")
    assert len(ha_ports) == 2
    assert all(port["Status"] == "ACTIVE" for port in ha_ports)


@pytest.mark.parametrize("name", ["network1", "network2"])
def test_qrouter_namespace_has_the_routers_real_name(lab, scenario, name):
    namespaces = testinfra.get_host(f"nsenter://{name}").check_output("ip netns list")
    assert f"qrouter-{HARouter(lab.shell).id()}" in namespaces


@pytest.mark.parametrize("name", ["network1", "network2"])
def test_keepalived_config_names_only_devices_of_the_router(lab, scenario, name):
    """A device that no longer exists makes keepalived refuse the config when the agent restarts it."""
    host, router = testinfra.get_host(f"nsenter://{name}"), HARouter(lab.shell).id()
    config = host.file(f"/var/lib/neutron/ha_confs/{router}/keepalived.conf").content_string
    named = set(re.findall(r"\bdev (\S+)", config))
    devices = set(host.check_output(f"ip netns exec qrouter-{router} ls /sys/class/net").split())
    assert {device[:3] for device in named} == {"ha-", "qr-", "qg-"}
    assert named <= devices, f"keepalived.conf names {sorted(named - devices)}, absent from the namespace"


@pytest.mark.parametrize("name", ["network1", "network2", "compute1"])
def test_agents_and_their_privsep_daemons_are_forked_by_the_hosts_zygote(lab, scenario, name):
    host = testinfra.get_host(f"nsenter://{name}")
    commands = host.check_output("ps -eo args").splitlines()
    assert any(command.startswith("privsep-helper --config-file") for command in commands)
    # Neutron's agents' daemons only: Nova's os-vif starts its own (nova-compute on compute1).
    bypassed = [c for c in commands if "bin/privsep-helper" in c and "--privsep_context neutron." in c]
    assert not bypassed, f"a daemon bypassed the zygote: {bypassed}"
    log = host.file(ZYGOTE_LOG).content_string
    assert "Traceback" not in log
    binaries = [agent.binary for agent in agents_on(lab.topology.hosts[name].role)]
    assert binaries
    for binary in binaries:
        forked = re.findall(rf"^forked {binary} as PID (\d+)$", log, re.MULTILINE)
        assert forked, f"{name}: the zygote forked no {binary}"
        assert int(forked[-1]) in agent_pids(lab, name, binary), f"{name}: {binary} runs outside the zygote"


def test_vrrp_advertisements_cross_the_tunnel_network(scenario):
    network1 = testinfra.get_host("nsenter://network1")
    capture = network1.run("timeout 10 tcpdump -lnpi eth1 -c 2 'udp port 4789 and udp[39]=112' 2>/dev/null")
    assert capture.stdout.count("VRRPv2, Advertisement") == 2, capture.stdout


def test_instance_got_its_address_from_neutrons_dhcp_and_reaches_its_gateway(scenario):
    instance = testinfra.get_host("nsenter://instance")
    assert scenario.fixed_ip.startswith("192.168.1.")
    assert scenario.fixed_ip in instance.interface("eth0").addresses
    assert "default via 192.168.1.1" in instance.check_output("ip route")
    assert instance.run("ping -c 2 -W 2 192.168.1.1").rc == 0


def test_floating_ip_reaches_the_instance_from_the_external_host(scenario):
    external = testinfra.get_host("nsenter://external")
    assert external.run(f"ping -c 3 -W 2 {scenario.floating_ip}").rc == 0
