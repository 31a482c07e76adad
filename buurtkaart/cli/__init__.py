"""Command-line interface: ``buurtkaart <command> ...``.

Each command group lives in its own module exposing ``register(subparsers)``;
handlers are set with ``parser.set_defaults(func=handler)`` and return an exit
code. Errors derived from :class:`~buurtkaart._errors.BuurtkaartError` become a
one-line message on stderr and their ``exit_code``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from buurtkaart._errors import BuurtkaartError

#: Modules that register sub-commands, in help order.
COMMAND_MODULES = (
    "buurtkaart.cli.places_cmd",
    "buurtkaart.cli.map_cmd",
    "buurtkaart.cli.store_cmd",
    "buurtkaart.cli.exchange_cmd",
    "buurtkaart.cli.meeting_cmd",
    "buurtkaart.cli.report_cmd",
    "buurtkaart.cli.admin_cmd",
    "buurtkaart.cli.app_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="buurtkaart",
        description="Neighbourhood stakeholder map for social organisations.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BuurtkaartError as err:
        print(f"buurtkaart: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
