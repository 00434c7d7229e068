"""Console examples as tests: one per example and host, named after page and line, in page order.

The manifest is extracted from the English pages at collection time. Blocks
marked `:skip:` make no test (the truth report lists them with their reason),
except those carrying a `:lab-action:`, whose test performs the action.
Hosts come from `L3HA_LAB_HOSTS` (`NAME=URL,...`, default `nsenter://NAME`)
with testinfra's `--ssh-config`, `--ssh-identity-file` and `--ansible-inventory`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from l3ha_guide.console import examples, legacy_tabs
from l3ha_guide.console.examples import ConsoleExample
from l3ha_guide.console.runner import HostMap
from l3ha_guide.console.session import ConsoleSession
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
SCENARIO_PAGES = ("verify-services", "initial-networks", "verify-operation")
LAST_PAGES = ("failover",)


def run_order(example: ConsoleExample) -> int:
    if example.page in SCENARIO_PAGES:
        return 0
    return 2 if example.page in LAST_PAGES else 1


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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "console_case" in metafunc.fixturenames:
        cases = console_cases()
        metafunc.parametrize("console_case", cases, ids=[case.test_id for case in cases])


def _uses_embedded_lab(host_map: HostMap) -> bool:
    return any(url.startswith("nsenter://") for url in host_map.urls.values())


@pytest.fixture(scope="session")
def console_session(request: pytest.FixtureRequest) -> ConsoleSession:
    option = request.config.option
    specs = [spec for spec in os.environ.get("L3HA_LAB_HOSTS", "").split(",") if spec.strip()]
    host_map = HostMap.parse(
        specs,
        ssh_config=getattr(option, "ssh_config", None),
        ssh_identity_file=getattr(option, "ssh_identity_file", None),
        ansible_inventory=getattr(option, "ansible_inventory", None),
    )
    if _uses_embedded_lab(host_map):
        request.getfixturevalue("lab")  # the embedded lab with Neutron: up once per session
    session = ConsoleSession(host_map)
    session.probe_versions()
    return session
