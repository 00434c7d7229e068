"""wait-for-router-advertisement over a scripted router and instance: late advertisements are
waited for, up to two of radvd's longest intervals; none at all fails with what radvd and keepalived do."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from l3ha_guide.console.lab_actions import instance_ipv6_missing, wait_for_router_advertisement
from l3ha_guide.topology import load as load_topology
from l3ha_guide.waiting import WaitTimeout

MAX_RTR_ADV_INTERVAL = 100


class ScriptedRouter:
    name = "demo-router"

    def id(self) -> str:
        return "7a46dba8"

    def radvd_hosts(self, router_id: str) -> list[str]:
        return ["network1"]

    def max_rtr_adv_interval(self, host: str, router_id: str) -> int | None:
        return MAX_RTR_ADV_INTERVAL

    def keepalived_states(self, router_id: str) -> dict[str, str]:
        return {"network1": "primary", "network2": "backup"}

    def ha_states(self) -> dict[str, str]:
        return {"network1": "active", "network2": "standby"}


def instance_configured_after(polls: int | None, tentative: bool = False) -> SimpleNamespace:
    """A host map whose instance answers with a SLAAC address and route from its `polls`-th poll on
    (an address still in duplicate address detection only to a command that does not leave it out)."""
    openstack = load_topology().openstack
    address = openstack.project_ipv6_cidr.network_address + 0xF8163EFFFE5B721E
    asked = {"polls": 0}

    def shell(host: str, command: str, timeout: float) -> tuple[int, str]:
        assert host == load_topology().instance.name
        configured = polls is not None and asked["polls"] >= polls
        if "addr show" in command:
            asked["polls"] += 1
            shown = configured and not (tentative and "-tentative" in command.split())
            flags = "tentative dynamic mngtmpaddr" if tentative else "dynamic mngtmpaddr"
            return 0, f"2: eth0    inet6 {address}/64 scope global {flags}" if shown else ""
        return 0, "default via fe80::f816:3eff:fec7:149b dev eth0 proto ra metric 1024" if configured else ""

    router = ScriptedRouter()
    return SimpleNamespace(router=lambda: router, shell=shell, asked=asked)


def test_a_late_advertisement_is_waited_for(no_sleep) -> None:
    host_map = instance_configured_after(polls=MAX_RTR_ADV_INTERVAL + 20)  # the first ones were lost
    assert "from an advertisement after" in wait_for_router_advertisement(host_map)
    assert instance_ipv6_missing(host_map) == ""


def test_no_advertisement_fails_with_where_radvd_runs(no_sleep) -> None:
    host_map = instance_configured_after(polls=None)
    with pytest.raises(WaitTimeout) as failure:
        wait_for_router_advertisement(host_map)
    message = str(failure.value)
    prefix = load_topology().openstack.project_ipv6_cidr
    assert f"no address from {prefix}" in message and "no default route" in message
    assert f"{2 * MAX_RTR_ADV_INTERVAL + 10} s after" in message
    assert "radvd now runs on ['network1']" in message
    assert host_map.asked["polls"] > 2 * MAX_RTR_ADV_INTERVAL


def test_a_tentative_address_is_not_yet_usable() -> None:
    missing = instance_ipv6_missing(instance_configured_after(polls=0, tentative=True))
    assert "no address from" in missing and "no default route" not in missing
