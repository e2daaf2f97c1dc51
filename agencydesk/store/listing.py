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
    false,
    func,
    or_,
    select,
    true,
)

from agencydesk.domain import PolicyStatus, RecordKind, TaskStatus
from agencydesk.store import sqlite_engine
from agencydesk.store.convert import FIELDS, TABLES
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

#: Statuses a policy is "up for renewal" in (not renewed, cancelled or expired).
RENEWABLE = (PolicyStatus.ACTIVE.value, PolicyStatus.PENDING.value)


#: Above this many text matches a page is read by walking the order's index (see fts_match).
BROAD_MATCHES = 3000


def text_matches(conn: Connection, kind: RecordKind, q: ListQuery) -> int | None:
    """How many records of ``kind`` the text filter matches by their own fields (None: no
    text filter). Cheap: answered by the FTS index alone."""
    expression = sqlite_engine.match_expression(q.text)
    if expression is None or kind not in FTS_TABLES:
        return None
    return sqlite_engine.fts_count(conn, FTS_TABLES[kind], expression)


def only_text(q: ListQuery) -> bool:
    """The query filters by text and nothing else (its count is the FTS count)."""
    return replace(q, text="", sort="", descending=False, today=None) == ListQuery()


def _text_condition(kind: RecordKind, text_filter: str, broad: bool) -> ColumnElement[bool]:
    expression = sqlite_engine.match_expression(text_filter)
    if expression is None:
        return true()
    table = TABLES[kind]
    own = sqlite_engine.fts_match(FTS_TABLES[kind], table.c.id, expression, broad=broad)
    if kind is RecordKind.THREAD and not sqlite_engine.is_short(text_filter):
        # A thread also matches by its messages' text (from three letters on: "a" alone would
        # match nearly every message of a big book and tell the user nothing).
        in_messages = select(MESSAGES.c.thread_id).where(
            sqlite_engine.fts_match("fts_messages", MESSAGES.c.id, expression)
        )
        return or_(own, table.c.id.in_(in_messages))
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
            where.append(cols[name] == str(value))
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
    if q.customer_id is not None:
        column = cols.id if kind is RecordKind.CUSTOMER else cols.get("customer_id")
        where.append(column == q.customer_id if column is not None else false())
    if q.lead_id is not None:
        column = cols.id if kind is RecordKind.LEAD else cols.get("lead_id")
        where.append(column == q.lead_id if column is not None else false())
    if kind is RecordKind.POLICY and q.renewal_within_days is not None:
        end = today + timedelta(days=q.renewal_within_days)
        where += [cols.expiration_date.between(today, end), cols.status.in_(RENEWABLE)]
    if kind is RecordKind.TASK:
        where += _task_conditions(q, today)
    if kind is RecordKind.THREAD and q.unread_only:
        where.append(cols.unread == true())
    return where


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


def _default_order(kind: RecordKind) -> list[ColumnElement[Any]]:
    c = TABLES[kind].c
    if kind is RecordKind.LEAD:
        return [c.created_at.desc(), c.id.desc()]
    if kind is RecordKind.CUSTOMER:
        return [c.sort_name, c.id]
    if kind is RecordKind.POLICY:
        return [c.expiration_date, c.id]
    if kind is RecordKind.THREAD:
        return [c.unread.desc(), c.last_message_at.desc(), c.id.desc()]
    if kind is RecordKind.TASK:  # open before done (overdue, today, upcoming), undated last
        return [c.status.desc(), c.due_date.is_(None), c.due_date, c.id]
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
    return names - {"tags"}


def _order(kind: RecordKind, q: ListQuery) -> list[ColumnElement[Any]]:
    if not q.sort:
        return _default_order(kind)
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
