"""One account registry per process: the sync, "theirs" in a conflict and LeadExec search all
reach an account through its ONE rate limiter; and one outbox count, with three meanings kept
apart, for the CLI and the GUI."""

from __future__ import annotations

from dataclasses import replace

import pytest

from agencydesk.domain import Lead, RecordKind
from agencydesk.services.book_reads import BookReads
from agencydesk.services.sync_services import build_sync_services
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp, OutboxState
from agencydesk.sync.outbox_counts import OutboxCounts, outbox_counts
from agencydesk.vendors.agencyzoom.mapping import lead_from
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.leadexec.mapping import national_digits
from tests.sync.conftest import ACCOUNT


def _limiter_of(connector: object) -> object:
    return connector.client.http.limiter  # type: ignore[attr-defined]


@pytest.mark.asyncio
async def test_every_caller_gets_the_accounts_one_limiter(book: Book) -> None:
    book.ledgers.save_account(AccountRow("LX", "leadexec", "http://127.0.0.1:1"))
    async with new_http_client() as http:
        services = build_sync_services(book, http)
        registry = services.registry
        [row] = [r for r in book.ledgers.accounts() if r.label == "LX"]
        synced, _ = await registry.connect("LX")
        searched = await registry.connector_for("LX")
        theirs = services.conflicts._reader("leadexec", "LX")
        own = await registry.limiter(row)
        assert _limiter_of(synced[0]) is own
        assert _limiter_of(searched) is own
        assert _limiter_of(theirs) is own
        az = await registry.connector_for(ACCOUNT)
        assert _limiter_of(az) is not own  # each account its own
        for connector in (*synced, searched, az):
            await connector.aclose()


def test_outbox_counts_keep_waiting_refused_and_conflicts_apart(book: Book) -> None:
    payloads = [
        {"id": 500 + n, "firstname": f"N{n}", "lastname": "Fox", "status": 0} for n in range(4)
    ]
    ids = book.ledgers.store_page(ACCOUNT, "leads", [lead_from(p, ACCOUNT) for p in payloads])
    for record_id in ids:
        lead = book.get(RecordKind.LEAD, record_id)
        assert isinstance(lead, Lead)
        book.ledgers.save_local_edit(
            replace(lead, city="Dallas"), OutboxOp.UPDATE, {"city": "Dallas"}
        )
    first, second, *_rest = book.ledgers.outbox()
    book.ledgers.outbox_failed(first.id, "bad phone", OutboxState.FAILED)
    book.ledgers.outbox_failed(second.id, "raced", OutboxState.CONFLICT)
    counts = outbox_counts(book)[ACCOUNT]
    assert counts == OutboxCounts(waiting=2, refused=1, conflicts=1)
    assert counts.describe() == "2 waiting, 1 refused, 1 conflict"
    assert outbox_counts(book).get("nobody", OutboxCounts()).describe() == "nothing waiting"
    summary = BookReads(book).accounts_summary()  # what the status bar and Sync menu show
    assert summary.counts(ACCOUNT) == counts
    assert summary.conflicts == 1
    assert [(e.id, e.last_error) for e in summary.refused[ACCOUNT]] == [(first.id, "bad phone")]


def test_leadexec_phones_are_sent_as_national_digits() -> None:
    assert national_digits("+15125550142") == "5125550142"
    assert national_digits("(512) 555-0142") == "5125550142"
    assert national_digits("+445125550142") == "445125550142"  # only the US/Canada 1 is dropped
