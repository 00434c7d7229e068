"""Shared fixtures: the built manual (built once per session, incrementally)."""

from __future__ import annotations

from pathlib import Path

import pytest

from l3ha_guide.docs import BUILD_DIR, build


@pytest.fixture(scope="session")
def built_manual() -> Path:
    build()
    return BUILD_DIR / "html"
