"""Debian's chromium, headless, driven by Playwright: never a browser download.

The flags keep Chromium from reaching out on its own (background networking,
component updates, sync), which this machine's closed network would refuse.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from l3ha_guide.errors import UserError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@contextmanager
def launch_chromium() -> Iterator[object]:
    """A Playwright Browser running Debian's chromium; closed on exit."""
    if not shutil.which(CHROMIUM):
        raise UserError(f"{CHROMIUM} is missing: run `l3ha-guide system install docs` as root")
    from playwright.sync_api import sync_playwright  # imported late: only browser tests need it

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()
