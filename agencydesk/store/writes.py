"""Inserts, updates and deletes of records inside a caller's transaction.

A record with ``id`` set updates that row; one without an id but with a vendor provenance
updates the row that vendor id already has (an upsert on (vendor, account, remote_id));
anything else is inserted. The FTS index follows through the triggers in ``sqlite_engine``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from agencydesk.domain import Message, Policy, Record, RecordKind
from agencydesk.store import related, totals
from agencydesk.store.convert import TABLES, record_values

_CHUNK = 500  # bound parameters per IN (...) stay well under SQLite's limit


def existing_remote_ids(
    conn: Connection, kind: RecordKind, vendor: str, account: str, remote_ids: Sequence[str]
) -> dict[str, int]:
    table = TABLES[kind]
    found: dict[str, int] = {}
    for start in range(0, len(remote_ids), _CHUNK):
        rows = conn.execute(
            select(table.c.remote_id, table.c.id).where(
                table.c.vendor == vendor,
                table.c.account == account,
                table.c.remote_id.in_(remote_ids[start : start + _CHUNK]),
            )
        )
        found.update({str(r[0]): int(r[1]) for r in rows})
    return found


def resolve_ids(conn: Connection, records: Sequence[Record]) -> list[int | None]:
    """The local id each record will update, or None for an insert."""
    ids: list[int | None] = [r.id for r in records]
    wanted: dict[tuple[RecordKind, str, str], list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        prov = record.provenance
        if record.id is None and not prov.is_local and prov.remote_id:
            wanted[(record.kind, prov.vendor, prov.account)].append(index)
    for (kind, vendor, account), indexes in wanted.items():
        remote = [records[i].provenance.remote_id for i in indexes]
        found = existing_remote_ids(conn, kind, vendor, account, remote)
        for i in indexes:
            ids[i] = found.get(records[i].provenance.remote_id)
    if any(r.id is not None for r in records):
        _check_ids_exist(conn, records)
    return ids


def _check_ids_exist(conn: Connection, records: Sequence[Record]) -> None:
    by_kind: dict[RecordKind, set[int]] = defaultdict(set)
    for record in records:
        if record.id is not None:
            by_kind[record.kind].add(record.id)
    for kind, ids in by_kind.items():
        table = TABLES[kind]
        listed = sorted(ids)
        for start in range(0, len(listed), _CHUNK):
            chunk = listed[start : start + _CHUNK]
            found = {r[0] for r in conn.execute(select(table.c.id).where(table.c.id.in_(chunk)))}
            missing = [i for i in chunk if i not in found]
            if missing:
                raise LookupError(f"no {kind} with id {missing[0]} to update")


def save_records(conn: Connection, records: Iterable[Record]) -> list[int]:
    """Insert or update ``records`` (any mix of kinds); their ids in order."""
    batch = list(records)
    targets = resolve_ids(conn, batch)
    moved_from = totals.customers_of(  # a policy moved to another customer leaves a gap
        conn, [t for r, t in zip(batch, targets, strict=True) if t and r.kind is RecordKind.POLICY]
    )
    result: list[int] = []
    inserts: dict[RecordKind, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    updates: dict[RecordKind, list[dict[str, Any]]] = defaultdict(list)
    for position, (record, target) in enumerate(zip(batch, targets, strict=True)):
        values = record_values(record)
        if target is None:
            inserts[record.kind].append((position, values))
            result.append(0)
        else:
            values["b_id"] = target
            updates[record.kind].append(values)
            result.append(target)
    for kind, rows in updates.items():
        table = TABLES[kind]
        names = [k for k in rows[0] if k != "b_id"]
        stmt = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({name: bindparam(f"b_{name}") for name in names})
        )
        # Row by row (a compiled statement, so cheap) to say which record a constraint refused.
        for row in rows:
            with _naming_the_record(conn, kind, row):
                conn.execute(stmt, {(k if k == "b_id" else f"b_{k}"): v for k, v in row.items()})
    for kind, pending in inserts.items():
        table = TABLES[kind]
        # One row at a time to learn each id (RETURNING with executemany is not portable here).
        for position, values in pending:
            with _naming_the_record(conn, kind, values):
                new_id = conn.execute(insert(table).values(values)).inserted_primary_key
            assert new_id is not None
            result[position] = int(new_id[0])
    _refresh_threads(conn, [r for r in batch if isinstance(r, Message)])
    _refresh_related(conn, batch, result)
    policies = [r for r in batch if isinstance(r, Policy)]
    if policies:
        totals.refresh(conn, moved_from | {p.customer_id for p in policies if p.customer_id})
    return result


def _refresh_related(conn: Connection, batch: Sequence[Record], ids: Sequence[int]) -> None:
    """Saved policies/threads/tasks take their customer's or lead's name; renamed customers
    and leads pass theirs on."""
    touched: dict[RecordKind, list[int]] = defaultdict(list)
    for record, record_id in zip(batch, ids, strict=True):
        touched[record.kind].append(record_id)
    for kind in related.CHILDREN:
        if touched.get(kind):
            related.refresh(conn, kind, touched[kind])
    for parent in (RecordKind.CUSTOMER, RecordKind.LEAD):
        if touched.get(parent):
            related.refresh_children(conn, related.children_of(conn, parent, touched[parent]))


_LINKS = {
    "customer_id": RecordKind.CUSTOMER,
    "lead_id": RecordKind.LEAD,
    "thread_id": RecordKind.THREAD,
}


@contextmanager
def _naming_the_record(
    conn: Connection, kind: RecordKind, values: dict[str, Any]
) -> Iterator[None]:
    """Turn a constraint failure into an error that names the record and the field."""
    try:
        yield
    except IntegrityError as exc:
        who = values.get("remote_id") or values.get("b_id") or values.get("id") or "(new)"
        reason = str(exc.orig)
        for field, target in _LINKS.items():
            linked = values.get(field, values.get(f"b_{field}"))
            table = TABLES[target]
            if linked is not None and field in TABLES[kind].c:
                exists = conn.execute(select(table.c.id).where(table.c.id == linked)).first()
                if exists is None:
                    reason = f"{field} {linked} is not a stored {target}"
        raise ValueError(f"{kind} {who}: {reason}") from exc


def _refresh_threads(conn: Connection, messages: Sequence[Message]) -> None:
    """Keep each touched thread's message_count and last_message_at true to its messages."""
    thread_ids = sorted({m.thread_id for m in messages if m.thread_id is not None})
    if thread_ids:
        refresh_thread_totals(conn, thread_ids)


def refresh_thread_totals(conn: Connection, thread_ids: Sequence[int]) -> None:
    threads, messages = TABLES[RecordKind.THREAD], TABLES[RecordKind.MESSAGE]
    for start in range(0, len(thread_ids), _CHUNK):
        chunk = thread_ids[start : start + _CHUNK]
        count = select(func.count()).where(messages.c.thread_id == threads.c.id).scalar_subquery()
        last = (
            select(func.max(messages.c.sent_at))
            .where(messages.c.thread_id == threads.c.id)
            .scalar_subquery()
        )
        conn.execute(
            update(threads)
            .where(threads.c.id.in_(chunk))
            .values(
                message_count=count,
                last_message_at=func.coalesce(last, threads.c.last_message_at),
            )
        )


def delete_records(conn: Connection, kind: RecordKind, record_ids: Sequence[int]) -> None:
    """Delete records, their notes and (for threads) their messages; links to them are cleared
    by the foreign keys (ON DELETE SET NULL / CASCADE)."""
    table, notes = TABLES[kind], TABLES[RecordKind.NOTE]
    ids = list(record_ids)
    orphans = related.children_of(conn, kind, ids)  # their related name falls back
    holders = totals.customers_of(conn, ids) if kind is RecordKind.POLICY else set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        if kind in (RecordKind.LEAD, RecordKind.CUSTOMER):
            conn.execute(
                delete(notes).where(notes.c.parent_kind == kind.value, notes.c.parent_id.in_(chunk))
            )
        if kind is RecordKind.THREAD:  # explicit too, for databases without FK enforcement
            messages = TABLES[RecordKind.MESSAGE]
            conn.execute(delete(messages).where(messages.c.thread_id.in_(chunk)))
        threads: list[int] = []
        if kind is RecordKind.MESSAGE:
            owners = select(table.c.thread_id).where(table.c.id.in_(chunk)).distinct()
            threads = [t for t in conn.execute(owners).scalars() if t is not None]
        conn.execute(delete(table).where(table.c.id.in_(chunk)))
        if threads:
            refresh_thread_totals(conn, threads)
    related.refresh_children(conn, orphans)
    totals.refresh(conn, holders)
