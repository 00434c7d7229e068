"""Every runnable console example of the manual, run on its lab host and compared (see conftest.py)."""

from __future__ import annotations

import pytest
from console_cases import prerequisites

from l3ha_guide.console.session import ExampleFailed

pytestmark = pytest.mark.lab


def test_console_example(console_case, console_session) -> None:
    if console_case.example is None:
        pytest.fail(console_case.error, pytrace=False)
    try:
        for earlier in [*prerequisites(console_case), console_case]:
            console_session.run_once(earlier.example, earlier.host)
    except ExampleFailed as failure:
        pytest.fail(str(failure), pytrace=False)
