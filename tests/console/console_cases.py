"""The console examples as test cases, in the order they run, and what each builds on."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from l3ha_guide.console import examples, legacy_tabs
from l3ha_guide.console.examples import SCENARIO_PAGES, ConsoleExample
from l3ha_guide.errors import UserError


@dataclass
class Case:
    example: ConsoleExample | None
    host: str
    error: str = ""  # extraction failed: the test reports it

    @property
    def test_id(self) -> str:
        if self.example is None:
            return "manifest"
        return f"{self.example.source.removeprefix('source/')}:{self.example.line}[{self.host}]"


# The pages that build the scenario run first, in reading order; the pages that
# only look at it next; the failover page last, because it moves the master.
LAST_PAGES = ("failover",)


def run_order(example: ConsoleExample) -> int:
    if example.page in SCENARIO_PAGES:
        return 0
    return 2 if example.page in LAST_PAGES else 1


@functools.cache
def console_cases() -> list[Case]:
    try:
        found = examples.extract()
    except UserError as error:
        return [Case(None, "", str(error))]
    cases = []
    # sorted() keeps reading order within a group
    for example in legacy_tabs.creates_first(sorted(found.console, key=run_order)):
        if example.skip and example.lab_action:
            cases.append(Case(example, "lab"))
        elif not example.skip:
            cases.extend(Case(example, host) for host in example.hosts)
    return cases


def prerequisites(case: Case) -> list[Case]:
    """The cases an example builds on: every earlier one on the scenario pages and on its own page."""
    cases = console_cases()
    earlier = cases[: cases.index(case)]
    return [
        other
        for other in earlier
        if other.example is not None
        and (other.example.page in SCENARIO_PAGES or other.example.page == case.example.page)
    ]
