"""Re-sync, offered in the Outbox for a refused delete whose record could not be put back on
this device (store ``NOT_RESTORED``): the record is read again from its vendor and stored, and
the refused delete is let go. Answers in a sentence naming the record; never raises for what
the vendor or the network does (the Outbox shows the sentence)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from agencydesk.domain.record_names import title_of
from agencydesk.services.outbox_review import OutboxItem, OutboxReview
from agencydesk.sync.record_resync import resync_deleted
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.connector import CannotReadBack


@dataclass(frozen=True, slots=True)
class ResyncAnswer:
    done: bool
    message: str


class RecordResync:
    def __init__(self, review: OutboxReview, registry: AccountRegistry) -> None:
        self.review = review
        self.registry = registry

    async def resync(self, entry_id: int) -> ResyncAnswer:
        items = await asyncio.to_thread(self.review.items)  # (the window's loop: off it)
        item = next((i for i in items if i.entry.id == entry_id), None)
        if item is None:
            return ResyncAnswer(False, "That change is no longer in the outbox.")
        if item.why_no_resync:
            return ResyncAnswer(False, item.why_no_resync)
        if self.registry.http is not None:
            return await self._read_again(item, self.registry.http)
        async with httpx.AsyncClient() as http:  # no shared client (a test, the CLI): one now
            return await self._read_again(item, http)

    async def _read_again(self, item: OutboxItem, http: httpx.AsyncClient) -> ResyncAnswer:
        entry, vendor = item.entry, item.vendor
        name = title_of(item.record) if item.record is not None else f"the {entry.kind.value}"
        try:
            connector = await self.registry.connector_for(entry.account, http)
        except Exception as exc:  # no account, no secret: the user's to fix, in words
            return ResyncAnswer(False, f"Could not reach {vendor} for {name}: {exc}")
        try:
            found = await resync_deleted(self.review.book, connector, entry)
        except CannotReadBack:
            then = (
                "Retry deletes it again."
                if item.why_no_discard
                else f"Discard brings it back as {vendor} last sent it; Retry deletes it again."
            )
            return ResyncAnswer(
                False, f"{vendor} offers no way to read one {entry.kind.value} again. {then}"
            )
        except errors.VendorError as exc:
            return ResyncAnswer(False, f"Could not read {name} from {vendor}: {exc.message}")
        finally:
            await connector.aclose()
        if found.record is None:
            return ResyncAnswer(True, f"{vendor} no longer has {name}: nothing to bring back.")
        return ResyncAnswer(True, f"{title_of(found.record)} is back, as {vendor} has it now.")
