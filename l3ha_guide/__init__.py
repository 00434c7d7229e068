"""Tooling for the L3 HA guide: Sphinx extensions, config validation, the lab, checks."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NEUTRON_RELEASE = "29.0.0"
# Compute's release, whose nova.conf holds the scenario's `[neutron]` settings.
NOVA_RELEASE = "34.0.0"
