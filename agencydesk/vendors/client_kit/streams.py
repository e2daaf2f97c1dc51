"""The ONE stream runner every connector's ``pull`` goes through (the singer-sdk pattern): the
connector declares its streams (``Stream``: paging, bookmark type, full-scan schedule) and says
only how to fetch one page and how to read its items; the runner decides whether this run lists
everything or only what changed, walks the pages with the declared paginator (loop-guarded),
writes the typed bookmark that goes with each page (``bookmarks.py``: the store keeps it with the
page, so a stopped run resumes at the next one), marks where a full listing begins and ends, and
sets unreadable items aside with their reason instead of stopping."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from agencydesk.domain import Record, RecordKind
from agencydesk.vendors.client_kit.bookmarks import (
    Bookmark,
    LegacyReader,
    Position,
    Run,
    read_bookmark,
)
from agencydesk.vendors.client_kit.paging import (
    CursorPaginator,
    OffsetPaginator,
    PageNumberPaginator,
)
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.connector import BookmarkType, Paging, PulledPage, Stream, Unreadable

Clock = Callable[[], datetime]
Link = tuple[RecordKind, str]


@dataclass(slots=True)
class Fetched:
    """One page as the vendor answered it: its items, and what tells whether more follow."""

    items: list[Any]
    total: int | None = None  # the vendor's count of the whole list, when it gives one
    next_cursor: str | None = None  # CURSOR paging: where the next page starts (None: done)
    keys: Sequence[Hashable] = field(default_factory=list)  # item ids: a repeated page is a loop


# (run, part, position in that part: page number, offset or cursor) -> one page
Fetch = Callable[[Run, int, Any], Awaitable[Fetched]]
# Turn a page's items into records (``add`` sets an unreadable one aside) on ``page``.
Fill = Callable[[PulledPage, list[Any], int], Awaitable[None]]
# ID_BATCHES: list the ids this run reads (the first page may take deletions or set-aside rows).
Plan = Callable[[Run, PulledPage], Awaitable[list[str]]]
ReadBatch = Callable[[Run, PulledPage, list[str]], Awaitable[None]]
# WHOLE: the one call, read onto the run's one page.
ReadAll = Callable[[Run, PulledPage], Awaitable[None]]


class StreamRunner:
    def __init__(
        self,
        vendor: str,
        stream: Stream,
        *,
        clock: Clock,
        legacy: LegacyReader | None = None,
    ) -> None:
        self.vendor = vendor
        self.stream = stream
        self._clock = clock
        self._legacy = legacy

    # -- the run -------------------------------------------------------------------------------
    def start(self, bookmark: str | None) -> Run:
        """A stopped run goes on; otherwise a new one: a full listing when the stream has no
        change filter, none was ever made, or the declared schedule says one is due."""
        mark = read_bookmark(bookmark, self._legacy)
        if mark.run is not None:
            return mark.run
        now = self._clock()
        stream = self.stream
        full = stream.bookmark is not BookmarkType.KEYSET and (
            stream.bookmark is BookmarkType.NONE
            or not mark.since
            or not mark.full_at
            or now - datetime.fromisoformat(mark.full_at) >= stream.full_scan_every
        )
        return Run(
            full=full,
            since=mark.since,
            next_since=self._next_since(now),
            full_at=now.isoformat() if full else mark.full_at,
            carry=dict(mark.carry),
        )

    def _next_since(self, now: datetime) -> str | None:
        moment = now - self.stream.lookback
        if self.stream.bookmark is BookmarkType.DAY:
            return moment.date().isoformat()
        if self.stream.bookmark is BookmarkType.MOMENT:
            return moment.isoformat()
        return None

    @staticmethod
    def stopped_at(run: Run, position: Position) -> str:
        """The bookmark of a page after which the run goes on at ``position``."""
        stopped = replace(run, position=position)
        return Bookmark(run.since, run.full_at, run=stopped, carry=run.carry).to_json()

    @staticmethod
    def finished(run: Run) -> str:
        """The bookmark of a run's last page: the next run filters from ``next_since``."""
        return Bookmark(since=run.next_since, full_at=run.full_at, carry=run.carry).to_json()

    # -- paged lists ---------------------------------------------------------------------------
    async def paged(
        self, run: Run, fetch: Fetch, fill: Fill, *, parts: int = 1
    ) -> AsyncIterator[PulledPage]:
        """Every page of the run's lists (``parts`` of them, one after another), each with the
        bookmark that follows it."""
        first = True
        start = run.position
        for part in range(start.part, parts):
            at = start if part == start.part else Position(part=part)
            walker = _Walker(self.vendor, self.stream, at)
            while True:
                fetched = await fetch(run, part, walker.position())
                page = PulledPage()
                await fill(page, fetched.items, part)
                more = walker.advance(fetched)
                last = not more and part == parts - 1
                if more:
                    page.bookmark = self.stopped_at(run, walker.resume_at(part))
                elif not last:
                    page.bookmark = self.stopped_at(run, Position(part=part + 1))
                else:
                    page.bookmark = self.finished(run)
                page.scan_begins = run.full and first and not run.resumed
                page.scan_ends = run.full and last
                first = False
                yield page
                if not more:
                    break

    # -- one call answers the whole list ---------------------------------------------------------
    async def whole(self, run: Run, fill: ReadAll) -> AsyncIterator[PulledPage]:
        page = PulledPage(scan_begins=run.full, scan_ends=run.full)
        await fill(run, page)
        page.bookmark = self.finished(run)
        yield page

    # -- one listing of ids, then the records a batch at a time ---------------------------------
    async def batches(
        self, run: Run, plan: Plan, read: ReadBatch, *, size: int
    ) -> AsyncIterator[PulledPage]:
        """The ids still to read are kept in the bookmark, so a stopped run reads only those."""
        page = PulledPage()
        todo = run.position.todo
        if todo is None:
            todo = tuple(await plan(run, page))
        page.scan_begins = run.full and not run.resumed
        while True:
            batch, todo = list(todo[:size]), todo[size:]
            await read(run, page, batch)
            if todo:
                page.bookmark = self.stopped_at(run, replace(run.position, todo=todo))
            else:
                page.bookmark = self.finished(run)
                page.scan_ends = run.full
            yield page
            if not todo:
                return
            page = PulledPage()


class _Walker:
    """The declared paginator, positioned where the run goes on."""

    def __init__(self, vendor: str, stream: Stream, at: Position) -> None:
        self.paging = stream.paging
        size = stream.page_size
        self._pages: PageNumberPaginator | None = None
        self._offsets: OffsetPaginator | None = None
        self._cursor: CursorPaginator | None = None
        if self.paging is Paging.PAGE_NUMBER:
            self._pages = PageNumberPaginator(vendor, page_size=size, first_page=at.page)
        elif self.paging is Paging.OFFSET:
            self._offsets = OffsetPaginator(vendor, limit=size, offset=at.page)
        elif self.paging is Paging.CURSOR:
            self._cursor = CursorPaginator(vendor, cursor=at.cursor)
        else:
            raise ValueError(f"{vendor} stream {stream.name!r}: {self.paging} is not paged")

    def position(self) -> Any:
        if self._pages is not None:
            return self._pages.page
        if self._offsets is not None:
            return self._offsets.offset
        assert self._cursor is not None
        return self._cursor.cursor

    def advance(self, fetched: Fetched) -> bool:
        count = len(fetched.items)
        if self._pages is not None:
            return self._pages.advance(count, total=fetched.total, keys=fetched.keys)
        if self._offsets is not None:
            return self._offsets.advance(count, total=fetched.total, keys=fetched.keys)
        assert self._cursor is not None
        return self._cursor.advance(fetched.next_cursor, keys=fetched.keys)

    def resume_at(self, part: int) -> Position:
        if self._cursor is not None:
            return Position(part=part, cursor=self._cursor.cursor)
        return Position(part=part, page=int(self.position()))


# -- setting aside ---------------------------------------------------------------------------------
def add(
    page: PulledPage,
    item: Any,
    read: Callable[[dict[str, Any]], Record],
    *,
    id_field: str = "id",
    fallback_id: str = "",
    link: Link | None = None,
) -> Record | None:
    """Read one item onto ``page`` (linked to ``link``, its parent), or set it aside with the
    reason when it cannot be read: under its vendor id, else ``fallback_id``, so the listing
    that later reads it correctly takes it off the set-aside list."""
    try:
        if not isinstance(item, dict):
            raise FieldUnreadable("record: not an object")
        record = read(item)
    except FieldUnreadable as exc:
        page.unreadable.append(
            Unreadable(item_id(item, id_field) or fallback_id, text(item), str(exc))
        )
        return None
    if link is not None:
        page.links[len(page.records)] = link
    page.records.append(record)
    return record


def add_linked(
    page: PulledPage,
    item: Any,
    read: Callable[[dict[str, Any]], tuple[Record, Link | None]],
    *,
    id_field: str = "id",
) -> Record | None:
    """``add`` for a reader that finds the item's parent itself (a task's lead, a note's…)."""
    try:
        if not isinstance(item, dict):
            raise FieldUnreadable("record: not an object")
        record, link = read(item)
    except FieldUnreadable as exc:
        page.unreadable.append(Unreadable(item_id(item, id_field), text(item), str(exc)))
        return None
    if link is not None:
        page.links[len(page.records)] = link
    page.records.append(record)
    return record


def item_id(item: Any, key: str) -> str:
    """An item's id as text ("" when it has none)."""
    if not isinstance(item, dict):
        return ""
    value = item.get(key)
    return "" if value is None else str(value).strip()


def text(item: Any) -> str:
    """An item as stored on the set-aside list (JSON where it can be)."""
    try:
        return json.dumps(item, default=str)
    except (TypeError, ValueError):
        return repr(item)
