"""Liberty-era `neutron` tabs that change state, run beside today's `openstack` tab.

The manual shows both clients for the same step; the `openstack` tab has
already done it when the `neutron` tab runs, and doing it twice conflicts
(one flat network per physical network, overlapping subnets, equal rules). So:

- a `neutron ...-create` first deletes what today's tab created (by the name,
  or the id, its documented output shows), then creates it again; on the rest
  of the page, the documented values stand for the new object;
- a create for another project (`--tenant-id`) is compared and then deleted,
  with the default security group Neutron made for that project (else the
  name `default` would stand for two groups in the admin's later commands);
- a `neutron router-interface-add`, `router-gateway-set` or
  `floatingip-associate` runs after today's tab's effect is undone, and so
  puts it back.

Such a tab is matched with bindings of its own (the new object's values are
not the old one's), which then replace the page's.
"""

from __future__ import annotations

import re
import shlex

from l3ha_guide.console import tables
from l3ha_guide.console.runner import uses_client

# Liberty subcommand -> today's resource name for `openstack <resource> delete`.
CREATES = {
    "net-create": "network",
    "subnet-create": "subnet",
    "router-create": "router",
    "floatingip-create": "floating ip",
    "port-create": "port",
    "security-group-rule-create": "security group rule",
}
REPLAYS = {
    # subcommand: openstack command undoing today's tab, from the legacy command's positional arguments
    "router-interface-add": "openstack router remove subnet {0} {1}",
    "router-gateway-set": "openstack router unset --external-gateway {0}",
    "floatingip-associate": "openstack floating ip unset --port {0}",
}
DEPRECATION = "neutron CLI is deprecated and will be removed in the Z cycle. Use openstack CLI instead."


def subcommand(command: str) -> str | None:
    if uses_client(command) != "neutron":
        return None
    words = shlex.split(command.replace("\\\n", " "))
    return words[1] if len(words) > 1 else None


def changes_state(command: str) -> bool:
    return subcommand(command) in (*CREATES, *REPLAYS)


def foreign_project(command: str) -> str | None:
    """The project a legacy create puts its object in (`--tenant-id ID`), if not the caller's."""
    words = shlex.split(command.replace("\\\n", " "))
    for index, word in enumerate(words[:-1]):
        if word in ("--tenant-id", "--tenant_id"):
            return words[index + 1]
    return None


def replaces(command: str) -> bool:
    """A create whose object takes the place of today's tab's object on the rest of the page."""
    return subcommand(command) in CREATES and foreign_project(command) is None


def cleanup_after(command: str, real_output: str) -> list[str]:
    """For a create in another project: delete the object and that project's default security group."""
    name, project = subcommand(command), foreign_project(command)
    real_id = _field(real_output, "id")
    if name not in CREATES or project is None or real_id is None:
        return []
    if not re.fullmatch(r"[\w-]+", project):
        return [f"openstack {CREATES[name]} delete {real_id}"]
    return [
        f"openstack {CREATES[name]} delete {real_id}",
        "openstack security group list -f value -c ID -c Name -c Project"
        f' | awk \'$2 == "default" && $3 == "{project}" {{print $1}}\''
        " | xargs -r openstack security group delete",
    ]


def _field(output: str, name: str) -> str | None:
    for table in tables.tables(tables.parse(output)):
        for row in table.rows:
            if len(row) == 2 and row[0] == name and row[1]:
                return row[1]
    return None


def undo_before(command: str, documented_output: str = "") -> str | None:
    """The `openstack` command (with documented values) that undoes today's tab before this one.

    A create deletes the object today's tab made, by the name or the id the
    documented output shows (the page's bindings turn an id into the real one).
    """
    name = subcommand(command)
    if name in CREATES and foreign_project(command) is not None:
        return None
    if name in CREATES:
        target = _field(documented_output, "name") or _field(documented_output, "id")
        return f"openstack {CREATES[name]} delete {shlex.quote(target)}" if target else None
    if name not in REPLAYS:
        return None
    positional = [word for word in shlex.split(command.replace("\\\n", " "))[2:] if not word.startswith("-")]
    return REPLAYS[name].format(*(shlex.quote(word) for word in [*positional, "", ""]))


def without_deprecation(real_output: str) -> str:
    """The legacy client's deprecation notice (on stderr) is left out of the comparison."""
    return "\n".join(line for line in real_output.splitlines() if line.strip() != DEPRECATION) + "\n"
