"""The manual's config blocks: valid for neutron 29.0.0, extracted in sync, linked for download."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.config import extract
from l3ha_guide.config.blocks import read_page
from l3ha_guide.config.placeholders import PLACEHOLDERS, placeholders_in, substitute
from l3ha_guide.config.validate import validate

SOURCE = PROJECT_ROOT / "source"
EXAMPLES = PROJECT_ROOT / "examples"
CONFIGURATION_PAGE = SOURCE / "configuration.md"
# The scenario's files, per role: the manual must configure at least these.
EXPECTED_FILES = {
    "controller/etc/neutron/neutron.conf",
    "controller/etc/neutron/plugins/ml2/ml2_conf.ini",
    "network/etc/neutron/plugins/ml2/openvswitch_agent.ini",
    "network/etc/neutron/l3_agent.ini",
    "network/etc/neutron/dhcp_agent.ini",
    "network/etc/neutron/dnsmasq-neutron.conf",
    "network/etc/neutron/metadata_agent.ini",
    "compute/etc/neutron/plugins/ml2/openvswitch_agent.ini",
}


def test_every_block_of_the_manual_and_every_extracted_file_validates() -> None:
    blocks = [block for page in sorted(SOURCE.rglob("*.md")) for block in read_page(page).blocks]
    assert len(blocks) >= 10
    findings = validate([SOURCE, EXAMPLES])
    assert [str(finding) for finding in findings] == []


def test_examples_are_in_sync_with_the_manual() -> None:
    assert extract.differences() == []
    assert {path.as_posix() for path in extract.rendered_files()} >= EXPECTED_FILES


def test_extraction_is_deterministic_and_detects_drift(tmp_path: Path) -> None:
    copy = tmp_path / "examples"
    for role in ("controller", "network", "compute"):
        shutil.copytree(EXAMPLES / role, copy / role)
    assert extract.differences(copy) == []
    stale = copy / "network/etc/neutron/l3_agent.ini"
    stale.write_text(stale.read_text().replace("legacy", "dvr"))
    (copy / "compute/etc/neutron/l3_agent.ini").write_text("[DEFAULT]\n")
    problems = extract.differences(copy)
    assert any("l3_agent.ini: differs" in problem for problem in problems)
    assert any("compute/etc/neutron/l3_agent.ini: no block produces it" in problem for problem in problems)
    extract.extract(copy)
    assert extract.differences(copy) == []


def test_merged_file_keeps_sections_together() -> None:
    text = extract.rendered_files()[Path("network/etc/neutron/dhcp_agent.ini")]
    assert text.count("[DEFAULT]") == 1
    assert "dnsmasq_config_file = /etc/neutron/dnsmasq-neutron.conf" in text


def test_configuration_page_links_every_extracted_file() -> None:
    page = CONFIGURATION_PAGE.read_text()
    linked = set(re.findall(r"\{download\}`[^<`]+<\.\./examples/([^>]+)>`", page))
    assert linked == {path.as_posix() for path in extract.rendered_files()}


def test_every_placeholder_in_the_manual_is_known_and_explained() -> None:
    pages = [read_page(page) for page in sorted(SOURCE.rglob("*.md"))]
    used = {
        name
        for page in pages
        for block in page.blocks
        for _, line in block.lines
        for name in placeholders_in(line)
    }
    assert used, "the configuration page uses placeholders"
    assert used <= set(PLACEHOLDERS)
    for page in pages:
        names = {name for block in page.blocks for _, line in block.lines for name in placeholders_in(line)}
        assert names <= page.explained, page.path


def test_substituted_files_are_checked_with_real_values(tmp_path: Path) -> None:
    """What the lab does: replace placeholders with its values; the validator then checks those."""
    values = {
        "TUNNEL_INTERFACE_IP_ADDRESS": "10.0.1.21",
        "METADATA_SECRET": "s3cret",
        "MIN_VLAN_ID": "100",
        "MAX_VLAN_ID": "200",
        "MIN_VXLAN_ID": "1",
        "MAX_VXLAN_ID": "1000",
    }
    tree = tmp_path / "real"
    for relative in EXPECTED_FILES:
        target = tree / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(substitute((EXAMPLES / relative).read_text(), values))
    assert [str(finding) for finding in validate([tree])] == []
    ovs = tree / "network/etc/neutron/plugins/ml2/openvswitch_agent.ini"
    ovs.write_text(ovs.read_text().replace("local_ip = 10.0.1.21", "local_ip = 10.0.9.21"))
    ml2 = tree / "controller/etc/neutron/plugins/ml2/ml2_conf.ini"
    ml2.write_text(ml2.read_text().replace("vlan:100:200", "vlan:200:100"))
    messages = [finding.message for finding in validate([tree]) if finding.severity == "error"]
    assert any("outside the tunnel network" in message for message in messages)
    assert any("range 200:100" in message for message in messages)
