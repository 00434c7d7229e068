"""Every runnable console example of the manual, run on its lab host and compared (see conftest.py)."""

from __future__ import annotations

import pytest

from l3ha_guide.console.session import ExampleFailed

pytestmark = pytest.mark.lab


def test_console_example(console_case, console_session) -> None:
    if console_case.example is None:
        pytest.fail(console_case.error, pytrace=False)
    try:
        if console_case.example.skip:
            console_session.perform_lab_action(console_case.example)
        else:
            console_session.run_example(console_case.example, console_case.host)
    except ExampleFailed as failure:
        pytest.fail(str(failure), pytrace=False)
