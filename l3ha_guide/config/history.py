"""What changed since Liberty in the reference's options and commands, as data.

The validator uses OPTION_CHANGES to explain an unknown option (when it went and what replaced
it) and VALUE_CHANGES to suggest today's short driver names. The "Changes since Liberty" page
shows the same rows; tests check the page against this data and run the validator on the
reference's Liberty blocks to confirm each row's verdict. Releases come from Neutron's release
notes (releasenotes/notes/ in the neutron sdist) and oslo.log's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Verdict = Literal["removed", "renamed", "deprecated"]


@dataclass(frozen=True)
class OptionChange:
    file: str  # below /etc/neutron/
    section: str
    option: str
    verdict: Verdict
    release: str
    replacement: str  # what to write today, or what to do instead
    # The page's words for the replacement may differ; this is what the validator prints.

    @property
    def summary(self) -> str:
        return f"{self.verdict} in {self.release}; {self.replacement}"


@dataclass(frozen=True)
class ValueChange:
    option: str
    old_value: str
    new_value: str  # what this guide uses
    advice: str


@dataclass(frozen=True)
class CommandChange:
    liberty: str
    today: str
    note: str = ""  # what the page adds after today's command

    @property
    def page_cell(self) -> str:
        """Today's command as the page's table shows it."""
        return f"`{self.today}`" + (f" ({self.note})" if self.note else "")


AGENT_FILES = ("neutron.conf", "l3_agent.ini", "dhcp_agent.ini", "metadata_agent.ini")

OPTION_CHANGES: tuple[OptionChange, ...] = (
    *(
        OptionChange(
            file,
            "DEFAULT",
            "verbose",
            "removed",
            "Pike (oslo.log)",
            "drop it: INFO is the default log level; use debug = True for more",
        )
        for file in AGENT_FILES
    ),
    OptionChange(
        "neutron.conf",
        "DEFAULT",
        "allow_overlapping_ips",
        "removed",
        "Zed",
        "drop it: overlapping project subnets are always allowed",
    ),
    OptionChange(
        "neutron.conf",
        "DEFAULT",
        "min_l3_agents_per_router",
        "removed",
        "Ocata",
        "drop it: an HA router is created with the agents available and scheduled to more as they appear",
    ),
    OptionChange(
        "plugins/ml2/ml2_conf.ini",
        "ml2",
        "tenant_network_types",
        "renamed",
        "2026.1",
        "use project_network_types (the old name still works, with a warning, until it is removed in 2027.1)",
    ),
    OptionChange(
        "plugins/ml2/openvswitch_agent.ini",
        "agent",
        "prevent_arp_spoofing",
        "removed",
        "Pike",
        "drop it: ARP spoofing is always prevented on ports with port security",
    ),
    OptionChange(
        "l3_agent.ini",
        "DEFAULT",
        "use_namespaces",
        "removed",
        "Mitaka",
        "drop it: routers always live in qrouter namespaces",
    ),
    OptionChange(
        "l3_agent.ini",
        "DEFAULT",
        "external_network_bridge",
        "removed",
        "Stein",
        "drop it: the gateway port is plugged into br-int and wired through bridge_mappings",
    ),
    OptionChange(
        "metadata_agent.ini",
        "DEFAULT",
        "nova_metadata_ip",
        "renamed",
        "Pike",
        "use nova_metadata_host (it takes a host name or an address; the old name was removed in Queens)",
    ),
)

VALUE_CHANGES: tuple[ValueChange, ...] = (
    ValueChange(
        "interface_driver",
        "neutron.agent.linux.interface.OVSInterfaceDriver",
        "openvswitch",
        "use the short name openvswitch",
    ),
    ValueChange(
        "firewall_driver",
        "neutron.agent.linux.iptables_firewall.OVSHybridIptablesFirewallDriver",
        "openvswitch",
        "use a short name: iptables_hybrid (the same driver) or openvswitch (native, no Linux bridge)",
    ),
)

COMMAND_CHANGES: tuple[CommandChange, ...] = (
    CommandChange("neutron agent-list", "openstack network agent list"),
    CommandChange("neutron net-create", "openstack network create"),
    CommandChange("neutron subnet-create", "openstack subnet create"),
    CommandChange("neutron router-create", "openstack router create"),
    CommandChange("neutron router-interface-add", "openstack router add subnet"),
    CommandChange("neutron router-gateway-set", "openstack router set --external-gateway"),
    CommandChange("neutron net-list", "openstack network list"),
    CommandChange(
        "neutron l3-agent-list-hosting-router",
        "openstack network agent list --router ROUTER --long",
        "`--long` adds the HA State",
    ),
    CommandChange("neutron router-port-list", "openstack port list --router"),
    CommandChange("neutron floatingip-create", "openstack floating ip create"),
    CommandChange("nova secgroup-add-rule", "openstack security group rule create"),
    CommandChange("nova boot", "openstack server create"),
    CommandChange("nova floating-ip-associate", "openstack server add floating ip"),
    CommandChange("nova list", "openstack server list"),
)


def option_change(file: str, section: str, option: str) -> OptionChange | None:
    for change in OPTION_CHANGES:
        if (change.file, change.section, change.option) == (file, section, option):
            return change
    return None


def value_change(option: str, value: str) -> ValueChange | None:
    for change in VALUE_CHANGES:
        if change.option == option and change.old_value == value:
            return change
    return None
