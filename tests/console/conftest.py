"""Console examples as tests: one per example and host, named after page and line, in page order.

The manifest is extracted from the English pages at collection time. Blocks
marked `:skip:` make no test (the truth report lists them with their reason),
except those carrying a `:lab-action:`, whose test performs the action.

An example runs alone too (`pytest tests/console -k 'initial-networks.md:422'`):
the examples it builds on (see `prerequisites`) run first, once, in the same
session. What the Liberty create tabs made is deleted at the latest when the
session ends. The cases and their order: console_cases.py.

Hosts come from `L3HA_LAB_HOSTS` (`NAME=URL,...`, default `nsenter://NAME`)
with testinfra's `--ssh-config`, `--ssh-identity-file` and `--ansible-inventory`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from console_cases import console_cases

from l3ha_guide.console.runner import HostMap
from l3ha_guide.console.session import ConsoleSession


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "console_case" in metafunc.fixturenames:
        cases = console_cases()
        metafunc.parametrize("console_case", cases, ids=[case.test_id for case in cases])


def _uses_embedded_lab(host_map: HostMap) -> bool:
    return any(url.startswith("nsenter://") for url in host_map.urls.values())


@pytest.fixture(scope="session")
def console_session(request: pytest.FixtureRequest) -> Iterator[ConsoleSession]:
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
    yield session
    session.flush_cleanups_at_end()
