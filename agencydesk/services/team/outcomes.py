"""What became of a desk's shipped edits, taken in at each pull.

The hub writes each edit's outcome into ``team_edits`` (a seat reads only its own rows). An edit
applied needs nothing here: its record arrives with the feed. An edit whose field someone else
changed first (another seat, or the hub syncing the vendor) comes back as a conflict in this
desk's outbox, settled in the same field-by-field dialog as a vendor's conflict
(``services/conflict_cases.py``); an edit the hub could not apply comes back refused, with why.
Outcomes are numbered in commit order (``team_edits.outcome_seq``), so a desk takes each once
(``team_state.outcomes_after``).

After the hub's rows are copied, the edits still waiting here are laid over them again, so a
pull never shows the user's own unsent change as undone (an edit in conflict shows the team's
values, marked as in conflict, until the user chooses).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Connection, insert, select, update

from agencydesk.domain import RecordKind, SyncState
from agencydesk.services.team.edits import typed
from agencydesk.store import writes
from agencydesk.store.convert import TABLES, row_record
from agencydesk.store.ledger_models import OUTBOX
from agencydesk.store.ledger_types import OutboxOp, OutboxState
from agencydesk.store.replica import now
from agencydesk.store.team_models import TEAM_EDITS, TEAM_STATE
from agencydesk.vendors.connector import CONFIRMED_LOSS


def take_in(hub: Connection, desk: Connection, desk_id: str) -> int:
    """Bring this desk's conflicts and refusals home; returns how many came."""
    after = int(desk.execute(select(TEAM_STATE.c.outcomes_after)).scalar() or 0)
    rows = hub.execute(
        select(TEAM_EDITS)
        .where(TEAM_EDITS.c.origin.like(f"{desk_id}:%"), TEAM_EDITS.c.outcome_seq > after)
        .order_by(TEAM_EDITS.c.outcome_seq)
    ).all()
    for row in rows:
        after = row.outcome_seq
        if row.state == "conflict" and row.theirs:
            _conflict(desk, row)
        elif row.state == "refused":
            _refused(desk, row)
        elif row.state == "superseded":  # another seat deleted the record first
            _returned(desk, row, RecordKind(row.kind), dict(row.changes), OutboxState.FAILED,
                      seen=row.seen, raced_by="", error=row.error)  # fmt: skip
    desk.execute(update(TEAM_STATE).where(TEAM_STATE.c.id == 1).values(outcomes_after=after))
    return len(rows)


def _conflict(desk: Connection, row: Any) -> None:
    kind = RecordKind(row.kind)
    theirs: dict[str, Any] = dict(row.theirs["values"])
    mine = {name: row.changes[name] for name in theirs if name in row.changes}
    if CONFIRMED_LOSS in row.changes:  # the user's agreement for this record still holds
        mine[CONFIRMED_LOSS] = row.changes[CONFIRMED_LOSS]
    _returned(
        desk,
        row,
        kind,
        mine,
        OutboxState.CONFLICT,
        seen=theirs,
        raced_by=str(row.theirs.get("by", "")),
        error=row.error or "changed on another desk meanwhile",
    )


def _refused(desk: Connection, row: Any) -> None:
    kind = RecordKind(row.kind)
    record_id = int(row.record_id)
    if row.op == OutboxOp.CREATE.value:
        # The team book does not keep a record no vendor would make (vendor_outcomes.py): it
        # lives on this desk again, as it did before it was shipped, under a new number of
        # this desk's own, for the user to correct and send again, or discard.
        values = {**typed(kind, dict(row.values)), "id": None}
        [record_id] = writes.save_records(desk, [row_record(kind, values)])
    _returned(desk, row, kind, dict(row.changes), OutboxState.REFUSED, seen=row.seen, raced_by="",
              error=row.error, record_id=record_id)  # fmt: skip


class _Held(NamedTuple):
    """Where a record is held, when it is no longer here to say."""

    account: str
    remote_id: str | None


def _returned(
    desk: Connection,
    row: Any,
    kind: RecordKind,
    changes: dict[str, Any],
    state: OutboxState,
    *,
    seen: dict[str, Any] | None,
    raced_by: str,
    error: str,
    record_id: int | None = None,
) -> None:
    table = TABLES[kind]
    record_id = int(row.record_id) if record_id is None else record_id
    record: Any = desk.execute(
        select(table.c.account, table.c.remote_id).where(table.c.id == record_id)
    ).first()
    if record is None:  # gone here too: as the edit's values (a delete: its snapshot) say
        held = dict(row.values or {}) or dict(row.seen or {})
        record = _Held(str(held.get("account") or ""), held.get("remote_id"))
    desk.execute(
        insert(OUTBOX).values(
            account=record.account if record is not None else "",
            kind=kind.value,
            record_id=record_id,
            remote_id=(record.remote_id or "") if record is not None else "",
            op=row.op,
            changes=changes,
            base={},
            seen=seen,
            raced_by=raced_by,
            created_at=now(),
            attempts=1,
            state=state.value,
            last_error=error,
        )
    )


def overlay_shipped(hub: Connection, desk: Connection, desk_id: str) -> None:
    """This desk's edits the hub holds but has not applied yet, laid over the rows a pull just
    copied: between its push and the hub taking it, an edit is in neither this desk's outbox
    nor the team book, and a pull then (another desk changed the record) would show it undone.
    Read in the pull's snapshot: an edit applied by then is in the rows themselves."""
    shipped = hub.execute(
        select(TEAM_EDITS.c.kind, TEAM_EDITS.c.record_id, TEAM_EDITS.c.changes)
        .where(
            TEAM_EDITS.c.state == "queued",
            TEAM_EDITS.c.op == OutboxOp.UPDATE.value,
            TEAM_EDITS.c.origin.like(f"{desk_id}:%"),
        )
        .order_by(TEAM_EDITS.c.id)
    ).all()
    for edit in shipped:
        kind = RecordKind(edit.kind)
        values = _pending(kind, dict(edit.changes or {}))
        desk.execute(update(TABLES[kind]).where(TABLES[kind].c.id == edit.record_id).values(values))


def _pending(kind: RecordKind, changes: dict[str, Any]) -> dict[str, Any]:
    """The columns an edit not yet in the team book sets, shown as pending."""
    table = TABLES[kind]
    values = {
        name: value
        for name, value in typed(kind, changes).items()
        if name in table.c and name != "id"
    }
    values["sync_state"] = SyncState.PENDING.value
    return values


def overlay_waiting(desk: Connection) -> None:
    """Lay the edits still waiting on this desk over the rows a pull just copied: the user sees
    their own change (pending, or in conflict) until the hub has it."""
    entries = desk.execute(
        select(OUTBOX.c.kind, OUTBOX.c.record_id, OUTBOX.c.changes, OUTBOX.c.state)
        .where(OUTBOX.c.op == OutboxOp.UPDATE.value)
        .order_by(OUTBOX.c.id)
    ).all()
    for entry in entries:
        kind = RecordKind(entry.kind)
        table = TABLES[kind]
        if entry.state == OutboxState.CONFLICT.value:
            # The row keeps the team's values (what the user's edit is weighed against, and the
            # picture a "keep mine" is made on); it only says it is in conflict.
            values: dict[str, Any] = {"sync_state": SyncState.CONFLICT.value}
        else:
            values = _pending(kind, dict(entry.changes or {}))
        desk.execute(update(table).where(table.c.id == entry.record_id).values(values))
