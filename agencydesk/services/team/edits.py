"""Desks' edits on their way to the hub: shipped once into ``team_edits`` (the desk's journal
id is the origin, so a desk killed after shipping ships nothing twice), then applied by the hub
to the book, which queues them for the vendor through its own outbox (exactly once there too).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Select, func, insert, literal_column, select, text, update

from agencydesk.domain import Record, RecordKind
from agencydesk.domain.record_names import title_of
from agencydesk.services.team import link_decisions
from agencydesk.services.vendor_catalog import vendor_display
from agencydesk.store import outbox
from agencydesk.store.convert import TABLES, record_values, row_record, typed_values
from agencydesk.store.ledger_models import OUTBOX
from agencydesk.store.ledger_types import (
    SUPERSEDED,
    SUPERSEDED_WHILE_SENDING,
    OutboxOp,
    OutboxState,
    plain,
)
from agencydesk.store.postgres_engine import CHANGES_CHANNEL
from agencydesk.store.team_models import TEAM_CHANGES, TEAM_EDITS
from agencydesk.sync.links import parent_refs

log = logging.getLogger(__name__)


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
    made_at: datetime  # when the desk queued it
    seen: dict[str, Any] | None = None  # the changed fields as the desk saw them before

    @property
    def origin(self) -> str:
        # A desk's journal ids are SQLite rowids, which come round again once the newest entry
        # is gone (shipped): the time the entry was made keeps two edits apart.
        made = int(self.made_at.timestamp() * 1_000_000)
        return f"{self.desk}:{self.journal_id}:{made}"


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """Column values as JSON: dates and instants as ISO text (``typed`` reads them back)."""
    return {key: plain(value) for key, value in values.items()}


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
            seen=edit.seen,
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
    state: str  # "applied" | "refused" | "conflict"
    result_id: int | None
    error: str
    kind: str = ""  # the record kind, or link_decisions.KIND


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
        if row.kind == link_decisions.KIND:  # a person's word on two records being one
            link_decisions.apply(hub, row.op, dict(row.changes))
            hub.execute(
                update(TEAM_EDITS)
                .where(TEAM_EDITS.c.id == row.id)
                .values(state="applied", applied_at=datetime.now(UTC))
            )
            done.append(AppliedEdit(row.id, row.origin, "applied", None, "", row.kind))
            continue
        theirs: dict[str, Any] | None = None  # {"by": seat, "values": {field: value}}
        went_on = False  # some of the edit's fields were queued for the vendor
        try:
            with hub.begin_nested():  # an edit that fails leaves nothing of itself behind
                result_id, theirs, error, went_on = _apply(hub, row, desk)
            state = "conflict" if theirs else "applied"
        except GoneFromTheBook as exc:
            result_id, state, error = None, exc.state, str(exc)
        except (LookupError, ValueError) as exc:
            result_id, state, error = None, "refused", f"the team book could not take it: {exc}"
        except Exception as exc:  # the database refused it, or a fault here: the team goes on
            log.exception("desk edit %s could not be applied", row.origin)
            result_id, state = None, "refused"
            error = f"the team book could not take it: {_first_line(exc)}"
        hub.execute(
            update(TEAM_EDITS)
            .where(TEAM_EDITS.c.id == row.id)
            .values(
                state=state,
                result_id=result_id,
                error=error,
                theirs=theirs,
                applied_at=datetime.now(UTC),
                # What the vendor answers comes back to the desk too (vendor_outcomes.py).
                hub_entry=_waiting_entry(hub, row.kind, result_id) if state == "applied" else None,
                outcome_seq=None if state == "applied" else next_outcome(hub),
            )
        )
        if state == "conflict" and went_on:
            _follow_the_rest(hub, row, result_id, theirs)
        done.append(AppliedEdit(row.id, row.origin, state, result_id, error, row.kind))
    hub.execute(text("SELECT set_config('agencydesk.seat', '', true)"))
    if any(a.state != "applied" for a in done):
        # No record may have changed: the desks are told anyway, so each takes its outcome in.
        hub.execute(text(f"NOTIFY {CHANGES_CHANNEL}"))
    return done


def _follow_the_rest(
    hub: Connection, row: Any, result_id: int | None, theirs: dict[str, Any] | None
) -> None:
    """An edit part of which clashed (its desk chooses) while its other fields went on to the
    vendor: those fields are followed as an edit of their own (origin ``…:rest``), so what the
    vendor answers on them (a refusal, a conflict) reaches the desk as for any edit."""
    clashed = set((theirs or {}).get("values", {}))
    rest = {name: value for name, value in dict(row.changes).items() if name not in clashed}
    seen = {k: v for k, v in dict(row.seen or {}).items() if k not in clashed}
    hub.execute(
        insert(TEAM_EDITS).values(
            origin=f"{row.origin}:rest",
            seat=row.seat,
            kind=row.kind,
            record_id=row.record_id,
            op=row.op,
            changes=rest,
            values=row.values,
            seen=seen or None,
            state="applied",
            result_id=result_id,
            error="",
            created_at=row.created_at,
            applied_at=datetime.now(UTC),
            hub_entry=_waiting_entry(hub, row.kind, result_id),
        )
    )


def _first_line(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


def _fits(kind: RecordKind, values: dict[str, Any]) -> None:
    """A desk's SQLite keeps text of any length; the team book's PostgreSQL holds each column to
    its declared length. A longer value is refused here, naming the field, so its desk can
    shorten it (rather than the database refusing the whole batch of the team's edits)."""
    table = TABLES[kind]
    for name, value in values.items():
        length = getattr(table.c[name].type, "length", None) if name in table.c else None
        if isinstance(value, str) and length and len(value) > length:
            raise ValueError(
                f"{name.replace('_', ' ')} is {len(value)} characters long; "
                f"the team book keeps at most {length} characters"
            )


def _waiting_entry(hub: Connection, kind: str, record_id: int | None) -> int | None:
    """The hub's outbox entry now carrying this record's change (None: a record no vendor
    holds, or a delete of one the hub no longer had)."""
    if record_id is None:
        return None
    found = hub.execute(
        select(func.max(OUTBOX.c.id)).where(
            OUTBOX.c.kind == kind,
            OUTBOX.c.record_id == record_id,
            OUTBOX.c.state == OutboxState.PENDING.value,
        )
    ).scalar()
    return None if found is None else int(found)


# Outcome numbers are handed out under this lock, held to commit: a desk that took outcomes up
# to N never misses one numbered below N that committed later.
_OUTCOME_LOCK = 7263390216  # (…214: the feed, …215: the hub sender)


def next_outcome(hub: Connection) -> int:
    """The next number of an outcome a desk must take in (a conflict, a refusal)."""
    hub.execute(text(f"SELECT pg_advisory_xact_lock({_OUTCOME_LOCK})"))
    latest = hub.execute(select(func.coalesce(func.max(TEAM_EDITS.c.outcome_seq), 0))).scalar()
    return int(latest or 0) + 1


def _hub_id_of(hub: Connection, desk: str, desk_id: int) -> int:
    """The hub's id for a record a desk created under its own id (its create applied first)."""
    found = hub.execute(
        select(TEAM_EDITS.c.result_id)
        .where(
            TEAM_EDITS.c.origin.like(f"{desk}:%"),
            TEAM_EDITS.c.op == OutboxOp.CREATE.value,
            TEAM_EDITS.c.record_id == desk_id,
            TEAM_EDITS.c.state == "applied",
        )
        # The latest: a desk numbers its new records from the same place again once the
        # earlier ones went to the hub (store/batch_writes.DESK_IDS_FROM).
        .order_by(TEAM_EDITS.c.id.desc())
        .limit(1)
    ).scalar()
    return int(found) if found is not None else desk_id


def _apply(
    hub: Connection, row: Any, desk: str
) -> tuple[int | None, dict[str, Any] | None, str, bool]:
    """The record id the edit left, the book's values of the fields another change took first
    (None: no clash), what the desk is told, and whether any field went on to the vendor."""
    kind = RecordKind(row.kind)
    op = OutboxOp(row.op)
    if op is OutboxOp.DELETE:
        current = _current(hub, kind, int(row.record_id))
        if current is None:
            return None, None, "", False  # already gone at the hub: what the desk wanted
        _superseded(hub, current, str(row.seat), desk)
        outbox.save_local_edit(hub, current, op, {})
        return current.id, None, "", True
    if op is OutboxOp.CREATE:
        _fits(kind, dict(row.values))
        record = row_record(kind, {"id": None, **typed(kind, dict(row.values))})
        record = _hub_links(hub, desk, replace(record, id=None))
        return outbox.save_local_edit(hub, record, op, dict(row.changes)), None, "", True
    current = _current(hub, kind, int(row.record_id))
    if current is None:
        raise _gone(hub, kind, row)
    wanted = dict(row.changes)
    theirs = _raced(hub, kind, int(row.record_id), wanted, row.seen)
    # Only the fields the desk changed: whatever else the hub learned since (a vendor sync,
    # another desk) stays as the hub has it. A field someone else changed after the desk saw
    # it is not overwritten: the desk's user chooses (as against a vendor's change).
    for name in theirs:
        wanted.pop(name, None)
    raced, message = None, ""
    if theirs:
        by, synced = _last_writer(hub, current)
        raced = {"by": by, "values": theirs}
        message = f"changed in {by} meanwhile" if synced else f"changed by {by} meanwhile"
    if not any(name in wanted for name in (f.name for f in fields(current))):
        return current.id, raced, message, False
    changed = typed(kind, wanted)
    values = {name: changed[name] for name in wanted if hasattr(current, name)}
    _fits(kind, values)
    record = _hub_links(hub, desk, replace(current, **values))
    return outbox.save_local_edit(hub, record, op, wanted), raced, message, True


def _superseded(hub: Connection, current: Record, seat: str, desk: str) -> None:
    """A seat deletes a record whose earlier edits (other desks' too) wait at the hub: the
    delete drops their entry (store/outbox.py), so those edits are never sent. Each other desk
    is told so, naming who deleted it, rather than hearing "sent" (vendor_outcomes.py); the
    deleting desk's own earlier edits are simply moot, as on a desk of its own."""
    waiting = hub.execute(
        select(TEAM_EDITS.c.id, TEAM_EDITS.c.origin, OUTBOX.c.state)
        .join(OUTBOX, OUTBOX.c.id == TEAM_EDITS.c.hub_entry)
        .where(OUTBOX.c.kind == current.kind.value, OUTBOX.c.record_id == current.id)
    ).all()
    deleted = f"{seat} deleted {title_of(current)} in the team book"
    for edit_id, origin, entry_state in waiting:
        told: dict[str, Any] = {"hub_entry": None}
        if not origin.startswith(f"{desk}:"):
            message = f"{deleted} {SUPERSEDED}"
            if entry_state != OutboxState.PENDING.value:
                # The send journal: its request was started (a hub stopped mid-send leaves
                # the entry in flight), so the vendor may have it; the delete follows it.
                vendor = vendor_display(current.provenance.vendor)
                message = (
                    f"{deleted} {SUPERSEDED_WHILE_SENDING}: {vendor} may have taken it "
                    "before the delete"
                )
            told.update(state="superseded", error=message, outcome_seq=next_outcome(hub))
        hub.execute(update(TEAM_EDITS).where(TEAM_EDITS.c.id == edit_id).values(told))


class GoneFromTheBook(LookupError):
    """An edit of a record the team book no longer holds; ``state`` is what its desk hears."""

    def __init__(self, state: str, message: str) -> None:
        super().__init__(message)
        self.state = state


def _gone(hub: Connection, kind: RecordKind, row: Any) -> GoneFromTheBook:
    """Why a desk's edit finds its record gone, in words naming it: another seat deleted it (the
    edit is superseded), or the vendor refused to create it (the team book let it go, and the
    desk that made it has it back), or else it is simply gone."""
    try:
        record = row_record(kind, {**typed(kind, dict(row.values)), "id": row.record_id})
        name = title_of(record)
    except (KeyError, TypeError, ValueError):  # an older desk's edit without its values
        name = f"{kind.value} {row.record_id}"
    edits = TEAM_EDITS.c
    deleted = (edits.op == OutboxOp.DELETE.value) & (edits.record_id == row.record_id)
    created = (edits.op == OutboxOp.CREATE.value) & (edits.result_id == row.record_id)
    last = hub.execute(
        select(edits.op, edits.seat, edits.state, edits.error)
        .where(edits.kind == kind.value, edits.id != row.id, deleted | created)
        .order_by(edits.id.desc())
        .limit(1)
    ).first()
    if last is not None and last.op == OutboxOp.DELETE.value and last.state != "refused":
        return GoneFromTheBook(
            "superseded", f"{last.seat} deleted {name} in the team book {SUPERSEDED}"
        )
    if last is not None and last.op == OutboxOp.CREATE.value and last.state == "refused":
        return GoneFromTheBook(
            "refused",
            f"{name} is no longer in the team book: its creation was refused "
            f"({last.error}), so it went back to {last.seat}'s desk to be corrected",
        )
    return GoneFromTheBook("refused", f"{name} is no longer in the team book")


def _raced(
    hub: Connection,
    kind: RecordKind,
    record_id: int,
    wanted: dict[str, Any],
    seen: dict[str, Any] | None,
) -> dict[str, Any]:
    """The fields of ``wanted`` that changed in the book since the desk saw them (and not to
    the desk's own value): name -> the book's value now (JSON). An edit that does not say what
    it saw (an older desk) is applied as it stands."""
    if not seen:
        return {}
    now = outbox.field_values(hub, kind, record_id, [n for n in wanted if n in seen]) or {}
    return {
        name: value for name, value in now.items() if value != seen[name] and value != wanted[name]
    }


def _last_writer(hub: Connection, current: Record) -> tuple[str, bool]:
    """Who last wrote the record, as the feed names it: a seat, or (True) the vendor whose
    change the hub's own sync brought in."""
    assert current.id is not None
    last = last_writer_query(TABLES[current.kind].name, current.id)
    seat, hub_role = hub.execute(last).one_or_none() or (None, None)
    if seat is None or seat == hub_role:
        return vendor_display(current.provenance.vendor), True
    return str(seat), False


def last_writer_query(table_name: str, record_id: int) -> Select[tuple[Any, Any]]:
    """The feed's newest row of one record (its seat, and the hub's own role beside it): read
    through ``ix_team_changes_record`` (revision 0037), not by walking back the whole feed."""
    return (
        select(TEAM_CHANGES.c.seat, literal_column("session_user"))
        .where(TEAM_CHANGES.c.table_name == table_name, TEAM_CHANGES.c.record_id == record_id)
        .order_by(TEAM_CHANGES.c.seq.desc())
        .limit(1)
    )


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


def typed(kind: RecordKind, values: dict[str, Any]) -> dict[str, Any]:
    """A shipped record's JSON values back to its columns' Python types (dates, instants)."""
    return typed_values(kind, values)
