"""The manual's objects stay on the embedded lab: a second session of examples on it stops first."""

from __future__ import annotations

from pathlib import Path

import pytest

from l3ha_guide.errors import UserError
from l3ha_guide.lab.fixture import claim_for_examples
from l3ha_guide.lab.state import LabState


def test_a_lab_whose_examples_ran_in_an_earlier_session_is_refused(tmp_path: Path) -> None:
    state = LabState(tmp_path)
    claim_for_examples(state, run="first")
    claim_for_examples(state, run="first")  # the session's other worker, or a second fixture use
    with pytest.raises(UserError, match=r"earlier test session .* run `l3ha-guide lab down` first"):
        claim_for_examples(state, run="second")
    assert state.load()["examples_run"] == "first"


def test_lab_down_forgets_the_claim(tmp_path: Path) -> None:
    from l3ha_guide.lab.lab import Lab

    lab = Lab.load(state_dir=tmp_path)  # a lab of its own: down finds nothing of another lab to end
    claim_for_examples(lab.state, run="first")
    lab.down()
    claim_for_examples(lab.state, run="second")
    assert lab.state.load()["examples_run"] == "second"
