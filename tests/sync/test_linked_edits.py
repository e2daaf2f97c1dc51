"""Editing a person held by several vendors (issue 11) against the five sandboxes: the edit's
targets are every record of the person's group, chosen by default where the vendor holds the
field and lets us change it; only the chosen vendors get an outbox entry (each its own), and
after a sync only their sandboxes hold the new value (read through the inspector)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest

from agencydesk.domain import Customer, Lead, Record, RecordKind
from agencydesk.services.accounts import AccountStore
from agencydesk.services.demo_sandboxes import DEMO_RATE_SCALE, DemoSandboxes, fill_demo_profile
from agencydesk.services.linked_edits import LinkedEdit
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.store.book import Book
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.client_kit.tls import new_http_client

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

# Where each vendor's inspector keeps our leads and customers (the vendors' own nouns).
INSPECTED = {
    ("agencyzoom", RecordKind.LEAD): "leads",
    ("agencyzoom", RecordKind.CUSTOMER): "customers",
    ("lofty", RecordKind.LEAD): "leads",
    ("leadexec", RecordKind.CUSTOMER): "clients",
}
NEW_PHONE = "+15125550188"


@dataclass
class Synced:
    book: Book
    demo: DemoSandboxes


@pytest.fixture
def synced(tmp_path: Path) -> Iterator[Synced]:
    book = Book.open(tmp_path / "cache.sqlite3")

    async def fill() -> DemoSandboxes | None:
        async with new_http_client(timeout=30) as http:
            demo, reports = await fill_demo_profile(book, http)
            assert len(reports) == 5
            return demo

    demo = asyncio.run(fill())
    assert demo is not None
    yield Synced(book, demo)
    demo.stop()
    book.close()


async def _sync(book: Book) -> None:
    async with new_http_client(timeout=30) as http:
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


def _inspect(demo: DemoSandboxes, record: Record) -> str:
    """The whole record its vendor stores, as JSON text."""
    vendor = record.provenance.vendor
    [served] = [s for s in demo.fleet.served if s.vendor == vendor]
    noun = INSPECTED[(vendor, record.kind)]
    answer = httpx.get(f"{served.base_url}/_sandbox/records/{noun}/{record.provenance.remote_id}")
    assert answer.status_code == 200, answer.text
    return json.dumps(answer.json())


def _group_at_three_vendors(book: Book, editor: SyncingRecordEditor) -> list[Record]:
    """A person linked across three vendors that each let us change them."""
    with book.reading() as conn:
        groups = conn.exec_driver_sql(
            "SELECT group_id FROM record_links WHERE record_kind != 'policy' "
            "GROUP BY group_id HAVING count(*) >= 3"
        ).all()
    for (group_id,) in groups:
        with book.reading() as conn:
            members = conn.exec_driver_sql(
                "SELECT record_kind, record_id FROM record_links WHERE group_id = ?", (group_id,)
            ).all()
        records = [book.get(RecordKind(k), i) for k, i in members]
        usable = [
            r
            for r in records
            if isinstance(r, Lead | Customer)
            and (r.provenance.vendor, r.kind) in INSPECTED
            and not editor.why_not_editable(r)
        ]
        if len({r.provenance.vendor for r in usable}) >= 3:
            return usable
    raise AssertionError("the sandboxes hold no person at three editable vendors")


def test_a_linked_persons_edit_goes_to_the_chosen_vendors_only(synced: Synced) -> None:
    book, demo = synced.book, synced.demo
    editor = SyncingRecordEditor(book)
    records = _group_at_three_vendors(book, editor)
    by_vendor = {r.provenance.vendor: r for r in records}
    edited = by_vendor.get("agencyzoom") or records[0]
    others = [r for r in records if r.provenance.vendor != edited.provenance.vendor]
    chosen, left_out = others[0], others[1]
    assert edited.id is not None
    old_phone = {r.provenance.vendor: r.phone for r in records}  # type: ignore[union-attr]
    assert NEW_PHONE not in old_phone.values()

    after = replace(edited, phone=NEW_PHONE)
    targets = {t.ref: t for t in editor.edit_targets(after)}
    assert targets[(edited.kind, edited.id)].edited
    for other in others:  # every vendor holding a phone and letting us change it: chosen
        target = targets[(other.kind, other.id or 0)]
        assert target.fields == ("phone",)
        assert target.chosen_by_default, target

    result = editor.save_linked(LinkedEdit(after, targets=((chosen.kind, chosen.id or 0),)))
    assert result.refused == ()
    assert {(r.kind, r.id) for r in result.saved} == {
        (edited.kind, edited.id),
        (chosen.kind, chosen.id),
    }
    waiting = [e for e in book.ledgers.outbox() if e.changes.get("phone") == NEW_PHONE]
    assert sorted((e.account, e.kind, e.record_id) for e in waiting) == sorted(
        (r.provenance.account, r.kind, r.id) for r in (edited, chosen)
    )  # one entry each, and none for the vendor left out

    asyncio.run(_sync(book))

    assert not [e for e in book.ledgers.outbox() if e.changes.get("phone") == NEW_PHONE]
    digits = NEW_PHONE[2:]
    for record in (edited, chosen):  # what the vendor really stores now
        stored = _inspect(demo, record)
        assert digits[-7:] in stored.replace("-", "").replace(" ", ""), (record, stored)
    untouched = _inspect(demo, left_out)
    assert digits[-7:] not in untouched.replace("-", "").replace(" ", "")
    # The cache agrees: the chosen records read back with the new phone, the other as it was.
    for record in (edited, chosen):
        fresh = book.get(record.kind, record.id or 0)
        assert isinstance(fresh, Lead | Customer)
        assert fresh.phone.endswith(digits[-7:])
    fresh_left = book.get(left_out.kind, left_out.id or 0)
    assert isinstance(fresh_left, Lead | Customer)
    assert fresh_left.phone == old_phone[left_out.provenance.vendor]
