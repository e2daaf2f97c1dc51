"""Set aside, then healed: at each sync, before the streams are read, every record of the account
set aside for a payload we could not read is read again by its vendor id where the vendor has a
detail endpoint for its stream (``vendors/rereading.py``); the others are met again in the
stream's next listing. A record read correctly is stored and leaves the set-aside list in the same
transaction; one still unreadable stays, with when it was last tried; one the vendor no longer
has leaves the list."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from functools import partial

from agencydesk.domain import Record, RecordKind
from agencydesk.store.book import Book
from agencydesk.store.ledgers import Quarantined
from agencydesk.sync.links import linked
from agencydesk.sync.unstorable import set_aside_unstorable
from agencydesk.vendors.change_rules import change_rule_of
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.connector import Connector, PulledPage
from agencydesk.vendors.rereading import reader_for

log = logging.getLogger(__name__)

# Detail calls per account and sync: a long set-aside list is worked through over several syncs
# instead of spending a whole rate window on it before the changes are read.
MAX_REREADS = 50


@dataclass(slots=True)
class HealReport:
    tried: int = 0
    healed: int = 0
    gone: int = 0


class SetAsideHealer:
    def __init__(self, book: Book, connector: Connector) -> None:
        self.book = book
        self.connector = connector
        self.report = HealReport()

    async def run(self) -> HealReport:
        reread = reader_for(self.connector.vendor)
        if reread is None:
            return self.report
        streams = {s.name: s for s in self.connector.streams()}
        entries = await asyncio.to_thread(self.book.ledgers.quarantined, self.connector.account)
        for entry in entries:
            stream = streams.get(entry.stream)
            if stream is None or not entry.remote_id or self.report.tried >= MAX_REREADS:
                continue
            try:
                page = await reread(self.connector, stream, entry.remote_id)
            except errors.NeedsUserError:
                raise  # the account's credentials: the sync says so, as for any call
            except errors.VendorError as exc:  # this one not now; the streams still go on
                log.info("%s: set-aside %s not read again: %s", entry.account, entry.remote_id, exc)
                continue
            if page is None:
                continue  # no detail endpoint for this stream: its next listing heals it
            self.report.tried += 1
            await self._store(entry, page)
        return self.report

    async def _store(self, entry: Quarantined, page: PulledPage) -> None:
        account = entry.account
        set_aside_unstorable(page, self.book.engine.dialect.name)  # still set aside, and why
        # The vendor's rule for a real change (the same its pusher applies).
        store_page = partial(
            self.book.ledgers.store_page, change_rule=change_rule_of(self.connector.vendor)
        )
        if page.deleted:
            await asyncio.to_thread(store_page, account, entry.stream, [], deleted=page.deleted)
            await asyncio.to_thread(self.book.ledgers.release_quarantined, [entry.id])
            self.report.gone += 1
            return
        parents = [r for i, r in enumerate(page.records) if i not in page.links]
        if parents:  # a holder before its policy: the child links to its local id
            await asyncio.to_thread(store_page, account, entry.stream, parents)
        children = [
            await self._linked(page.links[i], r)
            for i, r in enumerate(page.records)
            if i in page.links
        ]
        unreadable = [(u.remote_id, u.payload, u.reason) for u in page.unreadable]
        await asyncio.to_thread(store_page, account, entry.stream, children, quarantined=unreadable)
        if page.records and not page.unreadable:
            self.report.healed += 1

    async def _linked(self, link: tuple[RecordKind, str], record: Record) -> Record:
        kind, remote_id = link
        known = await asyncio.to_thread(
            self.book.remote_ids, kind, self.connector.vendor, self.connector.account
        )
        local = known.get(remote_id)
        return record if local is None else linked(record, kind, local)
