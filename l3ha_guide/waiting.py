"""One way to wait: poll a condition until it holds, or fail with what was last seen.

    states = wait_until(lambda: active_standby(router), timeout=90, interval=0.5,
                        failure=lambda: f"{router}: no active/standby pair (states: {last})")

`predicate` returns a true value when done (returned to the caller) or a false
one to go on polling; `failure` builds the message of the UserError raised when
the time is up, called only then, so it can report the last state seen. After
neutron fullstack's `wait_until_true`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from l3ha_guide.errors import UserError

T = TypeVar("T")


class WaitTimeout(UserError):
    """The condition did not hold in time."""


def wait_until(
    predicate: Callable[[], T | None],
    *,
    timeout: float,
    interval: float = 0.5,
    failure: Callable[[], str] | str = "condition not met",
) -> T:
    deadline = time.monotonic() + timeout
    while True:
        outcome = predicate()
        if outcome:
            return outcome
        if time.monotonic() >= deadline:
            raise WaitTimeout(failure() if callable(failure) else failure)
        time.sleep(min(interval, max(deadline - time.monotonic(), 0)))
