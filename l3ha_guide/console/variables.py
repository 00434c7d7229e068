"""Values the manual shows concretely but the lab chooses at run time.

Each `Kind` says how to find such a value in a documented output and what a
real value of that kind looks like. Bound kinds keep a guide-wide binding
(the same documented value always stands for the same real value); free kinds
(timestamps, round-trip times, counters, interface indexes) match anything of
their shape, every time anew.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

from l3ha_guide.i18n.marks import N_
from l3ha_guide.topology import load as load_topology

# Address ranges from which Neutron picks at run time, after the manual's
# address plan: the external allocation pool, the project subnet's pool, the
# HA network and the VRRP virtual addresses (169.254.0.<vrid>). Neutron 29.0.0
# picks at random inside each, so an address there is a variable; an address
# outside them (host addresses, subnet gateways) must match literally.
# All of them come from the scenario's facts (examples/lab/topology.yaml).
_OBJECTS = load_topology().openstack
RUNTIME_ADDRESS_RANGES: dict[str, tuple[str, str]] = {
    "external pool": (str(_OBJECTS.external_pool[0]), str(_OBJECTS.external_pool[1])),
    "project pool": (str(_OBJECTS.project_pool[0]), str(_OBJECTS.project_pool[1])),
    "HA network": (
        str(_OBJECTS.ha_network_cidr.network_address + 1),
        str(_OBJECTS.ha_network_cidr.broadcast_address - 1),
    ),
    "VRRP virtual address": (
        str(_OBJECTS.vrrp_virtual_addresses.network_address + 1),
        str(_OBJECTS.vrrp_virtual_addresses.broadcast_address),
    ),
}
# IPv6 prefixes in which Neutron picks (the external subnet's pool) or derives (SLAAC: the
# interface identifier from the port's MAC) an address at run time; their gateways are literal.
RUNTIME_IPV6_PREFIXES: dict[str, ipaddress.IPv6Network] = {
    "project IPv6 prefix": _OBJECTS.project_ipv6_cidr,
    "external IPv6 prefix": _OBJECTS.external_ipv6_cidr,
}
LITERAL_IPV6_ADDRESSES = frozenset({_OBJECTS.project_ipv6_gateway, _OBJECTS.external_ipv6_gateway})
# Pool ends the reader types (`--allocation-pool start=...,end=...`) and the
# client echoes: in the manual they are literal, though Neutron may also pick them.
USER_TYPED_ENDPOINTS = frozenset(
    str(address) for address in (*_OBJECTS.external_pool, *_OBJECTS.project_pool)
)

# Field/Value rows whose value the server sets at run time (compared as "anything").
RUNTIME_FIELDS = frozenset(
    {
        "created_at",
        "updated_at",
        "revision_number",
        "provider:segmentation_id",
        "standard_attr_id",
    }
)

# What the embedded lab shows differently from a deployment with the kernel datapath,
# and the matcher therefore accepts (the truth report lists these).
LAB_DIFFERENCES = (
    N_(
        "Router interfaces are tap devices of Open vSwitch's userspace datapath: `ip addr` shows them "
        "with the PROMISC flag and the pfifo_fast queueing discipline, where the kernel datapath's "
        "internal ports show no PROMISC and noqueue."
    ),
)

LITERAL_MACS = frozenset({"ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00"})

# The names of the objects the manual creates: those of the scenario, and another of the
# same kind with a number (`demo-router2`). A console run against a real cloud gives them
# a prefix (`Bindings.name_prefix`), so they stand apart from that cloud's own objects.
OBJECT_NAMES = _OBJECTS.names
OBJECT_NAME = "object name"
OBJECT_NAME_PATTERN = r"(?:" + "|".join(map(re.escape, OBJECT_NAMES)) + r")\d*(?![\w-])"


def address_range(value: str) -> str | None:
    """The name of the run-time range holding this IPv4 address, or None."""
    try:
        address = ipaddress.IPv4Address(value)
    except ValueError:
        return None
    for name, (first, last) in RUNTIME_ADDRESS_RANGES.items():
        if ipaddress.IPv4Address(first) <= address <= ipaddress.IPv4Address(last):
            return name
    return None


def ipv6_prefix(value: str) -> str | None:
    """The name of the run-time IPv6 prefix holding this address (not a gateway), or None."""
    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        return None
    if address in LITERAL_IPV6_ADDRESSES:
        return None
    return next((name for name, prefix in RUNTIME_IPV6_PREFIXES.items() if address in prefix), None)


@dataclass(frozen=True)
class Kind:
    name: str
    documented: re.Pattern[str]  # finds documented values (whole match is the value)
    real: str  # regex for a real value of this kind
    bound: bool
    # Whether a documented/real pair may be bound (e.g. both in the same address range).
    accepts: Callable[[str, str], bool] = lambda documented, real: True
    # Whether a match of `documented` really is a value of this kind (else literal text).
    applies: Callable[[str], bool] = lambda documented: True


def _same_range(documented: str, real: str) -> bool:
    return address_range(real) == address_range(documented)


def _same_ipv6_prefix(documented: str, real: str) -> bool:
    return ipv6_prefix(real) == ipv6_prefix(documented)


_HEX = "[0-9a-f]"
# An IPv6 address in the documentation prefix 2001:db8::/32, ending on a hex digit (not on the
# colon of `from 2001:db8::1: icmp_seq`); `2001:db8::` itself is a gateway and stays literal.
_IPV6 = r"2001:db8:[0-9a-f:]*[0-9a-f]"
_TIMESTAMP = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?|\d{2}:\d{2}:\d{2}\.\d+"
_UUID = rf"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"

# Order matters: earlier kinds win where matches overlap.
KINDS: tuple[Kind, ...] = (
    Kind("timestamp", re.compile(rf"\b(?:{_TIMESTAMP})"), _TIMESTAMP, bound=False),
    Kind("uuid", re.compile(rf"(?<![0-9a-f]){_UUID}(?![0-9a-f])"), _UUID, bound=True),
    # Device names derived from a port id: ha-/qr-/qg-/sg-/fg- + 11 characters, tap + 11.
    Kind(
        "port device",
        re.compile(rf"(?:(?<=\b(?:qr|qg|ha|sg|fg)-)|(?<=\btap)){_HEX}{{8}}-{_HEX}{{2}}(?![0-9a-f])"),
        rf"{_HEX}{{8}}-{_HEX}{{2}}",
        bound=True,
    ),
    Kind(
        "mac",
        re.compile(rf"(?<![0-9a-f:]){_HEX}{{2}}(?::{_HEX}{{2}}){{5}}(?![0-9a-f:])"),
        rf"{_HEX}{{2}}(?::{_HEX}{{2}}){{5}}",
        bound=True,
        applies=lambda documented: documented not in LITERAL_MACS,
    ),
    Kind("link-local address", re.compile(r"\bfe80::[0-9a-f:]+"), r"fe80::[0-9a-f:]+", bound=True),
    Kind(
        "project id", re.compile(rf"(?<![0-9a-f]){_HEX}{{32}}(?![0-9a-f])"), r"[0-9a-f]{32}|\w+", bound=True
    ),
    Kind(
        "runtime address",
        re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])"),
        r"\d{1,3}(?:\.\d{1,3}){3}",
        bound=True,
        accepts=_same_range,
        applies=lambda documented: (
            address_range(documented) is not None and documented not in USER_TYPED_ENDPOINTS
        ),
    ),
    Kind(
        "runtime IPv6 address",
        re.compile(rf"(?<![0-9a-f:]){_IPV6}(?![0-9a-f])"),
        r"[0-9a-f:]*[0-9a-f]",
        bound=True,
        accepts=_same_ipv6_prefix,
        applies=lambda documented: ipv6_prefix(documented) is not None,
    ),
    Kind(
        "vrid",
        re.compile(
            r"(?:(?<=\bvrid )|(?<=\bVR_)|(?<=\bvirtual_router_id )"
            r"|(?<=ha_health_check_)|(?<=ha_check_script_))\d+"
        ),
        r"\d+",
        bound=True,
    ),
    # The VXLAN network id Neutron picked from vni_ranges for a network.
    Kind("vni", re.compile(r"(?<=\bvni )\d+"), r"\d+", bound=True),
    # The UDP source port of a VXLAN packet: a hash of the inner flow, chosen by the datapath.
    Kind("vxlan source port", re.compile(r"(?<=\d\.)\d{3,5}(?= > [\d.]+\.4789:)"), r"\d+", bound=False),
    # `ip netns` shows each namespace's id in this namespace, given by the kernel.
    Kind("namespace id", re.compile(r"(?<=\(id: )\d+(?=\))"), r"\d+", bound=False),
    # ping's summary; ", pipe N" follows when replies were slow enough to overlap (the first one, after ARP).
    Kind(
        "round-trip statistics",
        re.compile(r"(?<=mdev = )[\d./]+ ms$"),
        r"[\d./]+ ms(?:, pipe \d+)?",
        bound=False,
    ),
    Kind(
        "round-trip time",
        re.compile(r"(?<=\btime=)[\d.]+(?= ?ms)|(?<=mdev = )[\d./]+(?= ms)|(?<=, time )\d+(?=ms)"),
        r"[\d./]+",
        bound=False,
    ),
    # What is left of an address's or a route's lifetime (`valid_lft 86391sec`, `expires 290sec`).
    Kind(
        "lifetime",
        re.compile(r"(?:(?<=\bvalid_lft )|(?<=\bexpires )|(?<=\bpreferred_lft ))\d+(?=sec\b)"),
        r"\d+",
        bound=False,
    ),
    Kind("interface index", re.compile(r"^\d+(?=: )|(?<=@if)\d+"), r"\d+", bound=False),
    # The PID after the level of an oslo.log-style line (neutron-keepalived-state-change.log).
    Kind(
        "process id",
        re.compile(r"(?:(?<= DEBUG )|(?<= INFO )|(?<= WARNING )|(?<= ERROR ))\d+(?= )"),
        r"\d+",
        bound=False,
    ),
    # Lab differences of Open vSwitch's userspace datapath (see LAB_DIFFERENCES).
    Kind(
        "queueing discipline",
        re.compile(r"(?<=\bqdisc )(?:noqueue|pfifo_fast)\b"),
        r"noqueue|pfifo_fast",
        bound=False,
    ),
    Kind(
        "interface flags",
        re.compile(r"<(?:[A-Z_]+,)*UP(?:,[A-Z_]+)*>"),
        r"<[A-Z_,]+>",
        bound=False,
        accepts=lambda documented, real: real.replace("PROMISC,", "") == documented.replace("PROMISC,", ""),
    ),
    Kind(
        OBJECT_NAME,
        re.compile(r"(?<![\w/.-])" + OBJECT_NAME_PATTERN),
        r"[\w.-]+",
        bound=True,
    ),
    Kind(
        "counter",
        re.compile(r"\b\d+(?= packets? (?:captured|received by filter|dropped by kernel))"),
        r"\d+",
        bound=False,
    ),
)


@dataclass(frozen=True)
class Occurrence:
    kind: Kind
    start: int
    end: int
    value: str


def find_variables(text: str) -> list[Occurrence]:
    """Variable values in a documented text, left to right, without overlaps."""
    taken: list[Occurrence] = []
    for kind in KINDS:
        for match in kind.documented.finditer(text):
            value = match.group(0)
            if not kind.applies(value):
                continue
            if any(match.start() < other.end and other.start < match.end() for other in taken):
                continue
            taken.append(Occurrence(kind, match.start(), match.end(), value))
    return sorted(taken, key=lambda occurrence: occurrence.start)
