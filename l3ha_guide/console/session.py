"""One pass over the manual's console examples: run, match with guide-wide bindings, record.

`ConsoleSession.run_example(example, host)` substitutes the values bound so far
in the guide into each command, runs it on the host, compares its output with
the documented one and records the outcome. A documented value means the same
real value on every page (a block declaring `:bindings: own` or `replace` is
the exception, see `legacy_tabs`). A failure raises `ExampleFailed` with page,
line, host, command, reason and a readable diff; an output that contradicts
what an earlier page bound names that page and line too.

A read-only session (for a production cloud) raises `LeftOut` instead of
running an example that changes the cloud (`:changes:`), any later example of
a page after a `disrupts` one, any later example of a page that makes objects
of its own (a `configures` one outside the scenario pages), and a lab action's
example whose check fails (from there on, its page shows a state the cloud is
not in), and an example whose command names a value only a left-out example
would have found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from l3ha_guide.console import legacy_client, legacy_tabs, results
from l3ha_guide.console.changes import DISRUPTS
from l3ha_guide.console.created import CreatedObjects
from l3ha_guide.console.examples import GUIDE, OWN, REPLACE, SCENARIO_PAGES, Command, ConsoleExample
from l3ha_guide.console.faults import FAULTS, Fault
from l3ha_guide.console.lab_actions import ACTIONS, wait_for_l3_agents
from l3ha_guide.console.matcher import Bindings, MatchError, contradictions, match_all, readable_diff
from l3ha_guide.console.runner import (
    DEFAULT_TIMEOUT,
    HostMap,
    HostUnreachable,
    RunResult,
    UnknownHost,
    run,
    uses_client,
)
from l3ha_guide.console.versions import probe_versions
from l3ha_guide.errors import UserError
from l3ha_guide.ha_router import CONTROLLER


class ExampleFailed(AssertionError):
    """A documented command failed or printed something else than documented."""


class LeftOut(Exception):
    """A read-only session does not run this example; the message says why."""


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


@dataclass
class ConsoleSession:
    host_map: HostMap
    results_path: Path = results.RESULTS_PATH
    timeout: float = DEFAULT_TIMEOUT
    # The guide's candidate bindings (more than one while interchangeable rows leave it open);
    # the manual's object names carry the host map's prefix from the start.
    bindings: list[Bindings] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    pending_cleanups: list[tuple[str, str, str]] = field(default_factory=list)  # (host, where, command)
    attempted: set[str] = field(default_factory=set)  # "page:line@host" of the examples run or tried
    lab_actions: dict[str, Callable[[HostMap], object]] = field(
        default_factory=lambda: {name: action.perform for name, action in ACTIONS.items()}
    )
    read_only: bool = False
    left_out_pages: dict[str, str] = field(
        default_factory=dict
    )  # page -> why its remaining examples do not run
    left_out_examples: dict[str, str] = field(default_factory=dict)  # example id -> why (empty: it runs)
    # Where what the examples create is noted, to be deleted when the run ends (None: it stays).
    created: CreatedObjects | None = None
    faults: dict[str, Fault] = field(default_factory=lambda: dict(FAULTS))
    # The fault the lab has injected and not healed yet (a key of `faults`), empty if none.
    fault: str = ""

    def __post_init__(self) -> None:
        if not self.bindings:
            self.bindings = [Bindings(name_prefix=self.host_map.name_prefix)]

    def probe_versions(self) -> dict[str, str]:
        """Versions of Neutron, Open vSwitch and keepalived on the lab hosts (empty strings if unknown)."""
        self.versions.update(probe_versions(self.host_map))
        return self.versions

    def _where(self, example: ConsoleExample, command: Command, host: str) -> str:
        first = command.command.splitlines()[0]
        return f"{example.source}:{command.line}: on {host}: `{first}`"

    def _fail(self, example: ConsoleExample, host: str, message: str) -> ExampleFailed:
        outcome = results.Outcome(
            example.id,
            host,
            results.FAILED,
            example.digest,
            _first_line(message),
            versions=self.versions,
            backend=self.host_map.backend(host),
        )
        results.record(outcome, self.results_path)
        return ExampleFailed(message)

    def perform_lab_action(self, example: ConsoleExample) -> None:
        action = self.lab_actions.get(example.lab_action)
        if action is None:
            raise self._fail(example, "lab", f"{example.id}: unknown lab action {example.lab_action!r}")
        try:
            detail = action(self.host_map)
        except (UserError, ImportError, AttributeError) as error:
            raise self._fail(
                example, "lab", f"{example.id}: lab action {example.lab_action!r} failed: {error}"
            ) from None
        outcome = results.Outcome(
            example.id,
            "lab",
            results.ACTED,
            example.digest,
            f"{example.lab_action}: {detail}",
            versions=self.versions,
            backend=self.host_map.backend(CONTROLLER),  # it runs its commands through the same host map
        )
        results.record(outcome, self.results_path)

    def enter_fault(self, example: ConsoleExample) -> None:
        """Heal the injected fault unless the example looks at it too; inject the example's own."""
        if self.fault == example.fault:
            return
        self.heal_fault(example)
        if not example.fault:
            return
        try:
            detail = self.faults[example.fault].inject(self.host_map)
        except UserError as error:
            self.fault = example.fault  # partly injected, maybe: heal it before anything else runs
            raise self._fail(
                example, "lab", f"{example.id}: injecting the fault {example.fault!r} failed: {error}"
            ) from None
        self.fault = example.fault
        print(f"{example.id}: fault {example.fault}: {detail}")

    def heal_fault(self, example: ConsoleExample | None = None) -> None:
        """Undo the injected fault and wait until the router is healthy; the session ends with this."""
        if not self.fault:
            return
        fault, self.fault = self.fault, ""
        try:
            self.faults[fault].heal(self.host_map)
        except UserError as error:
            message = f"healing the fault {fault!r} failed: {error}"
            if example is None:
                raise UserError(message) from None
            raise self._fail(example, "lab", f"{example.id}: {message}") from None

    def _run(
        self, example: ConsoleExample, host: str, where: str, text: str, hint: str = "", expected: int = 0
    ) -> RunResult:
        """Run one command; a timeout, an unknown host or another exit status than expected fails it."""
        path_prefix = str(legacy_client.ensure()) if uses_client(text) == "neutron" else None
        try:
            result = run(
                self.host_map,
                host,
                text,
                timeout=self.timeout,
                path_prefix=path_prefix,
                credentials=example.credentials,
            )
        except (UnknownHost, HostUnreachable) as error:
            raise self._fail(example, host, f"{where}: {error}") from None
        if self.created is not None and result.exit_status == 0:  # noted first, whatever the example expects
            self.created.note(text, result.output, example.credentials, where)
        if result.timed_out:
            raise self._fail(example, host, f"{where}: timed out after {self.timeout:g} s\n{result.output}")
        if result.exit_status != expected:
            wanted = f" (the manual documents {expected})" if expected else ""
            raise self._fail(
                example,
                host,
                f"{where}: exit status {result.exit_status}{wanted}{hint}\nran: {text}\n"
                f"{result.output.rstrip()}",
            )
        return result

    def _settle(
        self, example: ConsoleExample, host: str, where: str, settle: tuple[str, str] | None, present: bool
    ) -> None:
        """Let the L3 agents apply today's tab (present) or the undo (absent) before going on."""
        if settle is None:
            return
        try:
            wait_for_l3_agents(self.host_map, *settle, present=present)
        except UserError as error:
            raise self._fail(example, host, f"{where}: {error}") from None

    def left_out(self, example: ConsoleExample) -> str:
        """Why a read-only session does not run the example; empty if it does."""
        if example.page in self.left_out_pages:
            return self.left_out_pages[example.page]
        if example.fault:
            self.left_out_pages[example.page] = (
                f"looks at a fault the lab injects from {example.id} on, which a read-only run does not do"
            )
            return self.left_out_pages[example.page]
        if example.changes:
            if example.changes == DISRUPTS:
                self.left_out_pages[example.page] = (
                    f"shows what {example.id} does to the cloud, which a read-only run does not do"
                )
            elif example.page not in SCENARIO_PAGES:  # the page's own objects, which this run does not make
                self.left_out_pages[example.page] = (
                    f"looks at what {example.id} makes, which a read-only run does not make"
                )
            return f"changes the cloud ({example.changes}); a read-only run changes nothing"
        action = ACTIONS.get(example.lab_action)
        if action is not None:
            why = action.check(self.host_map)
            if why:
                self.left_out_pages[example.page] = f"{why}, as the page needs from {example.id} on"
                return self.left_out_pages[example.page]
        return ""

    def run_once(self, example: ConsoleExample, host: str) -> None:
        """Run an example on a host (its lab action, for a skipped block) unless this session tried
        it already: a failed example is not run again (it may have created something)."""
        if self.read_only:
            if example.id not in self.left_out_examples:
                self.left_out_examples[example.id] = self.left_out(example)
            if self.left_out_examples[example.id]:
                raise LeftOut(f"{example.id}: left out: {self.left_out_examples[example.id]}")
        if example.fault and not self.host_map.embedded_lab:
            raise LeftOut(
                f"{example.id}: left out: the embedded lab injects its fault ({example.fault}); "
                "these hosts are not the embedded lab"
            )
        key = f"{example.id}@{host}"
        if key in self.attempted:
            return
        self.attempted.add(key)
        if not self.read_only:
            self.enter_fault(example)
        if example.skip:
            if not self.read_only:
                self.perform_lab_action(example)
        else:
            self.run_example(example, host)

    def flush_cleanups_at_end(self) -> None:
        """Delete what the Liberty create tabs made, when no later example did it."""
        while self.pending_cleanups:
            host, where, command = self.pending_cleanups.pop()
            result = run(self.host_map, host, command, timeout=self.timeout)
            if result.exit_status != 0:
                print(f"{where}: deleting what the legacy tab created failed: {result.output.strip()}")

    def flush_cleanups(self, example: ConsoleExample, host: str) -> None:
        """Delete what the Liberty create tabs made, newest first, before the next kind of example."""
        while self.pending_cleanups:
            cleanup_host, where, command = self.pending_cleanups.pop()
            self._run(example, cleanup_host, f"{where} (deleting what the legacy tab created)", command)

    def _mismatch(
        self,
        example: ConsoleExample,
        where: str,
        place: str,
        error: MatchError,
        hint: str,
        documented: str,
        real: str,
        candidates: list[Bindings],
    ) -> str:
        """The failure message: what differs, and which earlier places the output contradicts."""
        conflicts = contradictions(documented, real, example.compare, candidates[0])
        contradiction = (
            "\nThe output matches on its own, but contradicts values bound earlier in the guide "
            "(a documented value means the same real value on every page):\n"
            + "\n".join(f"  {place}: {conflict}" for conflict in conflicts)
            if conflicts
            else ""
        )
        return (
            f"{where}: the output differs from the manual: {error}{hint}{contradiction}\n"
            f"{readable_diff(documented, real, candidates[0])}\n"
            "The real output, written with the values the guide documents:\n"
            f"{candidates[0].as_documented(real).rstrip()}"
        )

    def run_example(self, example: ConsoleExample, host: str) -> None:
        steps = [legacy_tabs.step_for(command.command) for command in example.commands]
        if not all(step.runs_before_todays_tab for step in steps):
            self.flush_cleanups(example, host)
        if example.lab_action and host == example.hosts[0] and not self.read_only:
            self.perform_lab_action(example)
        guide = self.bindings
        for command, step in zip(example.commands, steps, strict=True):
            where, place = self._where(example, command, host), f"{example.source}:{command.line}"
            # Declared exceptions match on their own: a create's values stay its own, a replay's replace.
            working = [guide[0].fresh()] if example.bindings in (OWN, REPLACE) else guide
            text, unbound = guide[0].substitute(command.command)
            if self.read_only and unbound:  # bound by an example this run left out: nothing to look at
                raise LeftOut(
                    f"{example.id}: left out: its command names {', '.join(unbound)}, which an example "
                    "this read-only run left out would have found"
                )
            hint = (
                f"\n(documented values that no earlier output in the guide has bound: {', '.join(unbound)})"
                if unbound
                else ""
            )
            if step.undo:
                undo = guide[0].substitute(step.undo)[0]
                settle = legacy_tabs.step_for(text).settle  # the router's name as the guide bound it
                self._settle(example, host, where, settle, present=True)
                self._run(example, host, f"{where} (undoing the openstack tab first: `{undo}`)", undo)
                self._settle(example, host, where, settle, present=False)
            result = self._run(example, host, where, text, hint, expected=example.exit_status)
            # Deleted later, in reverse order (flush_cleanups): later legacy creates may use these objects.
            for cleanup in reversed(step.cleanups(result.output)):
                self.pending_cleanups.append((host, where, cleanup))
            real_output = result.output
            if uses_client(command.command) == "neutron":
                real_output = legacy_tabs.without_deprecation(real_output)
            try:
                working = match_all(command.output, real_output, example.compare, working)
            except MatchError as error:
                message = self._mismatch(
                    example, where, place, error, hint, command.output, real_output, working
                )
                raise self._fail(example, host, message) from None
            for candidate in working:
                candidate.record_origin(place)
            if example.bindings == REPLACE:
                for candidate in guide:
                    candidate.replace_with(working[0])
            elif example.bindings == GUIDE:
                guide = working
            self.bindings = guide
        results.record(
            results.Outcome(
                example.id,
                host,
                results.VERIFIED,
                example.digest,
                versions=self.versions,
                backend=self.host_map.backend(host),
            ),
            self.results_path,
        )
