"""Liberty-era `neutron` tabs that change state, run beside today's `openstack` tab.

The manual shows both clients for the same step; the `openstack` tab has
already done it when the `neutron` tab runs. So the runner keeps the scenario
as the `openstack` tabs made it:

- a `neutron ...-create` runs, is compared, and what it created is deleted
  again (by the id its own output shows);
- a `neutron router-interface-add`, `router-gateway-set` or
  `floatingip-associate` runs after today's tab's effect is undone, and so
  puts it back;
- a `neutron security-group-rule-create` replaces the rule today's tab made
  (the same rule twice is a conflict): that rule, found through the page's
  binding of the id the manual shows, is deleted first.

Such a tab is matched with bindings of its own: the resource it creates is not
the one the `openstack` tab created, although the manual shows the same values.
"""

from __future__ import annotations

import shlex

from l3ha_guide.console import tables
from l3ha_guide.console.runner import uses_client

CREATES = ("net-create", "subnet-create", "router-create", "floatingip-create", "port-create")
REPLAYS = {
    # subcommand: openstack command undoing today's tab, from the legacy command's positional arguments
    "router-interface-add": "openstack router remove subnet {0} {1}",
    "router-gateway-set": "openstack router unset --external-gateway {0}",
    "floatingip-associate": "openstack floating ip unset --port {0}",
}
REPLACES = {
    # subcommand: openstack command deleting today's object, by the id the documented output shows
    "security-group-rule-create": "openstack security group rule delete {id}",
}


def subcommand(command: str) -> str | None:
    if uses_client(command) != "neutron":
        return None
    words = shlex.split(command.replace("\\\n", " "))
    return words[1] if len(words) > 1 else None


def changes_state(command: str) -> bool:
    return subcommand(command) in (*CREATES, *REPLAYS, *REPLACES)


def _documented_id(output: str) -> str | None:
    for table in tables.tables(tables.parse(output)):
        for row in table.rows:
            if len(row) == 2 and row[0] == "id" and row[1]:
                return row[1]
    return None


def undo_before(command: str, documented_output: str = "") -> str | None:
    """The `openstack` command (with documented values) that undoes today's tab before this one."""
    name = subcommand(command)
    if name in REPLACES:
        documented_id = _documented_id(documented_output)
        return REPLACES[name].format(id=documented_id) if documented_id else None
    if name not in REPLAYS:
        return None
    positional = [word for word in shlex.split(command.replace("\\\n", " "))[2:] if not word.startswith("-")]
    return REPLAYS[name].format(*(shlex.quote(word) for word in [*positional, "", ""]))


def delete_after(command: str, real_output: str) -> str | None:
    """The `neutron ...-delete ID` removing what this legacy create made, from its output's id row."""
    name = subcommand(command)
    if name not in CREATES:
        return None
    real_id = _documented_id(real_output)
    return f"neutron {name.removesuffix('-create')}-delete {real_id}" if real_id else None
