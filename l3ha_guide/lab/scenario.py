"""The manual's scenario in the lab, made idempotently: networks, router, rules, instance, floating IP.

`ensure_scenario(lab)` creates whatever is missing of the manual's resources,
with the manual's names and credentials, through the `openstack` client on the
controller: as admin ext-net, ext-subnet and demo-net (a provider attribute,
for the demo project); as the demo user demo-subnet, the router demo-router
(HA because of `l3_ha = True`) with its interface and gateway, the security
group rules and the floating IP. It then waits for one active and one standby L3 agent.

`boot_instance(lab)` runs the manual's `openstack server create` for
demo-instance1 as the demo user when Nova has no such instance, and waits for
the address its DHCP client takes from Neutron's dnsmasq.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from l3ha_guide.errors import UserError
from l3ha_guide.ha_router import HARouter
from l3ha_guide.lab import nova
from l3ha_guide.lab.keystone import OPENRC
from l3ha_guide.lab.neutron import MYSQL_SOCKET
from l3ha_guide.topology import load as load_topology
from l3ha_guide.waiting import wait_until

TOPOLOGY = load_topology()
OBJECTS = TOPOLOGY.openstack
ROUTER = OBJECTS.router
INSTANCE_HOST = TOPOLOGY.hosts_with_role("instance")[0].name  # the console blocks' name for the instance

PROJECT = "demo"  # the project and user of /root/demo-openrc
# Each line runs in one `openstack` process (its interactive mode reads stdin),
# which saves the client's 3-5 s start per command. Provider attributes need admin.
CREATE_AS_ADMIN = {
    OBJECTS.external_network: f"network create {OBJECTS.external_network} --external "
    "--provider-physical-network external --provider-network-type flat",
    OBJECTS.external_subnet: f"subnet create {OBJECTS.external_subnet} --network {OBJECTS.external_network} "
    f"--subnet-range {TOPOLOGY.external_cidr} --allocation-pool "
    f"start={OBJECTS.external_pool[0]},end={OBJECTS.external_pool[1]} --no-dhcp "
    f"--gateway {TOPOLOGY.external_gateway}",
    OBJECTS.project_network: f"network create --project {PROJECT} "
    f"--provider-network-type vxlan {OBJECTS.project_network}",
}
CREATE_AS_PROJECT = {
    OBJECTS.project_subnet: f"subnet create {OBJECTS.project_subnet} --network {OBJECTS.project_network} "
    f"--subnet-range {OBJECTS.project_cidr} --gateway {OBJECTS.project_gateway}",
    ROUTER: f"router create {ROUTER}",  # HA: l3_ha = True, and a project user may not ask for --ha
}
CREATE = {**CREATE_AS_ADMIN, **CREATE_AS_PROJECT}


@dataclass(frozen=True)
class Instance:
    port_id: str
    mac: str
    fixed_ip: str
    floating_ip: str | None = None


def openstack(lab, arguments: str, *, batch: str | None = None, check: bool = True, user: str = "admin"):
    """Run the `openstack` client on the controller as `user`; JSON output is parsed when asked for."""
    script = f". {OPENRC[user]} && openstack {arguments}"
    result = lab.exec("controller", ["bash", "-c", script], input=batch, timeout=300)
    if check and result.returncode != 0:
        raise UserError(
            f"controller: openstack {arguments} failed:\n{(result.stdout + result.stderr).strip()}"
        )
    if "-f json" in arguments:
        return json.loads(result.stdout or "null")
    return result.stdout


def sql(lab, query: str, database: str = "neutron") -> list[list[str]]:
    result = lab.exec("controller", ["mariadb", f"--socket={MYSQL_SOCKET}", "-N", database, "-e", query])
    return [line.split("\t") for line in result.stdout.splitlines() if line.strip()]


def ensure_scenario(lab, progress=None) -> Instance:
    """Create what is missing of the manual's scenario; returns the instance with its floating IP."""
    began = time.monotonic()
    names = {row[0] for row in sql(lab, "SELECT name FROM networks UNION SELECT name FROM subnets")}
    names |= {row[0] for row in sql(lab, "SELECT name FROM routers")}
    created_router = ROUTER not in names
    as_admin = [command for name, command in CREATE_AS_ADMIN.items() if name not in names]
    if as_admin:
        openstack(lab, "", batch="\n".join(as_admin) + "\n", check=False)
    as_project = [command for name, command in CREATE_AS_PROJECT.items() if name not in names]
    # Harmless when already done: the client reports the duplicate and the batch goes on.
    as_project += [
        f"router add subnet {ROUTER} {OBJECTS.project_subnet}",
        f"router set {ROUTER} --external-gateway {OBJECTS.external_network}",
        "security group rule create --proto icmp default",
        "security group rule create --proto tcp --dst-port 22 default",
    ]
    openstack(lab, "", batch="\n".join(as_project) + "\n", check=False, user=PROJECT)
    missing = set(CREATE) - {
        row[0] for row in sql(lab, "SELECT name FROM networks UNION SELECT name FROM subnets")
    }
    missing -= {row[0] for row in sql(lab, "SELECT name FROM routers")}
    if missing:
        raise UserError(f"controller: could not create {', '.join(sorted(missing))}")
    created_instance = _server(lab) is None
    # The instance needs only demo-net: it boots while the L3 agents elect the router's master.
    with ThreadPoolExecutor(1) as pool:
        booting = pool.submit(boot_instance, lab)
        HARouter(lab.shell).wait_active_standby()
        if created_router:
            # From a lab with no resources to the HA router active/standby: a phase of the benchmark.
            lab.state.add_timing("HA router active/standby", time.monotonic() - began)
        elected = time.monotonic()
        instance = booting.result()
    floating = _ensure_floating_ip(lab, instance)
    _wait_answers(lab, floating)
    if created_instance:
        # Then to the instance answering on its floating IP from `external`: the benchmark's last phase.
        lab.state.add_timing(
            "instance answers on its floating IP", time.monotonic() - elected, memory_mib=lab.memory_mib()
        )
    return Instance(instance.port_id, instance.mac, instance.fixed_ip, floating)


def _wait_answers(lab, address: str, timeout: float = 60) -> None:
    """Until the instance answers a ping on its floating IP from the external network's router."""
    external = TOPOLOGY.hosts_with_role("external")[0].name
    wait_until(
        lambda: lab.exec(external, f"ping -c 1 -W 1 {address}").returncode == 0,
        timeout=timeout,
        interval=0.5,
        failure=lambda: (
            f"{external}: the instance's floating IP {address} does not answer after {timeout:.0f} s"
        ),
    )


def _ensure_floating_ip(lab, instance: Instance) -> str:
    rows = sql(lab, f"SELECT floating_ip_address FROM floatingips WHERE fixed_port_id = '{instance.port_id}'")
    if rows:
        return rows[0][0]
    # One client call: created on the instance's port (3-5 s less than create, then set).
    created = openstack(
        lab, f"floating ip create {OBJECTS.external_network} --port {instance.port_id} -f json", user=PROJECT
    )
    return created["floating_ip_address"]


def _server(lab) -> tuple[str, str] | None:
    """(uuid, vm_state) of the manual's instance, from Nova's database, if it exists."""
    query = f"SELECT uuid, vm_state FROM instances WHERE display_name = '{OBJECTS.instance}' AND deleted = 0"
    rows = sql(lab, query, database="nova")
    return (rows[0][0], rows[0][1]) if rows else None


def boot_instance(lab) -> Instance:
    """The manual's `openstack server create`, as the demo user, unless the instance exists."""
    server = _server(lab)
    if server is None:
        network = sql(lab, f"SELECT id FROM networks WHERE name = '{OBJECTS.project_network}'")[0][0]
        openstack(
            lab,
            f"server create --flavor {nova.FLAVOR['name']} --image {nova.IMAGE['name']} "
            f"--nic net-id={network} --wait {OBJECTS.instance}",
            user=PROJECT,
        )
        server = _server(lab)
    if server is None or server[1] != "active":
        fault = openstack(
            lab, f"server show {OBJECTS.instance} -c status -c fault", check=False, user=PROJECT
        )
        raise UserError(f"controller: {OBJECTS.instance} did not become ACTIVE:\n{fault.strip()}")
    port_id, mac = sql(lab, f"SELECT id, mac_address FROM ports WHERE device_id = '{server[0]}'")[0]
    return Instance(port_id, mac, _dhcp(lab))


def _dhcp(lab, timeout: float = 90) -> str:
    """The address the instance's DHCP client got from Neutron's dnsmasq."""

    def leased_address() -> str | None:
        output = lab.exec(INSTANCE_HOST, "ip -4 -o addr show dev eth0 | awk '{print $4}'").stdout.strip()
        return output.split("/")[0] if output else None

    return wait_until(
        leased_address,
        timeout=timeout,
        interval=1,
        failure=lambda: f"{OBJECTS.instance}: no address from Neutron's dnsmasq on eth0 in {timeout:.0f} s",
    )
