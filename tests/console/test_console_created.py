"""What a console run creates is noted with the command that removes it (deleting runs in the lab:
tests/console/test_console_prefixed_run.py)."""

from __future__ import annotations

from pathlib import Path

from l3ha_guide.console.created import Created, CreatedObjects, undo_for

ROUTER_CREATED = """\
+-------------------------+--------------------------------------+
| Field                   | Value                                |
+-------------------------+--------------------------------------+
| admin_state_up          | UP                                   |
| id                      | 6f2e5a0c-1b7d-4c3e-9a8f-2d4b6c8e0a1f |
| name                    | ci-demo-router                       |
+-------------------------+--------------------------------------+
"""


def test_each_create_is_undone_by_its_real_id() -> None:
    router_id = "6f2e5a0c-1b7d-4c3e-9a8f-2d4b6c8e0a1f"
    assert undo_for("openstack router create ci-demo-router", ROUTER_CREATED) == (
        f"openstack router delete {router_id}"
    )
    rule = "openstack security group rule create --protocol icmp \\\n  --remote-ip 0.0.0.0/0 default"
    assert undo_for(rule, ROUTER_CREATED) == f"openstack security group rule delete {router_id}"
    assert undo_for("openstack server create --flavor m1.tiny x", ROUTER_CREATED) == (
        f"openstack server delete --wait {router_id}"
    )
    assert undo_for("openstack router add subnet ci-demo-router ci-demo-subnet", "") == (
        "openstack router remove subnet ci-demo-router ci-demo-subnet"
    )


def test_what_changes_no_object_or_shows_no_id_is_not_noted() -> None:
    assert undo_for("openstack router create ci-demo-router", "ForbiddenException: 403") is None
    assert undo_for("openstack router show ci-demo-router", ROUTER_CREATED) is None
    assert undo_for("openstack router set --disable ci-demo-router", "") is None
    assert undo_for("neutron router-create demo-router", ROUTER_CREATED) is None  # the Liberty tabs' own


def test_noted_objects_are_on_disk_at_once_oldest_first(tmp_path: Path) -> None:
    path = tmp_path / "created.json"
    created = CreatedObjects(path)
    created.note("openstack router create ci-demo-router", ROUTER_CREATED, "demo", "p.md:3")
    created.note("openstack router add subnet ci-demo-router ci-demo-subnet", "", "demo", "p.md:9")
    created.note("openstack router show ci-demo-router", ROUTER_CREATED, "demo", "p.md:12")
    # Another process (the next run, after this one was killed) reads the same list.
    assert CreatedObjects(path).entries() == [
        Created("openstack router delete 6f2e5a0c-1b7d-4c3e-9a8f-2d4b6c8e0a1f", "demo", "p.md:3"),
        Created("openstack router remove subnet ci-demo-router ci-demo-subnet", "demo", "p.md:9"),
    ]
