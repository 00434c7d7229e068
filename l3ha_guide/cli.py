"""The `l3ha-guide` command: one entry point, one subcommand per concern.

Each subcommand lives in its own module with a `configure(parser)` function.
Only the module of the chosen subcommand is imported (the others appear in
`--help` from the table below), so a command never pays for, or fails on,
another command's optional dependencies. `UserError` and a missing optional
package become a one-line message with exit status 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from l3ha_guide.errors import UserError
from l3ha_guide.extras import hint_for_missing

# name -> (module with `configure(parser)`, one-line help), in help order.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "bench": ("l3ha_guide.bench", "measure build, validation, lab and failover"),
    "console": (
        "l3ha_guide.console.command",
        "the manual's console examples: extract, status of the last run",
    ),
    "docs": ("l3ha_guide.docs", "build the HTML manual in English and Japanese"),
    "extract": (
        "l3ha_guide.config.extract",
        "write examples/<role>/etc/neutron/... from the manual's config blocks",
    ),
    "i18n": ("l3ha_guide.i18n.command", "check the translation catalogs, show coverage"),
    "lab": ("l3ha_guide.lab.command", "the embedded lab: Neutron's hosts as Linux namespaces"),
    "pdf": ("l3ha_guide.pdf", "print the manual as PDF, English and Japanese"),
    "preview": ("l3ha_guide.preview", "serve one language on 127.0.0.1 and reload the page on every save"),
    "system": ("l3ha_guide.system", "install the Debian packages the project needs"),
    "validate": (
        "l3ha_guide.config.validate",
        "check config blocks and files against neutron's option schema and the scenario's rules",
    ),
}


def chosen_subcommand(argv: list[str]) -> str | None:
    """The first word that is not an option: the subcommand argparse will pick."""
    return next((word for word in argv if not word.startswith("-")), None)


def add_subcommand(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    """Import the subcommand's module and let it add its arguments."""
    module_name, help_text = SUBCOMMANDS[name]
    module = importlib.import_module(module_name)
    parser = subparsers.add_parser(
        name, help=help_text, description=module.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    module.configure(parser)
    return parser


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="l3ha-guide", description="Tooling for the Neutron L3 HA guide.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = chosen_subcommand(argv)
    for name, (_, help_text) in SUBCOMMANDS.items():
        if name == chosen:
            add_subcommand(subparsers, name)
        else:
            subparsers.add_parser(name, help=help_text)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser(argv).parse_args(argv)
        return int(args.func(args) or 0)
    except UserError as error:
        print(f"l3ha-guide: error: {error}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as error:
        hint = hint_for_missing(error.name or "")
        if hint is None:
            raise
        print(f"l3ha-guide: error: {hint}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("l3ha-guide: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`l3ha-guide ... | head`): stop quietly, as other tools do.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
