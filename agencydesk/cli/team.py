"""The team book on the command line (issue 14).

    agencydesk hub --database postgresql+psycopg://hub@/agency [--secrets-file F] [--interval 10]
                   [--log-level debug|info|warning|error]   (the log: plain lines on stderr)
    agencydesk hub account add|list|test|remove --database URL …   (like ``agencydesk account``)
    agencydesk hub seat add NAME --database URL [--password -]     (a desk's PostgreSQL role)
    agencydesk hub seat remove NAME --database URL
    agencydesk team join URL --profile DIR [--password -]          (this desk joins the book)
    agencydesk team sync --profile DIR [--watch]                   (pull now, or keep following)
    agencydesk team leave --profile DIR

The hub's database password is not taken here: libpq finds it (peer authentication on the
server's socket, ``~/.pgpass``, or ``PGPASSWORD`` from a systemd credential). A desk's seat
password goes to the OS keyring, never the profile's settings or cache.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from agencydesk.cli import add_profile_argument

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import Connection

    from agencydesk.services.team.desk import DeskReplica
    from agencydesk.store.book import Book

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


def _database(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database", required=True, metavar="URL", help="the team database: postgresql+psycopg://"
    )
    parser.add_argument(
        "--secrets-file",
        type=Path,
        metavar="FILE",
        help="keep vendor secrets in this owner-only file instead of the OS keyring (servers)",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from agencydesk.cli.accounts import add_account_commands

    hub = subparsers.add_parser(
        "hub",
        help="run the team hub: sync the agency's accounts into PostgreSQL for every desk",
        description="Without a command: run the hub service in the foreground until stopped.",
    )
    hub.add_argument("--database", metavar="URL", help="the team database: postgresql+psycopg://")
    hub.add_argument("--secrets-file", type=Path, metavar="FILE", help="see `hub account add`")
    hub.add_argument(
        "--interval", type=float, default=10.0, metavar="MIN", help="minutes between full reads"
    )
    hub.add_argument("--once", action="store_true", help="one round, then exit (1 if it failed)")
    hub.add_argument(
        "--log-level",
        metavar="LEVEL",
        help="debug, info, warning or error (default: $AGENCYDESK_LOG_LEVEL, else info); "
        "the log goes to stderr, one plain line a record, as systemd's journal reads it",
    )
    hub.set_defaults(run=run_hub)
    commands = hub.add_subparsers(title="hub commands", metavar="COMMAND")
    account = commands.add_parser("account", help="the hub's vendor accounts")
    add_account_commands(account, _database)
    seat = commands.add_parser("seat", help="desks' sign-ins to the team database")
    seat_commands = seat.add_subparsers(metavar="ACTION", required=True)
    seat_add = seat_commands.add_parser("add", help="create a desk's PostgreSQL role")
    _database(seat_add)
    seat_add.add_argument("name", metavar="NAME")
    seat_add.add_argument("--password", default="", help="'-' reads it from stdin")
    seat_add.set_defaults(run=run_seat_add)
    seat_remove = seat_commands.add_parser("remove", help="drop a desk's role")
    _database(seat_remove)
    seat_remove.add_argument("name", metavar="NAME")
    seat_remove.set_defaults(run=run_seat_remove)

    team = subparsers.add_parser("team", help="this desk in the agency's team book")
    team_commands = team.add_subparsers(metavar="ACTION", required=True)
    join = team_commands.add_parser("join", help="make this profile a replica of the team book")
    add_profile_argument(join)
    join.add_argument("url", metavar="URL", help="postgresql+psycopg://SEAT@HOST/DB")
    join.add_argument("--password", default="", help="the seat's password ('-': stdin)")
    join.set_defaults(run=run_join)
    sync = team_commands.add_parser("sync", help="pull the team book and ship local edits")
    add_profile_argument(sync)
    sync.add_argument("--watch", action="store_true", help="keep following until Ctrl+C")
    sync.set_defaults(run=run_team_sync)
    leave = team_commands.add_parser("leave", help="stop following the team book")
    add_profile_argument(leave)
    leave.set_defaults(run=run_leave)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _secret(value: str, prompt: str) -> str:
    if value == "-":
        return sys.stdin.readline().rstrip("\r\n")
    if value:
        return value
    return getpass.getpass(prompt) if sys.stdin.isatty() else ""


# --- the hub ------------------------------------------------------------------------------------
def run_hub(args: argparse.Namespace) -> int:
    if not args.database:
        _err("agencydesk hub: --database URL is required (postgresql+psycopg://USER@HOST/DB)")
        return EXIT_UNUSABLE
    from agencydesk.services.team.hub_logging import BadLogLevel, hub_log_level, setup_hub_logging

    try:
        level = hub_log_level(args.log_level)
    except BadLogLevel as exc:
        _err(f"agencydesk hub: {exc}")
        return EXIT_UNUSABLE
    undo_logging = setup_hub_logging(level)
    try:
        return _run_hub(args)
    finally:
        undo_logging()


def _run_hub(args: argparse.Namespace) -> int:
    from agencydesk.services.team.hub_secrets import SecretsFileError, use_hub_secrets
    from agencydesk.store.book import Book, CacheError

    try:
        where = use_hub_secrets(args.secrets_file)
        book = Book.open_team(args.database)
    except (SecretsFileError, CacheError) as exc:
        _err(f"agencydesk hub: {exc}")
        return EXIT_UNUSABLE
    except Exception as exc:  # psycopg's connection errors: say which database, exit 2
        _err(f"agencydesk hub: cannot open the team database: {_first_line(exc)}")
        return EXIT_UNUSABLE
    _out(f"AgencyDesk hub on {book.path}; vendor secrets in {where}")
    from agencydesk.sync.send_lock import SendLockBusy

    try:
        return asyncio.run(_serve(book, args))
    except SendLockBusy as busy:  # another hub sends for this team database (any server)
        who = f" (its database session: server process {busy.pid})" if busy.pid else ""
        _err(f"agencydesk hub: another hub is already sending for this team database{who}; "
             "nothing was sent. Run one hub per team book.")  # fmt: skip
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        book.close()


async def _serve(book: Book, args: argparse.Namespace) -> int:
    import httpx

    from agencydesk.services.accounts import AccountStore
    from agencydesk.services.team.hub import HubRound, TeamHub

    store = AccountStore(book)
    async with httpx.AsyncClient() as http:
        hub = TeamHub(book, http, store.credentials)
        if args.once:
            done = await hub.run_round()
            for line in done.lines():
                _out(line)
            failed = done.problems or any(not r.ok for r in done.reports)
            return EXIT_FAILED if failed else EXIT_OK
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)

        def show(done: HubRound) -> None:
            for line in done.lines():
                _out(line)

        await hub.run(args.database, None, interval_s=args.interval * 60, stop=stop, on_round=show)
    return EXIT_OK


def _change_seats(
    args: argparse.Namespace, verb: str, change: Callable[[Connection], None], done: str
) -> int:
    """Open the team database as its owner and run ``change`` in one transaction."""
    from agencydesk.services.team.seats import SeatError
    from agencydesk.store.book import Book

    try:
        book = Book.open_team(args.database)
    except Exception as exc:  # psycopg's connection errors: say which database, exit 2
        _err(f"agencydesk hub seat {verb}: cannot open the team database: {_first_line(exc)}")
        return EXIT_UNUSABLE
    try:
        with book.engine.begin() as conn:
            change(conn)
    except SeatError as exc:
        _err(f"agencydesk hub seat {verb}: {exc}")
        return EXIT_FAILED
    finally:
        book.close()
    _out(done)
    return EXIT_OK


def run_seat_add(args: argparse.Namespace) -> int:
    from agencydesk.services.team.seats import add_seat

    password = _secret(args.password, f"Password for seat {args.name}: ")
    return _change_seats(
        args,
        "add",
        lambda conn: add_seat(conn, args.name, password),
        f"Seat '{args.name}' can sign in to the team book (read, and ship its own edits).",
    )


def run_seat_remove(args: argparse.Namespace) -> int:
    from agencydesk.services.team.seats import remove_seat

    return _change_seats(
        args, "remove", lambda conn: remove_seat(conn, args.name), f"Seat '{args.name}' removed."
    )


# --- a desk -------------------------------------------------------------------------------------
def _open_desk(args: argparse.Namespace) -> Book:
    from agencydesk.profile import prepare_profile
    from agencydesk.store.book import Book

    profile = prepare_profile(getattr(args, "profile", None))
    return Book.open(profile.cache_path)


def run_join(args: argparse.Namespace) -> int:
    from agencydesk.services.team.join_problems import explain
    from agencydesk.services.team.membership import TeamMembership, TeamSetupError
    from agencydesk.store.postgres_engine import redacted

    password = _secret(args.password, "Seat password: ")
    book = _open_desk(args)
    try:
        result = TeamMembership(book).join(args.url, password or None)
    except Exception as exc:  # every failure is told as the window tells it (join_problems)
        problem = explain(exc, password)
        _err(f"agencydesk team join: {redacted(args.url)}: {problem.headline}")
        if problem.details:
            _err(f"Details: {problem.details}")
        return EXIT_UNUSABLE if isinstance(exc, TeamSetupError) else EXIT_FAILED
    finally:
        book.close()
    _out(f"Joined {redacted(args.url)}: {result.copied:,} records copied to this desk.")
    return EXIT_OK


def _desk(args: argparse.Namespace) -> tuple[Book, DeskReplica] | None:
    from agencydesk.services.team.membership import TeamMembership

    book = _open_desk(args)
    desk = TeamMembership(book).desk_replica()
    if desk is None:
        book.close()
        _err("agencydesk team: this profile has not joined a team book: `agencydesk team join`")
        return None
    return book, desk


def run_team_sync(args: argparse.Namespace) -> int:
    from agencydesk.services.team.desk import TeamUnreachable

    opened = _desk(args)
    if opened is None:
        return EXIT_UNUSABLE
    book, desk = opened
    try:
        if args.watch:
            return asyncio.run(_watch(desk))
        shipped = desk.push().shipped
        result = desk.pull()
        _out(f"Shipped {shipped} edit(s); {result.copied:,} records updated, {result.deleted:,} "
             f"removed (feed position {result.last_seq}).")  # fmt: skip
        return EXIT_OK
    except TeamUnreachable as exc:
        _err(f"agencydesk team sync: {exc}; your edits wait on this desk")
        return EXIT_FAILED
    finally:
        desk.close()
        book.close()


async def _watch(desk: DeskReplica) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await desk.watch(
        stop,
        on_pull=lambda r: _out(
            f"{r.copied:,} updated, {r.deleted:,} removed (feed position {r.last_seq})"
        ),
    )
    return EXIT_OK


def run_leave(args: argparse.Namespace) -> int:
    from agencydesk.services.team.membership import TeamMembership

    book = _open_desk(args)
    try:
        TeamMembership(book).leave()
    finally:
        book.close()
    _out("This desk no longer follows the team book; its records stay as they are.")
    return EXIT_OK


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
