"""Benchmark results: one JSON file and one plot, both shown on the manual's Benchmarks page."""

from __future__ import annotations

import datetime
import json
import os
import platform
from importlib import metadata
from pathlib import Path

from l3ha_guide import PROJECT_ROOT

RESULTS_JSON = PROJECT_ROOT / "source" / "_data" / "benchmarks.json"
RESULTS_PLOT = PROJECT_ROOT / "source" / "_data" / "benchmarks.svg"


def machine() -> dict[str, object]:
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    versions = {}
    for package in ("sphinx", "myst-parser", "oslo.config", "neutron"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "versions": versions,
    }


def timings(section: dict[str, object]) -> dict[str, dict]:
    """The entries of a section that are min/median/max summaries."""
    return {name: value for name, value in section.items() if isinstance(value, dict) and "median" in value}


def write(results: dict[str, dict], json_path: Path = RESULTS_JSON, plot_path: Path = RESULTS_PLOT) -> None:
    """Merge new sections into the JSON file (other sections keep their last figures) and re-plot."""
    previous = json.loads(json_path.read_text()) if json_path.exists() else {"sections": {}}
    previous["sections"].update(results)
    previous["machine"] = machine()
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(previous, indent=2, sort_keys=True) + "\n")
    plot(previous["sections"], plot_path)


def plot(sections: dict[str, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [
        (f"{section}: {name}", value)
        for section, data in sections.items()
        for name, value in timings(data).items()
    ]
    figure, axes = plt.subplots(figsize=(9, 0.45 * len(rows) + 1.2))
    labels = [label for label, _ in rows]
    medians = [value["median"] for _, value in rows]
    errors = [
        [value["median"] - value["min"] for _, value in rows],
        [value["max"] - value["median"] for _, value in rows],
    ]
    axes.barh(labels, medians, xerr=errors, color="#4c72b0", capsize=3)
    axes.invert_yaxis()
    axes.set_xscale("log")
    axes.set_xlabel("seconds (median; whiskers: min to max)")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="svg", metadata={"Date": None})
    plt.close(figure)
