"""What the pages say Neutron's code does, checked by running the pinned release's own code.

The tests environment installs neutron 29.0.0 (the lab's pin), so these claims
are decided by calling the functions that make the decision, not by reading
about them; `neutron_probe.py` calls them in a child process (neutron
monkey-patches whatever process imports it). Each claim names the page words it
checks: a page that no longer says them fails, so a rewritten claim gets its
check rewritten too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.config.schema import release_schema

HA_CIDRS = ["169.254.192.0/18", "169.254.0.0/24", "169.254.0.0/16"]
L3_HA_NET_CIDRS = ["10.20.0.0/24", "169.254.192.0/18", "10.20.0.1/24", "10.20.0.0", "x"]
# (max_l3_agents_per_router, live L3 agents): this guide's two nodes, a bigger cloud, and 0 (every agent).
AGENT_COUNTS = [[3, 2], [3, 5], [0, 2], [0, 5]]
# Two agents in one zone with the fewest routers, one in another zone.
ZONED_AGENTS = [["a1", "az1"], ["a2", "az1"], ["b1", "az2"]]


# The keepalived release from which the page says the L3 agent writes `no_track`, and the one before.
NO_TRACK_SINCE = re.search(
    r"only for keepalived\s+(\d+)\.(\d+)\.(\d+) or later",
    (PROJECT_ROOT / "source" / "prerequisites.md").read_text(encoding="utf-8"),
)
KEEPALIVED_VERSIONS = (
    [
        ".".join(NO_TRACK_SINCE.groups()),
        f"{NO_TRACK_SINCE[1]}.{NO_TRACK_SINCE[2]}.{int(NO_TRACK_SINCE[3]) - 1}",
    ]
    if NO_TRACK_SINCE
    else []
)


@pytest.fixture(scope="module")
def neutron() -> dict:
    request = json.dumps(
        {
            "ha_cidrs": HA_CIDRS,
            "l3_ha_net_cidrs": L3_HA_NET_CIDRS,
            "keepalived_versions": KEEPALIVED_VERSIONS,
            "agent_counts": AGENT_COUNTS,
            "zoned_agents": ZONED_AGENTS,
        }
    )
    probe = Path(__file__).with_name("neutron_probe.py")
    result = subprocess.run(
        [sys.executable, str(probe), request], capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"{probe.name} failed:\n{result.stderr[-2000:]}", pytrace=False)
    return json.loads(result.stdout)


def page_says(page: str, words: str) -> None:
    text = " ".join((PROJECT_ROOT / "source" / page).read_text(encoding="utf-8").split())
    assert " ".join(words.split()) in text, f"source/{page} no longer says {words!r}: update this test"


def test_the_health_check_looks_for_the_first_address_added_and_the_file_lists_them_sorted(
    neutron: dict,
) -> None:
    page_says("failover.md", "the address that the L3 agent added first to the router's VRRP instance")
    page_says(
        "failover.md",
        "That is not always the first address of `keepalived.conf`, which lists the addresses sorted.",
    )
    check = neutron["health_check"]
    assert check["listed"] == sorted(check["added"]) != check["added"]
    first = check["added"][0].split("/")[0]
    assert check["script"][1] == f"ip a | grep {first} || exit 0"


def test_the_vrrp_virtual_addresses_come_from_the_first_free_24_of_the_link_local_range(
    neutron: dict,
) -> None:
    page_says(
        "configuration.md",
        "takes the VRRP virtual addresses (`169.254.0.<VRID>` with the default) from the first /24 of "
        "169.254.0.0/16 outside `l3_ha_net_cidr`, the metadata address 169.254.169.254 and the DVR range "
        "169.254.64.0/18. Whatever you choose must leave such a /24 free (all of 169.254.0.0/16 does not)",
    )
    page_says("packet-flow.md", "link-local address `169.254.0.<VRID>/24`")
    vips = neutron["primary_vips"]
    assert vips["169.254.192.0/18"] == "169.254.0.91/24"
    assert vips["169.254.0.0/24"] == "169.254.1.91/24"
    assert vips["169.254.0.0/16"].startswith("ValueError: Network of size 24")
    assert "169.254.169.254/32" in vips["169.254.0.0/16"] and "169.254.64.0/18" in vips["169.254.0.0/16"]


def test_the_server_only_checks_that_l3_ha_net_cidr_is_a_valid_cidr(neutron: dict) -> None:
    page_says(
        "configuration.md",
        "Neutron only checks that it is a valid CIDR (a network address with its prefix length).",
    )
    assert neutron["l3_ha_net_cidr_accepted"] == {
        "10.20.0.0/24": True,  # not link-local, still accepted
        "169.254.192.0/18": True,
        "10.20.0.1/24": False,  # a host address
        "10.20.0.0": False,  # no prefix length
        "x": False,
    }


def test_a_stopped_agent_deletes_its_routers_only_with_cleanup_on_shutdown(neutron: dict) -> None:
    """Running an L3 agent's stop() needs a whole agent; its code is read instead (the installed pin)."""
    page_says(
        "overview.md", "With `cleanup_on_shutdown = True`, an L3 agent that is stopped deletes its routers"
    )
    stop, delete = neutron["sources"]["L3NATAgent.stop"], neutron["sources"]["HaRouter.delete"]
    assert "if self.conf.cleanup_on_shutdown:" in stop and "router.delete()" in stop
    assert "self.disable_keepalived(" in delete and "self.destroy_state_change_monitor(" in delete


def test_a_restarted_l3_agent_compares_ha_states_only_for_routers_it_has_taken_over(neutron: dict) -> None:
    """What the troubleshooting page's dead-agent steps rely on, and what the lab waits for
    (console.agents.start_again) before the page updates the router."""
    from l3ha_guide.console.agents import ROUTER_PROCESSED

    logged = ROUTER_PROCESSED.partition(" {")[0]  # the line's words before the router's ID
    page_says("troubleshooting.md", "The agent reports alive before it synchronizes its routers")
    page_says(
        "troubleshooting.md",
        "an update that reaches it sooner is handled as a new router, without the comparison",
    )
    page_says("troubleshooting.md", f"`{logged}` the router's ID")
    code = neutron["sources"]
    # The first full sync is a periodic task, run after the start; the first report is not.
    after_start = code["L3NATAgentWithStateReport.after_start"]
    assert "self._report_state()" in after_start and "sync_routers" not in after_start
    if_compatible = code["L3NATAgent._process_router_if_compatible"]
    added, updated = (
        if_compatible.index("_process_added_router("),
        if_compatible.index("_process_updated_router("),
    )
    assert if_compatible.index("if router['id'] not in self.router_info:") < added < updated
    assert "check_ha_state_for_router" not in code["L3NATAgent._process_added_router"]
    assert "self.check_ha_state_for_router(" in code["L3NATAgent._process_updated_router"]
    assert f'LOG.info("{logged} %s, update_id' in code["L3NATAgent._process_router_update"]


def test_each_ha_router_gets_a_random_free_vrid(neutron: dict) -> None:
    page_says("changes-since-liberty.md", "each HA router gets a random VRRP router ID instead of `1`")
    page_says("packet-flow.md", "Neutron 29.0.0 picks a random free VRID for each router")
    assert neutron["sources"]["VR_ID_RANGE"] == list(range(1, 255))
    allocate = neutron["sources"]["_get_vr_id"]
    assert "VR_ID_RANGE - allocated_vr_ids" in allocate and "SystemRandom().choice(" in allocate


def test_no_track_is_written_only_from_the_keepalived_release_the_page_names(neutron: dict) -> None:
    assert NO_TRACK_SINCE, (
        "source/prerequisites.md no longer says from which keepalived `no_track` is written"
    )
    since, before = KEEPALIVED_VERSIONS
    assert neutron["no_track"] == {since: True, before: False}
    page_says(
        "prerequisites.md", "The option `keepalived_use_no_track`, which once decided this, no longer exists"
    )
    assert release_schema().files_with("keepalived_use_no_track") == []


def test_the_state_change_helper_is_a_shell_script_with_these_tools() -> None:
    """The pinned release's own helper, as installed in the tests environment."""
    helper = shutil.which("neutron-keepalived-state-change", path=str(Path(sys.executable).parent))
    assert helper, "neutron 29.0.0 installed no neutron-keepalived-state-change"
    script = Path(helper).read_text(encoding="utf-8")
    page_says(
        "prerequisites.md", "`neutron-keepalived-state-change` is a `/bin/sh` script instead of a Python"
    )
    assert script.startswith("#!/bin/sh\n")
    page = " ".join((PROJECT_ROOT / "source" / "prerequisites.md").read_text(encoding="utf-8").split())
    for tool, evidence in {
        "ip": r"ip -o monitor address",
        "mkfifo": r"\bmkfifo ",
        "awk": r"\| awk '",
        "curl": r"(?s)\bcurl\b.{0,300}--unix-socket",  # one command, continued over lines
    }.items():
        assert f"`{tool}`" in page, f"source/prerequisites.md no longer names `{tool}`"
        assert re.search(evidence, script), f"the helper no longer runs {tool} ({evidence})"
    page_says("prerequisites.md", "(`ip -o monitor address`)")
    assert '"${STATE_PATH}/keepalived-state-change"' in script
    page_says("prerequisites.md", "(`keepalived-state-change` in the agent's `state_path`)")


def test_the_removed_state_change_server_option_is_unknown_to_the_release() -> None:
    page_says("prerequisites.md", "`l3ha-guide validate` reports it as an unknown option")
    assert release_schema().files_with("ha_keepalived_state_change_server_threads") == []


def test_max_l3_agents_per_router_is_a_maximum_and_0_means_every_agent(neutron: dict) -> None:
    page_says(
        "prerequisites.md",
        "The server schedules each new HA router on that many live L3 agents, or on all of them when "
        "fewer are alive",
    )
    page_says("prerequisites.md", "`0` means every live L3 agent.")
    assert neutron["agents_for_scheduling"] == {"3/2": 2, "3/5": 3, "0/2": 2, "0/5": 5}


def test_a_starting_agent_takes_the_ha_routers_that_have_fewer_agents_than_the_maximum(neutron: dict) -> None:
    page_says(
        "prerequisites.md",
        "when an L3 agent starts and asks for its routers, the server also schedules on it every HA "
        "router that has fewer agents than the maximum",
    )
    underscheduled = neutron["sources"]["_get_underscheduled_routers"]
    assert "ha=True, less_than=max_agents_for_ha" in underscheduled
    assert "if count < max_agents_for_ha:" in underscheduled


def test_the_255th_ha_router_of_a_project_is_created_in_error(neutron: dict) -> None:
    page_says("prerequisites.md", "VRRP router ID (VRID) from 1 to 254")
    page_says("prerequisites.md", "is created, but without a VRID its status is `ERROR`")
    assert neutron["sources"]["VR_ID_RANGE"] == list(range(1, 255))
    assert "The limit of number of HA Routers per project is 254." in neutron["sources"]["NoVRIDAvailable"]
    created = neutron["sources"]["_after_router_create"]
    assert "isinstance(e, l3ha_exc.NoVRIDAvailable)" in created and "ctx.reraise = False" in created
    assert "{'status': constants.ERROR}" in created
    page_says("prerequisites.md", "(the server logs `No more VRIDs for router`)")
    assert 'LOG.warning("No more VRIDs for router: %s", e)' in created


def test_only_the_zone_aware_scheduler_spreads_a_router_over_the_hinted_zones(neutron: dict) -> None:
    page_says(
        "prerequisites.md",
        "takes only the agents of the zones the router names, and picks them from each zone in turn",
    )
    assert neutron["zones_chosen"] == {
        "LeastRoutersScheduler": ["az1", "az1"],
        "AZLeastRoutersScheduler": ["az1", "az2"],
    }
    candidates = neutron["sources"]["AZLeastRoutersScheduler._get_candidates"]
    assert "if not az_hints or agent['availability_zone'] in az_hints:" in candidates


# keystone 30.0.0 hashing a password with its own defaults: the algorithm and the hash's prefix.
KEYSTONE_HASH_PROBE = """
import keystone.conf
from keystone.common import password_hashing
keystone.conf.configure(keystone.conf.CONF)
keystone.conf.CONF([], project="keystone", default_config_files=[])
print(keystone.conf.CONF.identity.password_hash_algorithm, password_hashing.hash_password("x")[:7])
"""


def test_keystone_hashes_with_bcrypt_at_the_cost_the_lab_page_gives_when_the_option_is_unset() -> None:
    from l3ha_guide.lab.keystone import PASSWORD_HASH_ROUNDS

    result = subprocess.run(
        [sys.executable, "-c", KEYSTONE_HASH_PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    algorithm, prefix = result.stdout.split()
    rounds = int(prefix.split("$")[2])
    assert algorithm == "bcrypt" and rounds > PASSWORD_HASH_ROUNDS
    page_says("lab.md", f"(Keystone uses {rounds} rounds for bcrypt when the option is unset)")
    page_says("lab.md", f"at {rounds} rounds each sign-in cost Keystone")


# keystone 30.0.0's [cache] with its own defaults, and what oslo.cache says of the lab's backend.
KEYSTONE_CACHE_PROBE = """
import keystone.conf
from oslo_cache import _opts
keystone.conf.configure(keystone.conf.CONF)
keystone.conf.set_config_defaults()
keystone.conf.CONF([], project="keystone", default_config_files=[])
backend = next(o for o in dict(_opts.list_opts())["cache"] if o.name == "backend")
print(keystone.conf.CONF.cache.enabled, keystone.conf.CONF.cache.backend, " ".join(backend.help.split()))
"""


def test_keystone_caches_nothing_unless_a_backend_is_set_and_the_lab_sets_the_single_server_one() -> None:
    from l3ha_guide.lab.keystone import CACHE_BACKEND

    result = subprocess.run(
        [sys.executable, "-c", KEYSTONE_CACHE_PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    enabled, default_backend, help_text = result.stdout.strip().split(" ", 2)
    # Enabled by Keystone, so the backend alone decides; the default one is a no-op.
    assert enabled == "True" and default_backend == "dogpile.cache.null"
    assert f"with a single instance of the server can use the {CACHE_BACKEND} backend" in help_text
    assert "oslo_cache.memcache_pool" in help_text
    page_says("lab.md", f"`[cache] backend = {CACHE_BACKEND}` (oslo.cache's default backend,")
    page_says("lab.md", f"`{default_backend}`, caches nothing)")
