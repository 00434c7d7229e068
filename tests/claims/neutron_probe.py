"""Ask the pinned neutron what its code decides; prints JSON (run as a script, in a child process).

Importing neutron monkey-patches the process with eventlet, which would break
the tests that run after it (threads, asyncio, the browser), so the claims
tests run this file with the tests environment's Python instead of importing it.
"""

from __future__ import annotations

import inspect
import json
import sys
import tempfile


def health_check(conf_dir: str) -> dict[str, object]:
    from neutron.agent.linux import keepalived

    instance = keepalived.KeepalivedInstance(
        "BACKUP",
        "ha-255d2e4b-33",
        91,
        ["169.254.192.0/18"],
        vrrp_health_check_interval=5,
        ha_conf_dir=conf_dir,
    )
    added = [
        ("fe80::f816:3eff:fe10:9ff6/64", "qr-8de3e172-53", "link"),
        ("203.0.113.161/24", "qg-374587d7-2a", None),
        ("192.168.1.1/24", "qr-8de3e172-53", None),
    ]
    for address, device, scope in added:
        instance.add_vip(address, device, scope)
    config = "\n".join(instance.build_config())
    excluded = config.split("virtual_ipaddress_excluded {")[1].split("}")[0].split()
    return {
        "added": [address for address, _, _ in added],
        "listed": [word for word in excluded if "/" in word],
        "script": instance.track_script._get_script_str().splitlines(),
    }


def primary_vips(ha_cidrs: list[str]) -> dict[str, str]:
    from neutron.agent.linux import keepalived

    found = {}
    for cidr in ha_cidrs:
        try:
            found[cidr] = keepalived.KeepalivedInstance("BACKUP", "ha-x", 91, [cidr]).get_primary_vip()
        except ValueError as error:
            found[cidr] = f"ValueError: {error}"
    return found


def l3_ha_net_cidr_accepted(cidrs: list[str]) -> dict[str, bool]:
    from neutron.conf.db import l3_hamode_db as options
    from neutron.db import l3_hamode_db
    from neutron_lib.exceptions import l3_ext_ha_mode
    from oslo_config import cfg

    options.register_db_l3_hamode_opts()
    mixin = object.__new__(l3_hamode_db.L3_HA_NAT_db_mixin)
    accepted = {}
    for cidr in cidrs:
        cfg.CONF.set_override("l3_ha_net_cidr", cidr)
        try:
            mixin._verify_configuration()
            accepted[cidr] = True
        except l3_ext_ha_mode.HANetworkCIDRNotValid:
            accepted[cidr] = False
    return accepted


def no_track(versions: list[str]) -> dict[str, bool]:
    """keepalived version -> whether the L3 agent writes `no_track` after a virtual address."""
    from unittest import mock

    from neutron.agent.linux import keepalived
    from neutron.cmd import runtime_checks

    decided = {}
    for version in versions:
        keepalived._IS_NO_TRACK_SUPPORTED = None  # the agent asks once per process
        parsed = tuple(int(part) for part in version.split("."))
        with mock.patch.object(runtime_checks, "get_keepalived_version", return_value=parsed):
            instance = keepalived.KeepalivedInstance("BACKUP", "ha-x", 91, ["169.254.192.0/18"])
            instance.add_vip("192.168.1.1/24", "qr-8de3e172-53", None)
            decided[version] = "192.168.1.1/24 dev qr-8de3e172-53 no_track" in "\n".join(
                instance.build_config()
            )
    return decided


def sources() -> dict[str, object]:
    """Code that only a whole agent or server could run, as the pinned release writes it."""
    from neutron.agent.l3 import agent, ha_router
    from neutron.db import l3_hamode_db
    from neutron.scheduler import l3_agent_scheduler
    from neutron_lib.exceptions import l3_ext_ha_mode

    return {
        "L3NATAgent.stop": inspect.getsource(agent.L3NATAgent.stop),
        "L3NATAgentWithStateReport.after_start": inspect.getsource(
            agent.L3NATAgentWithStateReport.after_start
        ),
        "L3NATAgent._process_router_update": inspect.getsource(agent.L3NATAgent._process_router_update),
        "L3NATAgent._process_router_if_compatible": inspect.getsource(
            agent.L3NATAgent._process_router_if_compatible
        ),
        "L3NATAgent._process_added_router": inspect.getsource(agent.L3NATAgent._process_added_router),
        "L3NATAgent._process_updated_router": inspect.getsource(agent.L3NATAgent._process_updated_router),
        "HaRouter.delete": inspect.getsource(ha_router.HaRouter.delete),
        "_get_vr_id": inspect.getsource(l3_hamode_db.L3_HA_NAT_db_mixin._get_vr_id),
        "VR_ID_RANGE": sorted(l3_hamode_db.VR_ID_RANGE),
        "_after_router_create": inspect.getsource(l3_hamode_db.L3_HA_NAT_db_mixin._after_router_create),
        "NoVRIDAvailable": l3_ext_ha_mode.NoVRIDAvailable.message,
        "_get_underscheduled_routers": inspect.getsource(
            l3_agent_scheduler.L3Scheduler._get_underscheduled_routers
        ),
        "AZLeastRoutersScheduler._get_candidates": inspect.getsource(
            l3_agent_scheduler.AZLeastRoutersScheduler._get_candidates
        ),
    }


def agents_for_scheduling(cases: list[list[int]]) -> dict[str, int]:
    """(max_l3_agents_per_router, live L3 agents) -> how many agents the server schedules an HA
    router on. Only the agent listing is supplied: the server's own method decides."""
    from neutron.conf.db import l3_hamode_db as options
    from neutron.db import l3_hamode_db
    from oslo_config import cfg

    options.register_db_l3_hamode_opts()
    mixin = object.__new__(l3_hamode_db.L3_HA_NAT_db_mixin)
    decided = {}
    for maximum, live in cases:
        cfg.CONF.set_override("max_l3_agents_per_router", maximum)
        mixin.get_l3_agents = lambda context, active, filters, live=live: [{"id": n} for n in range(live)]
        decided[f"{maximum}/{live}"] = mixin.get_number_of_agents_for_scheduling(None)
    cfg.CONF.clear_override("max_l3_agents_per_router")
    return decided


def zones_chosen(agents: list[list[str]], maximum: int) -> dict[str, list[str]]:
    """Scheduler -> the zones of the agents it picks for one HA router, among agents listed as
    [id, zone] in the order of their number of routers (the plugin's query, supplied here)."""
    from neutron.conf.db import l3_hamode_db as options
    from neutron.scheduler import l3_agent_scheduler
    from oslo_config import cfg

    options.register_db_l3_hamode_opts()
    cfg.CONF.set_override("max_l3_agents_per_router", maximum)
    candidates = [{"id": agent_id, "availability_zone": zone} for agent_id, zone in agents]

    class Plugin:
        @staticmethod
        def get_l3_agents_ordered_by_num_routers(context, agent_ids):
            return [agent for agent in candidates if agent["id"] in agent_ids]

    chosen = {}
    for name in ("LeastRoutersScheduler", "AZLeastRoutersScheduler"):
        scheduler = getattr(l3_agent_scheduler, name)()
        picked = scheduler._choose_router_agents_for_ha(Plugin(), None, candidates)
        chosen[name] = [agent["availability_zone"] for agent in picked]
    cfg.CONF.clear_override("max_l3_agents_per_router")
    return chosen


def main(request: dict[str, list[str]]) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as conf_dir:
        return {
            "health_check": health_check(conf_dir),
            "primary_vips": primary_vips(request["ha_cidrs"]),
            "l3_ha_net_cidr_accepted": l3_ha_net_cidr_accepted(request["l3_ha_net_cidrs"]),
            "sources": sources(),
            "no_track": no_track(request["keepalived_versions"]),
            "agents_for_scheduling": agents_for_scheduling(request["agent_counts"]),
            "zones_chosen": zones_chosen(request["zoned_agents"], 2),
        }


if __name__ == "__main__":
    json.dump(main(json.loads(sys.argv[1])), sys.stdout)
