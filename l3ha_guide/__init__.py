"""Tooling for the L3 HA guide: Sphinx extensions, config validation, the lab, checks."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NEUTRON_RELEASE = "29.0.0"
