"""The bench's failover runs: each restored, each timeline kept, and the silences that explain an outlier."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from l3ha_guide.bench import lab as bench_lab
from l3ha_guide.lab.failover import silences


def test_one_silence_is_the_outage_and_two_mean_an_answer_in_between() -> None:
    steady = [(-0.2, 1), (-0.1, 2), (0.0, 3)]
    assert silences([*steady, (0.9, 12), (1.0, 13)], 0.1) == [(0.0, 0.9)]
    # The 6.3 s kind of outlier: the address answered once in the middle of a 12 s promotion.
    split = [*steady, (6.3, 66), (12.1, 124), (12.2, 125)]
    assert silences(split, 0.1) == [(0.0, 6.3), (6.3, 5.8)]
    assert silences(steady, 0.1) == []


def test_every_run_is_restored_after_its_timeline_is_kept(monkeypatch, tmp_path) -> None:
    timelines = tmp_path / "failover-runs.json"
    monkeypatch.setattr(bench_lab, "TIMELINES", timelines)
    monkeypatch.setattr(bench_lab, "_timelines", [])
    measured, restored = [], []

    def measure_failover(lab, mode):
        measured.append(mode)
        outage = 0.8 + len(measured) / 10
        replies = [(-0.1, 1), (outage, 2)]
        return SimpleNamespace(promotion_seconds=0.7, outage_seconds=outage, advert_int=2, replies=replies)

    def restore(lab, result):
        kept = json.loads(timelines.read_text()) if timelines.exists() else []
        assert len(kept) == len(restored) + 1, "the run's timeline is kept before the restore"
        restored.append(result)

    monkeypatch.setattr(bench_lab, "measure_failover", measure_failover)
    monkeypatch.setattr(bench_lab, "restore", restore)
    promotion, outage, advert_int = bench_lab.failover_runs(object(), "crash", 3, "tuning, advert_int 2 s")
    assert measured == ["crash"] * 3 and len(restored) == 3
    assert promotion == [0.7] * 3 and outage == [0.9, 1.0, 1.1] and advert_int == 2
    kept = json.loads(timelines.read_text())
    assert [run["outage_s"] for run in kept] == outage
    assert kept[0]["section"] == "tuning, advert_int 2 s" and kept[0]["silences"] == [[-0.1, 1.0]]


def test_the_outage_is_the_longest_gap_that_ends_after_the_failure() -> None:
    from l3ha_guide.lab.failover import _longest_gap_after

    stamps = [9.0, 10.0, 10.1, 11.0, 11.1]  # a 1 s gap before the failure at 10.05 does not count
    assert _longest_gap_after(stamps, 10.05) == pytest.approx(0.9)
    assert _longest_gap_after([9.0, 9.1], 10.05) is None  # no reply after the failure
    assert _longest_gap_after([10.5, 11.0], 10.05) is None  # no reply before it
