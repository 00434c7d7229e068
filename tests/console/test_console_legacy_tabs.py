"""How Liberty-era tabs that change state replace, or undo and replay, what today's tab did."""

from l3ha_guide.console.legacy_tabs import changes_state, replaces, undo_before, without_deprecation

CREATED = """\
Created a new network:
+---------+--------------------------------------+
| Field   | Value                                |
+---------+--------------------------------------+
| id      | 5266fcbc-d429-4b21-8544-6170d1691826 |
| name    | ext-net                              |
+---------+--------------------------------------+
"""


def test_creates_first_delete_todays_object_by_name_or_id() -> None:
    command = "neutron net-create ext-net --router:external True \\\n  --provider:network_type flat"
    assert changes_state(command) and replaces(command)
    assert undo_before(command, CREATED) == "openstack network delete ext-net"
    rule = "neutron security-group-rule-create --protocol icmp default"
    assert undo_before(rule, CREATED.replace("| name    | ext-net                              |\n", "")) == (
        "openstack security group rule delete 5266fcbc-d429-4b21-8544-6170d1691826"
    )
    assert undo_before(rule, "no table") is None


def test_attachments_are_undone_before_the_legacy_command_replays_them() -> None:
    assert undo_before("neutron router-interface-add demo-router demo-subnet") == (
        "openstack router remove subnet demo-router demo-subnet"
    )
    assert undo_before("neutron router-gateway-set demo-router ext-net") == (
        "openstack router unset --external-gateway demo-router"
    )
    assert undo_before(
        "neutron floatingip-associate 20a6b5dd-1c5c-460e-8a81-8b5cf1739307 \\\n  c4a1f7d2"
    ) == ("openstack floating ip unset --port 20a6b5dd-1c5c-460e-8a81-8b5cf1739307")
    assert not replaces("neutron router-interface-add demo-router demo-subnet")


def test_read_only_and_openstack_commands_change_nothing() -> None:
    assert not changes_state("neutron agent-list")
    assert not changes_state("openstack network create ext-net")
    assert undo_before("openstack network create ext-net", CREATED) is None


def test_deprecation_notice_is_left_out() -> None:
    real = (
        "neutron CLI is deprecated and will be removed in the Z cycle. Use openstack CLI instead.\nAdded x\n"
    )
    assert without_deprecation(real) == "Added x\n"


def test_create_for_another_project_is_removed_with_its_default_group() -> None:
    from l3ha_guide.console.legacy_tabs import cleanup_after, foreign_project

    command = "neutron net-create demo-net \\\n  --tenant-id 443cd1596b2e46d49965750771ebbfe1"
    assert foreign_project(command) == "443cd1596b2e46d49965750771ebbfe1"
    assert changes_state(command) and not replaces(command) and undo_before(command, CREATED) is None
    first, second = cleanup_after(command, CREATED)
    assert first == "openstack network delete 5266fcbc-d429-4b21-8544-6170d1691826"
    assert '$3 == "443cd1596b2e46d49965750771ebbfe1"' in second and "security group delete" in second
    assert cleanup_after("neutron net-create ext-net", CREATED) == []
