"""Every runnable console example of the manual, run on its lab host and compared (see conftest.py)."""

from __future__ import annotations

import pytest
from console_cases import prerequisites

from l3ha_guide.console.session import ExampleFailed, LeftOut

pytestmark = pytest.mark.lab


def test_console_example(console_case, console_session) -> None:
    if console_case.example is None:
        pytest.fail(console_case.error, pytrace=False)
    try:
        for earlier in prerequisites(console_case):
            try:
                console_session.run_once(earlier.example, earlier.host)
            except LeftOut:
                continue  # a read-only run: what it builds on is already there, or the example says why not
        console_session.run_once(console_case.example, console_case.host)
    except ExampleFailed as failure:
        pytest.fail(str(failure), pytrace=False)
    except LeftOut as left_out:
        pytest.skip(str(left_out))
