"""How Liberty-era tabs that change state are undone or replayed."""

from l3ha_guide.console.legacy_tabs import changes_state, delete_after, undo_before

CREATED = """\
Created a new network:
+---------+--------------------------------------+
| Field   | Value                                |
+---------+--------------------------------------+
| id      | 5266fcbc-d429-4b21-8544-6170d1691826 |
| name    | ext-net                              |
+---------+--------------------------------------+
"""


def test_creates_are_deleted_by_the_id_they_printed() -> None:
    command = "neutron net-create ext-net --router:external True \\\n  --provider:network_type flat"
    assert changes_state(command)
    assert delete_after(command, CREATED) == "neutron net-delete 5266fcbc-d429-4b21-8544-6170d1691826"
    assert delete_after(command, "Connection refused") is None
    assert undo_before(command) is None


def test_attachments_are_undone_before_the_legacy_command_replays_them() -> None:
    assert undo_before("neutron router-interface-add demo-router demo-subnet") == (
        "openstack router remove subnet demo-router demo-subnet"
    )
    assert undo_before("neutron router-gateway-set demo-router ext-net") == (
        "openstack router unset --external-gateway demo-router"
    )


def test_read_only_and_openstack_commands_change_nothing() -> None:
    assert not changes_state("neutron agent-list")
    assert not changes_state("openstack network create ext-net")
    assert delete_after("openstack network create ext-net", CREATED) is None


def test_floating_ip_association_is_undone_and_rules_are_replaced() -> None:
    assert undo_before(
        "neutron floatingip-associate 20a6b5dd-1c5c-460e-8a81-8b5cf1739307 \\\n  c4a1f7d2"
    ) == ("openstack floating ip unset --port 20a6b5dd-1c5c-460e-8a81-8b5cf1739307")
    rule = "neutron security-group-rule-create --protocol icmp default"
    assert changes_state(rule)
    assert (
        undo_before(rule, CREATED)
        == "openstack security group rule delete 5266fcbc-d429-4b21-8544-6170d1691826"
    )
    assert undo_before(rule, "no table") is None
    assert delete_after(rule, CREATED) is None  # the legacy tab's rule stays in place of today's
