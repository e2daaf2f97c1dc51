"""Text search on the team hub's PostgreSQL book goes through the same search module as a desk's
SQLite cache (issue 14): lists' text filter and quick find find the same people and policies by
name, e-mail, phone digits and policy number, from a GIN index."""

from __future__ import annotations

import pytest

from agencydesk.domain import Customer, Lead, Policy, Provenance, RecordKind
from agencydesk.domain.record_names import title_of
from agencydesk.store import pg_search
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.book_files import fresh_book


def _fill(book: Book) -> None:
    book.save(Lead(first_name="Dana", last_name="Fox", email="dana@fox.test",
                   phone="+15125550123", city="Austin", provenance=Provenance()))  # fmt: skip
    book.save(Lead(first_name="Ruth", last_name="Okafor", email="ruth@okafor.test",
                   phone="+15125550999", city="Round Rock", provenance=Provenance()))  # fmt: skip
    customer = book.save(Customer(first_name="Dana", last_name="Whitfield",
                                  email="dw@example.test", provenance=Provenance()))  # fmt: skip
    book.save(Policy(policy_number="HO-2231-77", carrier="Safeco", insured_name="Dana Whitfield",
                     customer_id=customer.id, provenance=Provenance()))  # fmt: skip


@pytest.fixture
def books(migrated_team_url: str, tmp_path, empty_cache):  # type: ignore[no-untyped-def]
    team = Book.open_team(migrated_team_url)
    solo = fresh_book(empty_cache, tmp_path / "solo.sqlite3")
    _fill(team)
    _fill(solo)
    yield team, solo
    team.close()
    solo.close()


def _names(book: Book, kind: RecordKind, text: str) -> list[str]:
    items = book.page(kind, ListQuery(text=text, sort="id"), 0, 50)
    return [title_of(item.record) for item in items]


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (RecordKind.LEAD, "dan"),  # a prefix of a first name
        (RecordKind.LEAD, "fox"),  # a last name
        (RecordKind.LEAD, "555-0123"),  # phone digits as the user types them
        (RecordKind.LEAD, "round ro"),  # every word a prefix, all required
        (RecordKind.LEAD, "dana@fox"),  # an e-mail address
        (RecordKind.CUSTOMER, "whitf"),
        (RecordKind.POLICY, "HO2231"),  # a policy number typed without its dashes
        (RecordKind.POLICY, "safeco"),
    ],
)
def test_a_text_filter_finds_the_same_records_on_both_dialects(books, kind, text) -> None:  # type: ignore[no-untyped-def]
    team, solo = books
    found = _names(team, kind, text)
    assert found
    assert found == _names(solo, kind, text)
    assert team.count(kind, ListQuery(text=text)) == len(found)


def test_quick_find_on_the_team_book_ranks_names_first(books) -> None:  # type: ignore[no-untyped-def]
    team, solo = books
    hits = team.quick_find("dana", 10)
    kinds = [hit.kind for hit in hits]
    assert kinds[0] is RecordKind.CUSTOMER  # customers lead, as on the desk
    assert {(h.kind, h.title) for h in hits} == {
        (h.kind, h.title) for h in solo.quick_find("dana", 10)
    }


def test_the_search_index_answers_the_filter(books) -> None:  # type: ignore[no-untyped-def]
    """The query's expression is the index's: PostgreSQL can answer it from the GIN index
    (told to avoid a table scan, which it prefers on a table this small)."""
    team, _solo = books
    for fts, index in (("fts_leads", "ix_leads_search"), ("fts_policies", "ix_policies_search")):
        with team.reading() as conn:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            sql = pg_search.ids_sql(fts, "q").replace(":q", "'dan:*'")
            plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
        assert index in plan, plan
