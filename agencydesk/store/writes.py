"""Inserts, updates and deletes of records inside a caller's transaction.

A record with ``id`` set updates that row; one without an id but with a vendor provenance
updates the row that vendor id already has (an upsert on (vendor, account, remote_id));
anything else is inserted. The FTS index follows through the triggers in ``sqlite_engine``,
except for big batches, which index their rows in bulk (``fts_bulk``); the rows themselves go
many per statement (``batch_writes``), and a big batch into a small table builds the table's
indexes once afterwards (``bulk_indexes``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, delete, func, select, update

from agencydesk.domain import Message, Policy, Record, RecordKind
from agencydesk.store import (
    batch_writes,
    bulk_indexes,
    bulk_link_log,
    fast_rows,
    fts_bulk,
    related,
    totals,
)
from agencydesk.store.convert import TABLES
from agencydesk.store.listing import FTS_TABLES

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
    with fast_rows.collector_paused(len(batch) >= fts_bulk.BULK_FROM):
        return _save(conn, batch)


def _save(conn: Connection, batch: list[Record]) -> list[int]:
    targets = resolve_ids(conn, batch)
    moved_from = totals.customers_of(  # a policy moved to another customer leaves a gap
        conn, [t for r, t in zip(batch, targets, strict=True) if t and r.kind is RecordKind.POLICY]
    )
    result: list[int] = [target or 0 for target in targets]
    inserts: dict[RecordKind, list[int]] = defaultdict(list)  # positions in the batch
    updates: dict[RecordKind, list[int]] = defaultdict(list)
    for position, (record, target) in enumerate(zip(batch, targets, strict=True)):
        (inserts if target is None else updates)[record.kind].append(position)
    sizes = Counter(record.kind for record in batch)
    indexed_here = {  # big batches index their rows in bulk instead of through the triggers
        kind: FTS_TABLES[kind]
        for kind, size in sizes.items()
        # (the team hub's PostgreSQL keeps no FTS index: desks search their own replica)
        if kind in FTS_TABLES and size >= fts_bulk.BULK_FROM and conn.dialect.name == "sqlite"
    }
    with fts_bulk.triggers_suspended(conn, indexed_here.values()):
        for kind, positions in updates.items():
            ids = [result[p] for p in positions]
            batch_writes.update_existing(conn, kind, [batch[p] for p in positions], ids)
            if kind in indexed_here:
                fts_bulk.index_rows(conn, indexed_here[kind], ids, fresh=False)
        for kind, positions in inserts.items():
            # A big batch into a small table: its indexes are built once, after the rows; a big
            # batch logs what linking must see in one statement, not a trigger per row.
            table = TABLES[kind].name
            with (
                bulk_indexes.rebuilt_after(conn, table, len(positions)),
                bulk_link_log.insert_trigger_suspended(conn, table, len(positions)) as log,
            ):
                ids = batch_writes.insert_new(conn, kind, [batch[p] for p in positions])
                log(ids)
            for position, new_id in zip(positions, ids, strict=True):
                result[position] = new_id
            if kind in indexed_here:
                fts_bulk.index_rows(conn, indexed_here[kind], ids, fresh=True)
    _refresh_threads(conn, [r for r in batch if isinstance(r, Message)])
    _refresh_related(conn, batch, result, targets)
    policies = [r for r in batch if isinstance(r, Policy)]
    if policies:
        totals.refresh(conn, moved_from | {p.customer_id for p in policies if p.customer_id})
    return result


def _refresh_related(
    conn: Connection,
    batch: Sequence[Record],
    ids: Sequence[int],
    targets: Sequence[int | None],
) -> None:
    """Saved policies/threads/tasks take their customer's or lead's name; renamed customers
    and leads pass theirs on (new ones have nothing linked to them yet: a deleted record's id
    that a new one takes again was unlinked by the foreign keys' ON DELETE SET NULL)."""
    touched: dict[RecordKind, list[int]] = defaultdict(list)
    renamed: dict[RecordKind, list[int]] = defaultdict(list)
    for record, record_id, target in zip(batch, ids, targets, strict=True):
        touched[record.kind].append(record_id)
        if target is not None:
            renamed[record.kind].append(record_id)
    for kind in related.CHILDREN:
        if touched.get(kind):
            related.refresh(conn, kind, touched[kind])
    for parent in (RecordKind.CUSTOMER, RecordKind.LEAD):
        if renamed.get(parent):
            related.refresh_children(conn, related.children_of(conn, parent, renamed[parent]))


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
