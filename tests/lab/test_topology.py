"""The topology file: it agrees with the manual's address plan, and bad input is named by line."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest

from l3ha_guide import topology
from l3ha_guide.errors import UserError
from l3ha_guide.lab import configs
from l3ha_guide.lab.state import LabState

PREREQUISITES = topology.REPO_ROOT / "source" / "prerequisites.md"
# Rows of the address plan: | Network | Addresses | Used for |
ROW = re.compile(r"^\|\s*(?P<network>[^|]+?)\s*\|\s*(?P<addresses>[^|]+?)\s*\|\s*(?P<used>[^|]*?)\s*\|\s*$")
# Which row of the manual's table names each topology network.
MANUAL_NAMES = {
    "management": "Management",
    "tunnel": "Project tunnel",
    "vlan": "VLAN",
    "external": "External",
}


def address_plan() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in PREREQUISITES.read_text().splitlines():
        match = ROW.match(line)
        if match and not set(match["addresses"]) <= {"-", " "}:
            rows[match["network"]] = (match["addresses"], match["used"])
    return rows


def test_topology_declares_the_scenario_hosts():
    lab = topology.load()
    assert {"controller", "network1", "network2", "compute1", "external", "instance"} <= set(lab.hosts)
    assert [h.name for h in lab.hosts_with_role("network")] == ["network1", "network2"]
    assert lab.hosts["external"].address_on("external") == "203.0.113.1"


def test_address_plan_of_the_manual_agrees_with_the_topology():
    plan = address_plan()
    lab = topology.load()
    for name, network in lab.networks.items():
        addresses, used = plan[MANUAL_NAMES[name]]
        if network.cidr is None:
            assert not re.search(r"\d+\.\d+\.\d+\.\d+/\d+", addresses), f"{name} is layer 2 only in the lab"
            continue
        assert ipaddress.ip_network(addresses) == network.cidr
        # Every host address the manual names on this row is the one the lab gives that host.
        for host_name, address in re.findall(
            r"(controller|network\d|compute\d)\s+(\d+\.\d+\.\d+\.\d+)", used
        ):
            assert lab.hosts[host_name].address_on(name) == address, f"{host_name} on {name}"
    assert "203.0.113.1" in plan["External"][1]


def test_a_wrong_address_is_reported_with_file_and_line(tmp_path: Path):
    text = topology.TOPOLOGY_FILE.read_text().replace("10.0.1.22/24", "10.9.9.9/24")
    bad = tmp_path / "topology.yaml"
    bad.write_text(text)
    line = next(n for n, text_line in enumerate(text.splitlines(), 1) if "10.9.9.9" in text_line)
    with pytest.raises(
        UserError, match=rf"topology.yaml:{line}: error: interface eth1: 10.9.9.9/24 is not inside"
    ):
        topology.load(bad)


def test_broken_yaml_is_reported_with_its_line(tmp_path: Path):
    bad = tmp_path / "topology.yaml"
    bad.write_text("networks:\n  management: {cidr: 10.0.0.0/24\nhosts: {}\n")
    with pytest.raises(UserError, match=r"topology.yaml:\d+: error:"):
        topology.load(bad)


def test_placeholders_get_topology_values_and_unknown_ones_fail(tmp_path: Path):
    lab = topology.load()
    values = configs.placeholder_values(lab, lab.hosts["network2"], LabState(tmp_path))
    text = "[ovs]\nlocal_ip = TUNNEL_INTERFACE_IP_ADDRESS\n# NOT_A_PLACEHOLDER = x\n"
    assert "local_ip = 10.0.1.22" in configs.substitute(text, values, Path("x.ini"))
    with pytest.raises(UserError, match=r"x.ini:2: error: placeholder SOME_UNKNOWN_THING"):
        configs.substitute("[DEFAULT]\nkey = SOME_UNKNOWN_THING\n", values, Path("x.ini"))


def test_metadata_secret_is_generated_per_lab_and_not_committed(tmp_path: Path):
    first = LabState(tmp_path / "one").secret("metadata")
    assert first == LabState(tmp_path / "one").secret("metadata")
    assert first != LabState(tmp_path / "two").secret("metadata")
    assert ".lab/" in (topology.REPO_ROOT / ".gitignore").read_text()


def test_secrets_asked_for_at_once_are_all_kept(tmp_path: Path):
    """lab up asks from several threads; a lost secret came back with another value than the one
    already in a config file (MariaDB then refused neutron-db-manage)."""
    from concurrent.futures import ThreadPoolExecutor

    state = LabState(tmp_path)
    names = [f"service{number}" for number in range(64)]
    with ThreadPoolExecutor(8) as pool:
        given = dict(zip(names, pool.map(state.secret, names), strict=True))
    assert {name: state.secret(name) for name in names} == given
    assert oct((tmp_path / "secrets.json").stat().st_mode & 0o777) == "0o600"


def test_state_changes_from_threads_at_once_are_all_kept(tmp_path: Path):
    from concurrent.futures import ThreadPoolExecutor

    state = LabState(tmp_path)
    names = [f"host{number}" for number in range(64)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda name: state.record_holder(name, 1000, None), names))
    assert sorted(state.load()["holders"]) == sorted(names)


def test_the_scenario_objects_come_from_the_topology():
    objects = topology.load().openstack
    assert (objects.router, objects.project_network, objects.external_network) == (
        "demo-router",
        "demo-net",
        "ext-net",
    )
    assert str(objects.project_gateway) == "192.168.1.1"
    assert [str(address) for address in objects.project_pool] == ["192.168.1.2", "192.168.1.254"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "external_pool: [203.0.113.101",
            "external_pool: [198.51.100.1",
            "must lie inside networks.external",
        ),
        (
            "    role: instance\n",
            "    role: instance\n    interfaces:\n      eth0: {network: management, address: 10.0.0.99/24}\n",
            "an instance gets its interfaces from Nova",
        ),
        ("  router: demo-router\n", "", "openstack: missing router"),
    ],
)
def test_bad_scenario_facts_are_reported_with_file_and_line(tmp_path: Path, old: str, new: str, message: str):
    text = topology.TOPOLOGY_FILE.read_text()
    assert old in text
    bad = tmp_path / "topology.yaml"
    bad.write_text(text.replace(old, new))
    with pytest.raises(UserError, match=rf"topology.yaml:\d+: error: .*{message}"):
        topology.load(bad)


def test_ipv6_prefixes_and_their_gateways() -> None:
    objects = topology.load().openstack
    assert objects.project_ipv6_cidr.version == objects.external_ipv6_cidr.version == 6
    # Neutron's default gateway of an IPv6 subnet is the prefix's first address; the external
    # host takes the first host address of the external prefix.
    assert objects.project_ipv6_gateway == objects.project_ipv6_cidr.network_address
    assert objects.external_ipv6_gateway == objects.external_ipv6_cidr.network_address + 1
    assert {objects.project_ipv6_subnet, objects.external_ipv6_subnet} <= set(objects.names)
