"""Which per-record calls are still due, most useful first, and storing what one brought together
with the note that it was made (one transaction: a sync killed anywhere resumes without losing
or repeating a call's records).

Useful first: customers with the nearest renewal the book already knows (a policy of theirs
expiring from today on, e.g. from an earlier sync), then the latest activity
(the customer's own change stamp, its newest thread message, its newest task); leads by their
last activity."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from agencydesk.domain import Record, RecordKind
from agencydesk.store import ledger_models as lm
from agencydesk.store import set_aside, sync_pages
from agencydesk.store.convert import TABLES

if TYPE_CHECKING:
    from agencydesk.store.book import Book

_FETCHES = lm.RECORD_FETCHES
# Far from any real date: "no renewal known" and "no activity known" sort last.
_NO_RENEWAL = date(9999, 12, 31)


@dataclass(frozen=True, slots=True)
class DueParent:
    remote_id: str
    version: str  # the parent's change stamp now (stored with the call once made)


@dataclass(frozen=True, slots=True)
class DueQuestion:
    """Which parents of one job are due: never fetched, fetched before ``round_started`` (a
    new full round), or (``when_changed``) changed since."""

    account: str
    vendor: str
    job: str
    parent: RecordKind
    round_started: datetime | None
    when_changed: bool
    today: date
    set_aside_of: str = ""  # also parents set aside in this listing stream (vendor id known)


def version_of(updated_at: datetime | None) -> str:
    return updated_at.astimezone(UTC).isoformat() if updated_at is not None else ""


@dataclass(frozen=True, slots=True)
class FetchedCall:
    """What one per-record call brought, to store (``store_many``)."""

    job: str
    parent: DueParent
    records: Sequence[Record]
    deleted: Sequence[tuple[RecordKind, str]] = ()
    quarantined: Sequence[tuple[str, str, str]] = ()


class RecordFetches:
    def __init__(self, book: Book) -> None:
        self._book = book

    def due(self, question: DueQuestion) -> list[DueParent]:
        """Every due parent, most useful first."""
        with self._book.reading() as conn:
            return _due(conn, question)

    def store_fetched(
        self,
        account: str,
        job: str,
        parent: DueParent,
        records: Sequence[Record],
        *,
        deleted: Sequence[tuple[RecordKind, str]] = (),
        quarantined: Sequence[tuple[str, str, str]] = (),
    ) -> list[int]:
        """ONE transaction: the records (upserted like a listing's page: local edits waiting in
        the outbox win), what is gone, what could not be read, and the call marked made."""
        now = datetime.now(UTC)
        with self._book.writing() as conn:
            ids = sync_pages.store_records(conn, records)
            sync_pages.delete_remote(conn, account, deleted)
            set_aside.set_aside(conn, account, job, quarantined, now)
            set_aside.read_again(conn, account, job, records)
            _mark(conn, account, job, parent, now)
            return ids

    def store_many(self, account: str, calls: Sequence[FetchedCall]) -> None:
        """``store_fetched`` for several calls in ONE transaction (calls made side by side:
        one commit, and one change notice to the team's desks, for all of them)."""
        now = datetime.now(UTC)
        with self._book.writing() as conn:
            for call in calls:
                sync_pages.store_records(conn, call.records)
                sync_pages.delete_remote(conn, account, call.deleted)
                set_aside.set_aside(conn, account, call.job, call.quarantined, now)
                set_aside.read_again(conn, account, call.job, call.records)
                _mark(conn, account, call.job, call.parent, now)

    def children(
        self, account: str, kind: RecordKind, parent: RecordKind, parent_remote_id: str
    ) -> list[str]:
        """Remote ids of the cached ``kind`` records of one parent (a customer's policies)."""
        table, parents = TABLES[kind], TABLES[parent]
        link = table.c.customer_id if kind is RecordKind.POLICY else None
        if link is None:
            return []
        stmt = (
            select(table.c.remote_id)
            .join(parents, parents.c.id == link)
            .where(
                parents.c.account == account,
                parents.c.remote_id == parent_remote_id,
                table.c.account == account,
                table.c.remote_id.is_not(None),
            )
        )
        with self._book.reading() as conn:
            return [str(r) for r in conn.execute(stmt).scalars()]

    def forget(self, account: str) -> None:
        with self._book.writing() as conn:
            conn.execute(delete(_FETCHES).where(_FETCHES.c.account == account))


def _mark(conn: Connection, account: str, job: str, parent: DueParent, now: datetime) -> None:
    where = (
        _FETCHES.c.account == account,
        _FETCHES.c.job == job,
        _FETCHES.c.parent_id == parent.remote_id,
    )
    values = {"fetched_at": now, "version": parent.version}
    if conn.execute(update(_FETCHES).where(*where).values(values)).rowcount:
        return
    conn.execute(
        insert(_FETCHES).values(account=account, job=job, parent_id=parent.remote_id, **values)
    )


def _due(conn: Connection, q: DueQuestion) -> list[DueParent]:
    table = TABLES[q.parent]
    mark = _FETCHES.alias("mark")
    joined = table.outerjoin(
        mark,
        and_(
            mark.c.account == q.account,
            mark.c.job == q.job,
            mark.c.parent_id == table.c.remote_id,
        ),
    )
    rows = conn.execute(
        select(table.c.id, table.c.remote_id, table.c.updated_at, mark.c.fetched_at, mark.c.version)
        .select_from(joined)
        .where(
            table.c.vendor == q.vendor,
            table.c.account == q.account,
            table.c.remote_id.is_not(None),
        )
    ).all()
    due = []
    for r in rows:
        version = version_of(r.updated_at)
        if (
            r.fetched_at is None
            or (q.round_started is not None and _utc(r.fetched_at) < q.round_started)
            or (q.when_changed and r.version != version)
        ):
            due.append((r.id, DueParent(str(r.remote_id), version), r.updated_at))
    if q.parent is RecordKind.CUSTOMER:
        useful = _customer_usefulness(conn, q, [i for i, _p, _u in due])
        due.sort(key=lambda d: (*useful(d[0], d[2]), d[0]))
    else:
        due.sort(key=lambda d: (-_seconds(d[2]), d[0]))
    held = {str(r.remote_id) for r in rows}
    return [p for _i, p, _u in due] + _set_aside_parents(conn, q, mark, held)


def _set_aside_parents(
    conn: Connection, q: DueQuestion, mark: Any, held: set[str]
) -> list[DueParent]:
    """Parents set aside in their listing (last): never fetched, or before this round."""
    if not q.set_aside_of:
        return []
    aside = lm.QUARANTINE
    rows = conn.execute(
        select(aside.c.remote_id, mark.c.fetched_at)
        .select_from(
            aside.outerjoin(
                mark,
                and_(
                    mark.c.account == q.account,
                    mark.c.job == q.job,
                    mark.c.parent_id == aside.c.remote_id,
                ),
            )
        )
        .where(aside.c.account == q.account, aside.c.stream == q.set_aside_of)
        .order_by(aside.c.id)
    ).all()
    found: dict[str, DueParent] = {}
    for remote_id, fetched_at in rows:
        rid = str(remote_id or "")
        if not rid or rid in held or rid in found:
            continue
        if fetched_at is None or (
            q.round_started is not None and _utc(fetched_at) < q.round_started
        ):
            found[rid] = DueParent(rid, "")
    return list(found.values())


def _customer_usefulness(
    conn: Connection, q: DueQuestion, ids: list[int]
) -> Callable[[int, datetime | None], tuple[int, date, float]]:
    """(no renewal known, nearest renewal, newest activity first) for a customer's local id.
    Grouped reads (portable: the team hub runs this on PostgreSQL)."""
    c = TABLES[RecordKind.CUSTOMER]
    p, t, k = TABLES[RecordKind.POLICY], TABLES[RecordKind.THREAD], TABLES[RecordKind.TASK]
    mine = select(c.c.id).where(c.c.account == q.account, c.c.vendor == q.vendor)
    renewal: dict[int, date] = dict(
        conn.execute(
            select(p.c.customer_id, func.min(p.c.expiration_date))
            .where(p.c.customer_id.in_(mine), p.c.expiration_date >= q.today)
            .group_by(p.c.customer_id)
        ).all()
    )
    activity: dict[int, datetime] = {}
    for table, column in ((t, t.c.last_message_at), (k, k.c.updated_at)):
        for customer_id, when in conn.execute(
            select(table.c.customer_id, func.max(column))
            .where(table.c.customer_id.in_(mine))
            .group_by(table.c.customer_id)
        ):
            if when is not None and (customer_id not in activity or when > activity[customer_id]):
                activity[customer_id] = when

    def key(local_id: int, updated_at: datetime | None) -> tuple[int, date, float]:
        soonest = renewal.get(local_id)
        newest = max(
            _seconds(updated_at), _seconds(activity.get(local_id)) if local_id in activity else 0
        )
        return (0 if soonest else 1, soonest or _NO_RENEWAL, -newest)

    return key


def _seconds(when: datetime | None) -> float:
    return _utc(when).timestamp() if when is not None else 0.0


def _utc(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
