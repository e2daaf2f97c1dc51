"""``agencydesk import FILE --tab TAB --into LABEL``: import into a vendor account, headless.

Every row is checked against the vendor's rules first; the summary names each row the vendor
would refuse. With refused or invalid rows nothing is queued (exit 1) unless --skip-invalid;
then the records are queued in the account's outbox in one transaction and sent at once, with
progress on stderr, and every row that did not reach the vendor is named with the reason."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agencydesk.domain import RecordKind
    from agencydesk.services.csv_io.into_account import AccountImport
    from agencydesk.store.book import Book
    from agencydesk.sync.events import SyncEvent

EXIT_OK, EXIT_REFUSED, EXIT_UNUSABLE = 0, 1, 2
SHOWN = 50


def run_import_into(
    args: argparse.Namespace, book: Book, kind: RecordKind, preset: dict[str, str] | None
) -> int:
    from agencydesk.services.csv_io import MatchOn, OnDuplicate
    from agencydesk.services.csv_io.into_account import account_choices, queue_import
    from agencydesk.services.csv_io.run import plan_file_into_account

    path: Path = args.file
    account = next((a for a in book.ledgers.accounts() if a.label == args.into), None)
    if account is None:
        labels = ", ".join(a.label for a in book.ledgers.accounts()) or "none yet"
        _err(f"no account called '{args.into}' (accounts: {labels})")
        return EXIT_UNUSABLE
    [choice] = account_choices([account], kind)
    if choice.why_not:
        _err(f"{account.label}: {choice.why_not}")
        return EXIT_UNUSABLE
    report = plan_file_into_account(
        book,
        path,
        kind,
        account,
        preset=preset,
        match_on=MatchOn(args.match) if args.match else None,
        on_duplicate=OnDuplicate(args.on_duplicate),
        skip_invalid=args.skip_invalid,
    )
    plan = report.plan
    for row_error in report.errors[:SHOWN]:
        _out(f"{path.name}: {row_error}")
    _print_refusals(path, plan)
    _out(plan.describe() + (", " + f"{len(report.errors):,} errors" if report.errors else ""))
    if note := plan.describe_not_carried():
        _out(note)
    blocked = (report.errors or plan.refused) and not args.skip_invalid
    if args.dry_run:
        _out("Dry run: nothing was queued or sent.")
        return EXIT_REFUSED if blocked else EXIT_OK
    if blocked:
        _err(
            "Nothing was queued or sent: fix the rows above, or use --skip-invalid to send the "
            "others."
        )
        return EXIT_REFUSED
    if not plan.sends:
        _out(f"Nothing to send to {account.label}.")
        return EXIT_OK
    rows_by_id = queue_import(book, plan)
    _out(f"Queued {len(rows_by_id):,} in {account.label}'s outbox; sending…")
    return asyncio.run(_send(book, account.label, account.vendor, rows_by_id, path))


def _print_refusals(path: Path, plan: AccountImport) -> None:
    for refusal in plan.refused[:SHOWN]:
        _out(f"{path.name}: {refusal} (not sent)")
    if len(plan.refused) > SHOWN:
        _out(f"… and {len(plan.refused) - SHOWN:,} more rows that would be refused.")


async def _send(
    book: Book, label: str, vendor: str, rows_by_id: dict[int, tuple[int, ...]], path: Path
) -> int:

    from agencydesk.services.accounts import AccountStore
    from agencydesk.services.csv_io.into_account import send_result
    from agencydesk.services.vendor_catalog import new_http_client
    from agencydesk.sync.registry import AccountRegistry
    from agencydesk.sync.send_lock import DEFAULT_WAIT_S, SendLock, SendLockBusy
    from agencydesk.sync.sync_run import SyncRun

    total = len(rows_by_id)

    def progress(event: SyncEvent) -> None:
        from agencydesk.sync.events import SyncProgress

        if isinstance(event, SyncProgress) and not event.stream and event.records:
            _err(f"{label}: sent {min(event.records, total):,} of {total:,}")

    store = AccountStore(book)
    async with new_http_client() as http:
        registry = AccountRegistry(book, http, store.credentials)
        lock = SendLock.beside(book.path, wait_s=DEFAULT_WAIT_S)
        run = SyncRun(book, registry, only=label, on_event=progress, send_lock=lock, read=False)
        try:
            outcome = await run.run()
        except SendLockBusy as busy:
            _err(f"{busy}; the records wait in the outbox for the next sync")
            return EXIT_REFUSED
    for problem in outcome.problems:
        _err(f"{problem.account}: {problem.message}; the records wait in the outbox")
    for sync_report in outcome.reports:
        if sync_report.error:
            _err(f"{sync_report.account}: {sync_report.error}")
    result = await asyncio.to_thread(send_result, book, label, rows_by_id)
    for refusal in result.not_sent[:SHOWN]:
        _out(f"{path.name}: {refusal}")
    _out(result.describe(vendor))
    return EXIT_OK if not result.not_sent else EXIT_REFUSED


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
