"""HARouter.wait_healthy over a scripted shell: which states count as healthy, and what a timeout says."""

from __future__ import annotations

import json
import shlex

import pytest

from l3ha_guide.ha_router import HARouter
from l3ha_guide.waiting import WaitTimeout


class ScriptedShell:
    """Answers the router's questions from a list of polls: (keepalived per node, server per node)."""

    def __init__(self, polls: list[tuple[dict[str, str], dict[str, str]]]) -> None:
        self.polls = polls
        self.poll = -1
        self.server_asked = 0

    def __call__(self, host: str, command: str, timeout: float) -> tuple[int, str]:
        if command.startswith("cat ") and command.endswith("/state 2>/dev/null"):
            if host == "network1":  # each poll reads network1 first
                self.poll = min(self.poll + 1, len(self.polls) - 1)
            return 0, self.polls[self.poll][0][host]
        if host == "controller" and "python3 -c" in command:  # a GET on the Networking API
            path = shlex.split(command)[-1]
            if path.startswith("routers?name=demo-router"):
                return 0, json.dumps([{"routers": [{"id": "7a46dba8"}]}])
            if path == "routers/7a46dba8/l3-agents":
                self.server_asked += 1
                agents = [
                    {"host": node, "ha_state": state} for node, state in self.polls[self.poll][1].items()
                ]
                return 0, json.dumps([{"agents": agents}])
        raise AssertionError(f"unexpected command on {host}: {command[-200:]}")


def test_healthy_once_keepalived_and_the_server_agree(no_sleep) -> None:
    one_master = {"network1": "primary", "network2": "backup"}
    shell = ScriptedShell(
        [
            ({"network1": "fault", "network2": "primary"}, {"network1": "standby", "network2": "active"}),
            (one_master, {"network1": "standby", "network2": "standby"}),
            (one_master, {"network1": "active", "network2": "standby"}),
        ]
    )
    states = HARouter(shell, "demo-router").wait_healthy(timeout=10)
    assert states == one_master
    # The server is asked only once keepalived pairs up: polls 2 and 3.
    assert shell.server_asked == 2


def test_a_router_that_stays_split_times_out_with_what_was_seen(no_sleep) -> None:
    split = {"network1": "primary", "network2": "primary"}
    shell = ScriptedShell([(split, {"network1": "active", "network2": "active"})])
    with pytest.raises(WaitTimeout, match="not active/standby again 5 s after the test") as raised:
        HARouter(shell, "demo-router").wait_healthy(timeout=5, after="the test")
    assert "'network2': 'primary'" in str(raised.value)
    assert shell.server_asked == 0
