"""The manual's scenario made through openstacksdk, in one process on the controller.

`python -m l3ha_guide.lab.scenario_sdk` (run by `scenario.ensure_scenario`) makes
what is missing, with the manual's names and as the manual's users: as admin
ext-net, ext-subnet and demo-net (provider attributes need admin); as the demo
user demo-subnet, demo-router (HA because of `l3_ha = True`: a project user may
not ask for `--ha`) with its interface and gateway, the security group rules,
demo-instance1 and its floating IP. It prints the instance's port, MAC address,
floating IP and where Nova placed it as JSON. On a lab still coming up, it makes
the port once the DHCP agents listen (`neutron.DHCP_AGENTS_LISTEN`) and boots the
instance once the compute nodes are mapped (`nova.COMPUTE_READY`).

One process instead of one `openstack` client per step: each client start costs
about 3 s of CPU while the lab is at its busiest. The instance boots on a port
made beforehand (`server create --nic port-id=...`), which carries the floating
IP before the L3 agents first build the router: a floating IP that arrives once
keepalived runs is one more pass of both agents and a keepalived reload, which
restarts the election (3 x advert_int). The console examples boot the instance
as the manual does, with `--nic net-id=...`.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

from l3ha_guide.errors import UserError
from l3ha_guide.lab import nova
from l3ha_guide.lab.keystone import OPENRC, REGION
from l3ha_guide.lab.neutron import DHCP_AGENTS_LISTEN
from l3ha_guide.topology import load as load_topology
from l3ha_guide.waiting import wait_until

TOPOLOGY = load_topology()
OBJECTS = TOPOLOGY.openstack
PROJECT = "demo"  # the project and user of /root/demo-openrc
PORT = f"{OBJECTS.instance}-port"  # the port the instance boots on (ensure_port)
BOOT_TIMEOUT = 180  # seconds; nova-compute itself fails a boot after vif_plugging_timeout


def connect(openrc: str):
    """A connection as the user of an install-guide openrc file (`export OS_X=value` lines)."""
    import openstack  # the lab extra's client library; imported only on the controller

    settings = {}
    for line in Path(openrc).read_text().splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        if name.startswith("OS_"):
            settings[name.removeprefix("OS_").lower()] = value
    return openstack.connect(region_name=REGION, load_envvars=False, **settings)


def ensure_networks(admin, demo) -> tuple[object, object]:
    """ext-net, ext-subnet and demo-net as admin, demo-subnet as the demo user; (ext-net, demo-net)."""
    network = admin.network
    external = network.find_network(OBJECTS.external_network) or network.create_network(
        name=OBJECTS.external_network,
        is_router_external=True,
        provider_physical_network="external",
        provider_network_type="flat",
    )
    if not network.find_subnet(OBJECTS.external_subnet):
        start, end = OBJECTS.external_pool
        network.create_subnet(
            name=OBJECTS.external_subnet,
            network_id=external.id,
            ip_version=4,
            cidr=str(TOPOLOGY.external_cidr),
            allocation_pools=[{"start": str(start), "end": str(end)}],
            is_dhcp_enabled=False,
            gateway_ip=str(TOPOLOGY.external_gateway),
        )
    project = network.find_network(OBJECTS.project_network) or network.create_network(
        name=OBJECTS.project_network, project_id=demo.current_project_id, provider_network_type="vxlan"
    )
    if not demo.network.find_subnet(OBJECTS.project_subnet):
        demo.network.create_subnet(
            name=OBJECTS.project_subnet,
            network_id=project.id,
            ip_version=4,
            cidr=str(OBJECTS.project_cidr),
            gateway_ip=str(OBJECTS.project_gateway),
        )
    return external, project


def ensure_router(demo, external) -> None:
    """demo-router with its gateway on ext-net and its interface on demo-subnet.

    Created with its gateway in one request: each change of the router is one more pass of
    both L3 agents and, once keepalived runs, a reload that restarts the backups' wait for a
    primary (3 x advert_int), so the fewer and the earlier, the sooner the election ends.
    """
    network = demo.network
    gateway = {"network_id": external.id}
    router = network.find_router(OBJECTS.router) or network.create_router(
        name=OBJECTS.router, external_gateway_info=gateway
    )
    if not router.external_gateway_info:
        network.update_router(router, external_gateway_info=gateway)
    subnet = network.find_subnet(OBJECTS.project_subnet)
    attached = {ip["subnet_id"] for port in network.ports(device_id=router.id) for ip in port.fixed_ips}
    if subnet.id not in attached:
        network.add_interface_to_router(router, subnet_id=subnet.id)


def ensure_rules(demo) -> None:
    """ICMP and SSH into the demo project's default group, as `security group rule create` makes them."""
    from openstack.exceptions import ConflictException

    group = demo.network.find_security_group("default", project_id=demo.current_project_id)
    for rule in ({"protocol": "icmp"}, {"protocol": "tcp", "port_range_min": 22, "port_range_max": 22}):
        with contextlib.suppress(ConflictException):  # already there
            demo.network.create_security_group_rule(
                security_group_id=group.id,
                direction="ingress",
                ethertype="IPv4",
                remote_ip_prefix="0.0.0.0/0",  # what the client sets for an IPv4 rule with no remote
                **rule,
            )


def wait_for_lab(marker: str, what: str) -> None:
    """Until `lab up` has written a marker file on the controller (a lab already up has it)."""
    wait_until(
        Path(marker).exists,
        timeout=BOOT_TIMEOUT,
        interval=0.5,
        failure=f"the lab did not {what} within {BOOT_TIMEOUT} s ({marker})",
    )


def ensure_port(demo, project) -> object:
    """The instance's port on demo-net: the one it has if it exists, else one made for its boot."""
    network = demo.network
    server = demo.compute.find_server(OBJECTS.instance)
    ports = network.ports(device_id=server.id) if server else network.ports(name=PORT)
    return next(iter(ports), None) or network.create_port(name=PORT, network_id=project.id)


def ensure_server(demo, port) -> object:
    """demo-instance1 on its port, booted when Nova has no such instance; not waited for.

    A lab still coming up gets it once its compute nodes are mapped (nova.COMPUTE_READY)."""
    compute = demo.compute
    wait_for_lab(nova.COMPUTE_READY, "map its compute nodes")
    return compute.find_server(OBJECTS.instance) or compute.create_server(
        name=OBJECTS.instance,
        flavor_id=compute.find_flavor(nova.FLAVOR["name"], ignore_missing=False).id,
        image_id=demo.image.find_image(nova.IMAGE["name"], ignore_missing=False).id,
        networks=[{"port": port.id}],
    )


def wait_active(demo, server) -> None:
    from openstack.exceptions import ResourceFailure, SDKException

    try:
        demo.compute.wait_for_server(server, status="ACTIVE", failures=["ERROR"], wait=BOOT_TIMEOUT)
    except ResourceFailure:
        fault = demo.compute.get_server(server.id).fault or {}
        message = fault.get("message", "no fault recorded")
        raise SDKException(f"{OBJECTS.instance} did not become ACTIVE: {message}") from None


def ensure_scenario() -> dict[str, object]:
    admin, demo = connect(OPENRC["admin"]), connect(OPENRC[PROJECT])
    external, project = ensure_networks(admin, demo)
    ensure_router(demo, external)
    # A port made before the DHCP agents listen leaves demo-net with no agent serving it.
    wait_for_lab(DHCP_AGENTS_LISTEN, "have its DHCP agents listen")
    port = ensure_port(demo, project)
    floating = next(iter(demo.network.ips(port_id=port.id)), None) or demo.network.create_ip(
        floating_network_id=external.id, port_id=port.id
    )
    ensure_rules(demo)
    server = ensure_server(demo, port)
    wait_active(demo, server)
    # Where Nova placed it (admin-only fields): the lab's `instance` host, without asking again.
    placed = admin.compute.get_server(server.id)
    return {
        "port_id": port.id,
        "mac": port.mac_address,
        "floating_ip": floating.floating_ip_address,
        "location": [placed.compute_host, placed.instance_name],
    }


def main() -> int:
    from openstack.exceptions import SDKException

    try:
        print(json.dumps(ensure_scenario()))
    except (SDKException, UserError) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
