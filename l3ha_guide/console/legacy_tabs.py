"""Liberty-era `neutron` tabs that change state, run beside today's `openstack` tab.

The manual shows both clients for the same step; the `openstack` tab has
already done it when the `neutron` tab runs. So the runner keeps the scenario
as the `openstack` tabs made it:

- a `neutron ...-create` runs, is compared, and what it created is deleted
  again (by the id its own output shows);
- a `neutron router-interface-add` / `router-gateway-set` runs after today's
  tab's effect is undone, and so puts it back.

Such a tab is matched with bindings of its own: the resource it creates is not
the one the `openstack` tab created, although the manual shows the same values.
"""

from __future__ import annotations

import shlex

from l3ha_guide.console import tables
from l3ha_guide.console.runner import uses_client

CREATES = ("net-create", "subnet-create", "router-create", "floatingip-create", "port-create")
REPLAYS = {
    # subcommand: openstack command undoing today's tab, from the legacy command's arguments
    "router-interface-add": "openstack router remove subnet {router} {other}",
    "router-gateway-set": "openstack router unset --external-gateway {router}",
}


def subcommand(command: str) -> str | None:
    if uses_client(command) != "neutron":
        return None
    words = shlex.split(command.replace("\\\n", " "))
    return words[1] if len(words) > 1 else None


def changes_state(command: str) -> bool:
    return subcommand(command) in (*CREATES, *REPLAYS)


def undo_before(command: str) -> str | None:
    """The `openstack` command that undoes today's tab before this legacy command replays it."""
    name = subcommand(command)
    if name not in REPLAYS:
        return None
    positional = [word for word in shlex.split(command.replace("\\\n", " "))[2:] if not word.startswith("-")]
    router, other = [*positional, "", ""][:2]
    return REPLAYS[name].format(router=shlex.quote(router), other=shlex.quote(other))


def delete_after(command: str, real_output: str) -> str | None:
    """The `neutron ...-delete ID` removing what this legacy create made, from its output's id row."""
    name = subcommand(command)
    if name not in CREATES:
        return None
    for table in tables.tables(tables.parse(real_output)):
        for row in table.rows:
            if len(row) == 2 and row[0] == "id" and row[1]:
                return f"neutron {name.removesuffix('-create')}-delete {row[1]}"
    return None
