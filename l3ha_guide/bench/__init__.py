"""`l3ha-guide bench`: measure the build, the validation, the lab and the failover, side by side.

Each section runs several times and reports minimum, median and maximum; the
results go to source/_data/benchmarks.json and a plot beside it, which the
manual's Benchmarks page shows. Timings live here, never in timed tests.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import time

from l3ha_guide.bench import report
from l3ha_guide.errors import UserError
from l3ha_guide.extras import require

# section name → ("module:function" returning a dict of figures, extras it needs);
# imported lazily so that a section's heavy dependencies load only when it runs.
SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "docs": ("l3ha_guide.bench.docs_build:measure", ()),
    "config": ("l3ha_guide.config.benchmark:measure", ()),
    "hosts": ("l3ha_guide.bench.lab:measure_host_cycles", ()),
    "lab": ("l3ha_guide.bench.lab:measure", ("lab",)),
    "failover": ("l3ha_guide.bench.lab:measure_failovers", ("lab",)),
    "tuning": ("l3ha_guide.bench.tuning:measure", ("lab",)),
    "connections": ("l3ha_guide.bench.connections:measure", ("lab",)),
    "preview": ("l3ha_guide.bench.preview:measure", ("preview",)),
    "pdf": ("l3ha_guide.bench.pdf_build:measure", ("pdf",)),
    "tests": ("l3ha_guide.bench.test_command:measure", ()),
}


def run_sections(names: list[str], runs: int | None = None) -> dict[str, dict]:
    """Each section's figures; `runs` overrides every section's own number of runs."""
    unknown = [name for name in names if name not in SECTIONS]
    if unknown:
        raise UserError(f"unknown benchmark section {unknown[0]!r}; choose from {', '.join(SECTIONS)}")
    # Every extra first, so that a missing one fails before an hour of measuring, not after.
    extras = {"bench", *(extra for name in names for extra in SECTIONS[name][1])}
    for extra in sorted(extras):
        require(extra, f"l3ha-guide bench {' '.join(names)}")
    if "lab" in extras or "hosts" in names:
        from l3ha_guide.system import install

        install(["lab"])  # the lab's Debian packages, as `lab up` installs them
    results = {}
    for name in names:
        module_name, function_name = SECTIONS[name][0].split(":")
        began = time.monotonic()
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        function = getattr(importlib.import_module(module_name), function_name)
        results[name] = function(runs=runs) if runs else function()
        print(f"bench: {name} done in {time.monotonic() - began:.1f} s", file=sys.stderr, flush=True)
    return results


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # unwinds through the sections' `finally`, which take their lab down


def _bench_command(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    names = args.sections or [name for name in SECTIONS if name != "tests"]
    results = run_sections(names, args.runs)
    report.write(results)
    print(f"wrote {report.RESULTS_JSON} and {report.RESULTS_PLOT}")
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sections",
        nargs="*",
        metavar="SECTION",
        help=f"some of {', '.join(SECTIONS)} (default: all but 'tests', which runs the whole suite)",
    )
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per figure (default: each section's own: 3; tests 1)"
    )
    parser.set_defaults(func=_bench_command)
