"""Which examples an example builds on, and that a session runs each example once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from console_cases import console_cases, prerequisites

from l3ha_guide.console.examples import SCENARIO_PAGES, Command, ConsoleExample
from l3ha_guide.console.faults import Fault
from l3ha_guide.console.runner import HostMap
from l3ha_guide.console.session import ConsoleSession, ExampleFailed, LeftOut
from l3ha_guide.errors import UserError


def test_an_example_builds_on_the_scenario_pages_and_earlier_examples_of_its_page() -> None:
    cases = [case for case in console_cases() if case.example is not None]
    later_pages = [case for case in cases if case.example.page not in SCENARIO_PAGES]
    target = later_pages[len(later_pages) // 2]
    needed = prerequisites(target)
    position = cases.index(target)
    scenario = [case for case in cases[:position] if case.example.page in SCENARIO_PAGES]
    own_page = [case for case in cases[:position] if case.example.page == target.example.page]
    assert scenario and needed == [case for case in cases[:position] if case in scenario + own_page]
    assert prerequisites(cases[0]) == []


def test_a_session_runs_each_example_once(tmp_path: Path) -> None:
    performed: list[str] = []
    session = ConsoleSession(
        HostMap(urls={}),
        results_path=tmp_path / "results.json",
        lab_actions={"count": lambda host_map: performed.append("count") or "counted"},
    )
    example = ConsoleExample(
        "p", "source/p.md", 3, ["controller"], "none", "needs-internet", "count", [Command(3, "true")]
    )
    session.run_once(example, "lab")
    session.run_once(example, "lab")
    assert performed == ["count"]


def _example(line: int, command: str, changes: str = "", page: str = "p", fault: str = "") -> ConsoleExample:
    return ConsoleExample(
        page,
        f"source/{page}.md",
        line,
        ["network1"],
        "none",
        "",
        "",
        [Command(line, command)],
        changes=changes,
        fault=fault,
    )


def test_a_read_only_session_leaves_out_changes_and_what_a_disruption_shows(tmp_path: Path) -> None:
    session = ConsoleSession(
        HostMap(urls={"network1": "local://"}), results_path=tmp_path / "results.json", read_only=True
    )
    scenario = SCENARIO_PAGES[1]  # its objects stay: later examples look at them
    looks, creates = _example(3, "true", page=scenario), _example(5, "true", "configures", scenario)
    after_create, breaks, after_break = (
        _example(7, "true", page=scenario),
        _example(9, "true", "disrupts", scenario),
        _example(11, "true", page=scenario),
    )
    # Another page's objects are its own: what it shows after making them is not there to look at.
    elsewhere, makes_its_own, looks_at_them = (
        _example(3, "true", page="q"),
        _example(5, "true", "configures", "q"),
        _example(7, "true", page="q"),
    )
    ran: list[str] = []
    for example in (
        looks,
        creates,
        after_create,
        breaks,
        after_break,
        elsewhere,
        makes_its_own,
        looks_at_them,
    ):
        try:
            session.run_once(example, "network1")
            ran.append(example.id)
        except LeftOut as left_out:
            ran.append(f"left out: {left_out}")
    assert ran[0] == f"source/{scenario}.md:3" and ran[2] == f"source/{scenario}.md:7"
    assert ran[5] == "source/q.md:3"
    assert "changes the cloud (configures)" in ran[1] and "changes the cloud (disrupts)" in ran[3]
    assert f"shows what source/{scenario}.md:9 does to the cloud" in ran[4]
    assert "changes the cloud (configures)" in ran[6]
    assert "looks at what source/q.md:5 makes" in ran[7]
    verified = json.loads((tmp_path / "results.json").read_text())["outcomes"]
    assert sorted(outcome["id"] for outcome in verified) == sorted(
        [f"source/{scenario}.md:3", f"source/{scenario}.md:7", "source/q.md:3"]
    )
    assert {outcome["backend"] for outcome in verified} == {"local"}


def test_a_controller_command_that_runs_a_client_anywhere_loads_the_credentials() -> None:
    from l3ha_guide.console.runner import shell_command
    from l3ha_guide.ha_router import CREDENTIALS

    wait = "until openstack network agent list -f value | grep -q active; do sleep 2; done"
    assert f". {CREDENTIALS['admin']} && until openstack" in shell_command(wait, "controller", 60)
    assert f". {CREDENTIALS['demo']}" in shell_command(
        "openstack router list", "controller", 60, None, "demo"
    )
    assert "openrc" not in shell_command("ip netns", "controller", 60)
    assert "openrc" not in shell_command(wait, "network1", 60)  # the clients run on the controller


def test_a_read_only_session_leaves_out_a_command_naming_what_no_example_found(tmp_path: Path) -> None:
    session = ConsoleSession(
        HostMap(urls={"network1": "local://"}), results_path=tmp_path / "results.json", read_only=True
    )
    router = "7a46dba8-8846-498c-9e10-588664558473"  # found by an example the run left out
    with pytest.raises(LeftOut, match=f"names {router}"):
        session.run_once(_example(3, f"test -n {router}", page=SCENARIO_PAGES[1]), "network1")
    assert not (tmp_path / "results.json").exists()


def test_a_fault_lasts_while_consecutive_examples_name_it(tmp_path: Path) -> None:
    """Injected before its first block, kept for the next ones, healed before any other block."""
    events: list[str] = []

    def fault(name: str) -> Fault:
        return Fault(
            name,
            lambda host_map: events.append(f"inject {name}") or "injected",
            lambda host_map: events.append(f"heal {name}") or "healed",
        )

    session = ConsoleSession(
        HostMap(urls={"network1": "local://"}),
        results_path=tmp_path / "results.json",
        faults={"cut": fault("cut"), "kill": fault("kill")},
    )
    examples = [
        _example(3, "echo plain"),
        _example(5, "echo cut1", fault="cut"),
        _example(7, "echo cut2", fault="cut"),
        _example(9, "echo kill", fault="kill"),
        _example(11, "echo healthy"),
        _example(13, "echo cut again", fault="cut"),
    ]
    for example in examples:
        session.run_once(example, "network1")
        events.append(example.commands[0].command.removeprefix("echo "))
    session.heal_fault()
    assert events == [
        "plain",
        "inject cut", "cut1", "cut2",
        "heal cut", "inject kill", "kill",
        "heal kill", "healthy",
        "inject cut", "cut again",
        "heal cut",
    ]  # fmt: skip


def test_a_fault_that_cannot_be_injected_fails_its_example_and_is_healed_next(tmp_path: Path) -> None:
    healed: list[str] = []

    def broken(host_map: HostMap) -> str:
        raise UserError("the fabric refused")

    session = ConsoleSession(
        HostMap(urls={"network1": "local://"}),
        results_path=tmp_path / "results.json",
        faults={"cut": Fault("cut", broken, lambda host_map: healed.append("cut") or "healed")},
    )
    with pytest.raises(ExampleFailed, match="injecting the fault 'cut' failed: the fabric refused"):
        session.run_once(_example(5, "true", fault="cut"), "network1")
    session.run_once(_example(7, "true"), "network1")
    assert healed == ["cut"]


def test_faults_are_left_out_of_read_only_runs_and_away_from_the_embedded_lab(tmp_path: Path) -> None:
    injected: list[str] = []
    cut = Fault("cut", lambda host_map: injected.append("cut") or "", lambda host_map: "")
    read_only = ConsoleSession(
        HostMap(urls={"network1": "local://"}),
        results_path=tmp_path / "results.json",
        read_only=True,
        faults={"cut": cut},
    )
    read_only.run_once(_example(3, "true", page="t"), "network1")
    with pytest.raises(LeftOut, match=r"looks at a fault the lab injects from source/t\.md:5 on"):
        read_only.run_once(_example(5, "true", page="t", fault="cut"), "network1")
    with pytest.raises(LeftOut, match="looks at a fault"):  # what follows on the page may build on it
        read_only.run_once(_example(7, "true", page="t"), "network1")
    elsewhere = ConsoleSession(
        HostMap.parse(["network1=local://"]), results_path=tmp_path / "results.json", faults={"cut": cut}
    )
    with pytest.raises(LeftOut, match="these hosts are not the embedded lab"):
        elsewhere.run_once(_example(5, "true", fault="cut"), "network1")
    assert injected == []
