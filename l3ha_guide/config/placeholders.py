"""Placeholders in the manual's config blocks: the names the text explains and the lab substitutes.

A placeholder stands for a value the reader (or the lab, from its topology) must supply. The
validator accepts one only where the surrounding text names it, and checks the value by
substituting `sample`, a value of the right kind, so `vni_ranges = MIN_VXLAN_ID:MAX_VXLAN_ID`
is still checked for its shape. Keep the names stable: the lab looks them up here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str
    sample: str


PLACEHOLDERS: dict[str, Placeholder] = {
    placeholder.name: placeholder
    for placeholder in (
        Placeholder(
            "TUNNEL_INTERFACE_IP_ADDRESS",
            "the node's own address on the tunnel (overlay) network, 10.0.1.0/24 in the example",
            "10.0.1.21",
        ),
        Placeholder(
            "METADATA_SECRET",
            "the secret shared by the metadata agent and the Compute metadata service",
            "metadata-secret",
        ),
        Placeholder(
            "NEUTRON_PASS", "the password of the neutron user in the Identity service", "neutron-pass"
        ),
        Placeholder("NOVA_PASS", "the password of the nova user in the Identity service", "nova-pass"),
        Placeholder("RABBIT_PASS", "the password of the message queue's openstack user", "rabbit-pass"),
        Placeholder("MIN_VLAN_ID", "the first VLAN ID project networks may use (1-4094)", "1001"),
        Placeholder("MAX_VLAN_ID", "the last VLAN ID project networks may use (1-4094)", "2000"),
        Placeholder("MIN_VXLAN_ID", "the first VXLAN network identifier (VNI) for project networks", "1"),
        Placeholder("MAX_VXLAN_ID", "the last VXLAN network identifier (VNI) for project networks", "1000"),
        Placeholder("MIN_GRE_ID", "the first GRE tunnel ID for project networks", "1"),
        Placeholder("MAX_GRE_ID", "the last GRE tunnel ID for project networks", "1000"),
    )
}

# Words that look like placeholders: upper case with an underscore. Values such as `DEFAULT`
# or `INFO` have no underscore and are not mistaken for one.
PLACEHOLDER_LIKE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


def placeholders_in(value: str) -> list[str]:
    """Every placeholder-looking word in a value, known or not, in order of appearance."""
    return PLACEHOLDER_LIKE.findall(value)


def with_samples(value: str) -> str:
    """The value with each known placeholder replaced by its sample value."""
    return PLACEHOLDER_LIKE.sub(
        lambda match: PLACEHOLDERS[match[0]].sample if match[0] in PLACEHOLDERS else match[0], value
    )


def substitute(text: str, values: dict[str, str]) -> str:
    """For the lab: the text with the given placeholders replaced by real values."""
    unknown = sorted(set(values) - set(PLACEHOLDERS))
    if unknown:
        raise KeyError(f"not placeholders of the manual: {', '.join(unknown)}")
    return PLACEHOLDER_LIKE.sub(lambda match: values.get(match[0], match[0]), text)
