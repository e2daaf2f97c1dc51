"""What a change may already have done in Lofty (``ChecksWrites``), for an outbox entry whose
request went out but whose answer was never stored.

Read back by id: leads ``GET /v1.0/leads/{leadId}`` (L1032; a trashed lead is not found without
``withTrash``, L1042, so a delete that went through reads as gone), notes
``GET /v1.0/notes/{noteId}`` (L1766), tasks ``GET /v1.0/tasks/{taskId}`` (L1944). A new lead is
looked up with ``GET /v1.0/leads`` by ``email`` or ``phone``, both "Precise search" with
``preciseSearchFlag`` (L672, vendor-notes §3), and compared exactly here as well; a new note
among its lead's notes (L1734) by its text, a new task among its lead's tasks (L1917) by title
and due date."""

from __future__ import annotations

from typing import Any, Protocol

from agencydesk.domain import Lead, Note, Record, RecordKind, Task
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.connector import CannotReadBack, PushRequest
from agencydesk.vendors.lofty import mapping as m
from agencydesk.vendors.lofty.client import LoftyClient, unwrap_lead
from agencydesk.vendors.value_maps import ValueMap

LOOKUP_LIMIT = 100  # ``limit`` [1,100] (L672)


class _Meanings(Protocol):
    meanings: ValueMap  # the user's mapping of the team's stages


class LoftyWriteCheck:
    def __init__(self, account: str, client: LoftyClient, meanings: _Meanings) -> None:
        self.account = account
        self.c = client
        self._meanings = meanings  # the connector: its stage mapping may be set after build

    async def read_back(self, kind: RecordKind, remote_id: str) -> Record | None:
        try:
            if kind is RecordKind.LEAD:
                return m.lead_from(
                    await self.c.lead(remote_id), self.account, self._meanings.meanings
                )
            if kind is RecordKind.NOTE:
                return m.note_from(await self.c.note(remote_id), self.account)[0]
            if kind is RecordKind.TASK:
                return m.task_from(await self.c.task(remote_id), self.account)[0]
        except errors.NotFound:
            return None
        except FieldUnreadable as exc:
            raise errors.BadPayload(m.VENDOR, remote_id, str(exc)) from exc
        raise CannotReadBack(f"Lofty has no read of one {kind} by id")

    async def find_created(self, request: PushRequest) -> list[Record]:
        lead = request.record
        if isinstance(lead, Note | Task):
            return await self._find_child(lead, request.parents)
        if not isinstance(lead, Lead):
            raise CannotReadBack(f"Lofty cannot look a new {request.kind} up")
        email, phone = lead.email.strip().lower(), _digits(lead.phone)
        params: dict[str, Any] = {"limit": LOOKUP_LIMIT, "offset": 0, "preciseSearchFlag": True}
        if email:
            params["email"] = email
        elif phone:
            params["phone"] = lead.phone
        else:
            raise CannotReadBack("it has neither an email nor a phone to look it up by")
        body = await self.c.get("/v1.0/leads", params, fg=True)
        items = body.get("leads") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise errors.BadPayload(m.VENDOR, "", "leads: 'leads' is not a list")
        found: list[Record] = []
        for item in (unwrap_lead(i) for i in items):
            if not isinstance(item, dict):
                continue
            emails = [str(e).strip().lower() for e in item.get("emails") or []]
            phones = [_digits(str(p)) for p in item.get("phones") or []]
            if (email and email in emails) or (not email and phone in phones):
                try:
                    found.append(m.lead_from(item, self.account, self._meanings.meanings))
                except FieldUnreadable as exc:
                    raise errors.BadPayload(m.VENDOR, str(item.get("id", "")), str(exc)) from exc
        return found

    async def _find_child(self, record: Note | Task, parents: dict[str, str]) -> list[Record]:
        """A lead's notes (L1734) by their text, or its tasks (L1917) by title and due date."""
        lead_id = parents.get("parent_id" if isinstance(record, Note) else "lead_id", "")
        if not lead_id:
            raise CannotReadBack("it has no lead to look it up under")
        found: list[Record] = []
        try:
            if isinstance(record, Note):
                for item in await self.c.notes(lead_id):
                    if isinstance(item, dict) and str(item.get("content") or "") == record.body:
                        found.append(m.note_from(item, self.account)[0])
                return found
            for item in await self.c.tasks(lead_id):
                if not isinstance(item, dict):
                    continue
                theirs = m.task_from(item, self.account)[0]
                same = theirs.title.strip().casefold() == record.title.strip().casefold()
                if same and theirs.due_date == record.due_date:
                    found.append(theirs)
        except FieldUnreadable as exc:
            raise errors.BadPayload(m.VENDOR, lead_id, str(exc)) from exc
        return found


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
