"""make_master over a scripted router: a VRRP flap after the first stop, and a backup that never yields."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from l3ha_guide.console.lab_actions import MAX_STOPS, make_master
from l3ha_guide.waiting import WaitTimeout

NODES = ("network1", "network2")


class ScriptedRouter:
    """network2 leads; each stop of its keepalived hands the router to `after_stops[i]`."""

    name = "demo-router"

    def __init__(self, after_stops: list[str]) -> None:
        self.after_stops = after_stops
        self.leader = "network2"
        self.stops: list[str] = []

    def id(self) -> str:
        return "7a46dba8"

    def ha_states(self) -> dict[str, str]:
        return {node: "active" if node == self.leader else "standby" for node in NODES}

    def keepalived_states(self, router_id: str) -> dict[str, str]:
        return {node: "primary" if node == self.leader else "backup" for node in NODES}

    def keepalived_running(self, host: str, router_id: str) -> bool:
        return True

    def stop_keepalived(self, host: str, router_id: str) -> None:
        self.stops.append(host)
        self.leader = self.after_stops[min(len(self.stops), len(self.after_stops)) - 1]

    def recent_transitions(self, router_id: str) -> dict[str, str]:
        return {node: "" for node in NODES}


def test_a_flap_after_the_first_stop_is_met_with_a_second(no_sleep) -> None:
    router = ScriptedRouter(after_stops=["network2", "network1"])  # the first stop is undone by a flap
    assert make_master(SimpleNamespace(router=lambda: router), "network1") == "network1 made the master"
    assert router.stops == ["network2", "network2"]


def test_a_backup_that_never_yields_fails_with_how_often_it_was_stopped(no_sleep) -> None:
    router = ScriptedRouter(after_stops=["network2"])
    with pytest.raises(WaitTimeout, match=f"stopped {MAX_STOPS} times"):
        make_master(SimpleNamespace(router=lambda: router), "network1")
    assert router.stops == ["network2"] * MAX_STOPS
