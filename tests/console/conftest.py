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
  the run lists what it will change and asks first. The objects it creates are
  named with a prefix (`--name-prefix`, `l3ha-guide-` unless given) and deleted
  when the session ends, even after a failure (`--keep-created` keeps them);
  what a killed run left is deleted before the next run's first example
  (l3ha_guide/console/created.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator

import pytest
from console_cases import Case, console_cases, prerequisites

from l3ha_guide.console import legacy_client, preflight
from l3ha_guide.console.created import DEFAULT_PREFIX, CreatedObjects
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


def _name_prefix(option: argparse.Namespace) -> str:
    """--name-prefix, else l3ha-guide- on the hosts of L3HA_LAB_HOSTS and none on the embedded lab."""
    if option.name_prefix is not None:
        return option.name_prefix
    return DEFAULT_PREFIX if _host_specs() else ""


def _naming(option: argparse.Namespace) -> str:
    """What the question says of the names and the lifetime of what the run creates."""
    prefix = _name_prefix(option)
    names = f"named with the prefix {prefix!r}" if prefix else "named as in the manual"
    end = "kept (--keep-created)" if option.keep_created else "deleted when the run ends, even if it fails"
    return f"What they create is {names} and {end}."


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
        f"{_naming(option)}\nRun them? [y/N] "
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
            name_prefix=_name_prefix(option),
            ssh_config=getattr(option, "ssh_config", None),
            ssh_identity_file=getattr(option, "ssh_identity_file", None),
            ansible_inventory=getattr(option, "ansible_inventory", None),
        )
        from l3ha_guide.lab.lab import Lab

        if not Lab.load().is_up("neutron"):  # no embedded lab to fall back on: unmapped hosts are unknown
            named = {spec.partition("=")[0].strip() for spec in specs}
            host_map.urls = {name: url for name, url in host_map.urls.items() if name in named}
        return host_map
    from l3ha_guide.lab.ssh import SESSION_PERSIST, shared_ssh_config

    lab = request.getfixturevalue("lab")  # the embedded lab with OpenStack: up once per session
    ssh_config = shared_ssh_config(lab.state, lab.host_pids())  # one connection per host, kept open
    urls = {name: f"nsenter://{name}" for name in load_topology().hosts}  # the instance has no sshd
    urls.update(
        {name: f"ssh://{name}?controlpersist={SESSION_PERSIST}" for name in load_topology().lab_hosts}
    )
    return HostMap(urls, {"ssh_config": str(ssh_config)}, _name_prefix(option))


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
    option = request.config.option
    if not _host_specs() and not option.read_only:
        from l3ha_guide.errors import UserError
        from l3ha_guide.lab.fixture import claim_for_examples

        try:
            claim_for_examples(request.getfixturevalue("lab").state)
        except UserError as error:
            pytest.exit(str(error), returncode=1)
    # On a real cloud, what the run creates is deleted when it ends; an earlier run's leftovers first.
    created = CreatedObjects() if _host_specs() and not option.read_only and not option.keep_created else None
    if created is not None:
        _delete_created(request.config, created, host_map, "an earlier run created")
    session = ConsoleSession(host_map, read_only=option.read_only, created=created)
    session.probe_versions()
    yield session
    session.heal_fault()  # a page that ends in a fault, or a run stopped inside one
    session.flush_cleanups_at_end()
    if created is not None:
        _delete_created(request.config, created, host_map, "this run created")


def _delete_created(config: pytest.Config, created: CreatedObjects, host_map: HostMap, whose: str) -> None:
    entries = created.entries()
    if not entries:
        return
    capture = config.pluginmanager.getplugin("capturemanager")

    def say(line: str) -> None:
        """On the terminal, past the capture of the test whose setup or teardown this is."""
        if capture is None:
            print(line)
            return
        with capture.global_and_fixture_disabled():
            print(f"\n{line}", flush=True)

    def objects(count: int) -> str:
        return f"{count} object{'' if count == 1 else 's'} {whose}"

    say(f"deleting {objects(len(entries))} ({created.path}) ...")
    began = time.monotonic()
    left = created.delete_all(host_map)
    if not left:
        say(f"deleted {objects(len(entries))} in {time.monotonic() - began:.0f} s")
        return
    pytest.exit(
        f"{objects(len(left))} could not be deleted (they stay noted in {created.path}; "
        "the next run tries again):\n" + "\n".join(f"  {line}" for line in left),
        returncode=1,
    )
