"""The wiring: one Linux bridge per network in the fabric namespace, a veth per host interface.

Each veth is created from inside the fabric's network namespace with its peer
sent straight into the host's network namespace, so nothing ever appears in
the root namespace. Interfaces that belong to an Open vSwitch bridge get their
address later, on that bridge (see ovs.py).
"""

from __future__ import annotations

from l3ha_guide.topology import Host, Topology

# Userspace Open vSwitch forwards what it reads from a veth as is; a partial
# checksum left by offload would reach the far end unfinished. Compute it in software.
NO_OFFLOAD = ("tx", "off")


def fabric_batch(topology: Topology, host_pids: dict[str, int]) -> str:
    """`ip -batch` commands, run in the fabric namespace, that build bridges and links."""
    lines = []
    for network in topology.networks.values():
        lines.append(f"link add {network.fabric_bridge} type bridge")
        lines.append(f"link set {network.fabric_bridge} up")
    for host in topology.hosts.values():
        for interface in host.interfaces:
            link = host.fabric_link(interface)
            bridge = topology.networks[interface.network].fabric_bridge
            lines.append(f"link add {link} type veth peer name {interface.name} netns {host_pids[host.name]}")
            lines.append(f"link set {link} master {bridge} up")
    return "\n".join(lines) + "\n"


def host_batch(host: Host) -> str:
    """`ip -batch` commands, run in the host, that bring its links up and address plain interfaces."""
    lines = []
    for interface in host.interfaces:
        lines.append(f"link set {interface.name} up")
        if interface.address and not interface.bridge:
            lines.append(f"address add {interface.address} dev {interface.name}")
    return "\n".join(lines) + "\n"


def offload_commands(host: Host) -> list[list[str]]:
    return [["ethtool", "-K", interface.name, *NO_OFFLOAD] for interface in host.interfaces]
