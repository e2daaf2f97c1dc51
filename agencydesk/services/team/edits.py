"""Desks' edits on their way to the hub: shipped once into ``team_edits`` (the desk's journal
id is the origin, so a desk killed after shipping ships nothing twice), then applied by the hub
to the book, which queues them for the vendor through its own outbox (exactly once there too).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, select, text, update

from agencydesk.domain import Record, RecordKind
from agencydesk.store import outbox
from agencydesk.store.convert import TABLES, record_values, row_record
from agencydesk.store.ledger_types import OutboxOp
from agencydesk.store.team_models import TEAM_EDITS
from agencydesk.sync.links import parent_refs


@dataclass(frozen=True, slots=True)
class ShippedEdit:
    desk: str  # the desk's id (its profile id)
    journal_id: int  # the desk's outbox entry id
    seat: str
    kind: RecordKind
    record_id: int
    op: OutboxOp
    changes: dict[str, Any]
    record: Record | None  # None for a delete

    @property
    def origin(self) -> str:
        return f"{self.desk}:{self.journal_id}"


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """Column values as JSON: dates and instants as ISO text (``_typed`` reads them back)."""
    return {
        key: value.isoformat() if isinstance(value, date | datetime) else value
        for key, value in values.items()
    }


def ship(hub: Connection, edit: ShippedEdit) -> bool:
    """Hand one edit to the hub; False when it was shipped already (same origin)."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert  # a desk has joined a hub

    values: dict[str, Any] = {}
    if edit.record is not None:
        values = record_values(edit.record)
    stmt = (
        pg_insert(TEAM_EDITS)
        .values(
            origin=edit.origin,
            seat=edit.seat,
            kind=edit.kind.value,
            record_id=edit.record_id,
            op=edit.op.value,
            changes=_jsonable(edit.changes),
            values=_jsonable(values),
            state="queued",
            error="",
            created_at=datetime.now(UTC),
        )
        .on_conflict_do_nothing(constraint="uq_team_edits_origin")
        .returning(TEAM_EDITS.c.id)
    )
    return hub.execute(stmt).first() is not None


@dataclass(frozen=True, slots=True)
class AppliedEdit:
    edit_id: int
    origin: str
    state: str  # "applied" | "refused"
    result_id: int | None
    error: str


def apply_queued(hub: Connection, *, limit: int = 200) -> list[AppliedEdit]:
    """Apply the oldest queued edits to the book in the order desks shipped them. Runs in the
    caller's transaction (the edits and their records commit together)."""
    rows = hub.execute(
        select(TEAM_EDITS)
        .where(TEAM_EDITS.c.state == "queued")
        .order_by(TEAM_EDITS.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    done: list[AppliedEdit] = []
    for row in rows:
        desk = row.origin.split(":", 1)[0]
        # The feed records this desk's seat, not the hub's, as the one who made the change.
        hub.execute(text("SELECT set_config('agencydesk.seat', :seat, true)"), {"seat": row.seat})
        try:
            result_id = _apply(hub, row, desk)
            state, error = "applied", ""
        except (LookupError, ValueError) as exc:
            result_id, state, error = None, "refused", str(exc)
        hub.execute(
            update(TEAM_EDITS)
            .where(TEAM_EDITS.c.id == row.id)
            .values(
                state=state,
                result_id=result_id,
                error=error,
                applied_at=datetime.now(UTC),
            )
        )
        done.append(AppliedEdit(row.id, row.origin, state, result_id, error))
    hub.execute(text("SELECT set_config('agencydesk.seat', '', true)"))
    return done


def _hub_id_of(hub: Connection, desk: str, desk_id: int) -> int:
    """The hub's id for a record a desk created under its own id (its create applied first)."""
    found = hub.execute(
        select(TEAM_EDITS.c.result_id).where(
            TEAM_EDITS.c.origin.like(f"{desk}:%"),
            TEAM_EDITS.c.op == OutboxOp.CREATE.value,
            TEAM_EDITS.c.record_id == desk_id,
            TEAM_EDITS.c.state == "applied",
        )
    ).scalar()
    return int(found) if found is not None else desk_id


def _apply(hub: Connection, row: Any, desk: str) -> int | None:
    kind = RecordKind(row.kind)
    op = OutboxOp(row.op)
    if op is OutboxOp.DELETE:
        current = _current(hub, kind, int(row.record_id))
        if current is None:
            return None  # already gone at the hub: what the desk wanted
        outbox.save_local_edit(hub, current, op, {})
        return current.id
    if op is OutboxOp.CREATE:
        record = row_record(kind, {"id": None, **_typed(kind, dict(row.values))})
        record = _hub_links(hub, desk, replace(record, id=None))
        return outbox.save_local_edit(hub, record, op, dict(row.changes))
    current = _current(hub, kind, int(row.record_id))
    if current is None:
        raise LookupError(f"{kind.value} {row.record_id} is no longer in the team book")
    # Only the fields the desk changed: whatever else the hub learned since (a vendor sync,
    # another desk) stays as the hub has it.
    changed = _typed(kind, dict(row.changes))
    fields = {name: changed[name] for name in row.changes if hasattr(current, name)}
    record = _hub_links(hub, desk, replace(current, **fields))
    return outbox.save_local_edit(hub, record, op, dict(row.changes))


def _hub_links(hub: Connection, desk: str, record: Record) -> Record:
    """Links a desk made to records it created itself point at the desk's ids: use the hub's."""
    hub_ids: dict[str, Any] = {
        name: _hub_id_of(hub, desk, parent_id)
        for name, (_parent_kind, parent_id) in parent_refs(record).items()
    }
    return replace(record, **hub_ids) if hub_ids else record


def _current(hub: Connection, kind: RecordKind, record_id: int) -> Record | None:
    table = TABLES[kind]
    found = hub.execute(select(table).where(table.c.id == record_id)).mappings().first()
    return None if found is None else row_record(kind, found)


def _typed(kind: RecordKind, values: dict[str, Any]) -> dict[str, Any]:
    """A shipped record's JSON values back to its columns' Python types (dates, instants)."""
    typed = dict(values)
    for column in TABLES[kind].columns:
        value = typed.get(column.name)
        if not isinstance(value, str):
            continue
        try:
            python_type = column.type.python_type
        except NotImplementedError:
            continue
        if python_type is datetime:
            typed[column.name] = datetime.fromisoformat(value)
        elif python_type is date:
            typed[column.name] = date.fromisoformat(value)
    return typed
