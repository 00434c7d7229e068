"""pytest plugin (entry point `pytest11`): makes `nsenter://HOST` a testinfra backend.

It loads in any environment with the package installed, testinfra or not (pytest
loads every installed plugin): testinfra is imported only when present, and the
backend itself only when a test asks for an `nsenter://` host.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    try:
        from l3ha_guide.lab.testinfra_backend import register
    except ImportError:  # no testinfra in this environment: no backend to register
        return
    register()
