"""A customer's premiums past 32 bits of cents are stored and totalled on PostgreSQL (migration
0039: money columns are bigint there; a desk's SQLite INTEGER always held 64 bits). Before it, a
customer with two $15M commercial policies stopped the hub's read of the whole account."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from agencydesk.domain import Customer, RecordKind
from agencydesk.domain.validation import format_money
from agencydesk.services.team.desk import DeskReplica
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.hub.teams import ACCOUNT, Team

FIFTEEN_MILLION = 1_500_000_000  # cents (AgencyZoom L1168)
MONEY_COLUMNS = {
    ("leads", "quoted_premium_cents"),
    ("customers", "total_premium_cents"),
    ("policies", "premium_cents"),
}


def _total_shown(book: Book, remote_id: str) -> int:
    """The Customers tab's Total premium of the customer AgencyZoom calls ``remote_id``."""
    found = book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, remote_id)
    assert isinstance(found, Customer)
    items = book.page(RecordKind.CUSTOMER, ListQuery(), 0, 10_000)
    [item] = [i for i in items if i.record.id == found.id]
    return item.total_premium_cents


def test_the_team_books_money_columns_are_64_bit(team: Team) -> None:
    with team.book.reading() as conn:
        kinds = conn.execute(
            text("SELECT table_name, column_name, data_type FROM information_schema.columns "
                 "WHERE column_name LIKE '%\\_cents'")
        ).all()  # fmt: skip
    assert {(t, c) for t, c, _kind in kinds} == MONEY_COLUMNS
    assert {kind for _t, _c, kind in kinds} == {"bigint"}


@pytest.mark.asyncio
async def test_a_customer_with_two_15_million_policies_syncs_and_shows_30_million(
    team: Team, tmp_path: Path
) -> None:
    policies = team.sandbox.state.policies.values()
    owners = Counter(p.customer_id for p in policies)
    owner = min(c for c, n in owners.items() if n >= 2)
    mine = sorted((p for p in policies if p.customer_id == owner), key=lambda p: p.id)
    for policy in mine:
        policy.data.expiryDate = "2099-12-31"  # in force: its premium counts in the total
        policy.data.premium = FIFTEEN_MILLION
    expected = FIFTEEN_MILLION * len(mine)

    done = await team.hub.run_round()

    [report] = done.reports
    assert report.ok, report.summary()
    assert team.book.ledgers.quarantined(ACCOUNT) == []
    assert _total_shown(team.book, str(owner)) == expected
    # A desk pulls the same total, and the tab says it in dollars.
    desk = Book.open(tmp_path / "desk.sqlite3")
    replica = DeskReplica(desk, team.url, None)
    try:
        replica.pull()
        assert _total_shown(desk, str(owner)) == expected
    finally:
        replica.close()
        desk.close()
    assert format_money(expected) == "$30,000,000.00"
