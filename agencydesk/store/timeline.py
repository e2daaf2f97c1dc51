"""One timeline per household: the emails, texts, calls, notes and tasks of every record of a
person's household and linked group, whichever vendor holds them, newest first (issue 11)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import ColumnElement, Connection, Table, and_, or_, select, tuple_

from agencydesk.domain import RecordKind
from agencydesk.domain.holders import holder_name
from agencydesk.store.convert import TABLES
from agencydesk.store.link_models import RECORD_LINKS

_WHAT = {"email": "Email", "sms": "Text", "call": "Call"}


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    kind: RecordKind  # thread, task or note
    id: int
    title: str
    what: str  # "Email", "Text", "Call", "Note", "Task", "Task done"
    holder: str  # "AgencyZoom"
    linkable: bool  # has a tab to open it in (notes do not)


def _people(conn: Connection, kind: RecordKind, record_id: int) -> tuple[set[int], set[int]]:
    """(customer ids, lead ids): the record, its household, and everything linked with them."""
    found: set[tuple[str, int]] = {(kind.value, record_id)}
    customers = TABLES[RecordKind.CUSTOMER]
    for _ in range(2):  # group mates, then the household of all of them, then their mates
        me, mate = RECORD_LINKS.alias("me"), RECORD_LINKS.alias("mate")
        mates = conn.execute(
            select(mate.c.record_kind, mate.c.record_id)
            .join(me, me.c.group_id == mate.c.group_id)
            .where(tuple_(me.c.record_kind, me.c.record_id).in_(sorted(found)))
        )
        found |= {(str(k), int(i)) for k, i in mates}
        ids = [i for k, i in found if k == RecordKind.CUSTOMER.value]
        homes = conn.execute(
            select(customers.c.household, customers.c.account).where(
                customers.c.id.in_(ids), customers.c.household != ""
            )
        ).all()
        if not homes:
            break
        members = conn.execute(
            select(customers.c.id).where(
                tuple_(customers.c.household, customers.c.account).in_([(h, a) for h, a in homes])
            )
        ).scalars()
        found |= {(RecordKind.CUSTOMER.value, int(i)) for i in members}
    return (
        {i for k, i in found if k == RecordKind.CUSTOMER.value},
        {i for k, i in found if k == RecordKind.LEAD.value},
    )


def _instant(value: datetime | date | None) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(), UTC)
    return datetime.min.replace(tzinfo=UTC)


def timeline(
    conn: Connection, kind: RecordKind, record_id: int, limit: int = 60
) -> list[TimelineEntry]:
    customer_ids, lead_ids = _people(conn, kind, record_id)
    entries: list[TimelineEntry] = []
    entries += _threads(conn, customer_ids, lead_ids, limit)
    entries += _tasks(conn, customer_ids, lead_ids, limit)
    entries += _notes(conn, customer_ids, lead_ids, limit)
    entries.sort(key=lambda e: (e.at, e.id), reverse=True)
    return entries[:limit]


def _whose(t: Table, customer_ids: Iterable[int], lead_ids: Iterable[int]) -> ColumnElement[bool]:
    return or_(t.c.customer_id.in_(sorted(customer_ids)), t.c.lead_id.in_(sorted(lead_ids)))


def _threads(
    conn: Connection, customer_ids: set[int], lead_ids: set[int], limit: int
) -> list[TimelineEntry]:
    t = TABLES[RecordKind.THREAD]
    rows = conn.execute(
        select(t.c.id, t.c.channel, t.c.subject, t.c.counterpart, t.c.last_message_at, t.c.vendor)
        .where(_whose(t, customer_ids, lead_ids))
        .order_by(t.c.last_message_at.desc())
        .limit(limit)
    )
    return [
        TimelineEntry(
            _instant(r.last_message_at),
            RecordKind.THREAD,
            r.id,
            r.subject or r.counterpart or "(no subject)",
            _WHAT.get(r.channel, r.channel),
            holder_name(r.vendor),
            True,
        )
        for r in rows
    ]


def _tasks(
    conn: Connection, customer_ids: set[int], lead_ids: set[int], limit: int
) -> list[TimelineEntry]:
    t = TABLES[RecordKind.TASK]
    rows = conn.execute(
        select(
            t.c.id,
            t.c.title,
            t.c.status,
            t.c.due_date,
            t.c.completed_at,
            t.c.created_at,
            t.c.vendor,
        )
        .where(_whose(t, customer_ids, lead_ids))
        .order_by(t.c.created_at.desc())
        .limit(limit)
    )
    return [
        TimelineEntry(
            _instant(r.completed_at or r.due_date or r.created_at),
            RecordKind.TASK,
            r.id,
            r.title or "(untitled task)",
            "Task done" if r.status == "done" else "Task",
            holder_name(r.vendor),
            True,
        )
        for r in rows
    ]


def _notes(
    conn: Connection, customer_ids: set[int], lead_ids: set[int], limit: int
) -> list[TimelineEntry]:
    t = TABLES[RecordKind.NOTE]
    whose = or_(
        and_(t.c.parent_kind == RecordKind.CUSTOMER.value, t.c.parent_id.in_(sorted(customer_ids))),
        and_(t.c.parent_kind == RecordKind.LEAD.value, t.c.parent_id.in_(sorted(lead_ids))),
    )
    rows = conn.execute(
        select(t.c.id, t.c.title, t.c.body, t.c.created_at, t.c.vendor)
        .where(whose)
        .order_by(t.c.created_at.desc())
        .limit(limit)
    )
    return [
        TimelineEntry(
            _instant(r.created_at),
            RecordKind.NOTE,
            r.id,
            r.title or (r.body or "").split("\n", 1)[0][:80],  # a logged call's headline
            "Note",
            holder_name(r.vendor),
            False,
        )
        for r in rows
    ]
