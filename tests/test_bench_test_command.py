"""`l3ha-guide bench tests` reads where the time went from tox's report and pytest's folders."""

from __future__ import annotations

from l3ha_guide.bench.test_command import figures_of

TOX_OUTPUT = """\
================= 341 passed, 3 warnings in 1015.96s (0:16:55) =================
  lint: OK (4.55=setup[4.47]+cmd[0.04,0.04] seconds)
  tests: OK (1113.84=setup[96.57]+cmd[1017.27] seconds)
  congratulations :) (1118.62 seconds)
"""


def test_tox_environments_and_test_folders_become_figures() -> None:
    figures = figures_of(TOX_OUTPUT, {"tests/lab": 120.5, "tests": 30.0})
    assert figures == {
        "tox lint: setup_s": 4.47,
        "tox lint: commands_s": 0.08,
        "tox tests: setup_s": 96.57,
        "tox tests: commands_s": 1017.27,
        "pytest tests/lab_s": 120.5,
        "pytest tests_s": 30.0,
    }


def test_a_failed_environment_is_not_counted() -> None:
    assert figures_of("  tests: FAIL code 1 (12.00=setup[2.00]+cmd[10.00] seconds)\n", {}) == {}
