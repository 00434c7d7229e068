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
  and so puts it back; its values replace the guide's. Around the undo the
  session waits until every L3 agent hosting the router has applied today's
  tab and then the undo (`Step.settle`): an agent that sees the gateway port
  replaced in one step keeps the old `qg-` device in keepalived.conf (Neutron
  29.0.0), and keepalived can then never start again on that node.

A create tab is matched with bindings of its own: its object is not the one
the rest of the guide shows, although the manual shows the same values. A
replay's values replace the guide's. Both are exceptions to guide-wide
bindings, so their blocks declare them (`:bindings: own` or `:bindings:
replace`); the console-block directive checks the declaration against `step_for`.

`step_for(command)` gives each documented command this as data, a `Step`: what
runs before it (the undo, with the agents settling around it), what runs after
it (the deletions of what it made), and how its output acts on the guide's
bindings (extends them, keeps its own, or replaces them). The console session
runs every step the same way.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from l3ha_guide.console import tables
from l3ha_guide.console.examples import GUIDE, OWN, REPLACE, ConsoleExample
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


@dataclass(frozen=True)
class Step:
    """How the console session runs one documented command: before it, the run, after it, and
    what its output does to the guide's bindings (examples.BINDING_SCOPES)."""

    command: str
    bindings: str = GUIDE
    undo: str | None = None  # before: `openstack` command (documented values) undoing today's tab
    settle: tuple[str, str] | None = None  # (router, device prefix) the L3 agents show around the undo
    deletes: str | None = None  # after: today's resource name for deleting what a legacy create made
    project: str | None = None  # the other project a legacy create puts its object in

    @property
    def runs_before_todays_tab(self) -> bool:
        """A legacy create: it runs before the `openstack` tab beside it (see `creates_first`)."""
        return self.deletes is not None

    def cleanups(self, real_output: str) -> list[str]:
        """After: delete what a create made (and, for another project, that project's default group)."""
        real_id = _field(real_output, "id")
        if self.deletes is None or real_id is None:
            return []
        delete = f"openstack {self.deletes} delete {real_id}"
        if self.project is None or not re.fullmatch(r"[\w-]+", self.project):
            return [delete]
        return [
            delete,
            "openstack security group list -f value -c ID -c Name -c Project"
            f' | awk \'$2 == "default" && $3 == "{self.project}" {{print $1}}\''
            " | xargs -r openstack security group delete",
        ]


def step_for(command: str) -> Step:
    """The step model of one documented command (see the module's docstring)."""
    if uses_client(command) != "neutron":
        return Step(command)
    words = shlex.split(command.replace("\\\n", " "))
    name = words[1] if len(words) > 1 else None
    positional = [word for word in words[2:] if not word.startswith("-")]
    if name in CREATES:
        return Step(command, OWN, deletes=CREATES[name], project=_option(words, "--tenant-id", "--tenant_id"))
    if name in REPLAYS:
        replay = REPLAYS[name]
        undo = replay.undo.format(*(shlex.quote(word) for word in [*positional, "", ""]))
        settle = (positional[0], replay.device) if replay.device and positional else None
        return Step(command, REPLACE, undo=undo, settle=settle)
    return Step(command)


def _option(words: list[str], *names: str) -> str | None:
    for index, word in enumerate(words[:-1]):
        if word in names:
            return words[index + 1]
    return None


def _field(output: str, name: str) -> str | None:
    for table in tables.tables(tables.parse(output)):
        for row in table.rows:
            if len(row) == 2 and row[0] == name and row[1]:
                return row[1]
    return None


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
        if len(example.commands) == 1 and step_for(example.commands[0].command).runs_before_todays_tab:
            while (
                position > 0
                and ordered[position - 1].page == example.page
                and _is_todays_create(ordered[position - 1])
            ):
                position -= 1
        ordered.insert(position, example)
    return ordered
