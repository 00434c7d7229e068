"""The manual's scenario in the lab, made idempotently: networks, router, rules, instance, floating IP.

`ensure_scenario(lab)` makes whatever is missing of the manual's resources, with
the manual's names and credentials, in one process on the controller
(`l3ha_guide.lab.scenario_sdk`, through openstacksdk): as admin ext-net,
ext-subnet and demo-net (a provider attribute, for the demo project); as the
demo user demo-subnet, the router demo-router (HA because of `l3_ha = True`)
with its interface and gateway, the security group rules, demo-instance1 and
its floating IP. Meanwhile it waits, side by side, for one active and one
standby L3 agent, and for the instance's address from Neutron's dnsmasq and the
instance answering on its floating IP from `external`.

`up_with_scenario(lab)` brings the lab up and makes the scenario, and starts
making it as soon as Keystone and the Networking API answer: the networks and
the router exist before the L3 agents' first sync, so each agent builds the
router whole in one pass and starts keepalived once, where a router changed
after the agents started costs a pass and a keepalived reload per change.
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from l3ha_guide.errors import UserError
from l3ha_guide.lab.keystone import OPENRC
from l3ha_guide.lab.neutron import MYSQL_SOCKET
from l3ha_guide.progress import Progress
from l3ha_guide.topology import instance_device
from l3ha_guide.topology import load as load_topology
from l3ha_guide.waiting import wait_until

TOPOLOGY = load_topology()
OBJECTS = TOPOLOGY.openstack
ROUTER = OBJECTS.router
INSTANCE_HOST = TOPOLOGY.instance.name
MAKE_LOG = "/var/log/lab-scenario.log"  # on the controller: the scenario process's errors


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


def up_with_scenario(lab, progress: Progress | None = None) -> Instance:
    """`lab.up()`, then `ensure_scenario(lab)`; on a lab that was down, the scenario process starts
    while the agents do (it boots the instance once `lab up` has mapped the compute nodes)."""
    with ThreadPoolExecutor(1) as pool:
        early: list[Future] = []
        lab.up(progress=progress, api_ready=lambda: early.append(pool.submit(_make, lab)))
        return ensure_scenario(lab, making=early[0] if early else None)


def ensure_scenario(lab, making: Future | None = None) -> Instance:
    """Make what is missing of the manual's scenario; returns the instance with its floating IP.

    `making`: the scenario process `up_with_scenario` started on the new lab, which held none
    of the scenario's resources then."""
    began = time.monotonic()
    created_router = making is not None or not sql(lab, f"SELECT id FROM routers WHERE name = '{ROUTER}'")
    created_instance = making is not None or not _has_server(lab)
    with ThreadPoolExecutor(2) as pool:
        making = making or pool.submit(_make, lab)
        # The instance may answer before the server records the election (the agents report a
        # new primary after advert_int, in batches): both are waited for, side by side.
        elected = pool.submit(_wait_active_standby, lab, making)
        made = making.result()
        lab.state.update(instance=made["location"])  # what `Lab.instance_location` would ask Nova
        instance = Instance(made["port_id"], made["mac"], _dhcp(lab), made["floating_ip"])
        _wait_answers(lab, instance.floating_ip)
        answered = time.monotonic()
        elected_at = elected.result()
    if created_router:
        # From a lab with no resources to the HA router active/standby: a phase of the benchmark.
        lab.state.add_timing("HA router active/standby", elected_at - began)
    if created_instance:
        # Then to the instance answering on its floating IP from `external` (no time if it already
        # did): the benchmark's last phase.
        lab.state.add_timing(
            "instance answers on its floating IP",
            max(0.0, answered - elected_at),
            memory_mib=lab.memory_mib(),
        )
    return instance


def _make(lab) -> dict[str, object]:
    """Run `l3ha_guide.lab.scenario_sdk` on the controller; its JSON, or its error as a UserError."""
    script = f"{sys.executable} -m l3ha_guide.lab.scenario_sdk 2>{MAKE_LOG}"
    result = lab.exec("controller", ["bash", "-c", script], timeout=300)
    if result.returncode != 0:
        from l3ha_guide.progress import log_tail

        tail = log_tail(lab.state.upper("controller", MAKE_LOG))
        raise UserError(f"controller: could not make the manual's scenario:\n  tail of {MAKE_LOG}:\n{tail}")
    return json.loads(result.stdout)


def ha_states(lab) -> dict[str, str]:
    """Host -> HA state of the router's L3 agents, from the table behind `network agent list --router`."""
    query = (
        "SELECT a.host, b.state FROM ha_router_agent_port_bindings b JOIN agents a ON a.id = b.l3_agent_id "
        f"JOIN routers r ON r.id = b.router_id WHERE r.name = '{ROUTER}'"
    )
    return {host: state for host, state in sql(lab, query)}


def _wait_active_standby(lab, making: Future, timeout: float = 120) -> float:
    """Until Neutron's database records one L3 agent active and one standby for the router; when.

    `HARouter.wait_active_standby` asks the API the same on a real deployment; each of its polls
    starts the `openstack` client, about 3 s of CPU while the lab is at its busiest, and a query
    costs milliseconds.
    """
    seen: dict[str, str] = {}

    def active_standby() -> dict[str, str] | None:
        if making.done():
            making.result()  # raises the scenario process's failure instead of waiting it out
        seen.clear()
        seen.update(ha_states(lab))
        return dict(seen) if sorted(seen.values()) == ["active", "standby"] else None

    wait_until(
        active_standby,
        timeout=timeout,
        interval=0.25,
        failure=lambda: f"{ROUTER}: no active/standby pair after {timeout:.0f} s (states: {seen})",
    )
    return time.monotonic()


def _wait_answers(lab, address: str, timeout: float = 120) -> None:
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


def _has_server(lab) -> bool:
    """Whether Nova's database holds the manual's instance."""
    query = f"SELECT uuid FROM instances WHERE display_name = '{OBJECTS.instance}' AND deleted = 0"
    return bool(sql(lab, query, database="nova"))


def _dhcp(lab, timeout: float = 90) -> str:
    """The address the instance's DHCP client got from Neutron's dnsmasq."""

    def leased_address() -> str | None:
        output = lab.exec(
            INSTANCE_HOST, f"ip -4 -o addr show dev {instance_device()} | awk '{{print $4}}'"
        ).stdout.strip()
        return output.split("/")[0] if output else None

    return wait_until(
        leased_address,
        timeout=timeout,
        interval=1,
        failure=lambda: (
            f"{OBJECTS.instance}: no address from Neutron's dnsmasq on {instance_device()} in {timeout:.0f} s"
        ),
    )
