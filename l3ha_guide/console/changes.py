"""What a console example changes on the cloud it runs on: the `:changes:` option, and its check.

Every block whose commands change something carries `:changes: configures`
(objects created, set or deleted through the API) or `:changes: disrupts`
(something broken or moved on a node on purpose: links taken down, keepalived
stopped). The directive refuses a block whose commands `changing_command`
recognises as changing and that does not say so, and a block that says so
without such a command, so the marks stay true as pages are edited.

`--read-only` runs of the console suite (for a production cloud) run only
unmarked blocks, and after a `disrupts` block none of the rest of its page:
those examples show what the disruption made.
"""

from __future__ import annotations

import re

CONFIGURES = "configures"  # creates, changes or deletes objects through the API
DISRUPTS = "disrupts"  # breaks or moves something on a node on purpose
KINDS = (CONFIGURES, DISRUPTS)

_OPENSTACK_VERBS = {"create", "delete", "set", "unset", "add", "remove"}
_OPENSTACK_WORDS = 4  # `openstack server add floating ip ...`: the verb is among the first words
_NEUTRON_CHANGE = re.compile(r"-(create|delete|update|associate|disassociate|add|remove|set|clear)$")
_NOVA_READS = {"list", "show"}
_SHELL_CHANGES = re.compile(
    r"\bip\s+(?:-\d\s+)?(?:link\s+set|(?:addr|address|route)\s+(?:add|del))\b"
    r"|(?:^|[;&|(]\s*)kill\b"
    r"|\bsystemctl\s+(?:start|stop|restart)\b"
    r"|\biptables\s+-[AIDF]\b"
)


def changing_command(command: str) -> bool:
    """True if the documented command changes the cloud or a node (as far as these rules know)."""
    words = command.replace("\\\n", " ").split()
    if not words:
        return False
    if words[0] == "openstack":
        return any(word in _OPENSTACK_VERBS for word in words[1 : 1 + _OPENSTACK_WORDS])
    if words[0] == "neutron":
        return len(words) > 1 and bool(_NEUTRON_CHANGE.search(words[1]))
    if words[0] == "nova":
        return len(words) > 1 and words[1] not in _NOVA_READS
    return bool(_SHELL_CHANGES.search(command))


def mark_error(commands: list[str], declared: str) -> str:
    """Why a block's `:changes:` mark does not fit its commands; empty if it fits."""
    changing = [command for command in commands if changing_command(command)]
    if changing and not declared:
        first = changing[0].splitlines()[0]
        return (
            f"`{first}` changes the cloud: add ':changes: {CONFIGURES}' (API objects) or "
            f"':changes: {DISRUPTS}' (breaks or moves something on a node)"
        )
    if declared and not changing:
        return f"':changes: {declared}' is declared, but no command of the block changes anything; remove it"
    return ""
