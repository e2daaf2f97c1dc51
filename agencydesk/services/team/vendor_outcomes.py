"""What the vendor answered to a desk's edit, sent back to that desk (issue 14).

The hub sends a desk's edit through its own outbox. When the vendor refuses it, or had changed
the record first (a conflict), the hub has no one to ask: the edit's outcome goes back to the
desk that made it (``team_edits``: state, the vendor's message, and for a conflict the vendor's
values of the fields), and the hub's own entry is settled by taking the vendor's version, so the
team book again holds what the vendor holds and later edits of the record are not held up. The
desk then chooses (keep mine sends again, made on the vendor's values) as a solo desk would.

Each step is idempotent: the edit's outcome is written first, keeping ``hub_entry``; the hub's
entry is settled after, and ``hub_entry`` cleared last. A hub killed in between finishes the
job at its next round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from agencydesk.domain import RecordKind
from agencydesk.services.conflict_cases import ConflictCases, resolve_conflict
from agencydesk.services.team.edits import next_outcome
from agencydesk.services.vendor_catalog import vendor_display
from agencydesk.store.book import Book
from agencydesk.store.ledger_models import OUTBOX
from agencydesk.store.ledger_types import OutboxEntry, OutboxOp, OutboxState, plain
from agencydesk.store.team_models import TEAM_EDITS
from agencydesk.sync import conflicts as vendor_conflicts
from agencydesk.sync import unexpected

_UNANSWERED = {OutboxState.PENDING, OutboxState.IN_FLIGHT, OutboxState.UNLINKED}
_TO_THE_DESK = {OutboxState.REFUSED, OutboxState.FAILED, OutboxState.CONFLICT}


@dataclass(frozen=True, slots=True)
class VendorOutcome:
    edit_id: int
    origin: str
    state: str  # "sent" | "refused" | "conflict"
    message: str


def settle(book: Book, cases: ConflictCases) -> list[VendorOutcome]:
    """Every applied desk edit whose hub entry the vendor has answered: record the outcome for
    its desk and settle the hub's entry. Returns what changed (refusals and conflicts first
    reach a desk at its next pull; the caller notifies the desks).

    The hub's outbox joins a later edit of a record to one still waiting (one request, the
    latest values), so one entry can carry several desks' edits: each of them hears the
    vendor's answer, and only then is the entry settled, once."""
    with book.reading() as conn:
        rows = conn.execute(
            select(TEAM_EDITS, OUTBOX.c.state.label("entry_state"))
            .outerjoin(OUTBOX, OUTBOX.c.id == TEAM_EDITS.c.hub_entry)
            .where(TEAM_EDITS.c.hub_entry.is_not(None))
            .order_by(TEAM_EDITS.c.id)
        ).all()
    entries = {entry.id: entry for entry in book.ledgers.outbox()}  # as the rows saw them
    carried: dict[int, list[Any]] = {}
    for row in rows:
        carried.setdefault(int(row.hub_entry), []).append(row)
    done: list[VendorOutcome] = []
    for hub_entry, edits in carried.items():
        first = edits[0]
        entry_state = OutboxState(first.entry_state) if first.entry_state else None
        waiting = [row for row in edits if row.state == "applied"]
        if waiting and entry_state in _UNANSWERED:
            continue
        answer = _answer(book, cases, first, entry_state, entries)
        done += [_outcome(book, row, answer) for row in waiting]
        if answer.state != "sent":
            try:
                _settle_hub_entry(book, cases, first, entry_state)
            except Exception as exc:  # the desk has heard; this entry must not stop the others
                if not unexpected.about_the_record(exc):
                    raise
                unexpected.log_unexpected(f"settling the hub's outbox entry {hub_entry}", exc)
                _keep_the_books(book, hub_entry)
        with book.writing() as conn:
            conn.execute(
                update(TEAM_EDITS)
                .where(TEAM_EDITS.c.id.in_([row.id for row in edits]))
                .where(TEAM_EDITS.c.hub_entry == hub_entry)
                .values(hub_entry=None)
            )
    return done


@dataclass(frozen=True, slots=True)
class _Answer:
    """What the vendor said to one hub entry, for every desk edit it carried."""

    state: str  # "sent" | "refused" | "conflict"
    message: str
    by: str = ""  # the vendor, on a conflict
    theirs: dict[str, Any] | None = None  # on a conflict: the vendor's values (JSON)


def _answer(
    book: Book,
    cases: ConflictCases,
    row: Any,
    entry_state: OutboxState | None,
    entries: dict[int, OutboxEntry],
) -> _Answer:
    if entry_state not in _TO_THE_DESK:  # gone from the outbox: the vendor took it
        return _Answer("sent", "")
    entry = entries[row.hub_entry]
    record = book.get(RecordKind(row.kind), int(row.result_id))
    vendor = vendor_display(record.provenance.vendor) if record else entry.account
    if entry_state is OutboxState.CONFLICT:
        case = cases.load(RecordKind(row.kind), int(row.result_id))
        theirs = {f.field: plain(f.theirs) for f in case.fields} if case else {}
        return _Answer("conflict", f"changed in {vendor} meanwhile", vendor, theirs)
    if entry_state is OutboxState.FAILED:  # not the vendor's answer: AgencyDesk's own words
        return _Answer("refused", entry.last_error)
    return _Answer("refused", refusal_said(vendor, entry.last_error))


def refusal_said(vendor: str, words: str) -> str:
    """The vendor's refusal as its desk reads it: one sentence. Words already in AgencyDesk's
    plain telling name the vendor themselves ("ConeCRM did not let you…") and stand alone;
    the vendor's own text is said to be the vendor's ("AgencyZoom refused it: …")."""
    if words.startswith(f"{vendor} "):
        return words
    return f"{vendor} refused it: {words}"


def _outcome(book: Book, row: Any, answer: _Answer) -> VendorOutcome:
    values: dict[str, Any] = {"state": answer.state, "error": answer.message}
    if answer.state == "conflict":
        # This desk's user chooses the fields of this desk's edit, not of others it rode with.
        theirs = {k: v for k, v in (answer.theirs or {}).items() if k in row.changes}
        values["theirs"] = {"by": answer.by, "values": theirs}
    with book.writing() as conn:
        if answer.state != "sent":
            values["outcome_seq"] = next_outcome(conn)
        conn.execute(update(TEAM_EDITS).where(TEAM_EDITS.c.id == row.id).values(values))
    return VendorOutcome(row.id, row.origin, answer.state, answer.message)


def _keep_the_books(book: Book, hub_entry: int) -> None:
    """The vendor's version could not be taken in (an answer the hub cannot store): the team
    book keeps its own, and the entry is let go so later edits of the record are sent; the
    next read brings the vendor's version, or marks the account with why it cannot."""
    if book.ledgers.outbox_entry(hub_entry) is not None:
        book.ledgers.outbox_sent(hub_entry, None)


def _settle_hub_entry(
    book: Book, cases: ConflictCases, row: Any, entry_state: OutboxState | None
) -> None:
    """The team book takes the vendor's version; the desks that made the edits decide."""
    if entry_state in _TO_THE_DESK and row.result_id is not None:
        kind, record_id = RecordKind(row.kind), int(row.result_id)
        case = cases.load(kind, record_id) if entry_state is OutboxState.CONFLICT else None
        if case is not None:
            resolve_conflict(book, case, set())
        else:
            entry = book.ledgers.outbox_entry(row.hub_entry)
            record = book.get(kind, record_id)
            made_nowhere = record is not None and not record.provenance.remote_id
            if entry is not None and entry.op is OutboxOp.CREATE and made_nowhere:
                # The team book lets it go (what waited on it goes too), and the desk that made
                # it holds it again (outcomes.py), as before it was shipped.
                assert record is not None
                book.ledgers.save_local_edit(record, OutboxOp.DELETE, {})
                return
            if entry is not None and entry.op is OutboxOp.DELETE:
                # The refusal put the record back as the book had it (store/outbox.py); the
                # desk that deleted it decides: Retry deletes it again, Discard keeps it.
                book.ledgers.outbox_sent(entry.id, None)
                return
            theirs = cases.theirs_of(record) if record is not None else None
            if entry is not None and theirs is not None:
                vendor_conflicts.resolve(book, entry, theirs, set())
            elif entry is not None:  # the vendor's version cannot be read: keep the book's
                book.ledgers.outbox_sent(entry.id, None)
