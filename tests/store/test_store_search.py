"""The FTS index: the tab filter (ListQuery.text) and quick find, kept current on every write."""

from __future__ import annotations

from dataclasses import replace

import pytest

from agencydesk.domain import Customer, RecordKind
from agencydesk.store import listing
from agencydesk.store.queries import ListQuery
from agencydesk.store.sqlite_engine import match_expression
from tests.store.conftest import SmallBook


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (RecordKind.CUSTOMER, "ann", 1),
        (RecordKind.CUSTOMER, "lee", 2),
        (RecordKind.CUSTOMER, "ann lee", 1),
        (RecordKind.CUSTOMER, "ann.lee@exa", 1),
        (RecordKind.CUSTOMER, "5125550123", 1),
        (RecordKind.CUSTOMER, "555-0123", 1),
        (RecordKind.CUSTOMER, "(512) 555-0123", 1),
        (RecordKind.CUSTOMER, "+1 512 555 0123", 1),
        (RecordKind.CUSTOMER, "7375550199", 1),
        (RecordKind.CUSTOMER, "austin", 1),
        (RecordKind.CUSTOMER, "zzz", 0),
        (RecordKind.LEAD, "acme roof", 1),
        (RecordKind.POLICY, "PA-100", 1),
        (RecordKind.POLICY, "pa100200", 1),
        (RecordKind.POLICY, "state farm", 1),
        (RecordKind.POLICY, "umbrella", 1),
        (RecordKind.THREAD, "declarations", 1),  # message text
        (RecordKind.THREAD, "renewal", 1),  # subject
        (RecordKind.THREAD, "555-0777", 1),  # counterpart phone
        (RecordKind.TASK, "umbrella", 1),
        (RecordKind.LEAD, "  ", 2),  # blank filter is no filter
        (RecordKind.LEAD, '"*', 2),  # FTS syntax typed by a user is harmless
    ],
)
def test_text_filter(small: SmallBook, kind: RecordKind, text: str, expected: int) -> None:
    assert small.book.count(kind, ListQuery(text=text)) == expected
    assert len(small.book.page(kind, ListQuery(text=text), 0, 10)) == expected


def test_text_filter_combines_with_other_filters(small: SmallBook) -> None:
    assert small.book.count(RecordKind.CUSTOMER, ListQuery(text="lee", household="H1")) == 2
    assert small.book.count(RecordKind.CUSTOMER, ListQuery(text="lee", household="H2")) == 0


def test_index_follows_updates_and_deletes(small: SmallBook) -> None:
    book = small.book
    ann = book.get(RecordKind.CUSTOMER, small.ann)
    assert isinstance(ann, Customer)
    book.save(replace(ann, last_name="Zimmer", phone="+12145550000"))
    assert book.count(RecordKind.CUSTOMER, ListQuery(text="zimmer")) == 1
    assert book.count(RecordKind.CUSTOMER, ListQuery(text="5125550123")) == 0
    assert book.count(RecordKind.CUSTOMER, ListQuery(text="2145550000")) == 1
    book.delete(RecordKind.CUSTOMER, [small.ann])
    assert book.count(RecordKind.CUSTOMER, ListQuery(text="zimmer")) == 0
    assert book.quick_find("zimmer") == []


def test_quick_find_spans_every_tab(small: SmallBook) -> None:
    hits = small.book.quick_find("ann")
    kinds = {(h.kind, h.id) for h in hits}
    assert (RecordKind.CUSTOMER, small.ann) in kinds
    assert (RecordKind.TASK, small.task_overdue) in kinds  # "Call Ann"
    customer = next(h for h in hits if h.kind is RecordKind.CUSTOMER)
    assert customer.title == "Ann Lee"
    assert "Customer" in customer.subtitle


def test_quick_find_message_hits_open_their_thread_with_a_snippet(small: SmallBook) -> None:
    [hit] = small.book.quick_find("declarations")
    assert (hit.kind, hit.id, hit.title) == (RecordKind.THREAD, small.thread_ann, "Auto renewal")
    assert "declarations page" in hit.subtitle


def test_quick_find_ranks_name_matches_first(small: SmallBook) -> None:
    small.book.save(Customer(first_name="Pat", last_name="Austin"))
    hits = small.book.quick_find("austin")
    assert hits[0].title == "Pat Austin"  # the name beats Ann Lee's city
    assert len(hits) == 2
    assert small.book.quick_find("austin", limit=1) == hits[:1]
    assert small.book.quick_find("") == []


def test_match_expression() -> None:
    assert match_expression("Ann  Lee") == '"ann"* AND "lee"*'
    assert match_expression("(512) 555-0123") == '"512"* AND "5550123"*'
    assert match_expression("o'brien") == '"o"* AND "brien"*'
    assert match_expression("-- *") is None


def test_one_or_two_letters_skip_message_text_but_still_find_names(small: SmallBook) -> None:
    book = small.book
    assert book.count(RecordKind.THREAD, ListQuery(text="de")) == 0  # "declarations" is a body
    assert book.count(RecordKind.THREAD, ListQuery(text="dec")) == 1
    hits = book.quick_find("an")
    assert (RecordKind.CUSTOMER, small.ann) in {(h.kind, h.id) for h in hits}
    assert all(h.kind is not RecordKind.THREAD or h.title for h in hits)


@pytest.mark.parametrize("kind", [RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.THREAD])
def test_broad_text_matches_read_the_same_rows(
    small: SmallBook, kind: RecordKind, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = ListQuery(text="a", sort="id", descending=True)
    narrow = small.book.page(kind, query, 0, 10)
    monkeypatch.setattr(listing, "BROAD_MATCHES", 0)  # every match set counts as broad
    assert small.book.page(kind, query, 0, 10) == narrow
    assert small.book.count(kind, query) == len(narrow)


def test_accents_do_not_matter(small: SmallBook) -> None:
    small.book.save(Customer(first_name="José", last_name="Muñoz", city="San Antonio"))
    assert small.book.count(RecordKind.CUSTOMER, ListQuery(text="jose munoz")) == 1
    assert small.book.count(RecordKind.CUSTOMER, ListQuery(text="Muñ")) == 1
    assert small.book.quick_find("munoz")[0].title == "José Muñoz"
