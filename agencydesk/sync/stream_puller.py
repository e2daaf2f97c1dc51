"""Reading one stream of one account into the book, page by page.

Each page is stored in one transaction together with the bookmark that follows it
(``Book.ledgers.store_page``), so a sync stopped anywhere (even SIGKILL) resumes from the last
stored page: nothing lost, and nothing duplicated (records are upserted by provenance). Unreadable
payloads are set aside with their reason and the rest goes on. A full listing seen from its first
page to its last in one run tells which cached records are gone at the vendor."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from agencydesk.domain import Record, RecordKind
from agencydesk.store.book import Book
from agencydesk.sync.events import StreamReport
from agencydesk.sync.links import linked
from agencydesk.sync.send_fence import SendFence
from agencydesk.sync.unstorable import set_aside_unstorable
from agencydesk.sync.yielding import in_chunks
from agencydesk.vendors.change_rules import change_rule_of
from agencydesk.vendors.connector import Connector, PulledPage, Stream, Unreadable

log = logging.getLogger(__name__)

# A full listing that misses more than this share of the cache is not trusted for deletions
# (a vendor answering half a list would otherwise empty the tab).
MAX_DELETED_SHARE = 0.5
# Records per store_page call. The write runs in a worker thread but converts records to rows in
# Python, holding the GIL the GUI thread needs: a 500-record call measured 50-66 ms of it (load ~1),
# a 200-record one 20-40 ms, and the loop gets a turn between calls.
STORE_SLICE = 200


@dataclass(slots=True)
class _Scan:
    since: int = 0  # the fence's epoch before the listing's first page
    seen: set[str] = field(default_factory=set)
    clean: bool = True  # no unreadable record of the kind: the listing is complete


@dataclass(slots=True)
class _PageIndex:
    """Where each record object sits in its page (links are by position) and which
    (kind, remote id) the page holds: built once per page, in chunks."""

    position: dict[int, int] = field(default_factory=dict)
    present: set[tuple[RecordKind, str]] = field(default_factory=set)

    @classmethod
    async def of(cls, page: PulledPage) -> _PageIndex:
        index = cls()
        start = 0
        async for chunk in in_chunks(page.records):
            for offset, record in enumerate(chunk):
                index.position[id(record)] = start + offset
                index.present.add((record.kind, record.provenance.remote_id))
            start += len(chunk)
        return index


class _Pages:
    """A stream's pages in order, each with the fence's epoch noted before its request. With
    ``ahead`` the next request is already out while the caller stores a page: on a loaded
    server storing a big page takes longer than the account's next free call slot."""

    def __init__(self, source: AsyncIterator[PulledPage], fence: SendFence, ahead: bool) -> None:
        self._source = aiter(source)
        self._fence = fence
        self._ahead = ahead
        self._next: tuple[asyncio.Task[PulledPage | None], int] | None = None

    async def next(self) -> tuple[PulledPage, int] | None:
        if self._next is not None:
            task, since = self._next
            self._next = None
        else:
            since = self._fence.begin()
            task = None
        try:
            page = await task if task is not None else await self._fetch()
        except BaseException:
            self._fence.end(since)
            raise
        if page is None:
            self._fence.end(since)
            return None
        if self._ahead:
            following = self._fence.begin()
            self._next = (asyncio.create_task(self._fetch()), following)
        return page, since

    async def _fetch(self) -> PulledPage | None:
        try:
            return await anext(self._source)
        except StopAsyncIteration:
            return None

    async def aclose(self) -> None:
        if self._next is not None:
            task, since = self._next
            self._next = None
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
            self._fence.end(since)
        closing = getattr(self._source, "aclose", None)
        if closing is not None:
            await closing()


class StreamPuller:
    def __init__(
        self,
        book: Book,
        connector: Connector,
        stream: Stream,
        cancelled: Callable[[], bool],
        progress: Callable[[StreamReport], None],
        fence: SendFence | None = None,
        *,
        read_ahead: bool = False,
    ) -> None:
        """``fence``: the account's outbox is sent while this stream is read (the team hub).
        ``read_ahead``: the next page's request goes out while a page is stored (a stopped
        read then leaves that one answer unstored)."""
        self.book = book
        self.connector = connector
        self.stream = stream
        self.report = StreamReport(stream.name)
        self._cancelled = cancelled
        self._progress = progress
        self._ids: dict[RecordKind, dict[str, int]] = {}
        self._quarantined: set[tuple[str, str]] | None = None
        self._rule = change_rule_of(connector.vendor)  # the pusher's rule for a real change
        self._dialect = book.engine.dialect.name
        self._fence = fence or SendFence()
        self._read_ahead = read_ahead

    @property
    def account(self) -> str:
        return self.connector.account

    async def run(self) -> None:
        bookmark = await asyncio.to_thread(
            self.book.ledgers.bookmark, self.account, self.stream.name
        )
        fence = self._fence
        scan: _Scan | None = None
        pages = _Pages(self.connector.pull(self.stream, bookmark), fence, self._read_ahead)
        try:
            while (item := await pages.next()) is not None:
                page, since = item
                try:
                    # A record the book cannot hold is set aside like an unreadable one.
                    await asyncio.to_thread(set_aside_unstorable, page, self._dialect)
                    if page.scan_begins:
                        if scan is not None:
                            fence.end(scan.since)
                        scan = _Scan(since=fence.begin(at=since))  # from this page's request
                    deleted = list(page.deleted)
                    complete = False
                    if scan is not None:
                        await self._note_seen(scan, page)
                        if page.scan_ends:
                            deleted += await self._gone(scan)
                            complete = scan.clean
                    await self._store(page, deleted, since, listing_complete=complete, scan=scan)
                    if scan is not None and page.scan_ends:
                        fence.end(scan.since)
                        scan = None
                finally:
                    fence.end(since)
                if self._cancelled():
                    return  # after a stored page: the bookmark says where to go on
        finally:
            if scan is not None:
                fence.end(scan.since)
            await pages.aclose()

    async def _note_seen(self, scan: _Scan, page: PulledPage) -> None:
        kind = self.stream.kind
        async for chunk in in_chunks(page.records):
            scan.seen.update(r.provenance.remote_id for r in chunk if r.kind is kind)
        if page.unreadable:
            scan.clean = False

    async def _gone(self, scan: _Scan) -> list[tuple[RecordKind, str]]:
        if not scan.clean:
            log.info(
                "%s/%s: unreadable records, no deletions this time", self.account, self.stream.name
            )
            return []
        kind = self.stream.kind
        cached = await asyncio.to_thread(
            self.book.remote_ids, kind, self.connector.vendor, self.account
        )
        missing = sorted(set(cached) - scan.seen)
        if not missing:
            return []
        if len(missing) > MAX_DELETED_SHARE * len(cached) and len(missing) > 5:
            self.report.error = (
                f"the vendor's list lacks {len(missing)} of {len(cached)} cached records; "
                "nothing was deleted"
            )
            return []
        confirm = getattr(self.connector, "confirm_deleted", None)
        if confirm is not None:
            missing = list(await confirm(kind, missing))
        return [(kind, remote_id) for remote_id in missing]

    async def _store(
        self,
        page: PulledPage,
        deleted: Sequence[tuple[RecordKind, str]],
        since: int,
        *,
        listing_complete: bool = False,
        scan: _Scan | None = None,
    ) -> None:
        """Parents first: records whose parent is in this same page (a thread and its
        messages, a lead and its notes) are stored after it, the bookmark with the last part.
        ``listing_complete``: a full listing read without one unreadable record ends with this
        page, so nothing of the stream is set aside any more. Records (and deletions) a send
        overtook since ``since`` (the listing's first page, for deletions found by the listing)
        are left as the send stored them."""
        for kind in {kind for kind, _remote in page.links.values()} - set(self._ids):
            self._ids[kind] = await asyncio.to_thread(
                self.book.remote_ids, kind, self.connector.vendor, self.account
            )
        where = await _PageIndex.of(page)
        records, waiting = await self._link(page, where, page.records)
        set_aside = await self._new_unreadable(page)
        quarantined = [(u.remote_id, u.payload, u.reason) for u in set_aside]
        async with self._fence.storing(self.account, since, page.records, deleted) as fresh:
            found = list(page.deleted)
            gone = fresh.deleted(self.account, found) + fresh.deleted(
                self.account, list(deleted)[len(found) :], scan.since if scan else None
            )
            if waiting:
                await self._save(fresh.records(records))
                records, _still = await self._link(page, where, waiting, final=True)
            records = fresh.records(records)
            # Big pages go in slices (each its own short transaction, the bookmark with the
            # last, so it still advances only once the whole page is stored): one long write
            # would hold the GIL in bursts the GUI thread feels.
            last = max(0, len(records) - STORE_SLICE)
            await self._save(records[:last])
            records = records[last:]
            ids = await asyncio.to_thread(
                self.book.ledgers.store_page,
                self.account,
                self.stream.name,
                records,
                deleted=gone,
                bookmark=page.bookmark,
                quarantined=quarantined,
                listing_complete=listing_complete,
                change_rule=self._rule,
            )
        self._remember(records, ids)
        report = self.report
        report.pages += 1
        report.records += len(page.records)
        report.deleted += len(gone)
        report.quarantined += len(quarantined)
        report.unstorable += sum(u.unstorable for u in set_aside)
        self._progress(report)

    async def _save(self, records: list[Record]) -> None:
        """Records only (no bookmark), ``STORE_SLICE`` at a time: safe to repeat, they are
        upserted by provenance."""
        for start in range(0, len(records), STORE_SLICE):
            part = records[start : start + STORE_SLICE]
            ids = await asyncio.to_thread(
                partial(self.book.ledgers.store_page, change_rule=self._rule),
                self.account,
                self.stream.name,
                part,
            )
            self._remember(part, ids)

    def _remember(self, records: Sequence[Record], ids: Sequence[int]) -> None:
        """Stored records become linkable parents for the rest of the stream."""
        for record, local_id in zip(records, ids, strict=True):
            known = self._ids.get(record.kind)
            if known is not None:
                known[record.provenance.remote_id] = local_id

    async def _link(
        self,
        page: PulledPage,
        where: _PageIndex,
        records: Sequence[Record],
        *,
        final: bool = False,
    ) -> tuple[list[Record], list[Record]]:
        """(ready to store, waiting for a parent in this page). With ``final`` every record is
        ready; one whose parent is still unknown is stored unlinked."""
        ready: list[Record] = []
        waiting: list[Record] = []
        async for chunk in in_chunks(records):
            for record in chunk:
                link = page.links.get(where.position[id(record)])
                if link is None:
                    ready.append(record)
                    continue
                kind, remote_id = link
                local = self._ids.get(kind, {}).get(remote_id)
                if local is not None:
                    ready.append(linked(record, kind, local))
                elif not final and (kind, remote_id) in where.present:
                    waiting.append(record)
                else:
                    ready.append(record)
        return ready, waiting

    async def _new_unreadable(self, page: PulledPage) -> list[Unreadable]:
        """Unreadable payloads to set aside. One with a vendor id always goes (the book keeps one
        entry per id and notes that it was tried again); one without is left out when the same
        payload is already set aside (a full listing meets it every time)."""
        if not page.unreadable:
            return []
        if self._quarantined is None:
            rows = await asyncio.to_thread(self.book.ledgers.quarantined, self.account)
            self._quarantined = {(q.remote_id, q.payload) for q in rows}
        fresh = []
        for item in page.unreadable:
            key = (item.remote_id, item.payload)
            if item.remote_id or key not in self._quarantined:
                self._quarantined.add(key)
                fresh.append(item)
        return fresh
