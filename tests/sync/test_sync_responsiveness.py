"""Issue 4, "the GUI never stalls more than 50 ms during sync": a big page is handled on the
event loop in chunks with turns for the loop between them, and written in slices, the bookmark
with the last slice only. Behaviour, not timing: what a coroutine running beside the sync
gets to do and see."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from itertools import pairwise
from typing import Any

import pytest

from agencydesk.domain import Lead, Note, Provenance, RecordKind
from agencydesk.store.book import Book
from agencydesk.store.ledgers import Ledgers
from agencydesk.sync.events import StreamReport
from agencydesk.sync.stream_puller import STORE_SLICE, StreamPuller
from agencydesk.sync.yielding import in_chunks
from agencydesk.vendors.agencyzoom.capabilities import CAPABILITIES
from agencydesk.vendors.connector import PulledPage, PushRequest, Stream
from tests.sync.conftest import ACCOUNT

LEADS = Stream("leads", RecordKind.LEAD, incremental=True)
PAIRS = 600  # 600 leads, each with a note in the same page: 1,200 records, parents first


class OneBigPage:
    """A vendor whose leads stream is one page of leads and their notes."""

    vendor = "agencyzoom"
    account = ACCOUNT
    capabilities = CAPABILITIES

    def __init__(self) -> None:
        self.page = PulledPage(bookmark='{"since": "2026-11-25"}', scan_begins=True, scan_ends=True)
        for i in range(PAIRS):
            self.page.records.append(
                Lead(provenance=self._prov(f"lead-{i}"), first_name=f"Lead {i}")
            )
        for i in range(PAIRS):
            self.page.links[len(self.page.records)] = (RecordKind.LEAD, f"lead-{i}")
            self.page.records.append(Note(provenance=self._prov(f"note-{i}"), body=f"note {i}"))

    def _prov(self, remote_id: str) -> Provenance:
        return Provenance(vendor=self.vendor, account=self.account, remote_id=remote_id)

    def streams(self) -> list[Stream]:
        return [LEADS]

    async def pull(self, stream: Stream, bookmark: str | None) -> AsyncIterator[PulledPage]:
        yield self.page

    async def push(self, request: PushRequest) -> None:
        raise AssertionError("nothing is pushed here")

    async def check(self) -> str:
        return "ok"

    async def aclose(self) -> None:
        pass


@pytest.mark.asyncio
async def test_between_chunks_other_coroutines_get_to_run() -> None:
    log: list[str] = []

    async def other() -> None:
        for _ in range(3):
            log.append("other")
            await asyncio.sleep(0)

    async def work() -> None:
        async for chunk in in_chunks(list(range(10)), 4):
            log.append(f"chunk {list(chunk)}")

    await asyncio.gather(work(), other())

    chunks = [i for i, entry in enumerate(log) if entry.startswith("chunk")]
    assert [log[i] for i in chunks] == ["chunk [0, 1, 2, 3]", "chunk [4, 5, 6, 7]", "chunk [8, 9]"]
    for before, after in pairwise(chunks):
        assert "other" in log[before + 1 : after], log  # the loop had a turn in between


@pytest.mark.asyncio
async def test_a_chunk_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        async for _ in in_chunks([1, 2], 0):
            pass


@pytest.mark.asyncio
@pytest.mark.slow  # several seconds
async def test_a_big_page_is_stored_in_slices_with_the_bookmark_last(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    vendor = OneBigPage()
    puller = StreamPuller(book, vendor, LEADS, lambda: False, lambda _r: None)
    log: list[tuple[str, int, str | None]] = []  # ("stored", records, bookmark) / ("turn", …)
    store_page = Ledgers.store_page

    def watched(self: Ledgers, *args: Any, **kwargs: Any) -> list[int]:
        ids = store_page(self, *args, **kwargs)  # the real write, in the sync's worker thread
        log.append(("stored", len(ids), kwargs.get("bookmark")))
        return ids

    monkeypatch.setattr(Ledgers, "store_page", watched)
    seen: list[tuple[str | None, int, int]] = []  # (bookmark, notes, leads), read in that order
    done = False

    async def beside_the_sync() -> None:
        """What the GUI thread would be doing: it keeps getting turns and reads the book."""
        while not done:
            if not log or log[-1][0] != "turn":
                log.append(("turn", 0, None))
            seen.append(
                (
                    book.ledgers.bookmark(ACCOUNT, "leads"),
                    len(book.remote_ids(RecordKind.NOTE, "agencyzoom", ACCOUNT)),
                    len(book.remote_ids(RecordKind.LEAD, "agencyzoom", ACCOUNT)),
                )
            )
            await asyncio.sleep(0)

    watcher = asyncio.create_task(beside_the_sync())
    await puller.run()
    done = True
    await watcher

    stores = [(n, bookmark) for what, n, bookmark in log if what == "stored"]
    assert sum(n for n, _ in stores) == 2 * PAIRS
    assert all(n <= STORE_SLICE for n, _ in stores), stores
    # The bookmark goes with the last slice of its page only.
    assert [bookmark for _, bookmark in stores] == [None] * (len(stores) - 1) + [
        vendor.page.bookmark
    ]
    # The loop had a turn between every two slices.
    assert all(before[0] != after[0] for before, after in pairwise(log) if before[0] == "stored"), (
        log
    )
    # What the GUI reads meanwhile: the bookmark never ahead of the data, parents first.
    assert all(notes == leads == PAIRS for bookmark, notes, leads in seen if bookmark), seen
    assert all(leads == PAIRS for _, notes, leads in seen if notes)

    lead_ids = book.remote_ids(RecordKind.LEAD, "agencyzoom", ACCOUNT)
    note = book.find_remote(RecordKind.NOTE, "agencyzoom", ACCOUNT, "note-7")
    assert isinstance(note, Note)
    assert (note.parent_kind, note.parent_id) == (RecordKind.LEAD, lead_ids["lead-7"])
    assert puller.report == StreamReport("leads", pages=1, records=2 * PAIRS)
