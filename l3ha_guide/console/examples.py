"""The manual's console examples and config blocks as data: build/console/manifest.json.

`extract()` runs the Sphinx builder of `l3ha_guide.console.manifest` in a
separate process, which writes the manifest: every `console-block` with its
page, the line of each command, host(s), commands, documented output, compare
mode, skip reason and lab action, and every `config-block` with its target
path, in the manual's reading order (the toctree's). `load()` reads it back.
This module imports no Sphinx: the runner, the tests and `console status` use
it without loading Sphinx.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from filelock import FileLock

from l3ha_guide import PROJECT_ROOT
from l3ha_guide.errors import UserError
from l3ha_guide.i18n.marks import N_

CONSOLE_DIR = PROJECT_ROOT / "build" / "console"
MANIFEST_PATH = CONSOLE_DIR / "manifest.json"
PROMPT = "$ "
BUILDER = "console-manifest"  # the Sphinx builder that writes the manifest

# Why a console block cannot run in the lab (`:skip:`); readers see the reason under the block.
SKIP_REASONS = {
    "needs-internet": N_("needs access to the Internet, which the lab never has"),
    # The sanity checks build their test links from dummy interfaces (NetlinkError 95 here).
    "needs-dummy-interfaces": N_(
        "needs dummy network interfaces, which the lab machine's kernel does not provide"
    ),
}

# How a console block's values act on the guide-wide bindings (its `:bindings:` option). A block
# other than "guide" says explicitly that its values do not mean what they mean elsewhere.
GUIDE = "guide"  # its values mean what they mean on every other page (the default)
OWN = "own"  # bindings of its own: a Liberty create makes another object with the same documented values
REPLACE = "replace"  # its values replace the guide's: a Liberty replay re-attaches with new port IDs
BINDING_SCOPES = (GUIDE, OWN, REPLACE)

# The pages that build the scenario, in reading order: their objects stay, and the
# other pages look at them. Another page's objects are its own, deleted on that page.
SCENARIO_PAGES = ("verify-services", "initial-networks", "verify-operation")


@dataclass
class Command:
    line: int  # source line of the command
    command: str  # as documented (a trailing backslash continues it on the next line)
    output: str = ""  # documented output


class _Located:
    """An example is identified by its page source and line, in results and reports."""

    source: str
    line: int

    @property
    def id(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass
class ConsoleExample(_Located):
    page: str  # docname, e.g. "verify-operation"
    source: str  # path relative to the project root
    line: int  # line of the block's first command
    hosts: list[str]
    compare: str
    skip: str
    lab_action: str
    commands: list[Command]
    digest: str = ""  # identifies the block's content, so stale results are recognised
    kind: str = "console"
    bindings: str = GUIDE  # one of BINDING_SCOPES
    credentials: str = "admin"  # whose openrc the controller's client commands load (ha_router.CREDENTIALS)
    exit_status: int = 0  # what its commands exit with: non-zero documents a refusal
    changes: str = ""  # what it changes on the cloud (one of changes.KINDS), empty if it only looks
    fault: str = ""  # the fault the lab injects before it runs (faults.FAULTS), empty if none


@dataclass
class ConfigExample(_Located):
    page: str
    source: str
    line: int
    path: str
    roles: list[str]
    digest: str = ""
    kind: str = "config"


@dataclass
class Manifest:
    console: list[ConsoleExample] = field(default_factory=list)
    config: list[ConfigExample] = field(default_factory=list)


def split_commands(text: str, first_line: int) -> list[Command]:
    """Commands (lines after the prompt, with continuation lines) and the output each printed."""
    commands: list[Command] = []
    continuing = False
    for offset, line in enumerate(text.splitlines()):
        if continuing:
            commands[-1].command += "\n" + line
        elif line.startswith(PROMPT):
            commands.append(Command(first_line + offset, line[len(PROMPT) :]))
        elif commands:
            commands[-1].output += line + "\n"
        continuing = bool(commands) and line.endswith("\\") and (continuing or line.startswith(PROMPT))
    return commands


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def console_digest(
    hosts: list[str],
    compare: str,
    skip: str,
    text: str,
    credentials: str = "admin",
    exit_status: int = 0,
    fault: str = "",
) -> str:
    """What identifies a console block's content: a result recorded for another content is stale."""
    return digest(hosts, compare, skip, credentials, exit_status, text, *([fault] if fault else []))


def dump(manifest: Manifest) -> str:
    return json.dumps(asdict(manifest), indent=1, ensure_ascii=False) + "\n"


def load(path: Path = MANIFEST_PATH) -> Manifest:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UserError(
            f"{path}: cannot read the console manifest ({error}); run `l3ha-guide console extract`"
        ) from None
    console = [
        ConsoleExample(**{**entry, "commands": [Command(**command) for command in entry["commands"]]})
        for entry in data["console"]
    ]
    return Manifest(console, [ConfigExample(**entry) for entry in data["config"]])


def extract(
    source_dir: Path = PROJECT_ROOT / "source",
    output_dir: Path = CONSOLE_DIR,
    doctree_dir: Path = PROJECT_ROOT / "build" / "doctrees" / "console",
) -> Manifest:
    """Run the manifest builder on the English pages; return the manifest.

    Extractions into one folder take turns (the test workers collect at the same time)."""
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        BUILDER,
        "-q",
        "-c",
        str(PROJECT_ROOT),
        "-d",
        str(doctree_dir),
        str(source_dir),
        str(output_dir),
    ]
    output_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(output_dir / "extract.lock"):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    output = (result.stdout + result.stderr).splitlines()
    if result.returncode != 0:
        tail = "\n".join(output[-20:])
        raise UserError(f"{source_dir}: extracting the console examples failed:\n{tail}")
    # A broken block is an error (not a warning) in Sphinx's output: then the manifest is incomplete.
    errors = [index for index, line in enumerate(output) if ": ERROR:" in line or ": CRITICAL:" in line]
    if errors:
        details = "\n".join("\n".join(output[index : index + 4]) for index in errors[:5])
        raise UserError(details)
    return load(output_dir / "manifest.json")
