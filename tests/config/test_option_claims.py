"""What the prose says about option defaults and recommendations agrees with the pinned release."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.config import claims
from l3ha_guide.console.examples import extract
from l3ha_guide.errors import UserError

PAGES = sorted((PROJECT_ROOT / "source").glob("*.md"))
ROLE = re.compile(r"\{(default|recommended)\}`([^`]+)`")
# How the prose states a default without the role: "(2 by default)", "off by default (0)",
# "60 s by default", "(2 s; ...)" after an option, "Use the default `system`".
STATED_DEFAULT = re.compile(
    r"\(\s*[\w./]+\s*(?:s\s*)?(?:by default|;)|\bby default\s*\(\s*\w+\s*\)"
    r"|\b\d[\d.]*\s*s?\s+by default|\bthe default,? `[^`]+`"
)


def test_a_true_claim_renders_its_value() -> None:
    assert claims.check("default", "ha_vrrp_advert_int = 2") == "2"
    assert claims.check("default", "l3_agent.ini:ha_conntrackd_enabled = False") == "False"
    assert claims.check("recommended", "ha_vrrp_health_check_interval = 5") == "5"


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (
            "default",
            "ha_vrrp_advert_int = 3",
            "the default value of ha_vrrp_advert_int in neutron 29.0.0 is '2'",
        ),
        ("default", "l3_ha_net_cidr = 169.254.0.0/16", "is '169.254.192.0/18', not '169.254.0.0/16'"),
        ("recommended", "ha_vrrp_health_check_interval = 10", "is '5', not '10'"),
        ("recommended", "ha_vrrp_advert_int = 2", "recommends no value for ha_vrrp_advert_int"),
        ("default", "no_such_option = 1", "has no option 'no_such_option' in any option file"),
        ("default", "ha_vrrp_advert_int", "write the claim as OPTION = VALUE"),
        (
            "default",
            "dhcp_agent.ini:ha_vrrp_advert_int = 2",
            "has no option 'ha_vrrp_advert_int' in dhcp_agent.ini",
        ),
    ],
)
def test_a_claim_the_release_contradicts_says_what_the_release_says(
    kind: str, text: str, message: str
) -> None:
    with pytest.raises(claims.ClaimError, match=re.escape(message)):
        claims.check(kind, text)


def test_every_claim_on_the_pages_holds() -> None:
    found = [
        (page.name, line, kind, text)
        for page in PAGES
        for line, content in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        for kind, text in ROLE.findall(content)
    ]
    assert len({(kind, text) for _, _, kind, text in found}) >= 5, found
    for page, line, kind, text in found:
        try:
            claims.check(kind, text)
        except claims.ClaimError as error:
            pytest.fail(f"source/{page}:{line}: {{{kind}}}`{text}`: {error}")


def test_the_prose_states_no_default_without_the_role() -> None:
    """A sentence that says what an option's default is uses `{default}`, so the claim is checked."""
    unmarked = []
    for page in PAGES:
        prose = re.sub(
            r"```.*?```", lambda block: "\n" * block.group(0).count("\n"), page.read_text(), flags=re.S
        )
        for line, content in enumerate(prose.splitlines(), 1):
            stated = STATED_DEFAULT.search(content)
            if stated and "{default}" not in content:
                unmarked.append(f"source/{page.name}:{line}: {content.strip()}")
    assert not unmarked, "state defaults with {default}`OPTION = VALUE`:\n" + "\n".join(unmarked)


def test_a_wrong_claim_fails_the_build_at_its_page_and_line(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "index.md").write_text(
        "# Index\n\nAdvertisements every {default}`ha_vrrp_advert_int = 3` seconds.\n", encoding="utf-8"
    )
    with pytest.raises(
        UserError, match=r"index\.md:3: ERROR: \{default\}`ha_vrrp_advert_int = 3`: the default"
    ):
        extract(source, tmp_path / "out", tmp_path / "doctrees")
