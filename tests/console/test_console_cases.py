"""Which examples an example builds on, and that a session runs each example once."""

from __future__ import annotations

from pathlib import Path

from console_cases import SCENARIO_PAGES, console_cases, prerequisites

from l3ha_guide.console.examples import Command, ConsoleExample
from l3ha_guide.console.runner import HostMap
from l3ha_guide.console.session import ConsoleSession


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
