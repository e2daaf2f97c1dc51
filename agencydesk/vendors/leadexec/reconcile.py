"""What a change may already have done in LeadExec (``ChecksWrites``), for an outbox entry whose
request went out but whose answer was never stored.

A client (lead buyer) is read back from ``GET /v1/clients/list`` (L143; there is no single-client
read) and its fields (L553); not in the list means gone. A new client is looked up among the
newest clients (``ClientUID`` is a number LeadExec counts up; a save with ``ClientUID`` 0 creates
one, L54) by the email in its fields. A lead cannot be read back by id (only searched within a
lead type, L3316): its delete, only scheduled by LeadExec (L3533), is sent again, and "not found"
then counts as done."""

from __future__ import annotations

from typing import Any

from agencydesk.domain import Customer, Record, RecordKind
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.connector import CannotReadBack, PushRequest
from agencydesk.vendors.leadexec import mapping as m
from agencydesk.vendors.leadexec.client import VENDOR, LeadExecClient

NEWEST = 20  # clients read in full when looking a new one up (each costs one fields call)


class LeadExecWriteCheck:
    def __init__(self, account: str, client: LeadExecClient) -> None:
        self.account = account
        self.client = client

    async def read_back(self, kind: RecordKind, remote_id: str) -> Record | None:
        if kind is not RecordKind.CUSTOMER:
            raise CannotReadBack(f"LeadExec has no read of one {kind} by id")
        for row in await self.client.clients(fg=True):
            if isinstance(row, dict) and str(row.get("ClientUID", "")).strip() == remote_id:
                return await self._customer(row)
        return None

    async def find_created(self, request: PushRequest) -> list[Record]:
        customer = request.record
        if not isinstance(customer, Customer):
            raise CannotReadBack(f"LeadExec cannot look a new {request.kind} up")
        email = customer.email.strip().casefold()
        if not email:
            raise CannotReadBack("it has no email to look it up by")
        rows = [r for r in await self.client.clients(fg=True) if isinstance(r, dict)]
        rows.sort(key=_uid, reverse=True)
        found: list[Record] = []
        for row in rows[:NEWEST]:
            record = await self._customer(row)
            if isinstance(record, Customer) and record.email.strip().casefold() == email:
                found.append(record)
        return found

    async def _customer(self, row: dict[str, Any]) -> Record:
        uid = str(row.get("ClientUID", "")).strip()
        fields = await self.client.client_fields(uid, fg=True)
        try:
            return m.customer_from(row, fields, self.account)
        except FieldUnreadable as exc:
            raise errors.BadPayload(VENDOR, uid, str(exc)) from exc


def _uid(row: dict[str, Any]) -> int:
    text = str(row.get("ClientUID", "")).strip()
    return int(text) if text.isdigit() else -1
