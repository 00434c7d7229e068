"""Every lab host through testinfra, with the nsenter backend and with stock ssh and paramiko."""

from __future__ import annotations

import shlex
import subprocess

import pytest
import testinfra

from l3ha_guide.lab import configs
from l3ha_guide.lab.ssh import ssh_config
from l3ha_guide.topology import NODE_ROLES, load

TOPOLOGY = load()
ALL_HOSTS = list(TOPOLOGY.lab_hosts)  # the instance is a namespace of Nova's, see test_nova.py
OVS_HOSTS = [host.name for host in TOPOLOGY.hosts.values() if host.runs_ovs]


def nsenter_host(name: str):
    return testinfra.get_host(f"nsenter://{name}")


@pytest.mark.parametrize("name", ALL_HOSTS)
def test_host_is_isolated_with_its_own_name(lab, name):
    host = nsenter_host(name)
    assert host.check_output("hostname") == name
    assert host.file("/etc/hosts").contains("10.0.0.11 controller")
    # Its own PID namespace: PID 1 is the lab's reaper, not the machine's init.
    assert "l3ha-lab-holder" in host.process.get(pid=1).args.split()


@pytest.mark.parametrize("name", [h for h in ALL_HOSTS if TOPOLOGY.hosts[h].interfaces])
def test_interfaces_and_addresses_follow_the_topology(lab, name):
    host = nsenter_host(name)
    for interface in TOPOLOGY.hosts[name].interfaces:
        assert host.interface(interface.name).exists
        if interface.address:
            device = host.interface(interface.address_device)
            assert str(interface.address.ip) in device.addresses, f"{interface.address} on {device}"


@pytest.mark.parametrize("name", OVS_HOSTS)
def test_open_vswitch_bridges_use_the_userspace_datapath(lab, name):
    host = nsenter_host(name)
    bridges = host.check_output("ovs-vsctl list-br").split()
    expected = {"br-int", "br-tun", "br-vlan"} | (
        {"br-ex"} if TOPOLOGY.hosts[name].role == "network" else set()
    )
    assert expected <= set(bridges)
    for bridge in expected:
        assert host.check_output(f"ovs-vsctl get bridge {bridge} datapath_type") == "netdev"
    assert "eth1" in host.check_output("ovs-vsctl list-ports br-eth1").split()


@pytest.mark.parametrize("name", [h for h in ALL_HOSTS if TOPOLOGY.hosts[h].role in NODE_ROLES])
def test_the_manuals_config_files_are_installed_with_values_filled_in(lab, name):
    host = nsenter_host(name)
    topology_host = TOPOLOGY.hosts[name]
    for _source, target in configs.files_for(topology_host.role):
        installed = host.file(target)
        assert installed.exists, target
        assert not configs.PLACEHOLDER.search(
            "\n".join(line.split("=", 1)[1] for line in installed.content_string.splitlines() if "=" in line)
        ), f"placeholder left in {target}"
    if topology_host.runs_ovs:
        agent_file = host.file("/etc/neutron/plugins/ml2/openvswitch_agent.ini")
        assert agent_file.contains(f"local_ip = {topology_host.address_on('tunnel')}")


def test_private_run_keeps_namespaces_per_host(lab):
    # Named namespaces live in each host's own /run/netns; the root namespace sees none.
    root = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    assert "qrouter-" not in root and "qdhcp-" not in root and "instance-" not in root
    # compute1 holds at most its instances' namespaces, never a network node's.
    compute1 = nsenter_host("compute1").check_output("ip netns list").split()
    assert not [name for name in compute1 if name.startswith(("qrouter-", "qdhcp-"))]


def test_the_hosts_reach_each_other_on_management_and_tunnel(lab):
    network1 = nsenter_host("network1")
    assert network1.run("ping -c 1 -W 2 10.0.0.11").rc == 0
    assert network1.run("ping -c 1 -W 2 10.0.1.31").rc == 0


@pytest.fixture(scope="module")
def ssh_config_file(lab, tmp_path_factory):
    path = tmp_path_factory.mktemp("ssh") / "ssh_config"
    path.write_text(ssh_config(lab.state, lab.host_pids()))
    return path


@pytest.mark.parametrize("backend", ["ssh", "paramiko"])
@pytest.mark.parametrize("name", ["controller", "network1", "compute1"])
def test_hosts_answer_over_ssh(lab, ssh_config_file, backend, name):
    host = testinfra.get_host(f"{backend}://{name}", ssh_config=str(ssh_config_file))
    assert host.check_output("hostname") == name
    assert host.interface("eth0").exists


CLIENT_COMMAND = ". /root/admin-openrc && openstack token issue -f value -c id"


@pytest.mark.parametrize(
    "session",
    # `ssh controller CMD` as is, and a login shell that starts from an empty environment.
    [CLIENT_COMMAND, f"env -i HOME=/root bash -lc {shlex.quote(CLIENT_COMMAND)}"],
    ids=["ssh command", "login shell"],
)
def test_an_ssh_session_finds_the_clients_and_the_credentials_where_the_manual_says(
    lab, ssh_config_file, session
):
    controller = testinfra.get_host("ssh://controller", ssh_config=str(ssh_config_file))
    assert "OS_" not in controller.check_output("env"), "credentials leaked from the caller"
    token = controller.check_output(session)
    assert len(token) >= 32, token
