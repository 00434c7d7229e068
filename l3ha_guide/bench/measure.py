"""Repeated timings summarised as minimum, median and maximum."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def summarise(samples: list[float]) -> dict[str, float | int]:
    return {
        "runs": len(samples),
        "min": round(min(samples), 3),
        "median": round(statistics.median(samples), 3),
        "max": round(max(samples), 3),
    }


def time_runs(
    action: Callable[[], object], runs: int, prepare: Callable[[], object] | None = None
) -> list[float]:
    """Seconds for each of `runs` calls of `action`; `prepare` runs untimed before each."""
    samples = []
    for _ in range(runs):
        if prepare:
            prepare()
        began = time.perf_counter()
        action()
        samples.append(time.perf_counter() - began)
    return samples
