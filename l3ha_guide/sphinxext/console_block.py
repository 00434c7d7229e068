"""The `console-block` directive: a command with its documented output, run in the lab.

    ```{console-block}
    :host: controller
    :compare: table

    $ openstack network agent list
    +----+------+
    ...
    ```

`:host:` names the lab host(s) the commands run on (the hosts of
examples/lab/topology.yaml); `:compare:` says how the
documented output is compared with the real one (`matcher.COMPARE_MODES`); `:skip:` gives the reason a
block cannot run in the lab (one of `examples.SKIP_REASONS`), and readers see that reason.
`:lab-action:` names a step the lab performs at this point of the manual (one
of `lab_actions.ACTIONS`): in the reader's place on a skipped block (Nova's part of
booting an instance), or before the commands of a runnable one; readers do not
see it, the truth report does. `:fault:` names a fault the lab injects
first (one of `faults.FAULTS`; the troubleshooting page), kept for the
following blocks that name it too. `:bindings: own` or `:bindings: replace` says
that the block's values do not mean what they mean on the other pages (a
Liberty tab that creates another object, or re-attaches one with new IDs; see
`legacy_tabs`); the directive refuses a block whose commands need it and do not
declare it, or declare it and do not need it. `:changes: configures` or
`:changes: disrupts` marks a block that changes the cloud (`changes`); the
directive refuses a mark that does not fit the commands, either way.

The literal node keeps the options and `console_line`, the source line of the
block's first command, for the manifest builder (l3ha_guide.console.manifest).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from l3ha_guide.console import changes, legacy_tabs
from l3ha_guide.console.examples import BINDING_SCOPES, GUIDE, PROMPT, SKIP_REASONS, split_commands
from l3ha_guide.console.faults import FAULTS
from l3ha_guide.console.lab_actions import ACTIONS as LAB_ACTIONS
from l3ha_guide.console.matcher import COMPARE_MODES
from l3ha_guide.ha_router import CREDENTIALS
from l3ha_guide.topology import load as load_topology

HOSTS = tuple(load_topology().hosts)


@lru_cache(maxsize=64)
def _source_lines(path: str, mtime: float) -> tuple[str, ...]:
    return tuple(Path(path).read_text(encoding="utf-8").splitlines())


def first_line_of(path: str, near: int, text: str) -> int:
    """The 1-based line of `text` in the file at or after line `near` - 3 (MyST's line
    numbers for directives nested in other directives are off by one or two)."""
    try:
        lines = _source_lines(path, Path(path).stat().st_mtime)
    except OSError:
        return near
    for index in range(max(0, near - 3), len(lines)):
        if lines[index].strip() == text.strip():
            return index + 1
    return near


def hosts_option(argument: str) -> list[str]:
    hosts = [host.strip() for host in argument.replace(",", " ").split()]
    unknown = [host for host in hosts if host not in HOSTS]
    if not hosts or unknown:
        raise ValueError(f"host must be some of {', '.join(HOSTS)}; got {argument!r}")
    return hosts


def skip_option(argument: str) -> str:
    reason = argument.strip()
    if reason not in SKIP_REASONS:
        raise ValueError(f"skip reason must be one of {', '.join(SKIP_REASONS)}; got {reason!r}")
    return reason


class ConsoleBlock(SphinxDirective):
    has_content = True
    option_spec = {
        "host": hosts_option,
        "compare": lambda argument: directives.choice(argument, tuple(COMPARE_MODES)),
        "skip": skip_option,
        "lab-action": lambda argument: directives.choice(argument, tuple(LAB_ACTIONS)),
        # The fault the lab injects for this block and the next ones that name it (faults.FAULTS).
        "fault": lambda argument: directives.choice(argument, tuple(FAULTS)),
        "bindings": lambda argument: directives.choice(argument, BINDING_SCOPES),
        "name": directives.unchanged,
        # Whose credentials the reader has loaded (`. demo-openrc`); admin's when absent.
        "credentials": lambda argument: directives.choice(argument, tuple(CREDENTIALS)),
        # The exit status its commands end with, when the example shows a refusal.
        "exit-status": directives.nonnegative_int,
        # What it changes on the cloud (changes.KINDS); --read-only runs leave such blocks out.
        "changes": lambda argument: directives.choice(argument, changes.KINDS),
    }

    def _check_bindings(self, text: str) -> str:
        """The block's declared binding scope, if its commands need exactly that one."""
        declared = self.options.get("bindings", GUIDE)
        for command in split_commands(text, 1):
            needed = legacy_tabs.step_for(command.command).bindings
            if needed != declared:
                first = command.command.splitlines()[0]
                raise self.error(
                    f"console-block: `{first}` needs ':bindings: {needed}' "
                    f"(this block declares {declared!r}); see l3ha_guide.console.legacy_tabs"
                    if needed != GUIDE
                    else f"console-block: ':bindings: {declared}' is declared, but `{first}` keeps "
                    "the guide's bindings; remove the option"
                )
        return declared

    def run(self) -> list[nodes.Node]:
        if "host" not in self.options:
            raise self.error("console-block: add ':host:' (the lab host the commands run on)")
        if not self.content or not self.content[0].startswith((PROMPT, "# ")):
            raise self.error("console-block: the first line must be a command starting with '$ '")
        text = "\n".join(self.content)
        bindings = self._check_bindings(text)
        declared = self.options.get("changes", "")
        mark_error = changes.mark_error([command.command for command in split_commands(text, 1)], declared)
        if mark_error:
            raise self.error(f"console-block: {mark_error}")
        literal = nodes.literal_block(text, text)
        literal["language"] = "console"
        literal["console_hosts"] = self.options["host"]
        literal["console_compare"] = self.options.get("compare", "lines")
        literal["console_skip"] = self.options.get("skip", "")
        literal["console_lab_action"] = self.options.get("lab-action", "")
        literal["console_fault"] = self.options.get("fault", "")
        literal["console_bindings"] = bindings
        literal["console_credentials"] = self.options.get("credentials", "admin")
        literal["console_exit_status"] = self.options.get("exit-status", 0)
        literal["console_changes"] = declared
        source, line = self.get_source_info()
        literal["console_line"] = first_line_of(source, line or 1, self.content[0])
        literal["classes"].append("console-block")
        self.set_source_info(literal)

        hosts = ", ".join(self.options["host"])
        caption = nodes.caption(hosts, "", nodes.literal(hosts, hosts))
        caption["translatable"] = False
        self.set_source_info(caption)
        container = nodes.container("", caption, literal, literal_block=True)
        container["classes"].append("console-block-container")
        self.set_source_info(container)
        self.add_name(container)
        result: list[nodes.Node] = [container]
        if "skip" in self.options:
            # A paragraph with source info: the gettext builder extracts it for translators.
            reason = f"Not run in the lab: {SKIP_REASONS[self.options['skip']]}."
            note = nodes.paragraph(reason, reason)
            note["classes"].append("console-skip-reason")
            self.set_source_info(note)
            result.append(note)
        return result


def setup(app: Sphinx) -> dict[str, object]:
    from l3ha_guide.console.manifest import ConsoleManifestBuilder  # the builder that collects these blocks

    app.add_directive("console-block", ConsoleBlock)
    app.add_builder(ConsoleManifestBuilder)
    app.setup_extension("l3ha_guide.console.report")  # the truth report lists these blocks
    app.setup_extension("l3ha_guide.console.failover_figures")  # measured failover, on the failover page
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
