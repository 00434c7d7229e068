"""Real Nova in the lab: its services where the install guide runs them, and an instance that is a
network namespace on compute1, plugged as the libvirt driver plugs a port of the Open vSwitch agent."""

from __future__ import annotations

import json

import testinfra
from lab_helpers import openstack_json

from l3ha_guide.lab import nova
from l3ha_guide.lab.keystone import OPENRC
from l3ha_guide.lab.scenario import sql
from l3ha_guide.lab.scenario_sdk import OBJECTS, PROJECT
from l3ha_guide.topology import REPO_ROOT


def test_compute_services_run_where_the_install_guide_runs_them(lab):
    services = {(row["Binary"], row["Host"]): row["State"] for row in openstack_json("compute service list")}
    for key in (
        ("nova-conductor", "controller"),
        ("nova-scheduler", "controller"),
        ("nova-compute", "compute1"),
    ):
        assert services.get(key) == "up", f"{key}: {services}"
    hypervisors = {row["Hypervisor Hostname"] for row in openstack_json("hypervisor list")}
    assert "compute1" in hypervisors


def test_the_scheduler_maps_the_compute_node_into_cell1(lab):
    """As the lab page says: by `[scheduler] discover_hosts_in_cells_interval`, not by nova-manage."""
    page = " ".join((REPO_ROOT / "source" / "lab.md").read_text(encoding="utf-8").split())
    assert f"`[scheduler] discover_hosts_in_cells_interval = {nova.DISCOVER_INTERVAL}`" in page
    mapped = sql(lab, "SELECT h.host, c.name FROM host_mappings h JOIN cell_mappings c ON c.id = h.cell_id",
                 database="nova_api")  # fmt: skip
    assert ["compute1", "cell1"] in mapped, mapped
    log = lab.state.upper("controller", nova.log("nova-scheduler")).read_text()
    assert "Discovered 1 new hosts: cell1:compute1" in log


def test_the_instance_is_a_namespace_on_its_compute_node_found_through_nova(lab, scenario):
    compute, namespace = lab.instance_location()
    server = openstack_json(f"server show {OBJECTS.instance}", user=PROJECT)
    assert server["status"] == "ACTIVE"
    placed = openstack_json(f"server show {server['id']}")  # as admin: where Nova placed it
    assert [placed["OS-EXT-SRV-ATTR:host"], placed["OS-EXT-SRV-ATTR:instance_name"]] == [compute, namespace]
    assert compute == "compute1" and namespace.startswith("instance-")
    assert namespace in testinfra.get_host("nsenter://compute1").check_output("ip netns list")
    instance = testinfra.get_host("nsenter://instance")
    assert instance.interface("eth0").exists and scenario.fixed_ip in instance.interface("eth0").addresses


def test_the_instances_port_is_plugged_as_libvirt_plugs_it(lab, scenario):
    server = openstack_json(f"server show {OBJECTS.instance}", user=PROJECT)
    port = openstack_json(f"port show {scenario.port_id}")
    assert port["status"] == "ACTIVE" and port["device_id"] == server["id"]
    assert port["binding_host_id"] == "compute1" and port["binding_vif_type"] == "ovs"
    tap = f"tap{scenario.port_id[:11]}"
    compute1 = testinfra.get_host("nsenter://compute1")
    assert compute1.check_output(f"ovs-vsctl port-to-br {tap}") == "br-int"
    external_ids = compute1.check_output(f"ovs-vsctl get Interface {tap} external_ids")
    for pair in (
        f'iface-id="{scenario.port_id}"',
        f'attached-mac="{scenario.mac}"',
        "iface-status=active",
        f'vm-uuid="{server["id"]}"',
    ):
        assert pair in external_ids


def test_a_port_that_never_becomes_active_fails_the_boot_and_names_the_port(lab, scenario):
    """As libvirt on `vif_plugging_timeout`: compute1's Open vSwitch agent hangs (SIGSTOP) after
    Neutron bound the port to it, so the port never becomes ACTIVE and no network-vif-plugged comes."""
    port = openstack_json(f"port create --network {OBJECTS.project_network} lab-port-never-active", PROJECT)
    controller, compute1 = (testinfra.get_host(f"nsenter://{name}") for name in ("controller", "compute1"))
    demo = f". {OPENRC[PROJECT]} && openstack"
    agent = compute1.check_output("pgrep -o -f '^neutron-openvswitch-agent'")
    assert agent.isdigit()
    compute1.check_output(f"kill -STOP {agent}")
    try:
        boot = controller.run(
            f"{demo} server create --flavor {nova.FLAVOR['name']} --image {nova.IMAGE['name']} "
            f"--port {port['id']} --wait lab-never-active"
        )
        assert boot.rc != 0, boot.stdout
        [listed] = openstack_json("server list --all-projects --name '^lab-never-active$'")
        server = openstack_json(f"server show {listed['ID']}")  # as admin: with the fault's details
        assert server["status"] == "ERROR"
        fault = json.dumps(server["fault"])
        assert "network-vif-plugged" in fault and port["id"] in fault, fault
    finally:
        compute1.check_output(f"kill -CONT {agent}")
        controller.run(f"{demo} server delete --wait lab-never-active")
        controller.run(f"{demo} port delete {port['id']}")
    assert f"tap{port['id'][:11]}" not in compute1.check_output("ip -o link show")
