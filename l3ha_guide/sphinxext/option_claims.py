"""Roles for what the prose says an option's default or recommended value is.

    every `ha_vrrp_advert_int` seconds ({default}`ha_vrrp_advert_int = 2` by default)
    Neutron recommends {recommended}`ha_vrrp_health_check_interval = 5` seconds

Each renders the value only (`2`, `5`), after `l3ha_guide.config.claims` has
checked it against the pinned release's option schema: a claim the release
contradicts is a build error at its page and line.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from docutils.parsers.rst.states import Inliner
from sphinx.application import Sphinx

from l3ha_guide.config import claims


def _role(kind: str) -> Callable[..., tuple[list[nodes.Node], list[nodes.system_message]]]:
    def role(
        name: str, rawtext: str, text: str, lineno: int, inliner: Inliner, options=None, content=None
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            value = claims.check(kind, text)
        except claims.ClaimError as error:
            message = inliner.reporter.error(f"{{{name}}}`{text}`: {error}", line=lineno)
            problem = inliner.problematic(rawtext, rawtext, message)
            return [problem], [message]
        return [nodes.Text(value)], []

    return role


def setup(app: Sphinx) -> dict[str, object]:
    for kind in claims.KINDS:
        app.add_role(kind, _role(kind))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
