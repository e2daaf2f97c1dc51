"""One rule per vendor for what is a real change: the store (a pulled record whose edit still
waits turns CONFLICT) and the vendor's pusher (an update refused as a conflict) give the same
verdict, case by case, against each vendor's sandbox. Each case: read a record, queue a local
edit of it, let "someone" change it at the vendor, read it again into the store, then send the
edit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from agencydesk.domain import Record, SyncState
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp
from agencydesk.vendors.agencyzoom import mapping as agencyzoom_mapping
from agencydesk.vendors.change_rules import change_rule_of
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.connector import CONFIRMED_LOSS, Connector, PushRequest
from tests.book_files import fresh_book
from tests.vendors.test_agencybloc_connector import _read as agencybloc_policy
from tests.vendors.test_agencybloc_support import agencybloc
from tests.vendors.test_agencyzoom_support import agencyzoom
from tests.vendors.test_conecrm_connector import an_account
from tests.vendors.test_conecrm_support import conecrm
from tests.vendors.test_leadexec_connector import customers
from tests.vendors.test_leadexec_support import leadexec
from tests.vendors.test_lofty_connector import _lead as lofty_lead
from tests.vendors.test_lofty_support import lofty

pytestmark = [pytest.mark.asyncio, pytest.mark.sandbox]

Reread = Callable[[], Awaitable[Record]]


@pytest.fixture
def book(tmp_path: Path, empty_cache: Path) -> Iterator[Callable[[], Book]]:
    """A fresh book per case (each case edits the same record)."""
    opened: list[Book] = []

    def fresh() -> Book:
        opened.append(fresh_book(empty_cache, tmp_path / f"cache{len(opened)}.sqlite3"))
        return opened[-1]

    yield fresh
    for each in opened:
        each.close()


async def verdicts(
    new_book: Callable[[], Book],
    connector: Connector,
    before: Record,
    reread: Reread,
    changes: dict[str, Any],
    at_vendor: Callable[[], None],
) -> tuple[bool, bool]:
    """(the store saw a conflict, the pusher refused one) for one vendor edit."""
    rule = change_rule_of(connector.vendor)
    book = new_book()
    account = before.provenance.account
    [local_id] = book.ledgers.store_page(account, "s", [before], change_rule=rule)
    stored = book.get(before.kind, local_id)
    assert stored is not None
    book.ledgers.save_local_edit(stored, OutboxOp.UPDATE, changes)
    at_vendor()
    after = await reread()
    book.ledgers.store_page(account, "s", [after], change_rule=rule)
    now = book.get(before.kind, local_id)
    assert now is not None
    store_says = now.sync_state is SyncState.CONFLICT
    [entry] = [e for e in book.ledgers.outbox() if e.record_id == local_id]
    sent = dict(changes)
    at_risk = getattr(connector, "fields_at_risk", None)
    if at_risk is not None:  # the user confirmed what the vendor would clear (the edit dialog)
        sent[CONFIRMED_LOSS] = at_risk(before.kind, stored, changes)
    request = PushRequest(
        "update",
        before.kind,
        replace(stored, **changes),  # type: ignore[arg-type]
        before.provenance.remote_id,
        sent,
        entry.base,  # as the store gives it back
    )
    try:
        await connector.push(request)
        push_says = False
    except errors.Conflict:
        push_says = True
    return store_says, push_says


async def agencyzoom_listed(rig: Any, rid: str | None = None) -> Record:
    """A lead as the leads listing gives it (the first one, or ``rid``); its notes are not
    needed here, so the stream's per-lead note calls are spared."""
    for page in range(10):
        body = {"page": page, "pageSize": 100, "sort": "lastActivityDate", "order": "asc"}
        found = await rig.client.search_leads(body)
        for item in found.items:
            if rid is None or str(item["id"]) == rid:
                return agencyzoom_mapping.lead_from(item, rig.connector.account)
    raise AssertionError(f"lead {rid} is not listed")


async def test_agencyzoom_lead_activity_is_no_change_a_phone_is(
    book: Callable[[], Book],
) -> None:
    async with agencyzoom() as rig:
        cases = [
            ("nothing", lambda rid: None, False),
            # Someone logged a call: the lead's last activity moves, nothing in it is edited.
            (
                "activity",
                lambda rid: setattr(
                    rig.state.leads[int(rid)], "last_activity", rig.sandbox.clock.now()
                ),
                False,
            ),
            (
                "phone",
                lambda rid: rig.sandbox.edit_at_vendor("lead", rid, {"phone": "5125550199"}),
                True,
            ),
        ]
        for what, edit, expected in cases:
            lead = await agencyzoom_listed(rig)
            rid = lead.provenance.remote_id
            rig.sandbox.clock.advance(3600)
            got = await verdicts(
                book,
                rig.connector,
                lead,
                partial(agencyzoom_listed, rig, rid),
                {"city": f"Austin {what}"},
                partial(edit, rid),
            )
            assert got == (expected, expected), what


async def test_lofty_lead_score_is_no_change_a_city_is(book: Callable[[], Book]) -> None:
    async with lofty() as rig:
        cases = [
            ("nothing", {}, False),
            ("score", {"score": 97}, False),  # Lofty's own scoring: no one edited the lead
            ("city", {"city": "Elsewhere"}, True),
        ]
        for what, at_vendor, expected in cases:
            lead = await lofty_lead(rig)
            rid = lead.provenance.remote_id

            def edit(rid: str = rid, at_vendor: dict[str, Any] = at_vendor) -> None:
                if at_vendor:
                    rig.sandbox.edit_at_vendor("lead", rid, dict(at_vendor))

            got = await verdicts(
                book,
                rig.connector,
                lead,
                lambda rid=rid: lofty_lead(rig, rid),  # type: ignore[misc]
                {"first_name": f"Mine {what}"},
                edit,
            )
            assert got == (expected, expected), what


async def test_agencybloc_policy_number_is_a_change(book: Callable[[], Book]) -> None:
    async with agencybloc() as rig:
        cases = [("nothing", {}, False), ("number", {"policyNumber": "CHANGED-1"}, True)]
        for what, at_vendor, expected in cases:
            policy = await agencybloc_policy(rig, "100004")

            def edit(at_vendor: dict[str, Any] = at_vendor) -> None:
                if at_vendor:
                    rig.sandbox.edit_at_vendor("policy", "100004", dict(at_vendor))

            got = await verdicts(
                book,
                rig.connector,
                policy,
                lambda: agencybloc_policy(rig, "100004"),
                {"premium_cents": 100 + len(what)},
                edit,
            )
            assert got == (expected, expected), what


async def test_leadexec_field_values_are_compared_one_by_one(book: Callable[[], Book]) -> None:
    async with leadexec() as rig:
        cases = [("nothing", {}, False), ("email", {"Email": "x@y.example"}, True)]
        for what, at_vendor, expected in cases:
            target = customers(await rig.pull())[0]
            rid = target.provenance.remote_id

            def edit(rid: str = rid, at_vendor: dict[str, Any] = at_vendor) -> None:
                if at_vendor:
                    rig.sandbox.edit_at_vendor("client", rid, dict(at_vendor))

            async def again(rid: str = rid) -> Record:
                return next(c for c in customers(await rig.pull()) if c.provenance.remote_id == rid)

            got = await verdicts(
                book, rig.connector, target, again, {"city": f"Pflugerville {what}"}, edit
            )
            assert got == (expected, expected), what


async def test_conecrm_account_email_is_a_change(book: Callable[[], Book]) -> None:
    async with conecrm() as rig:
        cases = [("nothing", {}, False), ("email", {"primaryEmail": "x@y.example"}, True)]
        for what, at_vendor, expected in cases:
            account = await an_account(rig)
            rid = account.provenance.remote_id

            def edit(rid: str = rid, at_vendor: dict[str, Any] = at_vendor) -> None:
                if at_vendor:
                    rig.sandbox.edit_at_vendor("account", rid.split(":")[1], dict(at_vendor))

            async def again(rid: str = rid) -> Record:
                from tests.vendors.test_conecrm_connector import records

                found = records(await rig.pull("customers"))
                return next(r for r in found if r.provenance.remote_id == rid)

            got = await verdicts(
                book, rig.connector, account, again, {"city": f"Austin {what}"}, edit
            )
            assert got == (expected, expected), what
