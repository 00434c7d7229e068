"""Claims the prose makes about an option's default or recommended value, checked against the schema.

The pages state them with the roles of `l3ha_guide.sphinxext.option_claims`
(`` {default}`ha_vrrp_advert_int = 2` ``, `` {recommended}`ha_vrrp_health_check_interval = 5` ``).
`check(kind, text)` returns the claimed value if the pinned release agrees, and
raises `ClaimError` with what the release says otherwise. An option that several
files define with different defaults is named with its file: `l3_agent.ini:debug = False`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from l3ha_guide import NEUTRON_RELEASE
from l3ha_guide.config.schema import CONFIG_ROOT, OptionSpec, release_schema

CLAIM = re.compile(r"^(?:(?P<file>[\w/.]+\.ini|neutron\.conf):)?(?P<option>\w+)\s*=\s*(?P<value>\S.*)$")
# How an option's help states the recommended value ("Recommended value is 5.").
RECOMMENDATION = re.compile(r"\b[Rr]ecommended value is (?P<value>[^\s.,;]+)")
KINDS = ("default", "recommended")


class ClaimError(ValueError):
    """The claim is malformed or the pinned release says otherwise."""


@dataclass(frozen=True)
class Claim:
    kind: str  # one of KINDS
    file: str | None
    option: str
    value: str


def parse(kind: str, text: str) -> Claim:
    found = CLAIM.match(text.strip())
    if found is None:
        raise ClaimError(f"write the claim as OPTION = VALUE or FILE:OPTION = VALUE, not {text!r}")
    return Claim(kind, found["file"], found["option"], found["value"].strip())


def _rendered(value: object) -> str:
    """A schema default as the prose writes it: booleans as True/False, lists comma-separated."""
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return "" if value is None else str(value)


def _specs(claim: Claim) -> list[tuple[str, OptionSpec]]:
    schema = release_schema()
    files = [claim.file] if claim.file else [relative for relative, _ in schema.files_with(claim.option)]
    found = []
    for relative in dict.fromkeys(files):
        file_schema = schema.for_path(CONFIG_ROOT + relative)
        if file_schema is None:
            raise ClaimError(f"neutron {NEUTRON_RELEASE} has no option file {relative}")
        found += [
            (relative, options[claim.option])
            for options in file_schema.sections.values()
            if claim.option in options
        ]
    if not found:
        where = claim.file or "any option file"
        raise ClaimError(f"neutron {NEUTRON_RELEASE} has no option {claim.option!r} in {where}")
    return found


def release_value(claim: Claim) -> str:
    """What the pinned release says: the default, or the value its help recommends."""
    values = {}
    for relative, spec in _specs(claim):
        if claim.kind == "default":
            values[relative] = _rendered(spec.default)
        else:
            recommended = RECOMMENDATION.search(spec.help)
            if recommended is None:
                raise ClaimError(
                    f"neutron {NEUTRON_RELEASE} recommends no value for {claim.option} ({relative})"
                )
            values[relative] = recommended["value"]
    if len(set(values.values())) > 1:
        choices = ", ".join(f"{relative}: {value!r}" for relative, value in values.items())
        raise ClaimError(
            f"{claim.option} differs between files ({choices}); name the file, e.g. FILE:{claim.option}"
        )
    return next(iter(values.values()))


def check(kind: str, text: str) -> str:
    """The claimed value, if neutron's pinned release agrees; else ClaimError."""
    claim = parse(kind, text)
    actual = release_value(claim)
    if actual != claim.value:
        raise ClaimError(
            f"the {kind} value of {claim.option} in neutron {NEUTRON_RELEASE} is {actual!r}, "
            f"not {claim.value!r}"
        )
    return claim.value
