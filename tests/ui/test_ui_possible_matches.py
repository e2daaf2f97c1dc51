"""View > Possible matches (issue 11) over a book synced from the five sandboxes: pairs that share
an email under different names are listed; "Not the same person" and "Link" are stored, the list
and the tabs follow, and both decisions hold through a real re-sync."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from pytestqt.qtbot import QtBot

from agencydesk.domain import Customer, Lead, Provenance, RecordKind
from agencydesk.profile import Profile
from agencydesk.services.accounts import AccountStore
from agencydesk.services.demo_sandboxes import DEMO_RATE_SCALE, DemoSandboxes, fill_demo_profile
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp
from agencydesk.store.queries import ListQuery
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.registry import AccountRegistry
from agencydesk.ui.possible_matches import MATCH_ROLE, PossibleMatchesDialog
from tests.ui.conftest import settle

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]


@dataclass
class SyncedBook:
    book: Book
    demo: DemoSandboxes


@pytest.fixture
def synced(profile: Profile) -> Iterator[SyncedBook]:
    book = Book.open(profile.cache_path)

    async def fill() -> DemoSandboxes | None:
        async with httpx.AsyncClient(timeout=30) as http:
            demo, reports = await fill_demo_profile(book, http)
            assert len(reports) == 5
            assert all(r.ok for r in reports)
            return demo

    demo = asyncio.run(fill())
    assert demo is not None
    yield SyncedBook(book, demo)
    demo.stop()
    book.close()


async def _resync(book: Book) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        registry = AccountRegistry(
            book, http, AccountStore(book).secrets, rate_scale=DEMO_RATE_SCALE
        )
        connectors, problems = await registry.connect()
        assert not problems, problems
        try:
            reports = await SyncEngine(book, connectors, limiters=registry.limiters).sync()
        finally:
            for connector in connectors:
                await connector.aclose()
    assert all(r.ok for r in reports), [r.summary() for r in reports]


def _lone_customers(book: Book, count: int) -> list[Customer]:
    """AgencyZoom customers with an email that nothing else shares."""
    found = []
    for item in book.iter_rows(RecordKind.CUSTOMER, ListQuery()):
        record = item.record
        if (
            isinstance(record, Customer)
            and record.provenance.vendor == "agencyzoom"
            and record.email
            and record.id is not None
            and not book.links.group(RecordKind.CUSTOMER, record.id)
            and not book.links.suggestions(RecordKind.CUSTOMER, record.id)
        ):
            found.append(record)
            if len(found) == count:
                return found
    raise AssertionError("the sandboxes hold too few customers")


def _lofty_lead(book: Book, first: str, customer: Customer) -> int:
    """A Lofty lead (created here, sent at the next sync) with the customer's email."""
    lofty = next(a.label for a in book.ledgers.accounts() if a.vendor == "lofty")
    lead = Lead(
        provenance=Provenance(vendor="lofty", account=lofty),
        first_name=first,
        last_name=customer.last_name,
        email=customer.email,
    )
    saved = book.ledgers.save_local_edit(lead, OutboxOp.CREATE, {})
    assert saved.id is not None
    return saved.id


def _rows(dialog: PossibleMatchesDialog) -> dict[tuple[int, int], int]:
    """(lead id, customer id) -> row, for the pairs of a lead and a customer."""
    found = {}
    for row in range(dialog.model.rowCount()):
        match = dialog.model.index(row, 0).data(MATCH_ROLE)
        sides = {match.a.kind: match.a.id, match.b.kind: match.b.id}
        if set(sides) == {RecordKind.LEAD, RecordKind.CUSTOMER}:
            found[(sides[RecordKind.LEAD], sides[RecordKind.CUSTOMER])] = row
    return found


def _decide(qtbot: QtBot, dialog: PossibleMatchesDialog, row: int, button: str) -> str:
    dialog.view.selectRow(row)
    assert dialog.selected() == dialog.model.index(row, 0).data(MATCH_ROLE)
    with (
        qtbot.waitSignal(dialog.decided, timeout=20_000) as said,
        qtbot.waitSignal(dialog.loaded, timeout=20_000),
    ):
        getattr(dialog, f"{button}_button").click()
    return str(said.args[0])


def test_possible_matches_are_listed_decided_and_the_decisions_survive_a_resync(
    qtbot: QtBot, synced: SyncedBook, profile: Profile, qtmodeltester
) -> None:
    from agencydesk.app import build_main_window

    book = synced.book
    spouse_of, nickname_of = _lone_customers(book, 2)
    spouse = _lofty_lead(book, "Spousal", spouse_of)
    nickname = _lofty_lead(book, "Bobby", nickname_of)
    book.links.relink()

    window = build_main_window(book, profile)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot, window)
    with qtbot.waitSignal(window.possible_matches().loaded, timeout=10_000):
        pass
    dialog = window.possible_matches()  # the same dialog, raised again
    assert dialog.isVisible()
    qtmodeltester.check(dialog.model)
    rows = _rows(dialog)
    assert (spouse, spouse_of.id) in rows
    assert (nickname, nickname_of.id) in rows
    total = dialog.model.rowCount()
    assert f"{total:,} pair" in dialog.summary.text()
    row = rows[(spouse, spouse_of.id)]
    assert dialog.model.index(row, 4).data() == f"same email {spouse_of.email.lower()}, " + (
        "different names"
    )

    said = _decide(qtbot, dialog, rows[(spouse, spouse_of.id)], "apart")
    assert said.startswith("Kept ")
    assert said.endswith("apart: not suggested again")
    assert (spouse, spouse_of.id) not in _rows(dialog)
    assert dialog.model.rowCount() == total - 1
    assert dialog.selected() is not None  # the next pair, ready for the next decision

    said = _decide(qtbot, dialog, _rows(dialog)[(nickname, nickname_of.id)], "link")
    assert said.endswith("one row now")
    assert (nickname, nickname_of.id) not in _rows(dialog)
    group = {(m.kind, m.id) for m in book.links.group(RecordKind.LEAD, nickname)}
    assert group >= {(RecordKind.LEAD, nickname), (RecordKind.CUSTOMER, nickname_of.id)}
    assert window.statusBar().currentMessage() == said
    # The Leads tab follows: the linked lead is flagged as a customer already.
    leads = window.tab_for(RecordKind.LEAD)
    leads.ensure_loaded()
    settle(qtbot, window)
    item = next(i for i in book.iter_rows(RecordKind.LEAD, ListQuery()) if i.record.id == nickname)
    assert item.customer_link is not None

    # A real re-sync sends both leads to Lofty, reads every vendor back and links again.
    asyncio.run(_resync(book))
    for lead_id in (spouse, nickname):
        stored = book.get(RecordKind.LEAD, lead_id)
        assert stored is not None
        assert stored.provenance.remote_id
    assert book.links.suggestions(RecordKind.LEAD, spouse) == []
    assert book.links.group(RecordKind.LEAD, spouse) == []
    group = {(m.kind, m.id) for m in book.links.group(RecordKind.LEAD, nickname)}
    assert (RecordKind.CUSTOMER, nickname_of.id) in group
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.reload()
    assert not {(spouse, spouse_of.id), (nickname, nickname_of.id)} & set(_rows(dialog))
    dialog.close()
    settle(qtbot, window)
