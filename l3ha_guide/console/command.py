"""`l3ha-guide console`: extract the manual's console examples, and summarise the last lab run.

    l3ha-guide console extract   # build/console/manifest.json, with a count per page
    l3ha-guide console status    # each example's status from build/console/results.json

The examples themselves run as tests: `pytest tests/console` (as root; the
embedded lab, or a real one through L3HA_LAB_HOSTS=NAME=URL,...).
"""

from __future__ import annotations

import argparse
from collections import Counter

from l3ha_guide.console import examples, results
from l3ha_guide.console.status import example_status
from l3ha_guide.progress import Progress


def _extract(args: argparse.Namespace) -> int:
    with Progress("console").phase("extract the console examples"):
        found = examples.extract()
    pages = Counter(example.page for example in found.console)
    for page, count in pages.items():
        skipped = sum(1 for example in found.console if example.page == page and example.skip)
        print(f"{page}: {count} console examples ({skipped} not runnable)")
    print(
        f"{len(found.console)} console examples, {len(found.config)} config blocks: {examples.MANIFEST_PATH}"
    )
    return 0


def _status(args: argparse.Namespace) -> int:
    found = examples.load()
    outcomes = results.load()
    counts: Counter[str] = Counter()
    for example in found.console:
        category, text = example_status(
            {**vars(example), "commands": [vars(command) for command in example.commands]}, outcomes
        )
        counts[category] += 1
        print(f"{example.id}: {text}")
    executed = counts["verified"] + counts["failed"]
    total = len(found.console)
    print(
        f"{executed} of {total} executed ({executed / total:.0%}): "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("extract", help="write build/console/manifest.json").set_defaults(func=_extract)
    actions.add_parser("status", help="each example's status in the last lab run").set_defaults(func=_status)
