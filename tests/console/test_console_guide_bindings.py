"""Guide-wide bindings: a documented value means the same real value on every page.

The examples here run for real, on this machine through testinfra's local
backend, so the session's whole path (substitute, run, match, bind) is used;
only the pages are made up.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from l3ha_guide.console.examples import GUIDE, OWN, REPLACE, Command, ConsoleExample
from l3ha_guide.console.runner import HostMap
from l3ha_guide.console.session import ConsoleSession, ExampleFailed

ROUTER = "7a46dba8-8846-498c-9e10-588664558473"
REAL_ROUTER = "0f1e2d3c-4b5a-4697-8877-66554433aabb"
NEW_PORT = "11111111-2222-4333-8444-555555555555"


def example(page: str, line: int, command: str, output: str, bindings: str = GUIDE) -> ConsoleExample:
    return ConsoleExample(
        page=page,
        source=f"source/{page}.md",
        line=line,
        hosts=["network1"],
        compare="exact",
        skip="",
        lab_action="",
        commands=[Command(line, command, output)],
        bindings=bindings,
    )


@pytest.fixture
def session(tmp_path: Path) -> ConsoleSession:
    return ConsoleSession(HostMap({"network1": "local://"}), results_path=tmp_path / "results.json")


def test_a_value_bound_on_one_page_means_the_same_on_the_next(session: ConsoleSession) -> None:
    session.run_example(
        example("a", 10, f"echo 'router {REAL_ROUTER} vrid 7'", f"router {ROUTER} vrid 91\n"), "network1"
    )
    # The second page uses the router's documented id in a command: it runs with the real one.
    session.run_example(example("b", 20, f"echo 'ns qrouter-{ROUTER}'", f"ns qrouter-{ROUTER}\n"), "network1")
    session.run_example(example("b", 21, "echo 'vrid 7'", "vrid 91\n"), "network1")


def test_another_documented_value_for_a_bound_real_one_names_both_places(session: ConsoleSession) -> None:
    session.run_example(
        example("packet-flow", 98, "echo 'vrrp_instance VR_7'", "vrrp_instance VR_91\n"), "network1"
    )
    with pytest.raises(ExampleFailed) as failure:
        session.run_example(
            example("verify-operation", 240, "echo 'vrid 7, prio 50'", "vrid 1, prio 50\n"), "network1"
        )
    message = str(failure.value)
    assert message.startswith("source/verify-operation.md:240: on network1:")
    assert (
        "source/verify-operation.md:240: vrid 1 is 7 here, which source/packet-flow.md:98 documents as 91"
        in message
    )


def test_one_documented_value_for_two_real_ones_names_both_places(session: ConsoleSession) -> None:
    session.run_example(
        example("verify-operation", 181, "echo 'inet 169.254.0.7/24'", "inet 169.254.0.91/24\n"), "network1"
    )
    with pytest.raises(ExampleFailed) as failure:
        session.run_example(
            example("failover", 131, "echo 'inet 169.254.0.8/24'", "inet 169.254.0.91/24\n"), "network1"
        )
    assert (
        "source/failover.md:131: runtime address 169.254.0.91 is 169.254.0.8 here, "
        "but stands for 169.254.0.7 since source/verify-operation.md:181"
    ) in str(failure.value)


def test_a_mismatch_that_no_binding_explains_says_nothing_of_other_pages(session: ConsoleSession) -> None:
    session.run_example(example("a", 1, "echo 'vrid 7'", "vrid 91\n"), "network1")
    with pytest.raises(ExampleFailed) as failure:
        session.run_example(example("b", 2, "echo 'prio 100'", "prio 50\n"), "network1")
    assert "contradicts" not in str(failure.value) and "source/b.md:2: on network1" in str(failure.value)


def test_declared_own_and_replace_blocks_are_the_only_exceptions(session: ConsoleSession) -> None:
    session.run_example(
        example("initial-networks", 5, f"echo 'id {REAL_ROUTER}'", f"id {ROUTER}\n"), "network1"
    )
    # A Liberty create makes another router with the same documented id: its binding is its own.
    session.run_example(
        example("initial-networks", 6, f"echo 'id {NEW_PORT}'", f"id {ROUTER}\n", OWN), "network1"
    )
    assert session.bindings[0].forward["uuid"][ROUTER] == REAL_ROUTER
    # A Liberty replay re-attaches with a new id: from here on, the documented id means the new one.
    session.run_example(
        example("initial-networks", 7, f"echo 'id {NEW_PORT}'", f"id {ROUTER}\n", REPLACE), "network1"
    )
    assert session.bindings[0].forward["uuid"][ROUTER] == NEW_PORT
    assert session.bindings[0].origin("uuid", ROUTER) == "source/initial-networks.md:7"
    session.run_example(example("failover", 9, f"echo 'id {NEW_PORT}'", f"id {ROUTER}\n"), "network1")
