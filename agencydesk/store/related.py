"""``related_name``: the customer's (or lead's) display name stored on each policy, thread and
task, so the tabs can show and sort by it from an index instead of joining every row.

Kept current inside the writing transaction: after a child is saved, after its customer or lead
is renamed, and after that customer or lead is deleted (the name falls back to the policy's
insured name or the thread's counterpart).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection, FromClause, case, func, select, update

from agencydesk.domain import RecordKind
from agencydesk.store.convert import TABLES

CHILDREN = (RecordKind.POLICY, RecordKind.THREAD, RecordKind.TASK)
_PARENT_LINKS = {RecordKind.CUSTOMER: "customer_id", RecordKind.LEAD: "lead_id"}
_CHUNK = 500


def person_name(table: FromClause) -> ColumnElement[str]:
    """A person's display name in SQL ("First Last", else the business name)."""
    full = func.trim(table.c.first_name + " " + table.c.last_name)
    return case((full != "", full), else_=table.c.business_name)


def _name_of(parent_kind: RecordKind, link: ColumnElement[int]) -> ColumnElement[str]:
    parent = TABLES[parent_kind]
    return select(person_name(parent)).where(parent.c.id == link).scalar_subquery()


def related_expression(kind: RecordKind) -> ColumnElement[str]:
    """The related name of a ``kind`` row, computed from its links."""
    table = TABLES[kind]
    customer = _name_of(RecordKind.CUSTOMER, table.c.customer_id)
    if kind is RecordKind.POLICY:
        return func.coalesce(customer, table.c.insured_name)
    lead = _name_of(RecordKind.LEAD, table.c.lead_id)
    fallback = table.c.counterpart if kind is RecordKind.THREAD else ""
    return func.coalesce(customer, lead, fallback)


def refresh(conn: Connection, kind: RecordKind, ids: Sequence[int] | None = None) -> None:
    """Recompute ``related_name`` of the given rows of ``kind`` (all rows when ``ids`` is None)."""
    if kind not in CHILDREN:
        return
    table = TABLES[kind]
    stmt = update(table).values(related_name=related_expression(kind))
    if ids is None:
        conn.execute(stmt)
        return
    listed = sorted(set(ids))
    for start in range(0, len(listed), _CHUNK):
        conn.execute(stmt.where(table.c.id.in_(listed[start : start + _CHUNK])))


def children_of(
    conn: Connection, parent_kind: RecordKind, parent_ids: Sequence[int]
) -> dict[RecordKind, list[int]]:
    """The policies, threads and tasks linked to these customers or leads."""
    link = _PARENT_LINKS.get(parent_kind)
    found: dict[RecordKind, list[int]] = {}
    if link is None or not parent_ids:
        return found
    listed = sorted(set(parent_ids))
    for kind in CHILDREN:
        table = TABLES[kind]
        if link not in table.c:
            continue
        ids: list[int] = []
        for start in range(0, len(listed), _CHUNK):
            chunk = listed[start : start + _CHUNK]
            ids += conn.execute(select(table.c.id).where(table.c[link].in_(chunk))).scalars()
        if ids:
            found[kind] = ids
    return found


def refresh_children(conn: Connection, children: dict[RecordKind, list[int]]) -> None:
    for kind, ids in children.items():
        refresh(conn, kind, ids)
