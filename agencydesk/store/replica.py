"""A desk's replica of the team book (issue 14): the hub's record rows copied into the desk's
SQLite cache under the same ids, first whole, then change by change in the feed's order.

Reads on the hub run in one REPEATABLE READ transaction, so the rows copied and the feed
position stored with them are one consistent picture; the desk writes them in one transaction
together with that position, so a desk killed mid-pull starts again from the last position it
stored, never from a half-applied one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from agencydesk.domain import Record
from agencydesk.store import fast_rows, replica_copy, sqlite_bulk, sqlite_engine
from agencydesk.store.models import Base
from agencydesk.store.team_models import TEAM_CHANGES, TEAM_STATE

# Parents before children: a policy's customer, a message's thread are there when it arrives.
REPLICATED_TABLES: tuple[str, ...] = (
    "customers",
    "leads",
    "policies",
    "threads",
    "messages",
    "tasks",
    "notes",
)
_CHUNK = 2000  # ids per IN (...)


def _table(name: str) -> Table:
    table = Base.metadata.tables[name]
    assert isinstance(table, Table)
    return table


@dataclass(frozen=True, slots=True)
class TeamPlace:
    hub_url: str
    hub_id: str
    seat: str
    desk_id: str
    last_seq: int
    pulled_at: datetime | None


@dataclass(frozen=True, slots=True)
class PullResult:
    copied: int  # rows written or refreshed
    deleted: int
    last_seq: int
    full_copy: bool
    # Accounts the hub stopped reading after an unexpected error: (account, what went wrong).
    hub_problems: tuple[tuple[str, str], ...] = ()


def read_place(conn: Connection) -> TeamPlace | None:
    row = conn.execute(select(TEAM_STATE).where(TEAM_STATE.c.id == 1)).first()
    if row is None:
        return None
    return TeamPlace(row.hub_url, row.hub_id, row.seat, row.desk_id, row.last_seq, row.pulled_at)


def save_place(conn: Connection, place: TeamPlace) -> None:
    values = {
        "hub_url": place.hub_url,
        "hub_id": place.hub_id,
        "seat": place.seat,
        "desk_id": place.desk_id,
        "last_seq": place.last_seq,
        "pulled_at": place.pulled_at,
    }
    stmt = sqlite_insert(TEAM_STATE).values(id=1, **values)
    conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=values))


def hub_position(hub: Connection) -> int:
    """The newest change the hub's snapshot holds (0 for an empty feed)."""
    return int(hub.execute(select(func.coalesce(func.max(TEAM_CHANGES.c.seq), 0))).scalar_one())


def _rows(hub: Connection, table: Table, ids: Sequence[int]) -> Iterator[list[dict[str, Any]]]:
    """The hub's rows of ``table`` with those ``ids``, in chunks, as column dicts."""
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        stmt = select(table).where(table.c.id.in_(chunk))
        yield [dict(r) for r in hub.execute(stmt).mappings()]


def _upsert(desk: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    stmt = sqlite_insert(table)
    columns = [c.name for c in table.columns if c.name != "id"]
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"], set_={name: stmt.excluded[name] for name in columns}
    )
    desk.execute(stmt, rows)


def copy_everything(hub: Connection, desk: Connection) -> tuple[int, int]:
    """A first replica: every record row of the hub, replacing what the desk had. Returns
    (rows copied, the feed position they are as of). Like ``Book.bulk_load``, the search index
    is built once at the end instead of row by row through its triggers (on the 100k benchmark
    book, row-by-row upserts took 5x a bare psycopg + sqlite3 copy)."""
    position = hub_position(hub)
    sqlite_engine.drop_fts_triggers(desk)
    for name in reversed(REPLICATED_TABLES):
        desk.execute(delete(_table(name)))
    copied = 0
    with sqlite_bulk.bulk_writing(desk, REPLICATED_TABLES):
        for name in REPLICATED_TABLES:
            table = _table(name)
            plan = fast_rows.insert_plan(desk, table, [c.name for c in table.columns])
            for rows in replica_copy.stored_rows(hub, table, plan.names):
                plan.run(desk, rows)
                copied += len(rows)
        sqlite_engine.rebuild_fts(desk)
    sqlite_engine.create_fts(desk)
    return copied, position


def apply_changes(hub: Connection, desk: Connection, after_seq: int) -> tuple[int, int, int]:
    """Every change past ``after_seq``: rows the hub still has are written as they are now,
    rows it no longer has are deleted. Returns (copied, deleted, new position)."""
    changed: dict[str, set[int]] = {}
    position = after_seq
    stmt = (
        select(TEAM_CHANGES.c.seq, TEAM_CHANGES.c.table_name, TEAM_CHANGES.c.record_id)
        .where(TEAM_CHANGES.c.seq > after_seq)
        .order_by(TEAM_CHANGES.c.seq)
    )
    for seq, table_name, record_id in hub.execute(stmt):
        if table_name in REPLICATED_TABLES:
            changed.setdefault(table_name, set()).add(int(record_id))
        position = int(seq)
    copied = deleted = 0
    gone: dict[str, list[int]] = {}
    for name in REPLICATED_TABLES:
        ids = sorted(changed.get(name, ()))
        if not ids:
            continue
        table = _table(name)
        present: set[int] = set()
        for rows in _rows(hub, table, ids):
            if not rows:  # every one of them deleted at the hub
                continue
            _upsert(desk, table, rows)
            copied += len(rows)
            present.update(r["id"] for r in rows)
        gone[name] = [i for i in ids if i not in present]
    for name in reversed(REPLICATED_TABLES):  # children first
        ids = gone.get(name, [])
        for start in range(0, len(ids), _CHUNK):
            table = _table(name)
            result = desk.execute(delete(table).where(table.c.id.in_(ids[start : start + _CHUNK])))
            deleted += result.rowcount or 0
    return copied, deleted, position


def journal_local_edit(
    desk: Connection, record: Record, record_id: int, op: str, changes: dict[str, Any]
) -> None:
    """On a desk in a team, an edit of a record no vendor holds is still the team's: it waits in
    the outbox (with no account, so no vendor sender takes it) until ``push`` ships it to the
    hub. A solo profile keeps such edits to itself, as before."""
    if not record.provenance.is_local or read_place(desk) is None:
        return
    outbox_table = _table("outbox")
    desk.execute(
        insert(outbox_table).values(
            account="",
            kind=record.kind.value,
            record_id=record_id,
            remote_id="",
            op=op,
            changes=changes,
            base={},
            created_at=now(),
            attempts=0,
            state="pending",
            last_error="",
        )
    )


def forget_shipped(desk: Connection, entry_id: int, created: tuple[str, int] | None) -> None:
    """A local edit the hub now holds leaves the desk's outbox. A record the desk created under
    its own id goes too: the hub's copy, under the hub's id, arrives with the next pull."""
    outbox_table = _table("outbox")
    desk.execute(delete(outbox_table).where(outbox_table.c.id == entry_id))
    if created is not None:
        table_name, record_id = created
        table = _table(table_name)
        desk.execute(delete(table).where(table.c.id == record_id))


def now() -> datetime:
    return datetime.now(UTC)
