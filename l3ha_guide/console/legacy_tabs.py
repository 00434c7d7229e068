"""Liberty-era `neutron` tabs that change state, run beside today's `openstack` tab.

The manual shows both clients for the same step, and doing a step twice
conflicts (one flat network per physical network, overlapping subnets, equal
rules), while replacing objects under running agents (a subnet under its DHCP
agents) disturbs the scenario. So:

- a `neutron ...-create` runs *before* today's creates (see `creates_first`)
  and is compared; what it created is deleted (with, for another project's
  object, that project's default security group) before the next example that
  is not such a create; today's tabs then create the objects the rest of the
  manual uses;
- a `neutron router-interface-add`, `router-gateway-set` or
  `floatingip-associate` runs after today's tab, once its effect is undone,
  and so puts it back; its values replace the page's. Around the undo the
  session waits until every L3 agent hosting the router has applied today's
  tab and then the undo (see `settle_on`): an agent that sees the gateway port
  replaced in one step keeps the old `qg-` device in keepalived.conf (Neutron
  29.0.0), and keepalived can then never start again on that node.

A create tab is matched with bindings of its own: its object is not the one
the rest of the page shows, although the manual shows the same values.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from l3ha_guide.console import tables
from l3ha_guide.console.examples import ConsoleExample
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


@dataclass(frozen=True)
class Replay:
    undo: str  # openstack command undoing today's tab, from the legacy command's positional arguments
    device: str | None = None  # prefix of the router device (router = 1st argument) the undo removes


REPLAYS = {
    "router-interface-add": Replay("openstack router remove subnet {0} {1}", "qr-"),
    "router-gateway-set": Replay("openstack router unset --external-gateway {0}", "qg-"),
    "floatingip-associate": Replay("openstack floating ip unset --port {0}"),
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


def run_before_todays_tab(command: str) -> bool:
    """A create: it runs before the `openstack` tab beside it, and its object is deleted again."""
    return subcommand(command) in CREATES


def replays(command: str) -> bool:
    """A replayed attachment: its values stand for today's tab's on the rest of the page."""
    return subcommand(command) in REPLAYS


def cleanup_after(command: str, real_output: str) -> list[str]:
    """Delete what a create made (and, for another project, that project's default security group)."""
    name, project = subcommand(command), foreign_project(command)
    real_id = _field(real_output, "id")
    if name not in CREATES or real_id is None:
        return []
    delete = f"openstack {CREATES[name]} delete {real_id}"
    if project is None or not re.fullmatch(r"[\w-]+", project):
        return [delete]
    return [
        delete,
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


def _positional(command: str) -> list[str]:
    return [word for word in shlex.split(command.replace("\\\n", " "))[2:] if not word.startswith("-")]


def undo_before(command: str) -> str | None:
    """The `openstack` command (with documented values) undoing today's tab before a replay."""
    name = subcommand(command)
    if name not in REPLAYS:
        return None
    return REPLAYS[name].undo.format(*(shlex.quote(word) for word in [*_positional(command), "", ""]))


def settle_on(command: str) -> tuple[str, str] | None:
    """(router, device prefix) the L3 agents must show before the undo and no longer show after it."""
    name = subcommand(command)
    positional = _positional(command)
    if name not in REPLAYS or REPLAYS[name].device is None or not positional:
        return None
    return positional[0], REPLAYS[name].device


def without_deprecation(real_output: str) -> str:
    """The legacy client's deprecation notice (on stderr) is left out of the comparison."""
    return "\n".join(line for line in real_output.splitlines() if line.strip() != DEPRECATION) + "\n"


def _is_todays_create(example: ConsoleExample) -> bool:
    words = example.commands[0].command.split() if len(example.commands) == 1 else []
    return bool(words) and words[0] == "openstack" and "create" in words


def creates_first(examples: list[ConsoleExample]) -> list[ConsoleExample]:
    """Each Liberty create tab moves before the `openstack` creates just above it on its page.

    So the legacy objects of a page (ext-net, ext-subnet, demo-net, ...) are all
    made, compared and deleted before today's objects exist: no name is
    ambiguous, and no subnet is replaced under its DHCP agents.
    """
    ordered: list[ConsoleExample] = []
    for example in examples:
        position = len(ordered)
        if len(example.commands) == 1 and run_before_todays_tab(example.commands[0].command):
            while (
                position > 0
                and ordered[position - 1].page == example.page
                and _is_todays_create(ordered[position - 1])
            ):
                position -= 1
        ordered.insert(position, example)
    return ordered
