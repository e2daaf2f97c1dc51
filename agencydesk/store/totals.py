"""Customers' ``policy_count`` (all their policies) and ``total_premium_cents`` (premium of the
ones in force), stored on the customer so the Customers tab shows and sorts by them from an index.
Recomputed in the writing transaction whenever a policy is saved, moved or deleted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, select, text

from agencydesk.domain import RecordKind
from agencydesk.store.convert import TABLES

_CHUNK = 500


# A customer's policies are those of every customer linked with it (one person held by several
# vendors is one row, showing the whole group's totals), each policy once (``link_hidden`` rows
# are another vendor's copy of a policy already counted). Premium counts the active ones, as the
# vendor says: a stored total cannot follow the calendar (it would go stale overnight), so the
# honest in-force-by-date view is the Policies tab's (listing.in_force_conditions).
_MINE = """
    NOT p.link_hidden AND p.customer_id IN (
        SELECT customers.id
        UNION ALL
        SELECT mate.record_id FROM record_links AS me
        JOIN record_links AS mate ON mate.group_id = me.group_id AND mate.record_kind = 'customer'
        WHERE me.record_kind = 'customer' AND me.record_id = customers.id
    )"""
_REFRESH = f"""
UPDATE customers SET
    policy_count = (SELECT count(*) FROM policies AS p WHERE {_MINE}),
    total_premium_cents = (
        SELECT coalesce(sum(p.premium_cents), 0) FROM policies AS p WHERE {_MINE}
        AND p.status = 'active'
    )"""


def refresh(conn: Connection, customer_ids: Iterable[int | None] | None = None) -> None:
    """Recompute the totals of these customers (all customers when None)."""
    if customer_ids is None:
        conn.execute(text(_REFRESH))
        return
    listed = sorted({i for i in customer_ids if i is not None})
    for start in range(0, len(listed), _CHUNK):
        chunk = listed[start : start + _CHUNK]
        marks = ", ".join(str(int(i)) for i in chunk)
        conn.execute(text(f"{_REFRESH} WHERE customers.id IN ({marks})"))


# The same totals for many customers at once: one grouped scan instead of two correlated
# subqueries per customer, and only the rows whose totals changed are rewritten (a first linking
# pass over a big book regroups tens of thousands of customers, most of whose totals stay).
_GROUPED = """
UPDATE customers SET policy_count = t.n, total_premium_cents = t.premium
FROM (
    SELECT c.id AS id, count(p.id) AS n,
           coalesce(sum(CASE WHEN p.status = 'active' THEN p.premium_cents END), 0) AS premium
    FROM customers AS c
    LEFT JOIN record_links AS me ON me.record_kind = 'customer' AND me.record_id = c.id
    LEFT JOIN record_links AS mate
        ON mate.group_id = me.group_id AND mate.record_kind = 'customer'
    LEFT JOIN policies AS p
        ON p.customer_id = coalesce(mate.record_id, c.id) AND NOT p.link_hidden
    WHERE c.id IN ({ids})
    GROUP BY c.id
) AS t
WHERE customers.id = t.id
  AND (customers.policy_count != t.n OR customers.total_premium_cents != t.premium)"""


def refresh_many(conn: Connection, customer_ids: Iterable[int]) -> None:
    """``refresh`` for a large set of customers (what a linking pass regrouped)."""
    listed = sorted(set(customer_ids))
    for start in range(0, len(listed), 5000):
        marks = ", ".join(str(int(i)) for i in listed[start : start + 5000])
        conn.execute(text(_GROUPED.format(ids=marks)))


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
