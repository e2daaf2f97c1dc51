"""ListQuery -> SQL: each tab's filters and sort orders.

Pages are read with LIMIT/OFFSET in an order that an index serves (default orders have one), so a
page costs the rows it returns, not the table.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    and_,
    case,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
)

from agencydesk.domain import RecordKind, TaskStatus
from agencydesk.domain.policy_state import UNDATED_STATUSES
from agencydesk.store import text_search
from agencydesk.store.convert import FIELDS, TABLES
from agencydesk.store.link_models import RECORD_LINKS
from agencydesk.store.queries import ListQuery, TaskDue

LEADS, CUSTOMERS, POLICIES = (
    TABLES[RecordKind.LEAD],
    TABLES[RecordKind.CUSTOMER],
    TABLES[RecordKind.POLICY],
)
THREADS, MESSAGES, TASKS = (
    TABLES[RecordKind.THREAD],
    TABLES[RecordKind.MESSAGE],
    TABLES[RecordKind.TASK],
)
NOTES = TABLES[RecordKind.NOTE]

FTS_TABLES: dict[RecordKind, str] = {
    RecordKind.LEAD: "fts_leads",
    RecordKind.CUSTOMER: "fts_customers",
    RecordKind.POLICY: "fts_policies",
    RecordKind.THREAD: "fts_threads",
    RecordKind.MESSAGE: "fts_messages",
    RecordKind.TASK: "fts_tasks",
}

#: Kinds whose records are linked into groups shown as one row (``link_book``).
GROUPED = (RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY)


#: Above this many text matches a page is read by walking the order's index (see fts_match),
#: for the kinds whose order an index gives (``BROAD_KINDS``).
BROAD_MATCHES = 3000
#: Measured on the 100k benchmark book (the filter words of bench/bench_shell.py): for leads,
#: customers and threads the walk finds a page of 3,000+ matches in 2-4 ms against 10-50 ms for
#: fetching and sorting them. Tasks' order is partly computed (today's, overdue, then by date),
#: so walking ix_tasks_due still sorts every task: 60-160 ms against 10-40 ms. Policies' in-force
#: walk skips most entries: 40-60 ms against 20-30 ms.
BROAD_KINDS = frozenset({RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.THREAD})


def reads_broad(kind: RecordKind, matches: int | None) -> bool:
    """Whether a page of ``kind`` with this many text matches is read by walking its order."""
    return matches is not None and matches > BROAD_MATCHES and kind in BROAD_KINDS


def text_matches(conn: Connection, kind: RecordKind, q: ListQuery) -> int | None:
    """How many records of ``kind`` the text filter matches by their own fields (None: no
    text filter). Cheap: answered by the FTS index alone."""
    if not text_search.match_terms(q.text) or kind not in FTS_TABLES:
        return None
    return text_search.count(conn, FTS_TABLES[kind], q.text)


def counts_by_own_text(kind: RecordKind) -> bool:
    """Whether a record of ``kind`` matches the text filter by its own fields alone (then the
    FTS count is the list's count). A thread also matches by its messages, a task by the name
    of the customer or lead it is for (``_text_condition``)."""
    return kind not in (RecordKind.THREAD, RecordKind.TASK)


#: Up to this many text matches of a kind's own, a first page read narrow reads every match's
#: id for its count and page at once (``Book.first_page``); above it, a count then a page.
IDS_AT_ONCE = 20_000


def reads_ids_at_once(kind: RecordKind, q: ListQuery, matches: int | None) -> bool:
    """Whether the first page of a text-filtered ``q`` reads its matches' ids at once: not
    when the count comes off the full-text index, nor when the page walks the order's index."""
    if matches is None or matches > IDS_AT_ONCE or reads_broad(kind, matches):
        return False
    return not (counts_by_own_text(kind) and only_text(q))


def ids_statement(kind: RecordKind, q: ListQuery, today: date) -> Select[Any]:
    """The ids of ``q``'s rows, in its order (what ``page_statement`` reads a page of)."""
    table = TABLES[kind]
    where = and_(true(), *conditions(kind, q, today))
    return select(table.c.id).where(where).order_by(*_order(kind, q))


def hidden_text_matches(conn: Connection, kind: RecordKind, q: ListQuery, matches: int) -> int:
    """How many of the text filter's ``matches`` of its own (``text_matches``) the list does not
    show: the other copies of a linked group (``link_hidden``), which the FTS index holds too.
    Few matches: each one's row is looked up; many: an index holding ``link_hidden`` is walked
    and the match list probed (on the 100k book 3-8 ms whatever the matches, against 40 ms for
    looking up the rows of 15,000)."""
    if not matches or kind not in GROUPED or q.every_record:
        return 0
    table = TABLES[kind]
    broad = matches > BROAD_MATCHES
    hidden = text_search.matching(FTS_TABLES[kind], table.c.id, q.text, broad=broad)
    if hidden is None:
        return 0
    stmt = select(func.count()).select_from(table).where(table.c.link_hidden == true(), hidden)
    return int(conn.execute(stmt).scalar_one())


def only_text(q: ListQuery) -> bool:
    """The query filters by text and nothing else (its count is the FTS count)."""
    return replace(q, text="", sort="", descending=False, today=None) == ListQuery()


def _text_condition(kind: RecordKind, text_filter: str, broad: bool) -> ColumnElement[bool]:
    table = TABLES[kind]
    own = text_search.matching(FTS_TABLES[kind], table.c.id, text_filter, broad=broad)
    if own is None:
        return true()
    if kind is RecordKind.THREAD and not text_search.is_short(text_filter):
        # A thread also matches by its messages' text (from three letters on: "a" alone would
        # match nearly every message of a big book and tell the user nothing).
        by_text = text_search.matching("fts_messages", MESSAGES.c.id, text_filter, broad=False)
        assert by_text is not None  # the same words as ``own``
        in_messages = select(MESSAGES.c.thread_id).where(by_text)
        return or_(own, table.c.id.in_(in_messages))
    if kind is RecordKind.TASK:
        # The "For" column: a task also matches by the customer's or lead's name, email or
        # phone (their own full-text index), as the user reads the row.
        for_whom = [
            text_search.matching(fts, column, text_filter, broad=False)
            for fts, column in (
                ("fts_customers", table.c.customer_id),
                ("fts_leads", table.c.lead_id),
            )
        ]
        return or_(own, *(clause for clause in for_whom if clause is not None))
    return own


def conditions(
    kind: RecordKind, q: ListQuery, today: date, *, broad: bool = False
) -> list[ColumnElement[bool]]:
    """The WHERE terms of ``q`` for ``kind``; fields a kind does not have are ignored."""
    table = TABLES[kind]
    cols = table.c
    where: list[ColumnElement[bool]] = []
    if kind not in FTS_TABLES and q.text.strip():
        raise ValueError(f"text filter is not available for {kind}")
    if q.text.strip():
        where.append(_text_condition(kind, q.text, broad))
    for name in ("status", "pipeline", "stage", "source", "carrier", "line_of_business", "channel"):
        value = getattr(q, name)
        if value and name in cols:
            # Leads' stage is ours (domain/stages.py), whatever each vendor calls it.
            column = cols.stage_group if kind is RecordKind.LEAD and name == "stage" else cols[name]
            where.append(column == str(value))
    if q.statuses and "status" in cols:
        where.append(cols.status.in_(q.statuses))
    if q.producer:
        where.append(cols["assignee" if kind is RecordKind.TASK else "producer"] == q.producer)
    if q.household:
        if kind is RecordKind.CUSTOMER:
            where.append(cols.household == q.household)
        elif "customer_id" in cols:
            members = select(CUSTOMERS.c.id).where(CUSTOMERS.c.household == q.household)
            where.append(cols.customer_id.in_(members))
    pinned = (kind is RecordKind.CUSTOMER and q.customer_id is not None) or (
        kind is RecordKind.LEAD and q.lead_id is not None
    )
    if q.customer_id is not None:
        where.append(_of_person(kind, "customer", q.customer_id))
    if q.lead_id is not None:
        where.append(_of_person(kind, "lead", q.lead_id))
    if kind in GROUPED and not (q.every_record or pinned):
        where.append(cols.link_hidden == false())
    if kind in GROUPED and q.held_in:
        where.append(cols.held_in == q.held_in)
    if kind is RecordKind.POLICY and (q.in_force or q.renewal_within_days is not None):
        where += in_force_conditions(today)
    if kind is RecordKind.POLICY and q.renewal_within_days is not None:
        where.append(cols.expiration_date <= today + timedelta(days=q.renewal_within_days))
    if kind is RecordKind.TASK:
        where += _task_conditions(q, today)
    if kind is RecordKind.THREAD and q.unread_only:
        where.append(cols.unread == true())
    return where


def in_force_conditions(today: date) -> list[ColumnElement[bool]]:
    """Policies in force on ``today`` by their dates (domain.policy_state.in_force)."""
    cols = POLICIES.c
    return [
        # NOT IN the two undated statuses rather than IN the three dated ones: SQLite would
        # otherwise search ix_policies_renewal by status and sort every policy in force; this way
        # it reads ix_policies_in_force in page order from today on.
        cols.status.not_in(UNDATED_STATUSES),
        or_(cols.expiration_date >= today, cols.expiration_date.is_(None)),
        or_(cols.effective_date <= today, cols.effective_date.is_(None)),
    ]


def _of_person(kind: RecordKind, person: str, person_id: int) -> ColumnElement[bool]:
    """``kind``'s records of this customer (lead), or of any customer (lead) linked with it: a
    person held by several vendors shows the policies, threads and tasks of all of them."""
    cols = TABLES[kind].c
    if kind.value == person:
        return cols.id == person_id
    column = cols.get(f"{person}_id")
    if column is None:
        return false()
    me, mate = RECORD_LINKS.alias("me"), RECORD_LINKS.alias("mate")
    mates = (
        select(mate.c.record_id)
        .join(me, me.c.group_id == mate.c.group_id)
        .where(
            me.c.record_kind == person,
            me.c.record_id == person_id,
            mate.c.record_kind == person,
        )
    )
    return or_(column == person_id, column.in_(mates))


def _task_conditions(q: ListQuery, today: date) -> list[ColumnElement[bool]]:
    cols = TASKS.c
    where: list[ColumnElement[bool]] = []
    is_open = cols.status == TaskStatus.OPEN
    if q.due is TaskDue.OVERDUE:
        where += [is_open, cols.due_date < today]
    elif q.due is TaskDue.TODAY:
        where += [is_open, cols.due_date == today]
    elif q.due is TaskDue.UPCOMING:
        where += [is_open, or_(cols.due_date > today, cols.due_date.is_(None))]
    if not q.include_done:
        where.append(cols.status != TaskStatus.DONE)
    return where


def _default_order(kind: RecordKind, today: date) -> list[ColumnElement[Any]]:
    c = TABLES[kind].c
    if kind is RecordKind.LEAD:
        return [c.created_at.desc(), c.id.desc()]
    if kind is RecordKind.CUSTOMER:
        return [c.sort_name, c.id]
    if kind is RecordKind.POLICY:
        return [c.expiration_date, c.id]
    if kind is RecordKind.THREAD:
        return [c.unread.desc(), c.last_message_at.desc(), c.id.desc()]
    if kind is RecordKind.TASK:
        return _task_order(today)
    if kind is RecordKind.MESSAGE:
        return [c.sent_at, c.id]
    return [c.created_at.desc(), c.id.desc()]


def sort_keys(kind: RecordKind) -> set[str]:
    """The names ``ListQuery.sort`` accepts for ``kind``."""
    names = set(FIELDS[kind]) | {"id", "created_at", "updated_at", "sync_state", "vendor"}
    if kind in (RecordKind.LEAD, RecordKind.CUSTOMER):
        names |= {"display_name", "name"}
    if kind in (RecordKind.POLICY, RecordKind.THREAD, RecordKind.TASK):
        names.add("related_name")
    if kind is RecordKind.CUSTOMER:
        names |= {"policy_count", "total_premium_cents"}
    if kind in GROUPED:
        names.add("held_in")
    if kind is RecordKind.LEAD:
        names.add("customer_link")
    return names - {"tags"}


def _task_order(today: date) -> list[ColumnElement[Any]]:
    """A CSR's day: open before done; due today first, then overdue from the most recent (a
    years-old task is not the first thing the day shows), then upcoming from the soonest,
    undated last; within a day, the 08:00 call before the 10:30 one, then those with no
    time."""
    c = TASKS.c
    due = c.due_date
    bucket = case(
        (due.is_(None), 3), (due == today, 0), (due < today, 1), else_=2
    )  # fmt: skip
    overdue_newest_first = case((due < today, due)).desc()  # NULL (equal) in other buckets
    untimed_last = case((c.due_time == "", 1), else_=0)
    return [c.status.desc(), bucket, overdue_newest_first, due, untimed_last, c.due_time, c.id]


def reads_task_day_parts(kind: RecordKind, q: ListQuery, broad: bool = False) -> bool:
    """Whether a page of ``q`` is read a part of the day at a time (``task_day_parts``): the
    Tasks tab's own order, which no single index gives."""
    return kind is RecordKind.TASK and not q.sort and not broad


def task_day_parts(q: ListQuery, today: date) -> list[Select[Any]]:
    """The ids of ``q``'s tasks in ``_task_order``, as its parts one after the other: per status
    (open first), due today, overdue from the most recent, upcoming, undated; each in its own
    index's order (migration 0038: ``ix_tasks_day``, and ``ix_tasks_overdue`` for the overdue
    days, newest first but each day's times ascending). ``(due_time = '')`` is written as the
    indexes hold it, so SQLite matches it to them."""
    c = TASKS.c
    where = and_(true(), *conditions(RecordKind.TASK, q, today))
    untimed = c.due_time == literal_column("''")
    within_day = [untimed, c.due_time, c.id]
    # Only the parts the filters leave (a part they rule out would still be planned, and
    # SQLite may sort its nothing).
    statuses = [TaskStatus.OPEN] if q.due or not q.include_done else [*TaskStatus]
    due = {
        None: ("today", "overdue", "upcoming", "undated"),
        TaskDue.TODAY: ("today",),
        TaskDue.OVERDUE: ("overdue",),
        TaskDue.UPCOMING: ("upcoming", "undated"),
    }[q.due]
    parts: list[Select[Any]] = []
    for status in sorted(statuses, key=lambda s: s.value, reverse=True):
        own = and_(where, c.status == status)
        part = {
            "today": select(c.id).where(own, c.due_date == today).order_by(*within_day),
            "overdue": select(c.id)
            .where(own, c.due_date < today)
            .order_by(c.due_date.desc(), *within_day),
            "upcoming": select(c.id)
            .where(own, c.due_date > today)
            .order_by(c.due_date, *within_day),
            "undated": select(c.id).where(own, c.due_date.is_(None)).order_by(*within_day),
        }
        parts += [part[name] for name in due]
    return parts


def _order(kind: RecordKind, q: ListQuery) -> list[ColumnElement[Any]]:
    if not q.sort:
        return _default_order(kind, q.today or date.today())
    if q.sort not in sort_keys(kind):
        raise ValueError(f"cannot sort {kind} by '{q.sort}'")
    table = TABLES[kind]
    column = table.c.sort_name if q.sort in ("display_name", "name") else table.c[q.sort]
    keys: list[ColumnElement[Any]] = [column, table.c.id]
    return [key.desc() for key in keys] if q.descending else keys


def order_by(kind: RecordKind, q: ListQuery) -> list[ColumnElement[Any]]:
    """The ORDER BY of ``q``'s rows: what pages are read in and positions are counted by."""
    return _order(kind, q)


def count_statement(kind: RecordKind, q: ListQuery, today: date) -> Select[Any]:
    table = TABLES[kind]
    where = and_(true(), *conditions(kind, q, today))
    return select(func.count()).select_from(table).where(where)


def page_statement(
    kind: RecordKind,
    q: ListQuery,
    today: date,
    offset: int,
    limit: int | None,
    *,
    broad: bool = False,
) -> Select[Any]:
    """Rows of the table (policies, threads and tasks carry ``related_name``, customers their
    ``policy_count`` and ``total_premium_cents``).

    The page's ids are picked first by a query that only walks the order's index, so a deep
    offset skips index entries instead of reading every skipped row; ``limit=None`` reads all."""
    table: Table = TABLES[kind]
    where = and_(true(), *conditions(kind, q, today, broad=broad))
    order = _order(kind, q)
    stmt = select(table).order_by(*order)
    if limit is None:
        return stmt.where(where)
    page_ids = (
        select(table.c.id.label("page_id"))
        .where(where)
        .order_by(*order)
        .offset(offset)
        .limit(limit)
        .subquery("page")
    )
    return stmt.select_from(table.join(page_ids, page_ids.c.page_id == table.c.id))
