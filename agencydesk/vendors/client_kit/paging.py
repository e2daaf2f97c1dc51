"""Paginators for the styles the vendor documents use (page number, offset/limit, cursor or
next-link), as small objects the client asks "where next?" after each page (the singer-sdk
pattern). Each one refuses to go round in circles: a page number, offset or cursor seen twice,
or a page with exactly the same items as the one before (a vendor ignoring the page parameter),
raises ``PagingLoop`` instead of reading forever."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from agencydesk.vendors.client_kit.errors import PagingLoop


class _LoopGuard:
    def __init__(self, vendor: str, what: str) -> None:
        self.vendor = vendor
        self.what = what
        self._positions: set[Hashable] = set()
        self._last_items: Hashable | None = None

    def position(self, position: Hashable) -> None:
        if position in self._positions:
            raise PagingLoop(self.vendor, "", f"{self.what} {position!r} was already read")
        self._positions.add(position)

    def items(self, fingerprint: Hashable | None) -> None:
        if fingerprint is None:
            return
        if fingerprint == self._last_items:
            raise PagingLoop(
                self.vendor, "", f"{self.what}: the vendor sent the same page of items twice"
            )
        self._last_items = fingerprint


def fingerprint(keys: Sequence[Hashable]) -> Hashable | None:
    """What identifies a page's content (its items' ids); None for an empty page."""
    return tuple(keys) if keys else None


class PageNumberPaginator:
    """``page`` = first_page, first_page + 1, …; done on a short page or when ``total`` is
    reached."""

    def __init__(self, vendor: str, *, page_size: int, first_page: int = 0) -> None:
        self.page = first_page
        self.page_size = page_size
        self.first_page = first_page
        self.done = False
        self._guard = _LoopGuard(vendor, "page")
        self._guard.position(first_page)

    def advance(
        self, item_count: int, *, total: int | None = None, keys: Sequence[Hashable] = ()
    ) -> bool:
        """Record the page just read; True when there is another one (now in ``page``)."""
        self._guard.items(fingerprint(keys))
        read_so_far = (self.page - self.first_page) * self.page_size + item_count
        if item_count < self.page_size or (total is not None and read_so_far >= total):
            self.done = True
            return False
        self.page += 1
        self._guard.position(self.page)
        return True


class OffsetPaginator:
    """``offset`` = 0, limit, 2 * limit, …; done on a short page or at ``total``."""

    def __init__(self, vendor: str, *, limit: int, offset: int = 0) -> None:
        self.offset = offset
        self.limit = limit
        self.done = False
        self._guard = _LoopGuard(vendor, "offset")
        self._guard.position(offset)

    def advance(
        self, item_count: int, *, total: int | None = None, keys: Sequence[Hashable] = ()
    ) -> bool:
        self._guard.items(fingerprint(keys))
        if total is not None and 0 < item_count < self.limit and self.offset + item_count < total:
            # A short page before the total: the vendor caps pages below our limit (Lofty's 25
            # is reported live, vendor-notes lofty.md Appendix A); go on in steps of what it gives.
            self.limit = item_count
        if item_count < self.limit or (total is not None and self.offset + item_count >= total):
            self.done = True
            return False
        self.offset += item_count
        self._guard.position(self.offset)
        return True


class CursorPaginator:
    """A cursor or next-link the vendor returns with each page; done when it returns none."""

    def __init__(self, vendor: str, *, cursor: str | None = None) -> None:
        self.cursor = cursor
        self.done = False
        self._guard = _LoopGuard(vendor, "cursor")
        if cursor:
            self._guard.position(cursor)

    def advance(self, next_cursor: str | None, *, keys: Sequence[Hashable] = ()) -> bool:
        self._guard.items(fingerprint(keys))
        if not next_cursor:
            self.done = True
            return False
        self._guard.position(next_cursor)
        self.cursor = next_cursor
        return True
