"""The outbox's states against the AgencyZoom sandbox (over httpx's ASGI transport): IN_FLIGHT is
committed before a request goes out; a create answered with no real id is UNLINKED, never sent
again, and linked later; one refused record fails alone (issue 15); a half-made update is
finished without a conflict against the user's own value; one sender per profile."""

from __future__ import annotations

import json
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from agencydesk.domain import Customer, Lead, LeadStatus, Provenance, RecordKind, SyncState
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.send_lock import SendLock, SendLockBusy
from agencydesk.vendors.agencyzoom import write_risk
from agencydesk.vendors.agencyzoom.connector import create_connector
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.client_kit.base import RetryPolicy
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.connector import CONFIRMED_LOSS
from agencydesk.vendors.sandbox_kit.after_apply import AfterApply, Applied
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from tests.book_files import fresh_book
from tests.sync.conftest import ACCOUNT, BASE


@dataclass
class Rule:
    method: str
    path: str  # regular expression, searched
    status: int = 200
    body: Any = None
    apply: bool = False  # True: the sandbox acts first, only its answer is replaced
    times: int = 1_000


@dataclass
class Tamper:
    """ASGI wrapper for vendor misbehaviour the document allows: an answer replaced (a create
    answering id 0), or a request refused (403 on one record, 503)."""

    app: Any
    rules: list[Rule] = field(default_factory=list)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        rule = self._rule(scope)
        if rule is None:
            await self.app(scope, receive, send)
            return
        rule.times -= 1
        if rule.apply:

            async def swallow(_message: Any) -> None:
                return None

            await self.app(scope, receive, swallow)
        data = json.dumps(rule.body).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(data))]
        await send({"type": "http.response.start", "status": rule.status, "headers": headers})
        await send({"type": "http.response.body", "body": data})

    def _rule(self, scope: Any) -> Rule | None:
        if scope["type"] != "http":
            return None
        for rule in self.rules:
            hit = scope["method"] == rule.method and re.search(rule.path, scope["path"])
            if hit and rule.times > 0:
                return rule
        return None


@dataclass
class Rig:
    book: Book
    sandbox: Sandbox
    tamper: Tamper
    hook: AfterApply
    engine: SyncEngine


@pytest_asyncio.fixture
async def rig(tmp_path: Path, empty_cache: Path) -> AsyncIterator[Rig]:
    from agencydesk.store.ledgers import AccountRow

    book = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    book.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", BASE))
    # A tiny book: these tests need records to create, edit and look up, not pages of them.
    sandbox = create_sandbox(SandboxOptions(size="tiny"))
    sandbox.extra["sandbox"].rate_limit_enabled = False
    hook = AfterApply(sandbox.app, "POST", r"^$", lambda _hit: None, times=0)
    tamper = Tamper(hook)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=tamper)) as http:
        limiter = AccountLimiter(100_000)
        connector = create_connector(ACCOUNT, BASE, dict(sandbox.credentials), http, limiter)
        connector.client.http.retry = RetryPolicy(attempts=2, base_delay_s=0.001, max_delay_s=0.01)
        engine = SyncEngine(book, [connector], limiters={ACCOUNT: limiter})
        yield Rig(book, sandbox, tamper, hook, engine)
    book.close()


def _customer(email: str) -> Customer:
    return Customer(
        provenance=Provenance(vendor="agencyzoom", account=ACCOUNT),
        first_name="Una",
        last_name="Vez",
        email=email,
    )


def _made(rig: Rig, email: str) -> list[int]:
    return [k for k, c in rig.sandbox.state.customers.items() if c.data.email == email]


@pytest.mark.asyncio
async def test_in_flight_is_committed_before_the_request_goes_out(rig: Rig) -> None:
    rig.book.ledgers.save_local_edit(_customer("seen@example.com"), OutboxOp.CREATE, {})
    seen: list[OutboxState] = []

    def look(_hit: Applied) -> None:  # the vendor has it; our answer is not back yet
        seen.extend(e.state for e in rig.book.ledgers.outbox(ACCOUNT))

    rig.hook.method, rig.hook.path, rig.hook.times = "POST", r"/customers/create$", 1
    rig.hook.on_applied = look
    [report] = await rig.engine.sync(read=False)
    assert seen == [OutboxState.IN_FLIGHT]
    assert report.sent == 1
    assert rig.book.ledgers.outbox(ACCOUNT) == []


@pytest.mark.asyncio
async def test_a_create_answered_with_id_0_is_never_resent_and_is_linked_later(rig: Rig) -> None:
    email = "zero@example.com"
    stored = rig.book.ledgers.save_local_edit(_customer(email), OutboxOp.CREATE, {})
    rig.tamper.rules.append(Rule("POST", r"/customers/create$", body={"id": 0}, apply=True))
    [report] = await rig.engine.sync(read=False)
    [entry] = rig.book.ledgers.outbox(ACCOUNT)
    assert entry.state is OutboxState.UNLINKED  # made, not yet linked
    assert "not sent again" in entry.last_error
    assert report.sent == 1
    assert len(_made(rig, email)) == 1
    # Nothing read customer 0 nor linked to it; the next sync's listing finds it, and the copy
    # the listing stored is linked to the record made here at once (one copy in the book).
    rig.tamper.rules.clear()
    await rig.engine.sync()
    assert len(rig.book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT)) == len(
        rig.sandbox.state.customers
    )
    [made] = _made(rig, email)  # still one: never sent again
    assert rig.book.ledgers.outbox(ACCOUNT) == []
    linked = rig.book.get(RecordKind.CUSTOMER, stored.id or 0)
    assert linked is not None
    assert linked.provenance.remote_id == str(made)
    assert linked.sync_state is SyncState.SYNCED


@pytest.mark.asyncio
async def test_one_refused_record_fails_alone_and_the_account_goes_on(rig: Rig) -> None:
    ids = sorted(rig.sandbox.state.customers)[:2]
    await rig.engine.sync()  # the book as a sync leaves it
    edits = []
    for remote_id in ids:
        found = rig.book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, str(remote_id))
        assert isinstance(found, Customer)
        edits.append(found)
        rig.book.ledgers.save_local_edit(
            replace(found, city="Round Rock"), OutboxOp.UPDATE, {"city": "Round Rock"}
        )
    rig.tamper.rules.append(
        Rule("PUT", rf"/customers/{ids[0]}$", status=403, body={"message": "Not your customer"})
    )
    [report] = await rig.engine.sync()
    (refused,) = rig.book.ledgers.outbox(ACCOUNT)
    assert refused.record_id == edits[0].id
    assert refused.state is OutboxState.REFUSED
    assert "Not your customer" in refused.last_error
    assert rig.sandbox.state.customers[ids[1]].data.city == "Round Rock"  # the next one went
    assert report.ok  # and the account was read
    assert report.records > 0


@pytest.mark.asyncio
async def test_a_half_made_update_is_finished_without_a_conflict_against_my_own_value(
    rig: Rig,
) -> None:
    await rig.engine.sync()
    lead_id = min(
        k
        for k, ld in rig.sandbox.state.leads.items()
        if ld.status == 0 and not ld.data.tagNames and ld.lead_type == "personal"
    )
    lead = rig.book.find_remote(RecordKind.LEAD, "agencyzoom", ACCOUNT, str(lead_id))
    assert isinstance(lead, Lead)
    changes: dict[str, Any] = {"city": "Pflugerville", "status": LeadStatus.WON.value}
    edited = replace(lead, city="Pflugerville", status=LeadStatus.WON)
    # The user agreed to what AgencyZoom's whole-lead PUT clears (issue 15's confirmation).
    changes[CONFIRMED_LOSS] = write_risk.fields_at_risk(RecordKind.LEAD, lead, changes)
    rig.book.ledgers.save_local_edit(edited, OutboxOp.UPDATE, changes)
    # The lead PUT goes through; the status call after it never gets an answer.
    rig.tamper.rules.append(Rule("PUT", rf"/leads/{lead_id}/status$", status=503, body={}))
    [first] = await rig.engine.sync(read=False)
    assert not first.ok
    [entry] = rig.book.ledgers.outbox(ACCOUNT)
    assert entry.state is OutboxState.IN_FLIGHT
    assert rig.sandbox.state.leads[lead_id].data.city == "Pflugerville"  # half made
    rig.tamper.rules.clear()
    [second] = await rig.engine.sync(read=False)
    assert (second.sent, second.conflicts) == (1, 0)
    assert rig.book.ledgers.outbox(ACCOUNT) == []
    assert rig.sandbox.state.leads[lead_id].status == 2  # won (L4340)
    stored = rig.book.get(RecordKind.LEAD, lead.id or 0)
    assert stored is not None
    assert stored.sync_state is SyncState.SYNCED


@pytest.mark.asyncio
async def test_a_second_sender_waits_then_names_the_process_holding_the_profile(
    tmp_path: Path,
) -> None:
    first = SendLock(tmp_path / "send.lock")
    await first.acquire()
    second = SendLock(tmp_path / "send.lock", wait_s=0.3)
    with pytest.raises(SendLockBusy) as busy:
        await second.acquire()
    assert busy.value.pid == os.getpid()
    assert f"process {os.getpid()}" in str(busy.value)
    first.release()
    await second.acquire()  # free again once the first is done
    second.release()


@pytest.mark.asyncio
async def test_a_sync_while_another_holds_the_profile_sends_nothing(rig: Rig) -> None:
    rig.book.ledgers.save_local_edit(_customer("later@example.com"), OutboxOp.CREATE, {})
    holder = SendLock.beside(rig.book.path)
    await holder.acquire()
    rig.engine.send_lock = SendLock.beside(rig.book.path, wait_s=0.2)
    try:
        with pytest.raises(SendLockBusy):
            await rig.engine.sync()
    finally:
        holder.release()
    [entry] = rig.book.ledgers.outbox(ACCOUNT)
    assert entry.state is OutboxState.PENDING
    assert _made(rig, "later@example.com") == []


@pytest.mark.asyncio
async def test_a_create_answered_with_id_0_is_linked_by_the_same_syncs_listing(rig: Rig) -> None:
    email = "listed@example.com"
    stored = rig.book.ledgers.save_local_edit(_customer(email), OutboxOp.CREATE, {})
    rig.tamper.rules.append(Rule("POST", r"/customers/create$", body={"id": 0}, apply=True))
    [report] = await rig.engine.sync()
    assert report.ok
    [made] = _made(rig, email)
    assert rig.book.ledgers.outbox(ACCOUNT) == []
    linked = rig.book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, str(made))
    assert linked is not None
    assert linked.id == stored.id  # the listing's copy was folded into the record made here
    assert len(rig.book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT)) == len(
        rig.sandbox.state.customers
    )


async def _lost_create(rig: Rig, record: Any, path: str) -> None:
    """``record`` queued and sent; the vendor makes it, its answer never arrives (a 503 after
    the fact), so the entry stays IN_FLIGHT; then the next sync settles it."""
    rig.book.ledgers.save_local_edit(record, OutboxOp.CREATE, {})
    rig.tamper.rules.append(Rule("POST", path, status=503, body={}, apply=True))
    [first] = await rig.engine.sync(read=False)
    assert not first.ok
    [entry] = rig.book.ledgers.outbox(ACCOUNT)
    assert entry.state is OutboxState.IN_FLIGHT
    rig.tamper.rules.clear()
    await rig.engine.sync(read=False)


@pytest.mark.asyncio
async def test_a_new_task_whose_answer_was_lost_is_found_under_its_customer(rig: Rig) -> None:
    from agencydesk.domain import Task

    await rig.engine.sync()
    customer_id = min(rig.sandbox.state.customers)
    customer = rig.book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, str(customer_id))
    assert customer is not None
    title = "Call about the renewal (once)"
    task = Task(
        provenance=Provenance(vendor="agencyzoom", account=ACCOUNT),
        title=title,
        customer_id=customer.id,
    )
    await _lost_create(rig, task, r"^/v1/api/tasks$")
    made = [k for k, t in rig.sandbox.state.tasks.items() if t.data.title == title]
    assert len(made) == 1  # never sent twice
    assert rig.book.ledgers.outbox(ACCOUNT) == []  # found among the customer's tasks (L734)
    linked = rig.book.find_remote(RecordKind.TASK, "agencyzoom", ACCOUNT, str(made[0]))
    assert linked is not None
    assert linked.customer_id == customer.id


@pytest.mark.asyncio
async def test_a_create_that_cannot_be_looked_up_waits_for_the_user_not_resent(rig: Rig) -> None:
    from agencydesk.domain import Note

    await rig.engine.sync()
    customer_id = min(rig.sandbox.state.customers)
    customer = rig.book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, str(customer_id))
    assert customer is not None
    text = "Prefers calls after 5pm (once)"
    note = Note(
        provenance=Provenance(vendor="agencyzoom", account=ACCOUNT),
        parent_kind=RecordKind.CUSTOMER,
        parent_id=customer.id,
        body=text,
    )
    await _lost_create(rig, note, rf"^/v1/api/customers/{customer_id}/notes$")
    [entry] = rig.book.ledgers.outbox(ACCOUNT)
    assert entry.state is OutboxState.FAILED  # customer notes cannot be listed (§5.5)
    assert "may have been made" in entry.last_error
    bodies = [n.body for n in rig.sandbox.state.notes.values()]
    assert bodies.count(text) == 1  # never sent twice


@pytest.mark.asyncio
async def test_a_delete_answered_not_found_counts_as_sent(rig: Rig) -> None:
    await rig.engine.sync()
    customer_id = min(rig.sandbox.state.customers)
    customer = rig.book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, str(customer_id))
    assert customer is not None
    rig.book.ledgers.save_local_edit(customer, OutboxOp.DELETE, {})
    # Already gone at the vendor (a delete re-sent after its lost 200): AgencyZoom has no 404
    # and answers 400 "customer … not found" (vendor-notes §7.24).
    del rig.sandbox.state.customers[customer_id]
    [report] = await rig.engine.sync(read=False)
    assert (report.sent, report.failed) == (1, 0)
    assert rig.book.ledgers.outbox(ACCOUNT) == []
