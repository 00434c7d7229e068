"""The `l3ha-guide` command: one entry point, one subcommand per concern.

Each subcommand lives in its own module and registers itself through a
`register(subparsers)` function; this file only wires them together and turns
`UserError` into a clean message with exit status 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from l3ha_guide.errors import UserError

# Modules that provide a `register(subparsers)` function, in help order.
SUBCOMMAND_MODULES = [
    "l3ha_guide.bench",
    "l3ha_guide.config.extract",
    "l3ha_guide.config.validate",
    "l3ha_guide.console.command",
    "l3ha_guide.docs",
    "l3ha_guide.i18n.command",
    "l3ha_guide.lab.command",
    "l3ha_guide.system",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="l3ha-guide", description="Tooling for the Neutron L3 HA guide.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in SUBCOMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as error:
        print(f"l3ha-guide: error: {error}", file=sys.stderr)
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
