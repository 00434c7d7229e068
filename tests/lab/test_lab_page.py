"""The manual's lab page lists every option of the lab overlays, so readers see every difference."""

from __future__ import annotations

import configparser

import pytest

from l3ha_guide.lab.configs import OVERLAY_DIR
from l3ha_guide.topology import REPO_ROOT

LAB_PAGE = REPO_ROOT / "source" / "lab.md"


def overlay_options() -> list[tuple[str, str, str]]:
    options = []
    for path in sorted(OVERLAY_DIR.glob("*.conf")):
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(path)
        sections = ["DEFAULT", *parser.sections()]
        for section in sections:
            own = parser.options(section) if section != "DEFAULT" else []
            keys = (
                parser.defaults() if section == "DEFAULT" else [k for k in own if k not in parser.defaults()]
            )
            options += [(path.name, section, key) for key in keys]
    return options


def test_overlays_exist_for_every_neutron_role():
    assert {p.stem for p in OVERLAY_DIR.glob("*.conf")} == {"controller", "network", "compute"}
    assert len(overlay_options()) >= 8


@pytest.mark.parametrize(("overlay", "section", "option"), overlay_options())
def test_lab_page_lists_every_overlay_option(overlay, section, option):
    table_rows = [line for line in LAB_PAGE.read_text().splitlines() if line.startswith(f"| `[{section}] ")]
    assert any(f"`{option}`" in row or f"] {option}`" in row for row in table_rows), (
        f"{overlay}: [{section}] {option} is missing from the table on source/lab.md"
    )
