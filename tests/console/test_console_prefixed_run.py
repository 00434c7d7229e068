"""A run against a cloud names what it creates with a prefix, apart from the cloud's own objects,
and what it created is deleted afterwards, even after a failure and from another run.

The manual's own examples run on the lab next to the guide's scenario, as on a
cloud that already has objects with the manual's names.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from l3ha_guide.console.created import CreatedObjects
from l3ha_guide.console.examples import GUIDE, ConsoleExample, extract
from l3ha_guide.console.runner import HostMap
from l3ha_guide.console.session import ConsoleSession, ExampleFailed
from l3ha_guide.lab.scenario import ensure_scenario, openstack, sql
from l3ha_guide.topology import load as load_topology

pytestmark = pytest.mark.lab

PREFIX = "ci-prefixed-"
OBJECTS = load_topology().openstack
# The project network, its subnet, the router and its interface, as the manual creates them.
STEPS = (
    "openstack network create --project demo",
    f"openstack subnet create --network {OBJECTS.project_network}",
    f"openstack router create {OBJECTS.router}",
    f"openstack router add subnet {OBJECTS.router} {OBJECTS.project_subnet}\n",
)


def _example(start: str) -> ConsoleExample:
    found = [
        example
        for example in extract().console
        if example.bindings == GUIDE and (example.commands[0].command + "\n").startswith(start)
    ]
    assert len(found) == 1, f"the manual has {len(found)} examples starting `{start}`"
    return found[0]


def _objects(lab) -> list[list[str]]:
    return sql(
        lab,
        "SELECT 'network', id, name FROM networks UNION ALL SELECT 'subnet', id, name FROM subnets "
        "UNION ALL SELECT 'router', id, name FROM routers UNION ALL SELECT 'port', id, name FROM ports "
        "ORDER BY 1, 2",
    )


def test_prefixed_objects_are_deleted_after_a_failure_by_the_next_run(lab, tmp_path: Path) -> None:
    ensure_scenario(lab)  # the cloud's own objects, with the manual's names
    before = _objects(lab)
    host_map = HostMap(name_prefix=PREFIX)
    created = tmp_path / "created.json"
    session = ConsoleSession(
        host_map, results_path=tmp_path / "results.json", created=CreatedObjects(created)
    )
    try:
        for start in STEPS:
            session.run_once(_example(start), "controller")
        # One more router, whose output the manual does not show: the example fails after creating it.
        router = _example(STEPS[2])
        failing = dataclasses.replace(
            router,
            commands=[
                dataclasses.replace(
                    router.commands[0],
                    command=router.commands[0].command + "2",
                    output="| name | something else |",
                )
            ],
            compare="lines",
        )
        with pytest.raises(ExampleFailed, match="differs from the manual"):
            session.run_example(failing, "controller")

        names = {row[2] for row in _objects(lab)}
        ours = {PREFIX + name for name in (OBJECTS.project_network, OBJECTS.project_subnet, OBJECTS.router)}
        assert ours | {PREFIX + OBJECTS.router + "2"} <= names, names
        assert {OBJECTS.project_network, OBJECTS.router} <= names  # the cloud's own, untouched
        interfaces = openstack(lab, f"port list --router {PREFIX}{OBJECTS.router} -f value -c ID")
        assert interfaces.strip(), (
            "the prefixed router has no interface: `router add subnet` used other names"
        )
        noted = CreatedObjects(created).entries()
        assert [entry.undo.split()[1] for entry in noted] == [
            "network",
            "subnet",
            "router",
            "router",
            "router",
        ]
    finally:
        # The run ended here, as if killed; the next one deletes what it noted before its first example.
        left = CreatedObjects(created).delete_all(host_map)
    assert left == []
    assert not created.exists()
    assert _objects(lab) == before
