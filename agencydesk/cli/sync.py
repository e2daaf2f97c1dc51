"""``agencydesk sync --profile DIR [--account LABEL]``: send what waits in the outbox and read
every account's vendor into the profile's book, headless. Prints one summary line per account
and exits 1 if any account failed (2 when the profile or the account cannot be used, or when
another process is syncing the profile: it names that process after a bounded wait)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

from agencydesk.cli import add_profile_argument

if TYPE_CHECKING:
    from agencydesk.store.book import Book
    from agencydesk.sync.events import SyncEvent

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="sync vendor accounts with the local book",
        description="Send local changes waiting in the outbox, then read every account (or the "
        "one named) from where the last sync stopped. Exits 1 if any account failed.",
    )
    add_profile_argument(parser)
    parser.add_argument("--account", metavar="LABEL", help="only this account")
    parser.add_argument(
        "--lock-wait",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long to wait for another sync of this profile to finish (default 10)",
    )
    parser.add_argument(
        "--send-only",
        action="store_true",
        help="only send the changes waiting in the outbox; read nothing",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from agencydesk.profile import ProfileError, prepare_profile
    from agencydesk.store.book import Book, CacheError

    try:
        profile = prepare_profile(getattr(args, "profile", None))
        book = Book.open(profile.cache_path, progress=_err)  # a big cache: why it takes a moment
    except (ProfileError, CacheError) as exc:
        _err(f"agencydesk sync: {exc}")
        return EXIT_UNUSABLE
    try:
        return asyncio.run(
            _sync(book, args.account, read=not args.send_only, lock_wait=args.lock_wait)
        )
    except KeyboardInterrupt:
        _err("agencydesk sync: interrupted; the next sync goes on from here")
        return EXIT_FAILED
    finally:
        book.close()


async def _sync(
    book: Book, only: str | None, *, read: bool = True, lock_wait: float | None = None
) -> int:

    from agencydesk.services.accounts import AccountStore
    from agencydesk.services.vendor_catalog import new_http_client
    from agencydesk.sync.registry import AccountRegistry
    from agencydesk.sync.send_lock import DEFAULT_WAIT_S, SendLock, SendLockBusy
    from agencydesk.sync.sync_run import SyncRun

    store = AccountStore(book)
    async with new_http_client() as http:
        # This process's one registry (one rate limiter per account), as the window's.
        registry = AccountRegistry(book, http, store.credentials)
        lock = SendLock.beside(book.path, wait_s=DEFAULT_WAIT_S if lock_wait is None else lock_wait)
        run = SyncRun(book, registry, only=only, on_event=_show_waits, send_lock=lock, read=read)
        try:
            outcome = await run.run()
        except SendLockBusy as busy:  # taken before anything is sent or stored
            _err(f"agencydesk sync: {busy}")
            return EXIT_UNUSABLE
    if only is not None and not outcome.reports and outcome.problems:
        _err(f"agencydesk sync: {outcome.problems[0].message}")
        return EXIT_UNUSABLE
    if not outcome.reports and not outcome.problems:
        _out("No accounts to sync: add one with `agencydesk account add`.")
        return EXIT_OK
    for report in outcome.reports:
        _out(report.summary())
    for problem in outcome.problems:
        _out(f"{problem.account}: FAILED, {problem.message}")
    return EXIT_OK if outcome.ok else EXIT_FAILED


def _show_waits(event: SyncEvent) -> None:
    """Only what a person watching needs: why nothing seems to happen."""
    from agencydesk.sync.events import AccountStatus, Phase

    if isinstance(event, AccountStatus) and event.phase is Phase.WAITING and event.waiting_s >= 5:
        _err(f"{event.account}: {event.text}")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
