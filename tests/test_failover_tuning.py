"""The failover page's tuning figures: the bench's `tuning` section shown as tables and a plot."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx_page import build_page

from l3ha_guide.bench.tuning import ADVERT_INTERVALS, FRAME, MODES, SECTION, figure_name, vrrp_bound

# A line of `tcpdump -l -n -e -i ha-… vrrp` as keepalived's advertisements show in it.
ADVERTISEMENT = (
    "fa:16:3e:5d:1c:0a > 01:00:5e:00:00:12, ethertype IPv4 (0x0800), length 54: 169.254.192.66 > "
    "224.0.0.18: VRRPv2, Advertisement, vrid 1, prio 50, authtype none, intvl 2s, length 20"
)


def summary(median: float) -> dict[str, float]:
    return {"runs": 5, "min": round(median * 0.8, 3), "median": median, "max": round(median * 1.25, 3)}


def tuning_section() -> dict[str, object]:
    section: dict[str, object] = {"date": "2026-12-04 16:00 UTC", "versions": {"Neutron": "29.0.0"}}
    for n in ADVERT_INTERVALS:
        section[figure_name(n, "vrrp_master_down_interval_s")] = vrrp_bound(n)
        section[figure_name(n, "advertisements_per_s")] = 1 / n
        section[figure_name(n, "advertisement_bytes_per_s")] = 54 / n
        section[figure_name(n, "state_changes_while_idle")] = 0
        for mode in MODES:
            for figure, median in (("promotion_s", 3.0 * n + 0.5), ("floating_ip_outage_s", 3.0 * n + 0.7)):
                section[figure_name(n, f"{mode}: {figure}")] = summary(median)
    return section


def test_the_vrrp_bound_is_three_intervals_and_the_skew_of_priority_50() -> None:
    skew = (256 - 50) / 256
    assert [vrrp_bound(n) for n in (1, 2, 5)] == [round(3 * n + skew, 3) for n in (1, 2, 5)]


def test_an_advertisement_line_gives_its_frame_length() -> None:
    match = FRAME.search(ADVERTISEMENT)
    assert match and int(match.group(1)) == 54
    assert FRAME.search(ADVERTISEMENT.replace("VRRPv2", "IGMP")) is None


def test_the_tuning_figures_and_without(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "_data").mkdir(parents=True)
    data = source / "_data" / "benchmarks.json"

    def build() -> str:
        return build_page(source, "# Failover\n\n```{failover-tuning} _data/benchmarks.json\n```\n")

    assert "No tuning figures yet" in build()
    data.write_text(json.dumps({"sections": {"failover": {}}}), encoding="utf-8")
    assert "No tuning figures yet" in build()

    data.write_text(json.dumps({"sections": {SECTION: tuning_section()}}), encoding="utf-8")
    page = build()
    assert "No tuning figures yet" not in page
    assert "on 2026-12-04 16:00 UTC with Neutron 29.0.0; 5 failovers" in page
    for n in ADVERT_INTERVALS:
        assert f"{vrrp_bound(n):.1f} s" in page
        crash = summary(3.0 * n + 0.5)
        assert f"{crash['median']:.1f} s ({crash['min']:.1f}–{crash['max']:.1f})" in page
        assert f"{54 / n:.0f}" in page
    # one bar per interval and kind of failure; the VRRP bound on each crash's
    assert page.count('height="14" fill=') == len(ADVERT_INTERVALS) * len(MODES)
    assert page.count('stroke-dasharray="3"') == len(ADVERT_INTERVALS)


def test_the_intervals_are_shorter_than_the_releases_default_the_default_and_longer() -> None:
    # The failover and Benchmarks pages describe the intervals this way instead of listing them.
    from l3ha_guide.config.claims import Claim, release_value

    default = int(release_value(Claim("default", "l3_agent.ini", "ha_vrrp_advert_int", "")))
    assert min(ADVERT_INTERVALS) < default < max(ADVERT_INTERVALS) and default in ADVERT_INTERVALS
