"""How Liberty-era tabs that change state run beside today's tab without disturbing the scenario."""

from l3ha_guide.console.legacy_tabs import (
    changes_state,
    cleanup_after,
    foreign_project,
    replays,
    run_before_todays_tab,
    settle_on,
    undo_before,
    without_deprecation,
)

CREATED = """\
Created a new network:
+---------+--------------------------------------+
| Field   | Value                                |
+---------+--------------------------------------+
| id      | 5266fcbc-d429-4b21-8544-6170d1691826 |
| name    | ext-net                              |
+---------+--------------------------------------+
"""


def test_creates_run_first_and_are_deleted_by_the_id_they_printed() -> None:
    command = "neutron net-create ext-net --router:external True \\\n  --provider:network_type flat"
    assert changes_state(command) and run_before_todays_tab(command) and not replays(command)
    assert cleanup_after(command, CREATED) == [
        "openstack network delete 5266fcbc-d429-4b21-8544-6170d1691826"
    ]
    assert cleanup_after(command, "Connection refused") == []
    assert undo_before(command) is None


def test_create_for_another_project_also_removes_its_default_group() -> None:
    command = "neutron net-create demo-net \\\n  --tenant-id 443cd1596b2e46d49965750771ebbfe1"
    assert foreign_project(command) == "443cd1596b2e46d49965750771ebbfe1"
    first, second = cleanup_after(command, CREATED)
    assert first == "openstack network delete 5266fcbc-d429-4b21-8544-6170d1691826"
    assert '$3 == "443cd1596b2e46d49965750771ebbfe1"' in second and "security group delete" in second


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
    assert replays("neutron router-gateway-set demo-router ext-net")


def test_router_attachments_settle_on_the_device_the_undo_removes() -> None:
    assert settle_on("neutron router-gateway-set demo-router ext-net") == ("demo-router", "qg-")
    assert settle_on("neutron router-interface-add demo-router demo-subnet") == ("demo-router", "qr-")
    assert settle_on("neutron floatingip-associate 20a6b5dd c4a1f7d2") is None
    assert settle_on("neutron net-create ext-net") is None


def test_read_only_and_openstack_commands_change_nothing() -> None:
    assert not changes_state("neutron agent-list")
    assert not changes_state("openstack network create ext-net")
    assert cleanup_after("openstack network create ext-net", CREATED) == []


def test_deprecation_notice_is_left_out() -> None:
    real = (
        "neutron CLI is deprecated and will be removed in the Z cycle. Use openstack CLI instead.\nAdded x\n"
    )
    assert without_deprecation(real) == "Added x\n"


def test_legacy_creates_are_ordered_before_todays_tab() -> None:
    from l3ha_guide.console.examples import Command, ConsoleExample
    from l3ha_guide.console.legacy_tabs import creates_first

    def example(line: int, command: str) -> ConsoleExample:
        return ConsoleExample(
            "p", "source/p.md", line, ["controller"], "table", "", "", [Command(line, command)]
        )

    examples = [
        example(1, "openstack network create ext-net"),
        example(2, "neutron net-create ext-net"),
        example(3, "openstack subnet create ext-subnet"),
        example(4, "neutron subnet-create ext-net 203.0.113.0/24"),
        example(5, "openstack router add subnet r s"),
        example(6, "neutron router-interface-add r s"),
        example(7, "openstack floating ip create ext-net"),
        example(8, "neutron floatingip-create ext-net"),
    ]
    assert [item.line for item in creates_first(examples)] == [2, 4, 1, 3, 5, 6, 8, 7]
