"""How Liberty-era tabs that change state run beside today's tab without disturbing the scenario."""

from l3ha_guide.console.examples import GUIDE, OWN, REPLACE
from l3ha_guide.console.legacy_tabs import step_for, without_deprecation

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
    step = step_for("neutron net-create ext-net --router:external True \\\n  --provider:network_type flat")
    assert step.runs_before_todays_tab and step.bindings == OWN
    assert step.cleanups(CREATED) == ["openstack network delete 5266fcbc-d429-4b21-8544-6170d1691826"]
    assert step.cleanups("Connection refused") == []
    assert step.undo is None and step.settle is None


def test_create_for_another_project_also_removes_its_default_group() -> None:
    step = step_for("neutron net-create demo-net \\\n  --tenant-id 443cd1596b2e46d49965750771ebbfe1")
    assert step.project == "443cd1596b2e46d49965750771ebbfe1"
    first, second = step.cleanups(CREATED)
    assert first == "openstack network delete 5266fcbc-d429-4b21-8544-6170d1691826"
    assert '$3 == "443cd1596b2e46d49965750771ebbfe1"' in second and "security group delete" in second


def test_attachments_are_undone_before_the_legacy_command_replays_them() -> None:
    assert step_for("neutron router-interface-add demo-router demo-subnet").undo == (
        "openstack router remove subnet demo-router demo-subnet"
    )
    assert step_for("neutron router-gateway-set demo-router ext-net").undo == (
        "openstack router unset --external-gateway demo-router"
    )
    assert step_for(
        "neutron floatingip-associate 20a6b5dd-1c5c-460e-8a81-8b5cf1739307 \\\n  c4a1f7d2"
    ).undo == ("openstack floating ip unset --port 20a6b5dd-1c5c-460e-8a81-8b5cf1739307")
    step = step_for("neutron router-gateway-set demo-router ext-net")
    assert step.bindings == REPLACE and not step.runs_before_todays_tab and step.cleanups(CREATED) == []


def test_router_attachments_settle_on_the_device_the_undo_removes() -> None:
    assert step_for("neutron router-gateway-set demo-router ext-net").settle == ("demo-router", "qg-")
    assert step_for("neutron router-interface-add demo-router demo-subnet").settle == ("demo-router", "qr-")
    assert step_for("neutron floatingip-associate 20a6b5dd c4a1f7d2").settle is None
    assert step_for("neutron net-create ext-net").settle is None


def test_read_only_and_openstack_commands_change_nothing() -> None:
    for command in ("neutron agent-list", "openstack network create ext-net"):
        step = step_for(command)
        assert step == step_for(command) and step.bindings == GUIDE
        assert not step.runs_before_todays_tab and step.undo is None and step.cleanups(CREATED) == []


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
