"""The lab for a test session: reuse a running one, or build it once and remove it at the end.

A lab the developer started (`l3ha-guide lab up`) is reused and left up. A lab
this session builds is torn down when the session ends, on failure and on
Ctrl-C too. Without root the lab tests skip, except in CI (CI=true), where a
lab that cannot run is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from l3ha_guide.errors import UserError
from l3ha_guide.lab.lab import Lab
from l3ha_guide.lab.state import LabState


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable_reason() -> str | None:
    """Why the embedded lab cannot run here, or None if it can."""
    if os.geteuid() != 0:
        return "the embedded lab needs root (Linux namespaces and mounts); run the tests as root"
    missing = [tool for tool in ("unshare", "nsenter", "ip") if shutil.which(tool) is None]
    if missing:
        return f"the embedded lab needs {', '.join(missing)} (util-linux, iproute2)"
    return None


@contextmanager
def running_lab(*, hosts_only: bool = False) -> Iterator[Lab]:
    from l3ha_guide.system import install

    install(["lab"])
    lab = Lab.load()
    try:
        built_here = lab.up(hosts_only=hosts_only)
    except BaseException:
        lab.down()  # never leave a half-built lab behind a failed session
        raise
    try:
        yield lab
    finally:
        if built_here:
            lab.down()


def claim_for_examples(state: LabState, run: str | None = None) -> None:
    """Record that this test session runs the manual's examples on the lab; refuse a lab whose
    examples ran in an earlier session. Their objects stay on the embedded lab (console.created), so
    every example that creates one would fail there. `lab down` forgets the claim."""
    run = run or os.environ.get("PYTEST_XDIST_TESTRUNUID") or str(os.getpid())
    earlier = state.load().get("examples_run")
    if earlier and earlier != run:
        raise UserError(
            f"the running lab (state in {state.root}) ran the manual's examples in an earlier test "
            "session and holds their networks, router and instance: run `l3ha-guide lab down` first "
            "(the session then brings up a fresh lab)"
        )
    state.update(examples_run=run)
