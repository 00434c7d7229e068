"""What the pages say Neutron's code does, checked by running the pinned release's own code.

The tests environment installs neutron 29.0.0 (the lab's pin), so these claims
are decided by calling the functions that make the decision, not by reading
about them. Each claim names the page words it checks; a page that no longer
says them fails, so a rewritten claim gets its check rewritten too.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from neutron.agent.linux import keepalived  # the lab extra, which the tests environment installs

from l3ha_guide import PROJECT_ROOT


def page_says(page: str, words: str) -> None:
    text = " ".join((PROJECT_ROOT / "source" / page).read_text(encoding="utf-8").split())
    assert " ".join(words.split()) in text, f"source/{page} no longer says {words!r}: update this test"


def test_the_health_check_looks_for_the_first_address_added_and_the_file_lists_them_sorted(
    tmp_path: Path,
) -> None:
    page_says("failover.md", "the address that the L3 agent added first to the router's VRRP instance")
    page_says(
        "failover.md",
        "That is not always the first address of `keepalived.conf`, which lists the addresses sorted.",
    )
    instance = keepalived.KeepalivedInstance(
        "BACKUP",
        "ha-255d2e4b-33",
        91,
        ["169.254.192.0/18"],
        vrrp_health_check_interval=5,
        ha_conf_dir=str(tmp_path),
    )
    for address, device, scope in (
        ("fe80::f816:3eff:fe10:9ff6/64", "qr-8de3e172-53", "link"),
        ("203.0.113.161/24", "qg-374587d7-2a", None),
        ("192.168.1.1/24", "qr-8de3e172-53", None),
    ):
        instance.add_vip(address, device, scope)
    config = "\n".join(instance.build_config())
    excluded = config.split("virtual_ipaddress_excluded {")[1].split("}")[0].split()
    assert [word for word in excluded if "/" in word] == [
        "192.168.1.1/24",
        "203.0.113.161/24",
        "fe80::f816:3eff:fe10:9ff6/64",
    ]
    script = instance.track_script._get_script_str().splitlines()
    assert script[1] == "ip a | grep fe80::f816:3eff:fe10:9ff6 || exit 0"


def test_the_vrrp_virtual_addresses_come_from_the_first_free_24_of_the_link_local_range() -> None:
    page_says(
        "configuration.md",
        "takes the VRRP virtual addresses (`169.254.0.<VRID>` with the default) from the first /24 of "
        "169.254.0.0/16 outside `l3_ha_net_cidr`, the metadata address 169.254.169.254 and the DVR range "
        "169.254.64.0/18. Whatever you choose must leave such a /24 free (all of 169.254.0.0/16 does not)",
    )
    page_says("packet-flow.md", "link-local address `169.254.0.<VRID>/24`")

    def primary_vip(ha_cidr: str) -> str:
        return keepalived.KeepalivedInstance("BACKUP", "ha-x", 91, [ha_cidr]).get_primary_vip()

    assert primary_vip("169.254.192.0/18") == "169.254.0.91/24"
    assert primary_vip("169.254.0.0/24") == "169.254.1.91/24"
    with pytest.raises(ValueError, match="Network of size 24"):
        primary_vip("169.254.0.0/16")


@pytest.mark.parametrize(
    ("cidr", "accepted"),
    [
        ("10.20.0.0/24", True),
        ("169.254.192.0/18", True),
        ("10.20.0.1/24", False),
        ("10.20.0.0", False),
        ("x", False),
    ],
)
def test_the_server_only_checks_that_l3_ha_net_cidr_is_a_valid_cidr(cidr: str, accepted: bool) -> None:
    page_says(
        "configuration.md",
        "Neutron only checks that it is a valid CIDR (a network address with its prefix length).",
    )
    from neutron.conf.db import l3_hamode_db as options
    from neutron.db import l3_hamode_db
    from neutron_lib.exceptions import l3_ext_ha_mode
    from oslo_config import cfg

    if "l3_ha_net_cidr" not in cfg.CONF:
        options.register_db_l3_hamode_opts()
    mixin = object.__new__(l3_hamode_db.L3_HA_NAT_db_mixin)
    cfg.CONF.set_override("l3_ha_net_cidr", cidr)
    try:
        if accepted:
            mixin._verify_configuration()
        else:
            with pytest.raises(l3_ext_ha_mode.HANetworkCIDRNotValid):
                mixin._verify_configuration()
    finally:
        cfg.CONF.clear_override("l3_ha_net_cidr")


def test_a_stopped_agent_deletes_its_routers_only_with_cleanup_on_shutdown() -> None:
    """Running an L3 agent's stop() needs a whole agent; its code is read instead (the installed pin)."""
    page_says(
        "overview.md", "With `cleanup_on_shutdown = True`, an L3 agent that is stopped deletes its routers"
    )
    from neutron.agent.l3 import agent, ha_router

    stop = inspect.getsource(agent.L3NATAgent.stop)
    assert "if self.conf.cleanup_on_shutdown:" in stop and "router.delete()" in stop
    delete = inspect.getsource(ha_router.HaRouter.delete)
    assert "self.disable_keepalived(" in delete and "self.destroy_state_change_monitor(" in delete


def test_each_ha_router_gets_a_random_free_vrid() -> None:
    page_says("changes-since-liberty.md", "each HA router gets a random VRRP router ID instead of `1`")
    page_says("packet-flow.md", "Neutron 29.0.0 picks a random free VRID for each router")
    from neutron.db import l3_hamode_db

    assert set(range(1, 255)) == l3_hamode_db.VR_ID_RANGE
    allocate = inspect.getsource(l3_hamode_db.L3_HA_NAT_db_mixin._get_vr_id)
    assert "VR_ID_RANGE - allocated_vr_ids" in allocate and "SystemRandom().choice(" in allocate
