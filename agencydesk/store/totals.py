"""Customers' ``policy_count`` (all their policies) and ``total_premium_cents`` (premium of the
active ones), stored on the customer so the Customers tab shows and sorts by them from an index.
Recomputed in the writing transaction whenever a policy is saved, moved or deleted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, Connection, func, select, update

from agencydesk.domain import PolicyStatus, RecordKind
from agencydesk.store.convert import TABLES

_CHUNK = 500


def _expressions() -> dict[str, ColumnElement[int]]:
    customers, policies = TABLES[RecordKind.CUSTOMER], TABLES[RecordKind.POLICY]
    mine = policies.c.customer_id == customers.c.id
    count = select(func.count()).select_from(policies).where(mine).scalar_subquery()
    premium = (
        select(func.coalesce(func.sum(policies.c.premium_cents), 0))
        .where(mine, policies.c.status == PolicyStatus.ACTIVE.value)
        .scalar_subquery()
    )
    return {"policy_count": count, "total_premium_cents": premium}


def refresh(conn: Connection, customer_ids: Iterable[int | None] | None = None) -> None:
    """Recompute the totals of these customers (all customers when None)."""
    customers = TABLES[RecordKind.CUSTOMER]
    stmt = update(customers).values(_expressions())
    if customer_ids is None:
        conn.execute(stmt)
        return
    listed = sorted({i for i in customer_ids if i is not None})
    for start in range(0, len(listed), _CHUNK):
        conn.execute(stmt.where(customers.c.id.in_(listed[start : start + _CHUNK])))


def customers_of(conn: Connection, policy_ids: Sequence[int]) -> set[int]:
    """The customers these policies belong to now (before they move or go)."""
    policies = TABLES[RecordKind.POLICY]
    found: set[int] = set()
    listed = sorted(set(policy_ids))
    for start in range(0, len(listed), _CHUNK):
        chunk = listed[start : start + _CHUNK]
        rows = conn.execute(select(policies.c.customer_id).where(policies.c.id.in_(chunk)))
        found |= {int(i) for i in rows.scalars() if i is not None}
    return found
