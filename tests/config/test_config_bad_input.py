"""Each kind of bad input the issue lists is rejected with its path and line."""

from __future__ import annotations

import subprocess
import sys

import pytest
from config_helpers import at, line_of

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.config.validate import validate

NEUTRON = "etc/neutron/neutron.conf"
L3 = "etc/neutron/l3_agent.ini"
OVS = "etc/neutron/plugins/ml2/openvswitch_agent.ini"
ML2 = "etc/neutron/plugins/ml2/ml2_conf.ini"
NOVA = "etc/nova/nova.conf"

# (file, text, the line's fragment, what the message must say)
SINGLE_FILE_ERRORS = [
    (NEUTRON, "[DEFAULT]\nl3_ha True\n", "l3_ha True", "no '='"),
    (NEUTRON, "core_plugin = ml2\n[DEFAULT]\n", "core_plugin", "before any [section]"),
    (NEUTRON, "[DEFAULT\nl3_ha = True\n", "[DEFAULT", "malformed section header"),
    (NEUTRON, "[DEFAULT]\nl3_ha_net_cidrr = 169.254.192.0/18\n", "cidrr", "did you mean 'l3_ha_net_cidr'"),
    (NEUTRON, "[DEFALT]\nl3_ha = True\n", "[DEFALT]", "did you mean 'DEFAULT'"),
    (NEUTRON, "[DEFALT]\nl3_ha = True\n", "l3_ha", "belongs in [DEFAULT], not [DEFALT]"),
    (L3, "[DEFAULT]\nuse_namespaces = True\n", "use_namespaces", "removed in Mitaka"),
    (L3, "[DEFAULT]\nexternal_network_bridge =\n", "external_network_bridge", "removed in Stein"),
    (NEUTRON, "[DEFAULT]\nmin_l3_agents_per_router = 2\n", "min_l3", "removed in Ocata"),
    (OVS, "[agent]\nprevent_arp_spoofing = True\n", "prevent_arp", "removed in Pike"),
    (NEUTRON, "[DEFAULT]\nallow_overlapping_ips = True\n", "allow_overlapping", "removed in Zed"),
    (NEUTRON, "[DEFAULT]\nverbose = True\n", "verbose", "removed in Pike (oslo.log)"),
    (
        "etc/neutron/metadata_agent.ini",
        "[DEFAULT]\nnova_metadata_ip = c\n",
        "nova_metadata_ip",
        "nova_metadata_host",
    ),
    (OVS, "[agent]\nlocal_ip = 10.0.1.21\n", "local_ip", "belongs in [ovs], not [agent]"),
    (L3, "[DEFAULT]\nl3_ha = True\n", "l3_ha", "belongs in neutron.conf [DEFAULT]"),
    (NEUTRON, "[DEFAULT]\nl3_ha = True\nl3_ha = False\n", "l3_ha = False", "set twice (first at"),
    (NEUTRON, "[DEFAULT]\nl3_ha = maybe\n", "maybe", "invalid boolean value"),
    (NEUTRON, "[DEFAULT]\ndhcp_agents_per_network = 0\n", "dhcp_agents", "invalid integer value"),
    (NEUTRON, "[DEFAULT]\nmax_l3_agents_per_router = two\n", "max_l3", "invalid integer value"),
    (L3, "[DEFAULT]\nagent_mode = dvr_legacy\n", "agent_mode", "Valid values are"),
    (OVS, "[ovs]\nlocal_ip = 10.0.1.300\n", "local_ip", "invalid IP address value"),
    (OVS, "[agent]\nvxlan_udp_port = 70000\n", "vxlan_udp_port", "invalid port '70000'"),
    (
        "etc/neutron/metadata_agent.ini",
        "[DEFAULT]\nnova_metadata_host = no such host!\n",
        "nova_",
        "host address",
    ),
    (
        NEUTRON,
        "[oslo_messaging_rabbit]\nkombu_reconnect_delay = 9\n",
        "kombu",
        "invalid floating point value",
    ),
    (NEUTRON, "[profiler_jaeger]\nprocess_tags = nocolon\n", "process_tags", "invalid dict value"),
    # The auth plugin's options count only once `auth_type` loads it, and they are spelled as such.
    (NEUTRON, "[keystone_authtoken]\nusername = neutron\n", "username", "set auth_type = password"),
    (
        NEUTRON,
        "[keystone_authtoken]\nauth_type = password\nusernme = neutron\n",
        "usernme",
        "unknown option usernme",
    ),
    (NEUTRON, "[DEFAULT]\nl3_ha_net_cidr = 10.0.0.0/24\n", "cidr", "must lie inside 169.254.0.0/16"),
    (NEUTRON, "[DEFAULT]\nl3_ha_net_cidr = 169.254.192.1/18\n", "cidr", "not a network CIDR"),
    (NEUTRON, "[DEFAULT]\nl3_ha = True\nmax_l3_agents_per_router = 1\n", "max_l3", "needs 2 or more"),
    (
        NEUTRON,
        "[DEFAULT]\nl3_ha = True\ndhcp_agents_per_network = 3\n",
        "dhcp_agents",
        "only 2 network nodes",
    ),
    (NEUTRON, "[DEFAULT]\nl3_ha = False\n", "l3_ha", "needs [DEFAULT] l3_ha = True"),
    (NEUTRON, "[DEFAULT]\nl3_ha = True\nrouter_distributed = True\n", "router_distributed", "DVR"),
    (L3, "[DEFAULT]\nagent_mode = dvr_snat\n", "agent_mode", "legacy mode"),
    (
        ML2,
        "[ml2]\ntype_drivers = flat,vlan\nproject_network_types = vxlan\n",
        "project_",
        "not in [ml2] type_drivers",
    ),
    (ML2, "[ml2_type_vlan]\nnetwork_vlan_ranges = vlan:100:5000\n", "network_vlan", "<= 4094"),
    (ML2, "[ml2_type_vxlan]\nvni_ranges = 1-1000\n", "vni_ranges", "not a MIN:MAX range"),
    (OVS, "[ovs]\nlocal_ip = 192.0.2.1\n", "local_ip", "outside the tunnel network 10.0.1.0/24"),
    (OVS, "[ovs]\nbridge_mappings = external\n", "bridge_mappings", "not physnet:bridge"),
    (OVS, "[ovs]\nlocal_ip = TUNNEL_INTERFACE_IP_ADDRESS\n", "local_ip", "never explains it"),
    (
        OVS,
        "# TUNNEL_IP is explained\n[ovs]\nlocal_ip = TUNNEL_IP\n",
        "local_ip",
        "not one the manual defines",
    ),
    (
        "etc/neutron/fwaas.ini",
        "[DEFAULT]\na = b\n",
        "[DEFAULT]",
        "no neutron 29.0.0 and nova 34.0.0 option schema",
    ),
    # Compute's nova.conf is checked against nova 34.0.0's options, [neutron]'s auth plugin included.
    (NOVA, "[neutron]\nauth_type = password\nusernmae = neutron\n", "usernmae", "did you mean 'username'"),
    (NOVA, "[neutron]\nservice_metadata_proxy = maybe\n", "maybe", "invalid boolean value"),
    (
        "etc/glance/glance-api.conf",
        "[DEFAULT]\n",
        "[DEFAULT]",
        "no neutron 29.0.0 and nova 34.0.0 option schema",
    ),
]


@pytest.mark.parametrize(("relative", "text", "fragment", "expected"), SINGLE_FILE_ERRORS)
def test_single_file_error(checker, relative: str, text: str, fragment: str, expected: str) -> None:
    path = checker.write(relative, text)
    line = 1 if "schema" in expected else line_of(path, fragment)
    messages = at(validate([path]), path, line)
    assert any(expected in message for message in messages), messages


def test_placeholder_explained_in_comment_is_accepted_and_checked(checker) -> None:
    good = checker.write(
        f"good/{OVS}",
        "# TUNNEL_INTERFACE_IP_ADDRESS: see the manual\n[ovs]\nlocal_ip = TUNNEL_INTERFACE_IP_ADDRESS\n",
    )
    assert [finding for finding in validate([good]) if finding.severity == "error"] == []
    # The sample value stands in for the shape: a range with a placeholder is still a range.
    bad = checker.write(
        f"bad/{ML2}",
        "# MIN_VXLAN_ID, MAX_VXLAN_ID\n[ml2_type_vxlan]\nvni_ranges = MIN_VXLAN_ID-MAX_VXLAN_ID\n",
    )
    assert any("not a MIN:MAX range" in message for message in at(validate([bad]), bad, 3))


def test_deprecated_name_is_a_warning_with_replacement(checker) -> None:
    path = checker.write(ML2, "[ml2]\ntype_drivers = vxlan\ntenant_network_types = vxlan\n")
    findings = validate([path])
    assert at(findings, path, 3, "error") == []
    assert any("use [ml2] project_network_types" in message for message in at(findings, path, 3, "warning"))


def test_tunnel_types_must_agree_across_nodes(checker) -> None:
    tree = checker.examples_copy()
    compute = tree / "compute" / OVS
    network = tree / "network" / OVS
    checker.edit(compute, "[ovs]", "[agent]\ntunnel_types = vxlan,gre\n\n[ovs]")
    checker.edit(network, "tunnel_types = vxlan", "tunnel_types = gre")
    findings = validate([tree])
    shown = str(tree)
    line = line_of(network, "tunnel_types")
    messages = [f.message for f in findings if f.location.path.startswith(shown) and f.location.line == line]
    assert any("tunnel type 'gre' is not in [ml2] type_drivers" in message for message in messages), messages
    assert any("lacks it" in message for message in messages), messages
    assert any("differ from" in finding.message for finding in findings if finding.severity == "error")


def test_bridge_mapping_physnet_must_be_declared_on_the_controller(checker) -> None:
    tree = checker.examples_copy()
    compute = tree / "compute" / OVS
    checker.edit(
        compute, "bridge_mappings = vlan:br-vlan", "bridge_mappings = vlan:br-vlan,provider:br-provider"
    )
    findings = validate([tree])
    line = line_of(compute, "bridge_mappings")
    assert any(
        "physical network 'provider'" in finding.message and finding.location.line == line
        for finding in findings
        if finding.location.path.endswith("compute/" + OVS)
    ), [str(finding) for finding in findings]


def test_dnsmasq_mtu_must_match_the_underlay_minus_vxlan(checker) -> None:
    tree = checker.examples_copy()
    dnsmasq = tree / "network" / "etc/neutron/dnsmasq-neutron.conf"
    checker.edit(dnsmasq, "26,1450", "26,1500")
    findings = validate([tree])
    line = line_of(dnsmasq, "dhcp-option-force")
    assert any(
        "leaves 1450" in finding.message and finding.location.line == line
        for finding in findings
        if finding.location.path.endswith("dnsmasq-neutron.conf")
    ), [str(finding) for finding in findings]


def test_page_block_errors_point_at_the_page_line(checker) -> None:
    page = checker.write(
        "page.md",
        "# Page\n\n1. Step\n\n   ```{config-block} /etc/neutron/l3_agent.ini\n   :roles: network\n\n"
        "   [DEFAULT]\n   interface_driver = openvswitch\n   use_namespaces = True\n   ```\n\n"
        "```{config-block} /etc/neutron/l3_agent.ini\n\n[DEFAULT]\nagent_mode = legacy\n```\n",
    )
    findings = validate([page])
    assert any("removed in Mitaka" in message for message in at(findings, page, 10)), findings
    assert any("':roles:' must name" in message for message in at(findings, page, 13)), findings


def test_page_placeholder_needs_the_text_to_explain_it(checker) -> None:
    block = "```{config-block} /etc/neutron/metadata_agent.ini\n:roles: network\n\n[DEFAULT]\n"
    block += "metadata_proxy_shared_secret = METADATA_SECRET\n```\n"
    silent = checker.write("silent.md", "# Page\n\n" + block)
    assert any("never explains it" in message for message in at(validate([silent]), silent, 7))
    explained = checker.write(
        "explained.md", "# Page\n\nReplace `METADATA_SECRET` with a secret.\n\n" + block
    )
    assert [finding for finding in validate([explained]) if finding.severity == "error"] == []


def test_cli_reports_bad_input_without_traceback(checker) -> None:
    path = checker.write(NEUTRON, "[DEFAULT]\nl3_ha True\n")
    missing = checker.root / "missing.conf"
    for arguments, expected in (([str(path)], f"{path}:2: error:"), ([str(missing)], "no such file")):
        completed = subprocess.run(
            [sys.executable, "-m", "l3ha_guide.cli", "validate", *arguments],
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
        )
        assert completed.returncode == 1
        assert expected in completed.stdout + completed.stderr
        assert "Traceback" not in completed.stderr


def test_blocks_are_found_in_every_markdown_form(checker) -> None:
    block = "{config-block} /etc/neutron/l3_agent.ini\n:roles: network\n\n[DEFAULT]\nuse_namespaces = True\n"
    colon_fence = f":::{block}:::\n"  # page lines 3-8, the option at 7
    in_a_note = f"````{{note}}\nInside a note.\n\n```{block}```\n````\n"  # lines 10-19, the option at 17
    in_a_sample = f"````markdown\n```{block}```\n````\n"  # a code sample: neither extracted nor an error
    page = checker.write("forms.md", f"# Forms\n\n{colon_fence}\n{in_a_note}\n{in_a_sample}")
    findings = validate([page])
    assert {finding.location.line for finding in findings if finding.severity == "error"} == {7, 17}
