"""Console examples as tests: one per example and host, named after page and line, in page order.

The manifest is extracted from the English pages at collection time. Blocks
marked `:skip:` make no test (the truth report lists them with their reason),
except those carrying a `:lab-action:`, whose test performs the action.

An example runs alone too (`pytest tests/console -k 'initial-networks.md:422'`):
the examples it builds on (see `prerequisites`) run first, once, in the same
session. What the Liberty create tabs made is deleted at the latest when the
session ends. The cases and their order: console_cases.py.

Where the commands run:
- by default, on the embedded lab (brought up once per session), each host
  reached over SSH to its own sshd, as an operator reaches a node; only the
  instance, which runs no sshd, through its namespace (`nsenter://instance`);
- with `L3HA_LAB_HOSTS` (`NAME=URL,...`), on the hosts it names, through
  testinfra's backends and their options (`--ssh-config`, `--ssh-identity-file`,
  `--ansible-inventory`). A host it leaves out is reached through the embedded
  lab if one is running. Before the first example, every host is checked
  (reachable, clients, credentials); unless `--read-only` or `--yes` is given,
  the run lists what it will change and asks first.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest
from console_cases import Case, console_cases, prerequisites

from l3ha_guide.console import legacy_client, preflight
from l3ha_guide.console.examples import ConsoleExample
from l3ha_guide.console.runner import HostMap
from l3ha_guide.console.session import ConsoleSession
from l3ha_guide.topology import load as load_topology


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "console_case" in metafunc.fixturenames:
        cases = console_cases()
        metafunc.parametrize("console_case", cases, ids=[case.test_id for case in cases])


def _host_specs() -> list[str]:
    return [spec for spec in os.environ.get("L3HA_LAB_HOSTS", "").split(",") if spec.strip()]


def _selected_examples(items: list[pytest.Item]) -> list[ConsoleExample]:
    """The examples the selected tests run, with those they build on, in running order."""
    selected: list[Case] = []
    for item in items:
        case = getattr(item, "callspec", None) and item.callspec.params.get("console_case")
        if isinstance(case, Case) and case.example is not None:
            selected.extend(other for other in [*prerequisites(case), case] if other not in selected)
    examples: list[ConsoleExample] = []
    for case in sorted(selected, key=console_cases().index):
        if case.example not in examples:
            examples.append(case.example)
    return examples


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Against hosts named in L3HA_LAB_HOSTS, ask before running examples that change them."""
    option = config.option
    if not _host_specs() or getattr(option, "read_only", False) or getattr(option, "yes", False):
        return
    changes = preflight.changing_examples(_selected_examples(items))
    if not changes:
        return
    listing = "\n".join(f"  {line}" for line in changes)
    question = (
        f"These console examples change the hosts of L3HA_LAB_HOSTS:\n{listing}\n"
        "Run them (and what the Liberty tabs create is deleted afterwards)? [y/N] "
    )
    capture = config.pluginmanager.getplugin("capturemanager")  # None with `-p no:capture`
    if capture:
        capture.suspend_global_capture(in_=True)  # the real stdin back, to ask on
    try:
        can_ask = not hasattr(config, "workerinput") and sys.stdin.isatty()
        answer = input(question) if can_ask else ""
    finally:
        if capture:
            capture.resume_global_capture()
    if not can_ask:
        pytest.exit(
            f"{question.rpartition(chr(10))[0]}\nNot asked (no terminal): pass --yes to run them, "
            "or --read-only to run only the examples that change nothing",
            returncode=1,
        )
    if answer.strip().lower() not in ("y", "yes"):
        pytest.exit("nothing run: the examples that change the hosts were not confirmed", returncode=1)


def _host_map(request: pytest.FixtureRequest) -> HostMap:
    option = request.config.option
    specs = _host_specs()
    if specs:
        host_map = HostMap.parse(
            specs,
            ssh_config=getattr(option, "ssh_config", None),
            ssh_identity_file=getattr(option, "ssh_identity_file", None),
            ansible_inventory=getattr(option, "ansible_inventory", None),
        )
        from l3ha_guide.lab.lab import Lab

        if not Lab.load().is_up("neutron"):  # no embedded lab to fall back on: unmapped hosts are unknown
            named = {spec.partition("=")[0].strip() for spec in specs}
            host_map.urls = {name: url for name, url in host_map.urls.items() if name in named}
        return host_map
    from l3ha_guide.lab.ssh import write_client_files

    lab = request.getfixturevalue("lab")  # the embedded lab with OpenStack: up once per session
    ssh_config, _inventory = write_client_files(lab.state, lab.topology, lab.host_pids())
    urls = {name: f"nsenter://{name}" for name in load_topology().hosts}  # the instance has no sshd
    urls.update({name: f"ssh://{name}" for name in load_topology().lab_hosts})
    return HostMap(urls, {"ssh_config": str(ssh_config)})


@pytest.fixture(scope="session")
def console_session(request: pytest.FixtureRequest) -> Iterator[ConsoleSession]:
    host_map = _host_map(request)
    examples = _selected_examples(request.session.items)
    legacy = any(
        command.command.startswith("neutron ") for example in examples for command in example.commands
    )
    found = preflight.problems(host_map, examples, str(legacy_client.ensure()) if legacy else None)
    if found:
        pytest.exit(
            "the console examples cannot run:\n" + "\n".join(f"  {line}" for line in found), returncode=1
        )
    session = ConsoleSession(host_map, read_only=request.config.option.read_only)
    session.probe_versions()
    yield session
    session.flush_cleanups_at_end()
