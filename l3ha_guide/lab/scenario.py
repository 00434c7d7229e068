"""The manual's scenario in the lab, made idempotently, and Nova's part for the instance.

`ensure_scenario(lab)` creates whatever is missing of the manual's resources,
with the manual's names and credentials, through the `openstack` client on the
controller: as admin ext-net, ext-subnet and demo-net (a provider attribute,
for the demo project); as the demo user demo-subnet, the router demo-router
(HA because of `l3_ha = True`) with its interface and gateway, the security
group rules and the floating IP. It then waits for one active and one standby L3 agent.

`boot_instance(lab)` does what Nova would do for demo-instance1: a port named
demo-instance1-port on demo-net bound to compute1, the `instance` host plugged
into compute1's br-int the way Nova's VIF plugging does it (external_ids
iface-id, attached-mac, iface-status=active), and its address taken by DHCP
from Neutron's own dnsmasq.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import time
import uuid
from dataclasses import dataclass

from l3ha_guide.errors import UserError
from l3ha_guide.ha_router import HARouter
from l3ha_guide.lab.hosts import nsenter
from l3ha_guide.lab.keystone import OPENRC
from l3ha_guide.lab.neutron import MYSQL_SOCKET
from l3ha_guide.topology import load as load_topology
from l3ha_guide.waiting import wait_until

TOPOLOGY = load_topology()
OBJECTS = TOPOLOGY.openstack
ROUTER = OBJECTS.router
INSTANCE_PORT = f"{OBJECTS.instance}-port"
INSTANCE_HOST = TOPOLOGY.hosts_with_role("instance")[0].name
COMPUTE_HOST = str(TOPOLOGY.hosts[INSTANCE_HOST].plugged_into)  # load() requires it

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


def sql(lab, query: str) -> list[list[str]]:
    result = lab.exec("controller", ["mariadb", f"--socket={MYSQL_SOCKET}", "-N", "neutron", "-e", query])
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
    HARouter(lab.shell).wait_active_standby()
    if created_router:
        # From a lab with no resources to the HA router active/standby: the benchmark's last phase.
        lab.state.add_timing(
            "HA router active/standby", time.monotonic() - began, memory_mib=lab.memory_mib()
        )
    instance = boot_instance(lab)
    floating = _ensure_floating_ip(lab, instance)
    return Instance(instance.port_id, instance.mac, instance.fixed_ip, floating)


def _ensure_floating_ip(lab, instance: Instance) -> str:
    rows = sql(lab, f"SELECT floating_ip_address FROM floatingips WHERE fixed_port_id = '{instance.port_id}'")
    if rows:
        return rows[0][0]
    created = openstack(lab, f"floating ip create {OBJECTS.external_network} -f json", user=PROJECT)
    openstack(
        lab, f"floating ip set --port {instance.port_id} {created['floating_ip_address']}", user=PROJECT
    )
    return created["floating_ip_address"]


def _instance_port(lab) -> tuple[str, str]:
    rows = sql(lab, f"SELECT id, mac_address FROM ports WHERE name = '{INSTANCE_PORT}'")
    if rows:
        return rows[0][0], rows[0][1]
    port = openstack(
        lab,
        # Binding a port to a host needs admin; the port is the demo project's, as Nova would make it.
        f"port create --project {PROJECT} --network {OBJECTS.project_network} --host {COMPUTE_HOST} "
        "--device-owner compute:nova "
        f"--device {uuid.uuid4()} {INSTANCE_PORT} -f json",
    )
    return port["id"], port["mac_address"]


def boot_instance(lab) -> Instance:
    """Nova's part for demo-instance1, idempotently; returns the port and the address DHCP gave."""
    port_id, mac = _instance_port(lab)
    tap = f"tap{port_id[:11]}"
    if lab.exec(INSTANCE_HOST, "ip link show eth0").returncode != 0:
        pids = lab.host_pids()
        # Only compute1's network namespace: `netns PID` names the instance by its PID in the root namespace.
        link = [*nsenter(pids[COMPUTE_HOST], network_only=True), "ip", "link", "add", tap, "type", "veth"]
        link += ["peer", "name", "eth0", "netns", str(pids[INSTANCE_HOST])]
        result = subprocess.run(link, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise UserError(f"compute1: could not plug the instance: {result.stderr.strip()}")
        lab.exec(COMPUTE_HOST, f"ethtool -K {tap} tx off >/dev/null && ip link set {tap} up", check=True)
        lab.exec(
            INSTANCE_HOST,
            f"ip link set eth0 address {mac} && ethtool -K eth0 tx off >/dev/null && ip link set eth0 up",
            check=True,
        )
    vsctl = [
        "ovs-vsctl", "--may-exist", "add-port", "br-int", tap, "--", "set", "Interface", tap,
        f"external_ids:iface-id={port_id}", f"external_ids:attached-mac={mac}",
        "external_ids:iface-status=active", f"external_ids:vm-id={INSTANCE_PORT}",
    ]  # fmt: skip
    lab.exec(COMPUTE_HOST, shlex.join(vsctl), check=True)
    return Instance(port_id, mac, _dhcp(lab))


def _dhcp(lab, timeout: float = 90) -> str:
    """Ask Neutron's dnsmasq for the instance's address until it answers."""
    last_error: list[str] = [""]

    def leased_address() -> str | None:
        address = lab.exec(INSTANCE_HOST, "ip -4 -o addr show dev eth0 | awk '{print $4}'").stdout.strip()
        if address:
            return address.split("/")[0]
        result = lab.exec(
            INSTANCE_HOST, "udhcpc -i eth0 -n -q -t 3 -T 2 -s /etc/udhcpc/default.script", timeout=30
        )
        last_error[0] = result.stderr
        return None

    return wait_until(
        leased_address,
        timeout=timeout,
        interval=0,  # udhcpc itself waits between its tries
        failure=lambda: (
            f"instance: no DHCP answer from Neutron's dnsmasq in {timeout:.0f} s: {last_error[0]}"
        ),
    )
