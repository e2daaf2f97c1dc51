"""What a change may already have done in AgencyZoom (``ChecksWrites``): for an outbox entry whose
request went out but whose answer was never stored.

Read back by id: leads ``GET /v1/api/leads/{leadId}`` (L3826), customers
``GET /v1/api/customers/{customerId}`` (L482), tasks ``GET /v1/api/tasks/{taskId}`` (L6674);
policies in their customer's list (no read by id). The
document has no 404: an unknown id answers 400 (vendor-notes §7.24), so a 400 on a read by id
means the record is not there. A new lead is looked up by ``customerEmail`` (prefix match,
vendor-notes §3.3) or ``customerPhoneList`` (exact) on ``POST /v1/api/leads/list`` (L2378); a new
customer by ``email`` or ``phone`` on ``POST /v1/api/customers`` (L423); a new task among its
lead's (L4167) or customer's (L734) tasks by title and due date; a new lead note among the lead's
notes (L4212) by its text. Matches are compared exactly here (a prefix search finds "ann@x.com"
for "an@x.com"). A customer note cannot be read back (no list, vendor-notes §5.5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from agencydesk.domain import Customer, Lead, Note, Record, RecordKind, Task
from agencydesk.vendors.agencyzoom import mapping as m
from agencydesk.vendors.agencyzoom.client import AgencyZoomClient
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.connector import CannotReadBack, PushRequest

LOOKUP_PAGE = 100  # the most either search answers in one page (vendor-notes #7, #33)


class AgencyZoomWriteCheck:
    def __init__(
        self, account: str, client: AgencyZoomClient, producers: Callable[[], dict[int, str]]
    ) -> None:
        self.account = account
        self.c = client
        self._producers = producers  # the connector's names of users, as far as it learned them

    async def read_back(self, kind: RecordKind, remote_id: str) -> Record | None:
        try:
            if kind is RecordKind.LEAD:
                return m.lead_from(await self.c.lead(remote_id), self.account)
            if kind is RecordKind.CUSTOMER:
                return m.customer_from(
                    await self.c.customer(remote_id), self.account, self._producers()
                )
            if kind is RecordKind.TASK:
                return m.task_from(await self.c.task(remote_id), self.account)[0]
            if kind is RecordKind.POLICY:
                return await self._policy(remote_id)
        except (errors.NotFound, errors.ValidationFailed):
            return None  # unknown ids answer 400 (no 404 in the document)
        raise CannotReadBack(f"AgencyZoom has no read of one {kind} by id")

    async def _policy(self, remote_id: str) -> Record | None:
        """A policy is read in its customer's list (L934; AMS ones, L890): no read by id."""
        customer_id, policy_id = m.split_policy_id(remote_id)
        ams = policy_id.startswith("ams:")
        items = await (
            self.c.customer_ams_policies(customer_id)
            if ams
            else self.c.customer_policies(customer_id, fg=True)
        )
        wanted = policy_id[4:] if ams else policy_id
        for item in items:
            if isinstance(item, dict) and str(item.get("id")) == wanted:
                today = datetime.now(UTC).date()
                return m.policy_from(item, self.account, customer_id, {}, today, ams)
        return None

    async def find_created(self, request: PushRequest) -> list[Record]:
        record = request.record
        if isinstance(record, Lead):
            return await self._find(record, "/v1/api/leads/list", "leads", "customer", lead=True)
        if isinstance(record, Customer):
            return await self._find(record, "/v1/api/customers", "customers", "", lead=False)
        if isinstance(record, Task):
            return await self._find_task(record, request.parents)
        if isinstance(record, Note) and record.parent_kind is RecordKind.LEAD:
            parent = request.parents.get("parent_id", "")
            return [
                m.note_from(item, self.account, parent)
                for item in await self.c.lead_notes(parent)
                if isinstance(item, dict) and item.get("body") == record.body
            ]
        raise CannotReadBack(f"AgencyZoom cannot look a new {request.kind} up")

    async def _find_task(self, task: Task, parents: dict[str, str]) -> list[Record]:
        """The tasks of its lead (L4167) or customer (L734) with its title and due date."""
        if parents.get("lead_id"):
            path = f"/v1/api/leads/{parents['lead_id']}/tasks"
        elif parents.get("customer_id"):
            path = f"/v1/api/customers/{parents['customer_id']}/tasks"
        else:
            raise CannotReadBack("the task has no lead or customer to look it up under")
        items = await self.c.get(path, fg=True)
        found: list[Record] = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            theirs = m.task_from(item, self.account)[0]
            same_title = theirs.title.strip().casefold() == task.title.strip().casefold()
            if same_title and theirs.due_date == task.due_date:
                found.append(theirs)
        return found

    async def _find(
        self, record: Lead | Customer, path: str, key: str, prefix: str, *, lead: bool
    ) -> list[Record]:
        email, phone = record.email.strip().lower(), _digits(record.phone)
        if email:
            body: dict[str, Any] = {f"{prefix}Email" if prefix else "email": email}
        elif phone and lead:
            body = {"customerPhoneList": [record.phone]}
        elif phone:
            body = {"phone": record.phone}
        else:
            raise CannotReadBack("it has neither an email nor a phone to look it up by")
        body.update({"page": 0, "pageSize": LOOKUP_PAGE})
        if lead:
            body["sort"] = "lastEnterStageDate"
        page = await self.c.search(key, path, key, body, fg=True)
        found: list[Record] = []
        for item in page.items:
            if not isinstance(item, dict):
                continue
            same = (
                str(item.get("email") or "").strip().lower() == email
                if email
                else _digits(str(item.get("phone") or "")) == phone
            )
            if same:
                found.append(
                    m.lead_from(item, self.account)
                    if lead
                    else m.customer_from(item, self.account, self._producers())
                )
        return found


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
