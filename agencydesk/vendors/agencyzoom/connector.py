"""AgencyZoom as a ``Connector``: what to pull, how far each stream got, and how a local change
is sent. Calls and their document lines are in ``client.py``; payload mapping in ``mapping.py``.

Streams, cheapest change detection the document allows:
- ``customers``: the whole list each time (100 a page, L343; no change filter), so deletions
  are noticed.
- ``leads``: by ``lastActivityEarliestDate`` (L2363, day granularity) since the day before the
  last sync; a full listing every ``full_scan_every`` notices deletions. Notes ride along: the
  notes of every lead read are fetched (GET …/notes, L4212; notes have no list of their own).
- ``tasks``: the whole list (200 a page, L6474; its dates filter creation only, L6474).
- ``threads``: email and text lists (500 a page, L1628) in full; messages only of threads whose
  ``lastDateUTC`` is on or after the bookmark.
- ``policies``: no agency-wide list exists (vendor-notes §8): one call per customer (L934), for
  customers created since the last run (``startDate``, L377) and, every ``full_scan_every``,
  for all of them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, Literal

import httpx

from agencydesk.domain import Customer, Lead, LeadStatus, Note, Record, RecordKind, Task, TaskStatus
from agencydesk.vendors.agencyzoom import mapping as m
from agencydesk.vendors.agencyzoom.capabilities import CAPABILITIES
from agencydesk.vendors.agencyzoom.client import MAX_PAGE, AgencyZoomClient, Page
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.paging import PageNumberPaginator
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.connector import PulledPage, PushRequest, Stream, Unreadable

STREAMS = [
    Stream("customers", RecordKind.CUSTOMER, incremental=True),
    Stream("leads", RecordKind.LEAD, incremental=True),
    Stream("tasks", RecordKind.TASK, incremental=True),
    Stream("threads", RecordKind.THREAD, incremental=True),
    Stream("policies", RecordKind.POLICY, incremental=True),
]
Clock = Callable[[], datetime]
# How often each stream is listed in full (to notice deletions, and for customers and tasks,
# edits: the document gives them no change filter). Policies cost a call per customer.
FULL_SCAN_EVERY = {
    "customers": timedelta(hours=2),
    "tasks": timedelta(hours=2),
    "leads": timedelta(hours=12),
    "policies": timedelta(hours=24),
}
DEFAULT_FULL_SCAN = timedelta(hours=12)


class AgencyZoomConnector:
    vendor = "agencyzoom"
    capabilities = CAPABILITIES

    def __init__(
        self,
        account: str,
        client: AgencyZoomClient,
        *,
        full_scan_every: Mapping[str, timedelta] | None = None,
        ams_policies: bool = True,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        """``ams_policies``: also read each customer's AMS policies (L890), one more call per
        customer."""
        self.account = account
        self.client = client
        self.full_scan_every = dict(FULL_SCAN_EVERY if full_scan_every is None else full_scan_every)
        self.ams_policies = ams_policies
        self._clock = clock
        self._producers: dict[int, str] | None = None
        self._carriers: dict[int, str] | None = None
        self._pusher = Pusher(account, client)

    def streams(self) -> list[Stream]:
        return list(STREAMS)

    async def check(self) -> str:
        await self.client.auth.renew(stale=self.client.auth.current)
        who = self.client.username or "your AgencyZoom user"
        owner = " (agency owner)" if self.client.owner_agent else ""
        return f"Signed in as {who}{owner}"

    async def aclose(self) -> None:
        """Nothing to release: the httpx client is shared and the JWT may serve the next run."""

    async def push(self, request: PushRequest) -> Record | None:
        return await self._pusher.push(request)

    def read_payload(self, kind: RecordKind, raw: dict[str, Any]) -> Record:
        """A stored payload as a record ("theirs" in a conflict). Policies and notes need their
        parent's id, which the payload lacks: only leads, customers and tasks are read."""
        if kind is RecordKind.LEAD:
            return m.lead_from(raw, self.account)
        if kind is RecordKind.CUSTOMER:
            return m.customer_from(raw, self.account, self._producers or {})
        if kind is RecordKind.TASK:
            return m.task_from(raw, self.account)[0]
        raise ValueError(f"AgencyZoom {kind} payloads are not read back on their own")

    async def confirm_deleted(self, kind: RecordKind, remote_ids: list[str]) -> list[str]:
        """Ask for each missing record by id: only those the vendor no longer knows are gone
        (an unknown id answers 400, the document has no 404: vendor-notes §7.24)."""
        gone: list[str] = []
        for remote_id in remote_ids:
            try:
                if kind is RecordKind.LEAD:
                    await self.client.lead(remote_id, fg=False)
                elif kind is RecordKind.CUSTOMER:
                    await self.client.customer(remote_id, fg=False)
                elif kind is RecordKind.TASK:
                    await self.client.task(remote_id, fg=False)
                elif kind is RecordKind.POLICY:
                    customer_id, policy_id = m.split_policy_id(remote_id)
                    if policy_id.startswith("ams:"):
                        policy_id = policy_id[4:]
                        policies = await self.client.customer_ams_policies(customer_id)
                    else:
                        policies = await self.client.customer_policies(customer_id)
                    if any(str(p.get("id")) == policy_id for p in policies if isinstance(p, dict)):
                        continue
                    gone.append(remote_id)
                    continue
                else:
                    gone.append(remote_id)
                    continue
            except (errors.NotFound, errors.ValidationFailed):
                gone.append(remote_id)
        return gone

    def pull(self, stream: Stream, bookmark: str | None) -> AsyncIterator[PulledPage]:
        state: dict[str, Any] = json.loads(bookmark) if bookmark else {}
        pullers = {
            "customers": self._pull_customers,
            "leads": self._pull_leads,
            "tasks": self._pull_tasks,
            "threads": self._pull_threads,
            "policies": self._pull_policies,
        }
        return pullers[stream.name](state)

    # -- lookups (one call each per connector, they cost rate-limit budget) ----------------------
    async def producers(self) -> dict[int, str]:
        if self._producers is None:
            people = await self.client.lookup("employees")  # L6016
            self._producers = {
                int(p["id"]): f"{p.get('firstname') or ''} {p.get('lastname') or ''}".strip()
                for p in people
                if isinstance(p, dict) and isinstance(p.get("id"), int)
            }
        return self._producers

    async def carriers(self) -> dict[int, str]:
        if self._carriers is None:
            found = await self.client.lookup("carriers")
            self._carriers = {
                int(c["id"]): str(c.get("name") or "")
                for c in found
                if isinstance(c, dict) and isinstance(c.get("id"), int)
            }
        return self._carriers

    # -- streams -----------------------------------------------------------------------------
    def _plan(self, stream: str, state: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """What this run reads: a bookmark with ``page`` is a run stopped half-way (resume it);
        else a full listing when one is due, or only what is new since the last run. Days are
        the vendor's and their zone is unstated (L2363, L377): the day before is read again."""
        if "page" in state:
            return dict(state), True
        now = self._clock()
        last_full = state.get("full_at")
        every = self.full_scan_every.get(stream, DEFAULT_FULL_SCAN)
        full = not last_full or now - datetime.fromisoformat(last_full) >= every
        return {
            "mode": "full" if full else "new",
            "filter": None if full else state.get("since"),
            "since_next": (now - timedelta(days=1)).date().isoformat(),
            "full_at": now.isoformat() if full else last_full,
            "page": 0,
        }, False

    async def _listing(
        self,
        stream: str,
        state: dict[str, Any],
        search: Callable[[dict[str, Any]], Awaitable[Page]],
        *,
        size: int,
        sort: str,
        filter_key: str,
        fill: Callable[[PulledPage, list[Any]], Awaitable[None]],
    ) -> AsyncIterator[PulledPage]:
        """A paged listing, resumable at any page (the bookmark stored with each page says
        where the next one starts)."""
        run, resumed = self._plan(stream, state)
        pager = PageNumberPaginator(self.vendor, page_size=size, first_page=int(run["page"]))
        first = True
        while True:
            body: dict[str, Any] = {
                "page": pager.page,
                "pageSize": size,
                "sort": sort,
                "order": "asc",
            }
            if run["filter"]:
                body[filter_key] = run["filter"]
            found = await search(body)
            page = PulledPage()
            await fill(page, found.items)
            more = pager.advance(len(found.items), total=found.total, keys=_ids(found.items))
            end = {"since": run["since_next"], "full_at": run["full_at"]}
            page.bookmark = json.dumps({**run, "page": pager.page} if more else end)
            full = run["mode"] == "full"
            page.scan_begins = full and first and not resumed
            page.scan_ends = full and not more
            first = False
            yield page
            if not more:
                return

    def _pull_customers(self, state: dict[str, Any]) -> AsyncIterator[PulledPage]:
        """All customers by id (L423; "sort": "id" as in the samples); between full listings
        only those created since (``startDate``, L377): the document has no change filter."""

        async def fill(page: PulledPage, items: list[Any]) -> None:
            read = partial(_customer, account=self.account, producers=await self.producers())
            for item in items:
                self._add(page, item, "", read, None)

        return self._listing(
            "customers",
            state,
            self.client.search_customers,
            size=MAX_PAGE["customers"],
            sort="id",
            filter_key="startDate",
            fill=fill,
        )

    def _pull_leads(self, state: dict[str, Any]) -> AsyncIterator[PulledPage]:
        """Leads by last activity (sort fixed 2023.11.07, L95), since the last run's day
        (``lastActivityEarliestDate``, L2363), with their notes."""

        async def fill(page: PulledPage, items: list[Any]) -> None:
            for item in items:
                self._add(page, item, "", partial(_lead, account=self.account), None)
            await self._add_notes(page)

        return self._listing(
            "leads",
            state,
            self.client.search_leads,
            size=MAX_PAGE["leads"],
            sort="lastActivityDate",
            filter_key="lastActivityEarliestDate",
            fill=fill,
        )

    def _pull_tasks(self, state: dict[str, Any]) -> AsyncIterator[PulledPage]:
        """All tasks (L6537, 200 a page); between full listings those created since
        (``startDate`` "of task created", L6494)."""

        async def fill(page: PulledPage, items: list[Any]) -> None:
            for item in items:
                self._add_task(page, item)

        return self._listing(
            "tasks",
            state,
            self.client.search_tasks,
            size=MAX_PAGE["tasks"],
            sort="id",
            filter_key="startDate",
            fill=fill,
        )

    def _pull_policies(self, state: dict[str, Any]) -> AsyncIterator[PulledPage]:
        """No agency-wide policy list (vendor-notes §8): each customer's policies (L934) and
        AMS policies (L890), for all customers when a full listing is due, else for those
        created since the last run."""
        today = self._clock().date()

        async def fill(page: PulledPage, items: list[Any]) -> None:
            carriers = await self.carriers()
            for item in items:
                customer_id = _rid(item, "id")
                if customer_id.isdigit():  # else the customers stream sets it aside
                    await self._add_policies(page, customer_id, carriers, today)

        return self._listing(
            "policies",
            state,
            self.client.search_customers,
            size=MAX_PAGE["customers"],
            sort="id",
            filter_key="startDate",
            fill=fill,
        )

    async def _add_notes(self, page: PulledPage) -> None:
        leads = [r for r in page.records if r.kind is RecordKind.LEAD]
        for lead in leads:
            lead_id = lead.provenance.remote_id
            try:
                notes = await self.client.lead_notes(lead_id)
            except errors.BadPayload as exc:
                page.unreadable.append(Unreadable(f"lead:{lead_id}:notes", "", exc.reason))
                continue
            for item in notes:
                self._add(
                    page,
                    item,
                    f"lead:{lead_id}:note",
                    partial(_note, account=self.account, lead_id=lead_id),
                    (RecordKind.LEAD, lead_id),
                )

    def _add_task(self, page: PulledPage, item: Any) -> None:
        try:
            if not isinstance(item, dict):
                raise FieldUnreadable("task: not an object")
            task, link = m.task_from(item, self.account)
        except FieldUnreadable as exc:
            page.unreadable.append(Unreadable(_rid(item, "id"), _text(item), str(exc)))
            return
        if link is not None:
            page.links[len(page.records)] = link
        page.records.append(task)

    async def _pull_threads(self, state: dict[str, Any]) -> AsyncIterator[PulledPage]:
        """Both lists in full (threads come and go); messages of threads active since the
        bookmark's day. One page per list page; the bookmark moves when both lists are done."""
        now = self._clock()
        since = state.get("since")
        channels: tuple[Literal["email", "text"], ...] = ("email", "text")
        for index, channel in enumerate(channels):
            pager = PageNumberPaginator(self.vendor, page_size=MAX_PAGE["threads"])
            first = True
            while True:
                body = {
                    "page": pager.page,
                    "pageSize": pager.page_size,
                    "isIncludeEmptyThreads": True,
                }
                found = await self.client.search_threads(channel, body)
                page = PulledPage()
                for item in found.items:
                    await self._add_thread(page, item, channel, since)
                more = pager.advance(len(found.items), keys=_ids(found.items, "threadId"))
                last = not more and index == len(channels) - 1
                page.scan_begins = first and index == 0
                page.scan_ends = last
                if last:
                    page.bookmark = json.dumps(
                        {"since": (now - timedelta(days=1)).date().isoformat()}
                    )
                first = False
                yield page
                if not more:
                    break

    async def _add_thread(
        self, page: PulledPage, item: Any, channel: Literal["email", "text"], since: str | None
    ) -> None:
        try:
            if not isinstance(item, dict):
                raise FieldUnreadable("thread: not an object")
            thread = m.thread_from(item, self.account, channel)
        except FieldUnreadable as exc:
            page.unreadable.append(Unreadable(_rid(item, "threadId"), _text(item), str(exc)))
            return
        page.records.append(thread)
        last = thread.last_message_at
        if since and last is not None and last.date().isoformat() < since:
            return
        thread_id = str(item["threadId"])
        pager = PageNumberPaginator(self.vendor, page_size=MAX_PAGE["threads"])
        while True:
            found = await self.client.thread_messages(
                channel, thread_id, pager.page, pager.page_size
            )
            for message in found.items:
                self._add(
                    page,
                    message,
                    f"{channel}:{thread_id}:message",
                    lambda i: m.message_from(i, self.account, channel, thread_id),
                    (RecordKind.THREAD, thread.provenance.remote_id),
                )
            if not pager.advance(len(found.items), keys=_ids(found.items, "messageId")):
                return

    async def _add_policies(
        self, page: PulledPage, customer_id: str, carriers: dict[int, str], today: date
    ) -> None:
        lists = [(False, await self.client.customer_policies(customer_id))]
        if self.ams_policies:
            lists.append((True, await self.client.customer_ams_policies(customer_id)))
        for ams, policies in lists:
            read = partial(
                m.policy_from,
                account=self.account,
                customer_id=customer_id,
                carriers=carriers,
                today=today,
                ams=ams,
            )
            for policy in policies:
                self._add(
                    page, policy, f"{customer_id}:policy", read, (RecordKind.CUSTOMER, customer_id)
                )

    # -- mapping with quarantine ------------------------------------------------------------------
    def _add(
        self,
        page: PulledPage,
        item: Any,
        fallback_id: str,
        read: Callable[[dict[str, Any]], Record],
        link: tuple[RecordKind, str] | None,
        id_field: str = "id",
    ) -> None:
        try:
            if not isinstance(item, dict):
                raise FieldUnreadable("record: not an object")
            record = read(item)
        except FieldUnreadable as exc:
            remote_id = _rid(item, id_field) or fallback_id
            page.unreadable.append(Unreadable(remote_id, _text(item), str(exc)))
            return
        if link is not None:
            page.links[len(page.records)] = link
        page.records.append(record)


# Fields that change without anyone editing the record (activity, totals, names looked up from
# ids): a difference there is not a conflict.
VOLATILE = {
    RecordKind.LEAD: frozenset(
        [
            "lastActivityDate",
            "enterStageDate",
            "taskCount",
            "premium",
            "quoted",
            "totalOpportunityPremium",
            "totalQuotePremium",
            "totalPolicyPremium",
            "opportunities",
            "quotes",
            "leadSourceName",
            "assignToFirstname",
            "assignToLastname",
            "workflowName",
            "workflowStageName",
            "csrFirstname",
            "csrLastname",
            "creditToFirstname",
            "creditToLastname",
        ]
    ),
    RecordKind.CUSTOMER: frozenset(["totalPremium", "policies", "notes", "tasks", "files"]),
    RecordKind.TASK: frozenset(["assignedDate"]),
}
LEAD_STATUS_CODE = {  # our status -> the search status code the vendor reads back (L2310)
    LeadStatus.NEW: 0,
    LeadStatus.QUOTED: 1,
    LeadStatus.WON: 2,
    LeadStatus.LOST: 3,
    LeadStatus.CONTACTED: 4,
}


class Pusher:
    """Sends one outbox change. Updates read the vendor's record first: to find a conflict
    (it changed since the edit was made) and because the lead PUT replaces the whole lead
    (L3923), so the body is what the vendor has now plus the edit."""

    def __init__(self, account: str, client: AgencyZoomClient) -> None:
        self.account = account
        self.c = client
        self._lookups: dict[str, list[Any]] = {}

    async def push(self, request: PushRequest) -> Record | None:
        kind, op = request.kind, request.op
        handler = {
            (RecordKind.LEAD, "update"): self._update_lead,
            (RecordKind.LEAD, "create"): self._create_lead,
            (RecordKind.LEAD, "delete"): self._delete_lead,
            (RecordKind.CUSTOMER, "update"): self._update_customer,
            (RecordKind.CUSTOMER, "create"): self._create_customer,
            (RecordKind.CUSTOMER, "delete"): self._delete_customer,
            (RecordKind.TASK, "update"): self._update_task,
            (RecordKind.TASK, "create"): self._create_task,
            (RecordKind.TASK, "delete"): self._delete_task,
            (RecordKind.POLICY, "delete"): self._delete_policy,
            (RecordKind.NOTE, "create"): self._create_note,
        }.get((kind, op))
        if handler is None:
            why = CAPABILITIES[kind].why_not or f"AgencyZoom's API cannot {op} a {kind}"
            raise errors.ValidationFailed(m.VENDOR, why, status=None)
        return await handler(request)

    async def _lookup(self, name: str) -> list[Any]:
        if name not in self._lookups:
            self._lookups[name] = await self.c.lookup(name)
        return self._lookups[name]

    async def _employee_id(self, name: str) -> int:
        """An employee by full name (L6016); without one, the agency owner."""
        people = [p for p in await self._lookup("employees") if isinstance(p, dict)]
        for person in people:
            full = f"{person.get('firstname') or ''} {person.get('lastname') or ''}".strip()
            if name and full.lower() == name.lower():
                return int(person["id"])
        if name:
            raise errors.ValidationFailed(
                m.VENDOR, f"no AgencyZoom user named '{name}'", field_errors={"producer": name}
            )
        owner = next((p for p in people if p.get("isOwner")), people[0] if people else None)
        if owner is None:
            raise errors.ValidationFailed(m.VENDOR, "the agency has no users to assign")
        return int(owner["id"])

    def _refuse(self, changes: dict[str, Any], allowed: set[str], what: str) -> None:
        extra = sorted(set(changes) - allowed)
        if extra:
            raise errors.ValidationFailed(
                m.VENDOR,
                f"AgencyZoom's API cannot change {', '.join(extra)} of a {what}",
                field_errors={f: "cannot be changed through AgencyZoom's API" for f in extra},
                status=None,
            )

    def _check(self, kind: RecordKind, rid: str, base: dict[str, Any], now: dict[str, Any]) -> None:
        volatile = VOLATILE.get(kind, frozenset())
        changed = sorted(k for k in base if k in now and k not in volatile and base[k] != now[k])
        if changed:
            raise errors.Conflict(
                m.VENDOR,
                f"{kind} {rid} changed in AgencyZoom since it was read ({', '.join(changed)})",
                theirs=now,
            )

    # -- leads -------------------------------------------------------------------------------
    async def _update_lead(self, r: PushRequest) -> Record:
        changes = r.changes
        self._refuse(changes, set(m.LEAD_EDITS) | {"status", "stage", "producer"}, "lead")
        current = await self.c.lead(r.remote_id)
        self._check(RecordKind.LEAD, r.remote_id, r.base, current)
        raw = {k: current.get(k, v) for k, v in r.base.items()}
        tags = [t for t in current.get("tagNames") or [] if isinstance(t, int)]
        replacing = bool(set(changes) & (set(m.LEAD_EDITS) | {"producer"}))
        if replacing and tags and current.get("status") != 0:
            # Tags read back as ids (L3884) but the PUT takes names (L4089) and erases what it
            # lacks; only the status change puts ids back (tagIds, L4340), and only status 0 is
            # sent back unchanged by it. Refuse rather than lose the tags.
            raise errors.ValidationFailed(
                m.VENDOR,
                "AgencyZoom's API would drop this lead's tags on this edit: make it in AgencyZoom",
                field_errors={"tags": "kept only by AgencyZoom itself for this lead"},
                status=None,
            )
        if replacing:
            body = m.lead_put_body(current, changes)
            if "producer" in changes:
                body["assignTo"] = raw["assignedTo"] = await self._employee_id(changes["producer"])
            commercial = str(current.get("leadType") or "").lower() == "commercial"
            path = f"/v1/api/leads/{r.remote_id}" + ("/update-biz-lead" if commercial else "")
            await self.c.send("PUT", path, body)  # L4089 / L3458
            for ours, value in changes.items():
                if ours in m.LEAD_EDITS and m.LEAD_EDITS[ours] in raw:
                    raw[m.LEAD_EDITS[ours]] = value
        if "status" in changes or "stage" in changes:
            await self._move_lead(r.remote_id, current, changes, raw, tags if replacing else None)
        elif replacing and tags:
            body = {
                "status": 0,
                "workflowId": current.get("workflowId"),
                "workflowStageId": current.get("workflowStageId"),
                "tagIds": tags,
            }
            await self.c.send("PUT", f"/v1/api/leads/{r.remote_id}/status", body)
        return m.lead_from(raw, self.account)

    async def _move_lead(
        self,
        rid: str,
        current: dict[str, Any],
        changes: dict[str, Any],
        raw: dict[str, Any],
        tags: list[int] | None,
    ) -> None:
        """PUT …/status (L4340) knows 0 active, 2 won, 3 lost; PUT …/stage (L4439) moves to a
        stage of the lead's pipeline by ``toStageId``."""
        status = LeadStatus(
            changes.get("status") or m.LEAD_STATUS.get(current.get("status") or 0, LeadStatus.NEW)
        )
        body: dict[str, Any] = {
            "status": m.LEAD_STATUS_CHANGE[status],
            "workflowId": current.get("workflowId"),
            "workflowStageId": current.get("workflowStageId"),
        }
        if tags:
            body["tagIds"] = tags  # put back what the PUT just erased
        if "status" in changes:
            await self.c.send("PUT", f"/v1/api/leads/{rid}/status", body)
            raw["status"] = LEAD_STATUS_CODE[status]
        if "stage" in changes:
            stage_id = await self._stage_id(current.get("workflowId"), str(changes["stage"]))
            await self.c.send("PUT", f"/v1/api/leads/{rid}/stage", {**body, "toStageId": stage_id})
            raw["workflowStageId"], raw["workflowStageName"] = stage_id, changes["stage"]

    async def _stage_id(self, pipeline_id: Any, stage: str) -> int:
        for pipeline in await self._lookup("pipelines-and-stages"):  # L6351
            if not isinstance(pipeline, dict) or str(pipeline.get("id")) != str(pipeline_id):
                continue
            for item in pipeline.get("stages") or []:
                if isinstance(item, dict) and str(item.get("name", "")).lower() == stage.lower():
                    return int(item["id"])
        raise errors.ValidationFailed(
            m.VENDOR, f"the lead's pipeline has no stage '{stage}'", field_errors={"stage": stage}
        )

    async def _create_lead(self, r: PushRequest) -> Record:
        """POST /v1/api/leads/create (L4692): firstname, email, pipelineId, stageId,
        leadSourceId, assignTo and country are required (changelog 2024.01.18)."""
        lead = r.record
        assert isinstance(lead, Lead)
        pipelines = [p for p in await self._lookup("pipelines-and-stages") if isinstance(p, dict)]
        pipeline = next((p for p in pipelines if p.get("name") == lead.pipeline), None) or (
            pipelines[0] if pipelines else {}
        )
        stages = [s for s in pipeline.get("stages") or [] if isinstance(s, dict)]
        stage = next((s for s in stages if s.get("name") == lead.stage), None) or (
            stages[0] if stages else {}
        )
        sources = [s for s in await self._lookup("lead-sources") if isinstance(s, dict)]
        source = next((s for s in sources if s.get("name") == lead.source), None) or (
            sources[0] if sources else {}
        )
        body = {
            "firstname": lead.first_name,
            "lastname": lead.last_name,
            "email": lead.email,
            "phone": lead.phone,
            "streetAddress": lead.street,
            "city": lead.city,
            "state": lead.state,
            "zip": lead.zip_code,
            "country": "US",
            "pipelineId": pipeline.get("id"),
            "stageId": stage.get("id"),
            "leadSourceId": source.get("id"),
            "assignTo": await self._employee_id(lead.producer),
            "xDate": lead.x_date.isoformat() if lead.x_date else None,
        }
        answer = await self.c.send("POST", "/v1/api/leads/create", body)
        new_id = str(answer.get("id")) if isinstance(answer, dict) else ""
        found = await self.c.search(
            "lead", "/v1/api/leads/list", "leads", {"id": new_id, "page": 0, "pageSize": 1}, fg=True
        )
        item = found.items[0] if found.items else await self.c.lead(new_id)
        return m.lead_from(item, self.account)

    async def _delete_lead(self, r: PushRequest) -> None:
        """POST /v1/api/leads/{leadId}/delete-lead (L4820), keeping the contacts."""
        await self.c.send(
            "POST", f"/v1/api/leads/{r.remote_id}/delete-lead", {"deleteContact": False}
        )

    # -- customers -----------------------------------------------------------------------------
    async def _update_customer(self, r: PushRequest) -> Record:
        self._refuse(r.changes, set(m.CUSTOMER_EDITS) | {"producer"}, "customer")
        current = await self.c.customer(r.remote_id)
        self._check(RecordKind.CUSTOMER, r.remote_id, r.base, current)
        body = m.customer_put_body(current, r.changes)
        raw = {k: current.get(k, v) for k, v in r.base.items()}
        if "producer" in r.changes:
            body["agentId"] = raw["agentId"] = await self._employee_id(r.changes["producer"])
        await self.c.send("PUT", f"/v1/api/customers/{r.remote_id}", body)  # L643
        for ours, value in r.changes.items():
            if ours in m.CUSTOMER_EDITS:
                raw[m.CUSTOMER_EDITS[ours]] = value
        return m.customer_from(raw, self.account, {})

    async def _create_customer(self, r: PushRequest) -> Record:
        """POST /v1/api/customers/create (L1075): firstname, email and agentId required."""
        customer = r.record
        assert isinstance(customer, Customer)
        body = {
            "firstname": customer.first_name or customer.business_name,
            "lastname": customer.last_name,
            "email": customer.email,
            "phone": customer.phone,
            "streetAddress": customer.street,
            "city": customer.city,
            "state": customer.state,
            "zip": customer.zip_code,
            "agentId": await self._employee_id(customer.producer),
            "birthday": customer.birth_date.strftime("%m/%d/%Y") if customer.birth_date else None,
        }
        answer = await self.c.send("POST", "/v1/api/customers/create", body)
        new_id = str(answer.get("id")) if isinstance(answer, dict) else ""
        detail = await self.c.customer(new_id)
        item = {
            k: v
            for k, v in detail.items()
            if k not in VOLATILE[RecordKind.CUSTOMER] or k == "totalPremium"
        }
        return m.customer_from(item, self.account, {})

    async def _delete_customer(self, r: PushRequest) -> None:
        await self.c.send("DELETE", f"/v1/api/customers/{r.remote_id}")  # L706

    # -- tasks ---------------------------------------------------------------------------------
    async def _update_task(self, r: PushRequest) -> Record:
        self._refuse(r.changes, {"title", "comments", "due_date", "status"}, "task")
        current = await self.c.task(r.remote_id)
        self._check(RecordKind.TASK, r.remote_id, r.base, current)
        raw = {k: current.get(k, v) for k, v in r.base.items()}
        if set(r.changes) - {"status"}:
            await self.c.send(
                "PUT", f"/v1/api/tasks/{r.remote_id}", m.task_put_body(current, r.changes)
            )
            for ours, name in (("title", "title"), ("comments", "comments")):
                if ours in r.changes:
                    raw[name] = r.changes[ours]
            if "due_date" in r.changes:
                raw["dueDate"] = raw["taskDateTime"] = r.changes["due_date"]
        if "status" in r.changes:
            done = TaskStatus(r.changes["status"]) is TaskStatus.DONE
            if done:  # L6856
                await self.c.send("PUT", f"/v1/api/tasks/{r.remote_id}/completed")
            else:  # L6932
                await self.c.send("PUT", f"/v1/api/tasks/{r.remote_id}/reopened", {"comments": ""})
            raw["status"] = 1 if done else 0
            if done and not raw.get("completeDate"):
                raw["completeDate"] = datetime.now(UTC).date().isoformat()
        task, _link = m.task_from(raw, self.account)
        return task

    async def _create_task(self, r: PushRequest) -> Record:
        """POST /v1/api/tasks (L6623), linked by ``leadId`` or ``customerId``."""
        task = r.record
        assert isinstance(task, Task)
        body: dict[str, Any] = {
            "title": task.title,
            "comments": task.comments,
            "type": task.task_kind.value,  # todo/email/call/meeting, the same words (L6600)
            "dueDatetime": f"{task.due_date.isoformat()} {task.due_time or '00:00'}:00"
            if task.due_date
            else None,
            "timeSpecific": bool(task.due_time),
        }
        if r.parents.get("lead_id"):
            body["leadId"] = int(r.parents["lead_id"])
        if r.parents.get("customer_id"):
            body["customerId"] = int(r.parents["customer_id"])
        answer = await self.c.send("POST", "/v1/api/tasks", body)
        new_id = str(answer.get("id")) if isinstance(answer, dict) else ""
        created, _link = m.task_from(await self.c.task(new_id), self.account)
        return created

    async def _delete_task(self, r: PushRequest) -> None:
        await self.c.send("DELETE", f"/v1/api/tasks/{r.remote_id}")  # L6828

    async def _delete_policy(self, r: PushRequest) -> None:
        """DELETE /v1/api/customers/{customerId}/policies/{policyId} (L784), the only one."""
        customer_id, policy_id = m.split_policy_id(r.remote_id)
        if policy_id.startswith("ams:"):
            raise errors.ValidationFailed(
                m.VENDOR, "AMS policies come from the agency's AMS: delete it there", status=None
            )
        await self.c.send("DELETE", f"/v1/api/customers/{customer_id}/policies/{policy_id}")

    async def _create_note(self, r: PushRequest) -> Record | None:
        """POST …/leads/{leadId}/notes (L4254) or …/customers/{customerId}/notes (L853). A lead
        note is read back (notes have no id: ours is made from its content)."""
        note = r.record
        assert isinstance(note, Note)
        parent = r.parents.get("parent_id", "")
        if not parent:
            raise errors.ValidationFailed(
                m.VENDOR, "the note's lead or customer is not in AgencyZoom yet"
            )
        owner = "leads" if note.parent_kind is RecordKind.LEAD else "customers"
        await self.c.send("POST", f"/v1/api/{owner}/{parent}/notes", {"note": note.body})
        if owner != "leads":
            return None  # customer notes cannot be read back (no list, vendor-notes §5.5)
        for item in reversed(await self.c.lead_notes(parent)):
            if isinstance(item, dict) and item.get("body") == note.body:
                return m.note_from(item, self.account, parent)
        return None


def _lead(item: dict[str, Any], *, account: str) -> Record:
    return m.lead_from(item, account)


def _customer(item: dict[str, Any], *, account: str, producers: dict[int, str]) -> Record:
    return m.customer_from(item, account, producers)


def _note(item: dict[str, Any], *, account: str, lead_id: str) -> Record:
    return m.note_from(item, account, lead_id)


def _ids(items: list[Any], key: str = "id") -> list[str]:
    return [_rid(i, key) for i in items]


def _rid(item: Any, key: str) -> str:
    return str(item.get(key, "")) if isinstance(item, dict) else ""


def _text(item: Any) -> str:
    try:
        return json.dumps(item, default=str)
    except (TypeError, ValueError):
        return repr(item)


def create_connector(
    account: str,
    base_url: str,
    secrets: dict[str, str],
    http: httpx.AsyncClient,
    limiter: AccountLimiter,
) -> AgencyZoomConnector:
    """``secrets``: username + password (and ``method`` "sso" for the SSO login), or ``jwt``
    from a V4SSO sign-in (``method`` "token"); ``api_token`` for creating policies."""
    method = secrets.get("method") or (
        "token" if secrets.get("jwt") and not secrets.get("password") else "password"
    )
    client = AgencyZoomClient(
        base_url,
        http,
        limiter,
        username=secrets.get("username", ""),
        password=secrets.get("password", ""),
        method=method,  # type: ignore[arg-type]
        jwt=secrets.get("jwt", ""),
        api_token=secrets.get("api_token", ""),
    )
    return AgencyZoomConnector(account, client)
