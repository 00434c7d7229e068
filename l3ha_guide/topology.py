"""The scenario's facts as plain data, read from examples/lab/topology.yaml.

Hosts, their roles and networks, and the manual's OpenStack objects with their
address plan are small frozen objects; everything else (the lab's fabric
links, addresses, /etc/hosts, ssh_config, config placeholders, the console
blocks' hosts, the names the lab creates and the ranges the matcher treats as
run-time values, the config validator's address plan) is derived from them.
Bad input is reported as `topology.yaml:LINE: error: ...`.

    from l3ha_guide.topology import load
    scenario = load()          # cached per file
    scenario.hosts["network1"].address_on("tunnel")     # '10.0.1.21'
    scenario.openstack.router                          # 'demo-router'
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.errors import UserError

REPO_ROOT = PROJECT_ROOT
TOPOLOGY_FILE = REPO_ROOT / "examples" / "lab" / "topology.yaml"
# Roles of the nodes that run OpenStack services and get config files from the manual.
NODE_ROLES = ("controller", "network", "compute")
ROLES = (*NODE_ROLES, "external", "instance")
# Roles that run their own Open vSwitch and Neutron agents.
OVS_ROLES = ("network", "compute")


def instance_device(index: int = 0) -> str:
    """The name of an instance's interface for its `index`th port, as the lab's virt driver
    (lab.nova_driver) names it inside the instance; the topology gives instances no interfaces."""
    return f"eth{index}"


class _LineDict(dict):
    """A mapping that remembers the line it started on."""

    line = 0


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings know their line, for `file:line` errors."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class Network:
    name: str
    cidr: ipaddress.IPv4Network | None

    @property
    def fabric_bridge(self) -> str:
        """The bridge in the fabric namespace that plays this network's switch."""
        return f"sw-{self.name}"[:15]


@dataclass(frozen=True)
class Interface:
    name: str
    network: str
    address: ipaddress.IPv4Interface | None = None
    # An Open vSwitch bridge (datapath_type=netdev) that holds the interface;
    # the address, if any, then sits on the bridge.
    bridge: str | None = None

    @property
    def address_device(self) -> str:
        return self.bridge or self.name


@dataclass(frozen=True)
class Host:
    name: str
    role: str
    interfaces: tuple[Interface, ...] = ()

    @property
    def runs_ovs(self) -> bool:
        return self.role in OVS_ROLES

    def interface_on(self, network: str) -> Interface | None:
        return next((i for i in self.interfaces if i.network == network), None)

    def address_on(self, network: str) -> str | None:
        interface = self.interface_on(network)
        return str(interface.address.ip) if interface and interface.address else None

    def fabric_link(self, interface: Interface) -> str:
        """Name of the veth end that stays in the fabric (at most 15 characters)."""
        return f"{self.name}-{interface.name}"[:15]


OBJECT_NAME_KEYS = (
    "external_network",
    "external_subnet",
    "project_network",
    "project_subnet",
    "router",
    "instance",
    "legacy_router",
    "project_ipv6_subnet",
    "external_ipv6_subnet",
)


@dataclass(frozen=True)
class OpenStackObjects:
    """The manual's example objects and the address ranges Neutron picks from for them."""

    external_network: str
    external_subnet: str
    external_pool: tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]
    project_network: str
    project_subnet: str
    project_cidr: ipaddress.IPv4Network
    router: str
    instance: str
    legacy_router: str  # converting-routers: a router that is not HA, converted and back
    project_ipv6_subnet: str
    external_ipv6_subnet: str
    ha_network_cidr: ipaddress.IPv4Network
    vrrp_virtual_addresses: ipaddress.IPv4Network
    project_ipv6_cidr: ipaddress.IPv6Network  # SLAAC (source/ipv6.md)
    external_ipv6_cidr: ipaddress.IPv6Network

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the objects the manual creates."""
        return tuple(getattr(self, key) for key in OBJECT_NAME_KEYS)

    @property
    def project_gateway(self) -> ipaddress.IPv4Address:
        return self.project_cidr.network_address + 1

    @property
    def project_pool(self) -> tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]:
        """Neutron's default allocation pool: every host address after the gateway."""
        return self.project_gateway + 1, self.project_cidr.broadcast_address - 1

    @property
    def project_ipv6_gateway(self) -> ipaddress.IPv6Address:
        """Neutron's default gateway of an IPv6 subnet: the prefix's first address (`2001:db8::`)."""
        return self.project_ipv6_cidr.network_address

    @property
    def external_ipv6_gateway(self) -> ipaddress.IPv6Address:
        """The external host's IPv6 address, the gateway of the external IPv6 subnet."""
        return self.external_ipv6_cidr.network_address + 1


@dataclass(frozen=True)
class Topology:
    networks: dict[str, Network]
    hosts: dict[str, Host]
    openstack: OpenStackObjects
    neutron: dict[str, str] = field(default_factory=dict)
    path: Path = TOPOLOGY_FILE

    @property
    def lab_hosts(self) -> dict[str, Host]:
        """The hosts the embedded lab builds (each its own namespaces); an instance is Nova's to make."""
        return {name: host for name, host in self.hosts.items() if host.role != "instance"}

    def hosts_with_role(self, role: str) -> list[Host]:
        return [host for host in self.hosts.values() if host.role == role]

    @property
    def controller(self) -> Host:
        return self.hosts_with_role("controller")[0]

    @property
    def instance(self) -> Host:
        """The instance the scenario boots (the console blocks' host for commands run inside it)."""
        return self.hosts_with_role("instance")[0]

    @property
    def network_nodes(self) -> list[str]:
        return [host.name for host in self.hosts_with_role("network")]

    @property
    def external_cidr(self) -> ipaddress.IPv4Network:
        cidr = self.networks["external"].cidr
        assert cidr is not None  # load() requires it
        return cidr

    @property
    def external_gateway(self) -> str:
        """The upstream router's address: the external subnet's gateway."""
        address = self.hosts_with_role("external")[0].address_on("external")
        assert address is not None  # load() requires it
        return address

    def etc_hosts(self) -> str:
        """/etc/hosts lines naming every host by its management address."""
        lines = ["127.0.0.1 localhost"]
        for host in self.hosts.values():
            address = host.address_on("management")
            if address:
                lines.append(f"{address} {host.name}")
        return "\n".join(lines) + "\n"


def _error(path: Path, line: int, message: str) -> UserError:
    return UserError(f"{path}:{line}: error: {message}")


def _parse_interface(path: Path, name: str, data: _LineDict, networks: dict[str, Network]) -> Interface:
    line = getattr(data, "line", 0)
    network = data.get("network")
    if network not in networks:
        raise _error(
            path, line, f"interface {name}: unknown network {network!r}; known: {', '.join(networks)}"
        )
    address = None
    if data.get("address"):
        try:
            address = ipaddress.IPv4Interface(data["address"])
        except ValueError as error:
            raise _error(path, line, f"interface {name}: {error}") from None
        cidr = networks[network].cidr
        if cidr is None or address.ip not in cidr:
            raise _error(path, line, f"interface {name}: {address} is not inside network {network} ({cidr})")
    return Interface(name=name, network=network, address=address, bridge=data.get("bridge"))


def _parse_openstack(path: Path, data: _LineDict, networks: dict[str, Network]) -> OpenStackObjects:
    line = getattr(data, "line", 0)
    missing = [
        key
        for key in (
            *OBJECT_NAME_KEYS,
            "external_pool",
            "project_cidr",
            "ha_network_cidr",
            "vrrp_virtual_addresses",
            "project_ipv6_cidr",
            "external_ipv6_cidr",
        )
        if key not in data
    ]
    if missing:
        raise _error(path, line, f"openstack: missing {', '.join(missing)}")
    external = networks.get("external")
    try:
        pool = tuple(ipaddress.IPv4Address(address) for address in data["external_pool"])
        objects = OpenStackObjects(
            **{key: str(data[key]) for key in OBJECT_NAME_KEYS},
            external_pool=(pool[0], pool[-1]),
            project_cidr=ipaddress.IPv4Network(data["project_cidr"]),
            ha_network_cidr=ipaddress.IPv4Network(data["ha_network_cidr"]),
            vrrp_virtual_addresses=ipaddress.IPv4Network(data["vrrp_virtual_addresses"]),
            project_ipv6_cidr=ipaddress.IPv6Network(data["project_ipv6_cidr"]),
            external_ipv6_cidr=ipaddress.IPv6Network(data["external_ipv6_cidr"]),
        )
    except (ValueError, TypeError, IndexError) as error:
        raise _error(path, line, f"openstack: {error}") from None
    if external is None or external.cidr is None or not all(address in external.cidr for address in pool):
        raise _error(path, line, "openstack: external_pool must lie inside networks.external")
    return objects


def load(path: Path = TOPOLOGY_FILE) -> Topology:
    """The topology in `path`, read once per file and modification time."""
    try:
        return _load_cached(path, path.stat().st_mtime_ns)
    except OSError as error:
        raise UserError(f"{path}: error: {error.strerror}") from None


@lru_cache(maxsize=8)
def _load_cached(path: Path, mtime_ns: int) -> Topology:
    try:
        data = yaml.load(path.read_text(), Loader=_LineLoader)
    except OSError as error:
        raise UserError(f"{path}: error: {error.strerror}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise _error(path, mark.line + 1 if mark else 0, str(error).splitlines()[0]) from None
    if not isinstance(data, dict) or "hosts" not in data or "networks" not in data:
        raise _error(path, 1, "a topology needs 'networks' and 'hosts' mappings")
    networks = {}
    for name, spec in data["networks"].items():
        cidr = spec.get("cidr") if isinstance(spec, dict) else None
        try:
            networks[name] = Network(name, ipaddress.IPv4Network(cidr) if cidr else None)
        except ValueError as error:
            raise _error(path, getattr(spec, "line", 0), f"network {name}: {error}") from None
    hosts = {}
    for name, spec in data["hosts"].items():
        line = getattr(spec, "line", 0)
        if spec.get("role") not in ROLES:
            raise _error(path, line, f"host {name}: role must be one of {', '.join(ROLES)}")
        interfaces = tuple(
            _parse_interface(path, if_name, if_spec, networks)
            for if_name, if_spec in (spec.get("interfaces") or {}).items()
        )
        if spec["role"] == "instance" and interfaces:
            raise _error(
                path, line, f"host {name}: an instance gets its interfaces from Nova, not the topology"
            )
        hosts[name] = Host(name, spec["role"], interfaces)
    if len([h for h in hosts.values() if h.role == "controller"]) != 1:
        raise _error(path, getattr(data["hosts"], "line", 0), "exactly one host must have role controller")
    if len([h for h in hosts.values() if h.role == "external" and h.address_on("external")]) != 1:
        raise _error(
            path,
            getattr(data["hosts"], "line", 0),
            "exactly one host must have role external, with an address on networks.external",
        )
    if not isinstance(data.get("openstack"), dict):
        raise _error(path, 1, "a topology needs an 'openstack' mapping (the manual's example objects)")
    openstack = _parse_openstack(path, data["openstack"], networks)
    neutron = {key: str(value) for key, value in (data.get("neutron") or {}).items()}
    return Topology(networks=networks, hosts=hosts, openstack=openstack, neutron=neutron, path=path)
