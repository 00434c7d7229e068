"""The `checker` fixture: a scratch folder to write config files and trees into."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_helpers import Checker


@pytest.fixture
def checker(tmp_path: Path) -> Checker:
    return Checker(tmp_path)
