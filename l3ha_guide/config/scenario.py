"""The scenario's rules that Neutron's option types do not express, within a node and across nodes.

Each rule reads the documents of a Deployment and returns findings at the entry that is wrong.
A rule whose files are absent (a single page, a single file) has nothing to say.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from oslo_config import types

from l3ha_guide.config.documents import Deployment
from l3ha_guide.config.findings import Finding, error, warning
from l3ha_guide.config.ini import ConfigDocument, Entry
from l3ha_guide.config.placeholders import with_samples
from l3ha_guide.topology import Topology
from l3ha_guide.topology import load as load_topology

NEUTRON_CONF = "neutron.conf"
ML2_CONF = "plugins/ml2/ml2_conf.ini"
OVS_AGENT = "plugins/ml2/openvswitch_agent.ini"
L3_AGENT = "l3_agent.ini"
DHCP_AGENT = "dhcp_agent.ini"
# [ml2] type_drivers when unset (neutron 29.0.0's default).
DEFAULT_TYPE_DRIVERS = ("local", "flat", "vlan", "gre", "vxlan", "geneve")
TUNNEL_TYPES = ("gre", "vxlan", "geneve")
# Bytes VXLAN over IPv4 adds: outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14.
VXLAN_OVERHEAD = 50


@dataclass(frozen=True)
class Scenario:
    """The example deployment's facts the rules compare against (the manual's addressing)."""

    network_nodes: int
    tunnel_network: str
    subnets: dict[str, str]  # name -> CIDR, every subnet of the address plan
    link_local: str = "169.254.0.0/16"

    @classmethod
    def from_topology(cls, topology: Topology | None = None) -> Scenario:
        """The facts of examples/lab/topology.yaml, where the scenario is written once."""
        topology = topology or load_topology()
        subnets = {name: str(network.cidr) for name, network in topology.networks.items() if network.cidr}
        return cls(
            network_nodes=len(topology.network_nodes),
            tunnel_network=subnets["tunnel"],
            subnets={**subnets, "project": str(topology.openstack.project_cidr)},
        )


def as_list(entry: Entry) -> list[str]:
    return [item.strip() for item in with_samples(entry.value).split(",") if item.strip()]


def as_bool(entry: Entry) -> bool | None:
    try:
        return types.Boolean()(entry.value)
    except ValueError:
        return None  # the value check already reported it


def as_int(entry: Entry) -> int | None:
    try:
        return int(with_samples(entry.value))
    except ValueError:
        return None


def entries(deployment: Deployment, relative: str, section: str, key: str) -> list[tuple[str | None, Entry]]:
    found = []
    for role, document in deployment.documents:
        if document.target.endswith("/" + relative) and (entry := document.last(section, key)):
            found.append((role, entry))
    return found


def server_configs(deployment: Deployment) -> list[ConfigDocument]:
    """neutron.conf files that configure the server (they set core_plugin or an L3 HA option)."""
    server_keys = ("core_plugin", "l3_ha", "router_distributed", "l3_ha_net_cidr")
    return [
        document
        for document in deployment.files(NEUTRON_CONF)
        if any(document.last("DEFAULT", key) for key in server_keys)
    ]


def type_drivers(deployment: Deployment) -> list[str] | None:
    documents = deployment.files(ML2_CONF)
    if not documents:
        return None
    entry = documents[0].last("ml2", "type_drivers")
    return as_list(entry) if entry else list(DEFAULT_TYPE_DRIVERS)


def project_network_types(deployment: Deployment) -> list[tuple[Entry, list[str]]]:
    found = []
    for document in deployment.files(ML2_CONF):
        entry = document.last("ml2", "project_network_types") or document.last("ml2", "tenant_network_types")
        if entry:
            found.append((entry, as_list(entry)))
    return found


def check_ha_network(deployment: Deployment, scenario: Scenario) -> list[Finding]:
    findings = []
    link_local = ipaddress.ip_network(scenario.link_local)
    for _, entry in entries(deployment, NEUTRON_CONF, "DEFAULT", "l3_ha_net_cidr"):
        try:
            network = ipaddress.ip_network(entry.value, strict=True)
        except ValueError as problem:
            findings.append(
                error(entry.location, f"l3_ha_net_cidr {entry.value!r} is not a network CIDR: {problem}")
            )
            continue
        if network.version != 4 or not network.subnet_of(link_local):
            findings.append(error(entry.location, f"l3_ha_net_cidr {network} must lie inside {link_local}"))
        for name, subnet in scenario.subnets.items():
            if network.overlaps(ipaddress.ip_network(subnet)):
                findings.append(
                    error(entry.location, f"l3_ha_net_cidr {network} overlaps the {name} subnet {subnet}")
                )
    return findings


def check_agents_per_router(deployment: Deployment, scenario: Scenario) -> list[Finding]:
    findings = []
    for document in deployment.files(NEUTRON_CONF):
        maximum = document.last("DEFAULT", "max_l3_agents_per_router")
        minimum = document.last("DEFAULT", "min_l3_agents_per_router")
        high = as_int(maximum) if maximum else None
        low = as_int(minimum) if minimum else None
        if maximum and high is not None and high != 0 and high < 2:
            findings.append(
                error(maximum.location, f"max_l3_agents_per_router = {high}: an HA router needs 2 or more")
            )
        if maximum and minimum and high is not None and low is not None and high != 0 and high < low:
            message = f"max_l3_agents_per_router = {high} is below min_l3_agents_per_router = {low}"
            findings.append(error(maximum.location, message))
        dhcp = document.last("DEFAULT", "dhcp_agents_per_network")
        count = as_int(dhcp) if dhcp else None
        if dhcp and count is not None and count > scenario.network_nodes:
            nodes = scenario.network_nodes
            message = f"dhcp_agents_per_network = {count}, but only {nodes} network nodes run DHCP agents"
            findings.append(error(dhcp.location, message))
    return findings


def check_network_types(deployment: Deployment, scenario: Scenario) -> list[Finding]:
    drivers = type_drivers(deployment)
    if drivers is None:
        return []
    findings = []
    for entry, network_types in project_network_types(deployment):
        for missing in [kind for kind in network_types if kind not in drivers]:
            message = f"project network type {missing!r} is not in [ml2] type_drivers ({', '.join(drivers)})"
            findings.append(error(entry.location, message))
    for _, entry in entries(deployment, NEUTRON_CONF, "DEFAULT", "l3_ha_network_type"):
        if entry.value and entry.value not in drivers:
            message = (
                f"l3_ha_network_type {entry.value!r} is not in [ml2] type_drivers ({', '.join(drivers)})"
            )
            findings.append(error(entry.location, message))
    return findings


def declared_physnets(deployment: Deployment) -> set[str] | None:
    documents = deployment.files(ML2_CONF)
    if not documents:
        return None
    declared: set[str] = set()
    for document in documents:
        flat = document.last("ml2_type_flat", "flat_networks")
        flat_names = as_list(flat) if flat else ["*"]  # neutron's default allows any physnet
        if "*" in flat_names:
            return None
        declared.update(flat_names)
        vlan = document.last("ml2_type_vlan", "network_vlan_ranges")
        declared.update(item.split(":")[0] for item in (as_list(vlan) if vlan else []))
    return declared


def check_bridge_mappings(deployment: Deployment, scenario: Scenario) -> list[Finding]:
    declared = declared_physnets(deployment)
    findings = []
    for role, entry in entries(deployment, OVS_AGENT, "ovs", "bridge_mappings"):
        for item in as_list(entry):
            physnet, separator, bridge = item.partition(":")
            if not separator or not physnet or not bridge:
                findings.append(error(entry.location, f"bridge_mappings item {item!r} is not physnet:bridge"))
            elif declared is not None and physnet not in declared:
                message = (
                    f"physical network {physnet!r} ({role or 'this node'}) is declared neither in "
                    "[ml2_type_flat] flat_networks nor in [ml2_type_vlan] network_vlan_ranges"
                )
                findings.append(error(entry.location, message))
    return findings


def check_ranges(deployment: Deployment, scenario: Scenario) -> list[Finding]:
    limits = {"ml2_type_vlan": (1, 4094), "ml2_type_vxlan": (1, 2**24 - 1), "ml2_type_gre": (1, 2**32 - 1)}
    keys = {
        "ml2_type_vlan": "network_vlan_ranges",
        "ml2_type_vxlan": "vni_ranges",
        "ml2_type_gre": "tunnel_id_ranges",
    }
    findings = []
    for section, key in keys.items():
        low_limit, high_limit = limits[section]
        for _, entry in entries(deployment, ML2_CONF, section, key):
            for item in as_list(entry):
                parts = item.split(":")
                bounds = parts[1:] if section == "ml2_type_vlan" else parts
                if section == "ml2_type_vlan" and len(parts) == 1:
                    continue  # a physnet without a range: only admins choose its VLAN IDs
                if len(bounds) != 2 or not all(part.isdigit() for part in bounds):
                    findings.append(error(entry.location, f"{key} item {item!r} is not a MIN:MAX range"))
                    continue
                low, high = (int(part) for part in bounds)
                if not low_limit <= low <= high <= high_limit:
                    message = (
                        f"{key} range {low}:{high} must satisfy {low_limit} <= MIN <= MAX <= {high_limit}"
                    )
                    findings.append(error(entry.location, message))
    return findings


def check_tunnels(deployment: Deployment, scenario: Scenario) -> list[Finding]:
    findings = []
    tunnel_entries = entries(deployment, OVS_AGENT, "agent", "tunnel_types")
    drivers = type_drivers(deployment)
    reference = tunnel_entries[0] if tunnel_entries else None
    for role, entry in tunnel_entries:
        kinds = as_list(entry)
        if reference is not None and sorted(kinds) != sorted(as_list(reference[1])):
            message = (
                f"tunnel_types {','.join(kinds)} on {role or 'this node'} differ from "
                f"{','.join(as_list(reference[1]))} at {reference[1].location}"
            )
            findings.append(error(entry.location, message))
        for kind in kinds:
            if drivers is not None and kind not in drivers:
                findings.append(error(entry.location, f"tunnel type {kind!r} is not in [ml2] type_drivers"))
    tunnelled = {
        kind for _, types_ in project_network_types(deployment) for kind in types_ if kind in TUNNEL_TYPES
    }
    for role, document in deployment.documents:
        if not document.target.endswith("/" + OVS_AGENT):
            continue
        entry = document.last("agent", "tunnel_types")
        kinds = set(as_list(entry)) if entry else set()
        missing = sorted(tunnelled - kinds)
        if missing:
            location = entry.location if entry else document.origin
            node = role or "this node"
            message = (
                f"project networks use {', '.join(missing)}, but [agent] tunnel_types on {node} lacks it"
            )
            findings.append(error(location, message))
        if kinds and document.last("ovs", "local_ip") is None:
            location = entry.location if entry else document.origin
            findings.append(error(location, f"tunnel_types needs [ovs] local_ip on {role or 'this node'}"))
    return findings


def check_local_ip(deployment: Deployment, scenario: Scenario) -> list[Finding]:
    findings = []
    tunnel_network = ipaddress.ip_network(scenario.tunnel_network)
    for _, entry in entries(deployment, OVS_AGENT, "ovs", "local_ip"):
        try:
            address = ipaddress.ip_address(with_samples(entry.value))
        except ValueError:
            continue  # the value check already reported it
        if address not in tunnel_network:
            findings.append(
                error(entry.location, f"local_ip {address} is outside the tunnel network {tunnel_network}")
            )
    return findings


def check_router_mode(deployment: Deployment, scenario: Scenario) -> list[Finding]:
    findings = []
    for document in server_configs(deployment):
        l3_ha = document.last("DEFAULT", "l3_ha")
        if l3_ha is None or as_bool(l3_ha) is False:
            location = l3_ha.location if l3_ha else document.origin
            findings.append(
                error(location, "this scenario needs [DEFAULT] l3_ha = True (HA routers by default)")
            )
        distributed = document.last("DEFAULT", "router_distributed")
        if distributed is not None and as_bool(distributed):
            message = "router_distributed = True makes DVR routers, another scenario; set it to False"
            findings.append(error(distributed.location, message))
    for _, entry in entries(deployment, L3_AGENT, "DEFAULT", "agent_mode"):
        if entry.value != "legacy":
            findings.append(
                error(
                    entry.location,
                    f"agent_mode = {entry.value}: this scenario's L3 agents run in legacy mode",
                )
            )
    return findings


def check_l2population(deployment: Deployment, scenario: Scenario) -> list[Finding]:
    mechanism = entries(deployment, ML2_CONF, "ml2", "mechanism_drivers")
    if not any("l2population" in as_list(entry) for _, entry in mechanism):
        return []
    findings = []
    for role, entry in entries(deployment, OVS_AGENT, "agent", "l2_population"):
        if as_bool(entry) is False:
            message = (
                f"the l2population mechanism driver is on, but l2_population is off on {role or 'this node'}"
            )
            findings.append(warning(entry.location, message))
    return findings


def underlay_mtu(deployment: Deployment) -> int:
    mtu = 1500
    for document in deployment.files(NEUTRON_CONF):
        entry = document.last("DEFAULT", "global_physnet_mtu")
        mtu = as_int(entry) or mtu if entry else mtu
    for document in deployment.files(ML2_CONF):
        entry = document.last("ml2", "path_mtu")
        path_mtu = as_int(entry) if entry else None
        if path_mtu:
            mtu = min(mtu, path_mtu)
    return mtu


def mtu_of_dnsmasq_entry(entry: Entry) -> int | None:
    """`dhcp-option-force=26,1450` or `dhcp-option=option:mtu,1450` -> 1450."""
    if entry.key not in ("dhcp-option", "dhcp-option-force"):
        return None
    parts = [part.strip() for part in entry.value.split(",")]
    if len(parts) == 2 and parts[0] in ("26", "option:mtu") and parts[1].isdigit():
        return int(parts[1])
    return None


def check_dnsmasq_mtu(deployment: Deployment, scenario: Scenario) -> list[Finding]:
    findings = []
    expected = underlay_mtu(deployment) - VXLAN_OVERHEAD
    for role, entry in entries(deployment, DHCP_AGENT, "DEFAULT", "dnsmasq_config_file"):
        if not entry.value:
            continue
        referenced = [
            document for document_role, document in deployment.documents
            if document.target == entry.value and document_role == role
        ]  # fmt: skip
        if not referenced:
            findings.append(
                warning(entry.location, f"dnsmasq_config_file names {entry.value}, which is not provided")
            )
            continue
        for dnsmasq_entry in referenced[0].entries:
            mtu = mtu_of_dnsmasq_entry(dnsmasq_entry)
            if mtu is not None and mtu != expected:
                message = (
                    f"dnsmasq advertises MTU {mtu}, but VXLAN over a {expected + VXLAN_OVERHEAD}-byte "
                    f"underlay leaves {expected}"
                )
                findings.append(error(dnsmasq_entry.location, message))
    return findings


RULES: tuple[Callable[[Deployment, Scenario], list[Finding]], ...] = (
    check_ha_network,
    check_agents_per_router,
    check_network_types,
    check_bridge_mappings,
    check_ranges,
    check_tunnels,
    check_local_ip,
    check_router_mode,
    check_l2population,
    check_dnsmasq_mtu,
)


def check_scenario(deployment: Deployment, scenario: Scenario | None = None) -> list[Finding]:
    scenario = scenario or Scenario.from_topology()
    return [finding for rule in RULES for finding in rule(deployment, scenario)]
