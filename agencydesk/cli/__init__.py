"""The command line: argument parsing and dispatch. No Qt is imported here, so ``--help`` and
``--version`` (and every headless subcommand) work without a display.

Subcommands are contributed by other modules: each of ``SUBCOMMAND_MODULES`` that exists defines
``register(subparsers) -> None`` and gives its parser ``set_defaults(run=callable(args) -> int)``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from agencydesk import APP_NAME, __version__

PROFILE_HELP = (
    "the profile directory holding the cache, settings and logs "
    "(default: the platform's user data directory)"
)
SUBCOMMAND_MODULES = (
    "agencydesk.cli.accounts",
    "agencydesk.cli.sync",
    "agencydesk.cli.csv",
    "agencydesk.cli.meanings",
    "agencydesk.cli.team",
)


def _register_subcommands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            # Skip only a module that is not written yet; a missing dependency inside it is a bug.
            if error.name == name:
                continue
            raise
        module.register(subparsers)


def add_profile_argument(parser: argparse.ArgumentParser) -> None:
    """``--profile DIR`` for a subcommand. SUPPRESS keeps a subcommand from overwriting the value
    given before the command (``agencydesk --profile X account list``) with its own default."""
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=PROFILE_HELP
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agencydesk",
        description=f"{APP_NAME}: a keyboard-driven workstation for insurance agencies. "
        "Without a command it opens the main window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--profile", type=Path, metavar="DIR", help=PROFILE_HELP)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a throwaway profile filled with the built-in demo book",
    )
    parser.add_argument(
        "--team",
        metavar="URL",
        help="open Settings on this team book's address (postgresql+psycopg://SEAT@HOST/DB) "
        "to join it with the seat's password",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    _register_subcommands(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "run", None)
    if run is not None:
        return int(run(args))
    if args.demo and args.profile is not None:
        parser.error("--demo makes its own throwaway profile; leave out --profile")
    from agencydesk.app import run_gui  # Qt is imported only when the window is wanted

    return run_gui(profile_dir=args.profile, demo=args.demo, team_url=args.team or "")


if __name__ == "__main__":
    sys.exit(main())
