"""Paginators: where next, when to stop, and refusing to go round in circles."""

from __future__ import annotations

import pytest

from agencydesk.vendors.client_kit.errors import BadPayload, PagingLoop
from agencydesk.vendors.client_kit.paging import (
    CursorPaginator,
    OffsetPaginator,
    PageNumberPaginator,
)


def test_page_numbers_advance_and_stop_on_a_short_page() -> None:
    pages = PageNumberPaginator("acme", page_size=2, first_page=0)
    assert pages.advance(2, keys=[1, 2])
    assert pages.page == 1
    assert not pages.advance(1, keys=[3])
    assert pages.done


def test_page_numbers_stop_at_the_total_without_an_empty_extra_call() -> None:
    pages = PageNumberPaginator("acme", page_size=2, first_page=1)
    assert pages.advance(2, total=4, keys=[1, 2])
    assert not pages.advance(2, total=4, keys=[3, 4])


def test_the_same_page_of_items_twice_is_a_loop() -> None:
    pages = PageNumberPaginator("acme", page_size=2)
    pages.advance(2, keys=["a", "b"])
    with pytest.raises(PagingLoop) as caught:
        pages.advance(2, keys=["a", "b"])
    assert isinstance(caught.value, BadPayload)
    assert "same page" in caught.value.reason


def test_offsets_advance_by_what_came_and_stop_at_total() -> None:
    offsets = OffsetPaginator("acme", limit=3)
    assert offsets.advance(3, total=5, keys=[1, 2, 3])
    assert offsets.offset == 3
    assert not offsets.advance(2, total=5, keys=[4, 5])


def test_a_cursor_seen_twice_is_a_loop() -> None:
    cursor = CursorPaginator("acme")
    assert cursor.advance("c1", keys=[1])
    assert cursor.advance("c2", keys=[2])
    with pytest.raises(PagingLoop):
        cursor.advance("c1", keys=[3])


def test_a_cursor_ends_when_none_comes_back() -> None:
    cursor = CursorPaginator("acme", cursor="start")
    assert not cursor.advance(None, keys=[1])
    assert cursor.done
