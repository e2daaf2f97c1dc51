"""The one stream runner, on a vendor list held in memory: where a run starts (full or changed
since, as the declared schedule says), that every page's bookmark resumes exactly after it,
that a vendor repeating a page is stopped, and that an unreadable item is set aside while the
rest goes on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from agencydesk.domain import Lead, Provenance, RecordKind
from agencydesk.vendors.client_kit.bookmarks import Run, read_bookmark
from agencydesk.vendors.client_kit.errors import PagingLoop
from agencydesk.vendors.client_kit.streams import Fetched, StreamRunner, add
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.connector import BookmarkType, Paging, PulledPage, Stream

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
LEADS = Stream(
    "leads",
    RecordKind.LEAD,
    incremental=True,
    paging=Paging.PAGE_NUMBER,
    bookmark=BookmarkType.DAY,
    full_scan_every=timedelta(hours=12),
    page_size=3,
    lookback=timedelta(days=1),
)


class Vendor:
    """Ten leads, three a page; ``asked`` records each call's page and change filter."""

    def __init__(self, items: list[dict[str, Any]] | None = None) -> None:
        self.items = items or [{"id": n, "name": f"Lead {n}"} for n in range(1, 11)]
        self.asked: list[tuple[int, str | None]] = []
        self.stuck = False  # answer the first page whatever is asked

    async def fetch(self, run: Run, _part: int, page: Any) -> Fetched:
        self.asked.append((int(page), run.changed_since))
        start = 0 if self.stuck else int(page) * 3
        chunk = self.items[start : start + 3]
        return Fetched(chunk, total=len(self.items), keys=[i.get("id") for i in chunk])

    async def fill(self, page: PulledPage, items: list[Any], _part: int) -> None:
        for item in items:
            add(page, item, read)


def read(item: dict[str, Any]) -> Lead:
    if not isinstance(item.get("name"), str):
        raise FieldUnreadable(f"name: {item.get('name')!r} is not text")
    where = Provenance(vendor="fake", account="Main", remote_id=str(item["id"]))
    return Lead(first_name=item["name"], provenance=where, raw=item)


def runner(now: datetime) -> StreamRunner:
    return StreamRunner("fake", LEADS, clock=lambda: now)


async def pull(vendor: Vendor, bookmark: str | None, now: datetime = T0) -> list[PulledPage]:
    run = runner(now).start(bookmark)
    return [p async for p in runner(now).paged(run, vendor.fetch, vendor.fill)]


def names(pages: list[PulledPage]) -> list[str]:
    return [r.provenance.remote_id for p in pages for r in p.records]


async def test_the_first_run_lists_everything_and_each_page_resumes_after_itself() -> None:
    vendor = Vendor()
    pages = await pull(vendor, None)
    assert names(pages) == [str(n) for n in range(1, 11)]
    assert pages[0].scan_begins
    assert pages[-1].scan_ends
    assert [page for page, _ in vendor.asked] == [0, 1, 2, 3]
    for index, page in enumerate(pages[:-1]):
        rest = await pull(Vendor(), page.bookmark)
        assert names(rest) == names(pages[index + 1 :])  # nothing twice, nothing lost
        assert not rest[0].scan_begins
        assert rest[-1].scan_ends  # the listing it goes on with is a full one
    finished = read_bookmark(pages[-1].bookmark)
    assert (finished.since, finished.full_at, finished.run) == ("2026-03-09", T0.isoformat(), None)


async def test_the_schedule_decides_between_changed_since_and_a_full_listing() -> None:
    first = await pull(Vendor(), None)
    soon, vendor = T0 + timedelta(hours=1), Vendor()
    again = await pull(vendor, first[-1].bookmark, soon)
    assert vendor.asked[0] == (0, "2026-03-09")  # only what changed since the day before
    assert not again[0].scan_begins  # a partial read deletes nothing
    assert not again[-1].scan_ends
    late, vendor = T0 + timedelta(hours=12), Vendor()
    full = await pull(vendor, again[-1].bookmark, late)
    assert vendor.asked[0] == (0, None)
    assert full[0].scan_begins


async def test_a_vendor_answering_the_same_page_again_is_stopped() -> None:
    vendor = Vendor()
    vendor.stuck = True
    with pytest.raises(PagingLoop, match="same page"):
        await pull(vendor, None)


async def test_an_unreadable_item_is_set_aside_with_its_id_and_the_rest_is_read() -> None:
    items: list[dict[str, Any]] = [{"id": n, "name": f"Lead {n}"} for n in range(1, 6)]
    items[1]["name"] = 42
    pages = await pull(Vendor(items), None)
    assert names(pages) == ["1", "3", "4", "5"]
    [aside] = [u for p in pages for u in p.unreadable]
    assert (aside.remote_id, aside.reason) == ("2", "name: 42 is not text")
    assert '"name": 42' in aside.payload
