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

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, Literal

import httpx

from agencydesk.domain import Record, RecordKind, Thread
from agencydesk.vendors.agencyzoom import mapping as m
from agencydesk.vendors.agencyzoom import write_risk
from agencydesk.vendors.agencyzoom.capabilities import CAPABILITIES
from agencydesk.vendors.agencyzoom.client import MAX_PAGE, AgencyZoomClient
from agencydesk.vendors.agencyzoom.push import Pusher
from agencydesk.vendors.agencyzoom.reconcile import AgencyZoomWriteCheck
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.bookmarks import Bookmark, Position, Run
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.paging import PageNumberPaginator
from agencydesk.vendors.client_kit.streams import Fetch, Fetched, StreamRunner, add, add_linked
from agencydesk.vendors.connector import (
    BookmarkType,
    Paging,
    PayloadNotReadable,
    PulledPage,
    PushRequest,
    Stream,
    Unreadable,
)
from agencydesk.vendors.per_record import PerRecordJob

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
# Days are the vendor's and their zone is unstated (L2363, L377): the day before is read again.
DAY_BEFORE = timedelta(days=1)


def _paged(name: str, kind: RecordKind, size: int) -> Stream:
    return Stream(
        name,
        kind,
        incremental=True,
        paging=Paging.PAGE_NUMBER,
        bookmark=BookmarkType.DAY,
        full_scan_every=FULL_SCAN_EVERY.get(name, DEFAULT_FULL_SCAN),
        page_size=size,
        lookback=DAY_BEFORE,
    )


STREAMS = [
    _paged("customers", RecordKind.CUSTOMER, MAX_PAGE["customers"]),
    _paged("leads", RecordKind.LEAD, MAX_PAGE["leads"]),
    _paged("tasks", RecordKind.TASK, MAX_PAGE["tasks"]),
    # Both thread lists in full every run; the day filters which threads' messages are read.
    replace(
        _paged("threads", RecordKind.THREAD, MAX_PAGE["threads"]), full_scan_every=timedelta(0)
    ),
    # Per customer (no agency-wide list): pages of customers, each read for its policies.
    _paged("policies", RecordKind.POLICY, MAX_PAGE["customers"]),
]
THREAD_CHANNELS: tuple[Literal["email", "text"], ...] = ("email", "text")
# The per-record calls (vendor-notes §8: no agency-wide policy list; notes have no list, L4212).
# The sync makes them after every listing, most useful first (sync/per_record_pass.py).
POLICIES_JOB = "policies"
NOTES_JOB = "lead_notes"
MESSAGES_JOB = "thread_messages"


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
        # One lookup call at a time: the hub's per-record calls run side by side, and each
        # would otherwise make its own carriers call before the first answer is kept.
        self._looking_up = asyncio.Lock()
        self._pusher = Pusher(account, client)
        self._checks = AgencyZoomWriteCheck(account, client, lambda: self._producers or {})
        self._deferred = False  # per-record calls left to ``fetch_for`` (the sync's queue)

    def streams(self) -> list[Stream]:
        return list(STREAMS)

    # -- per-record calls (FetchesPerRecord) -----------------------------------------------------
    def per_record_jobs(self) -> list[PerRecordJob]:
        return [
            PerRecordJob(
                POLICIES_JOB,
                RecordKind.CUSTOMER,
                RecordKind.POLICY,
                calls=2 if self.ams_policies else 1,
                every=self.full_scan_every.get("policies", DEFAULT_FULL_SCAN),
                answer_is_complete=True,
                replaces_stream="policies",
                set_aside_parents_of="customers",
            ),
            # A note added or changed moves the lead's lastActivityDate (the leads stream's own
            # change filter, L2363), so a lead's notes are read again when that moved.
            PerRecordJob(
                NOTES_JOB, RecordKind.LEAD, RecordKind.NOTE, calls=1, when_parent_changes=True
            ),
            # A thread's messages (L1628, 500 a page: mostly one call) when its lastDateUTC moved.
            PerRecordJob(
                MESSAGES_JOB,
                RecordKind.THREAD,
                RecordKind.MESSAGE,
                calls=1,
                when_parent_changes=True,
            ),
        ]

    def defer_per_record(self) -> None:
        self._deferred = True

    async def fetch_for(self, job: str, parent_remote_id: str) -> PulledPage:
        page = PulledPage()
        if job == POLICIES_JOB:
            if not parent_remote_id.isdigit():  # a set-aside customer's spoiled id
                raise errors.NotFound(self.vendor, f"customer {parent_remote_id}")
            carriers = await self.carriers()
            await self._add_policies(page, parent_remote_id, carriers, self._clock().date())
        elif job == NOTES_JOB:
            await self._add_lead_notes(page, parent_remote_id)
        elif job == MESSAGES_JOB:
            channel, _, thread_id = parent_remote_id.partition(":")
            if channel not in ("email", "text") or not thread_id:
                raise errors.NotFound(self.vendor, f"thread {parent_remote_id}")
            await self._add_messages(page, "email" if channel == "email" else "text", thread_id)
        else:
            raise KeyError(f"AgencyZoom has no per-record job {job!r}")
        return page

    async def check(self) -> str:
        await self.client.auth.renew(stale=self.client.auth.current)
        who = self.client.username or "your AgencyZoom user"
        owner = " (agency owner)" if self.client.owner_agent else ""
        return f"Signed in as {who}{owner}"

    async def aclose(self) -> None:
        """Nothing to release: the httpx client is shared and the JWT may serve the next run."""

    async def push(self, request: PushRequest) -> Record | None:
        return await self._pusher.push(request)

    async def read_back(self, kind: RecordKind, remote_id: str) -> Record | None:
        return await self._checks.read_back(kind, remote_id)  # reconcile.py

    async def find_created(self, request: PushRequest) -> list[Record]:
        return await self._checks.find_created(request)

    def fields_at_risk(
        self, kind: RecordKind, record: Record | None, changes: Mapping[str, Any]
    ) -> list[str]:
        """``ChecksWriteRisk``: what AgencyZoom would clear unread (write_risk.py)."""
        return write_risk.fields_at_risk(kind, record, changes)

    def read_payload(self, kind: RecordKind, raw: dict[str, Any]) -> Record:
        """A stored payload as a record ("theirs" in a conflict). Policies and notes need their
        parent's id, which the payload lacks: only leads, customers and tasks are read."""
        if kind is RecordKind.LEAD:
            return m.lead_from(raw, self.account)
        if kind is RecordKind.CUSTOMER:
            return m.customer_from(raw, self.account, self._producers or {})
        if kind is RecordKind.TASK:
            return m.task_from(raw, self.account)[0]
        raise PayloadNotReadable(f"AgencyZoom {kind} payloads are not read back on their own")

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
                elif kind is RecordKind.THREAD:
                    channel, _, thread_id = remote_id.partition(":")
                    if channel not in ("email", "text"):
                        raise errors.NotFound(self.vendor, f"thread {remote_id}")
                    await self.client.thread_messages(
                        "email" if channel == "email" else "text", thread_id, 0, 1
                    )
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
        declared = {s.name: s for s in STREAMS}.get(stream.name)
        if declared is None:
            raise ValueError(f"AgencyZoom has no stream {stream.name!r}")
        if stream.name != "threads":
            every = self.full_scan_every.get(stream.name, DEFAULT_FULL_SCAN)
            declared = replace(declared, full_scan_every=every)
        runner = StreamRunner(self.vendor, declared, clock=self._clock, legacy=_legacy_bookmark)
        run = runner.start(bookmark)
        if stream.name == "threads":
            return runner.paged(run, self._fetch_threads, self._fill_threads(run), parts=2)
        fill = {
            "customers": self._fill_customers,
            "leads": self._fill_leads,
            "tasks": self._fill_tasks,
            "policies": self._fill_policies,
        }[stream.name]
        return runner.paged(run, self._listing(stream.name), fill)

    # -- lookups (one call each per connector, they cost rate-limit budget) ----------------------
    async def producers(self) -> dict[int, str]:
        async with self._looking_up:
            return await self._producers_now()

    async def _producers_now(self) -> dict[int, str]:
        if self._producers is None:
            people = await self.client.lookup("employees")  # L6016
            self._producers = {
                int(p["id"]): f"{p.get('firstname') or ''} {p.get('lastname') or ''}".strip()
                for p in people
                if isinstance(p, dict) and isinstance(p.get("id"), int)
            }
        return self._producers

    async def carriers(self) -> dict[int, str]:
        async with self._looking_up:
            return await self._carriers_now()

    async def _carriers_now(self) -> dict[int, str]:
        if self._carriers is None:
            found = await self.client.lookup("carriers")
            self._carriers = {
                int(c["id"]): str(c.get("name") or "")
                for c in found
                if isinstance(c, dict) and isinstance(c.get("id"), int)
            }
        return self._carriers

    # -- streams (run by client_kit/streams.py) ------------------------------------------------
    def _listing(self, stream: str) -> Fetch:
        """One page of a search: customers by id (L423; "sort": "id" as in the samples) and,
        between full listings, only those created since (``startDate``, L377: the document has
        no change filter); leads by last activity (sort fixed 2023.11.07, L95) since the last
        run's day (``lastActivityEarliestDate``, L2363); tasks (L6537, 200 a page) created
        since (``startDate`` "of task created", L6494); policies: pages of customers (no
        agency-wide policy list, vendor-notes §8), each read for its policies."""
        search, sort, filter_key = {
            "customers": (self.client.search_customers, "id", "startDate"),
            "leads": (self.client.search_leads, "lastActivityDate", "lastActivityEarliestDate"),
            "tasks": (self.client.search_tasks, "id", "startDate"),
            "policies": (self.client.search_customers, "id", "startDate"),
        }[stream]
        size = MAX_PAGE["customers" if stream == "policies" else stream]

        async def fetch(run: Run, _part: int, page_number: Any) -> Fetched:
            body: dict[str, Any] = {
                "page": page_number,
                "pageSize": size,
                "sort": sort,
                "order": "asc",
            }
            if run.changed_since:
                body[filter_key] = run.changed_since
            found = await search(body)
            return Fetched(found.items, total=found.total, keys=_ids(found.items))

        return fetch

    async def _fill_customers(self, page: PulledPage, items: list[Any], _part: int) -> None:
        read = partial(_customer, account=self.account, producers=await self.producers())
        for item in items:
            add(page, item, read)

    async def _fill_leads(self, page: PulledPage, items: list[Any], _part: int) -> None:
        """Leads with their notes (GET …/notes, L4212; notes have no list of their own)."""
        for item in items:
            add(page, item, partial(_lead, account=self.account))
        await self._add_notes(page)

    async def _fill_tasks(self, page: PulledPage, items: list[Any], _part: int) -> None:
        for item in items:
            add_linked(page, item, lambda i: m.task_from(i, self.account))

    async def _fill_policies(self, page: PulledPage, items: list[Any], _part: int) -> None:
        """Each customer's policies (L934) and AMS policies (L890)."""
        carriers = await self.carriers()
        today = self._clock().date()
        for item in items:
            customer_id = _rid(item, "id")
            if customer_id.isdigit():  # else the customers stream sets it aside
                await self._add_policies(page, customer_id, carriers, today)

    async def _add_notes(self, page: PulledPage) -> None:
        if self._deferred:
            return  # the sync reads them per lead, after every listing (NOTES_JOB)
        leads = [r for r in page.records if r.kind is RecordKind.LEAD]
        for lead in leads:
            await self._add_lead_notes(page, lead.provenance.remote_id)

    async def _add_lead_notes(self, page: PulledPage, lead_id: str) -> None:
        try:
            notes = await self.client.lead_notes(lead_id)
        except errors.BadPayload as exc:
            page.unreadable.append(Unreadable(f"lead:{lead_id}:notes", "", exc.reason))
            return
        for item in notes:
            add(
                page,
                item,
                partial(_note, account=self.account, lead_id=lead_id),
                fallback_id=f"lead:{lead_id}:note",
                link=(RecordKind.LEAD, lead_id),
            )

    async def _fetch_threads(self, _run: Run, part: int, page_number: Any) -> Fetched:
        """The email list, then the text list (500 a page, L1628), in full every run: threads
        come and go, and the lists' ``lastDateUTC`` filter is documented only as "last date"
        (L1662)."""
        body = {
            "page": page_number,
            "pageSize": MAX_PAGE["threads"],
            "isIncludeEmptyThreads": True,
        }
        found = await self.client.search_threads(THREAD_CHANNELS[part], body)
        return Fetched(found.items, keys=_ids(found.items, "threadId"))

    def _fill_threads(self, run: Run) -> Callable[[PulledPage, list[Any], int], Awaitable[None]]:
        async def fill(page: PulledPage, items: list[Any], part: int) -> None:
            for item in items:
                await self._add_thread(page, item, THREAD_CHANNELS[part], run.since)

        return fill

    async def _add_thread(
        self, page: PulledPage, item: Any, channel: Literal["email", "text"], since: str | None
    ) -> None:
        thread = add(
            page, item, lambda i: m.thread_from(i, self.account, channel), id_field="threadId"
        )
        if thread is None:
            return
        assert isinstance(thread, Thread)
        if self._deferred:
            return  # the sync reads them per thread, after every listing (MESSAGES_JOB)
        last = thread.last_message_at
        if since and last is not None and last.date().isoformat() < since:
            return
        await self._add_messages(page, channel, str(item["threadId"]))

    async def _add_messages(
        self, page: PulledPage, channel: Literal["email", "text"], thread_id: str
    ) -> None:
        thread_remote_id = m.thread_remote_id(channel, thread_id)
        pager = PageNumberPaginator(self.vendor, page_size=MAX_PAGE["threads"])
        while True:
            found = await self.client.thread_messages(
                channel, thread_id, pager.page, pager.page_size
            )
            for message in found.items:
                add(
                    page,
                    message,
                    lambda i: m.message_from(i, self.account, channel, thread_id),
                    fallback_id=f"{channel}:{thread_id}:message",
                    link=(RecordKind.THREAD, thread_remote_id),
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
                add(
                    page,
                    policy,
                    read,
                    fallback_id=f"{customer_id}:policy",
                    link=(RecordKind.CUSTOMER, customer_id),
                )


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


def _legacy_bookmark(state: dict[str, Any]) -> Bookmark:
    """A bookmark of the hand-written paging this connector had before its streams were
    declared, read once: a listing stopped at ``page`` (with its ``mode``, ``filter``,
    ``since_next`` and ``full_at``), a threads run stopped at ``channel``/``page``, or a
    finished run's ``since`` and ``full_at``."""
    since, full_at = state.get("since"), state.get("full_at")
    if "page" in state and "channel" in state:
        run = Run(
            full=True,
            since=since,
            next_since=state.get("since_next"),
            full_at=None,
            position=Position(part=int(state["channel"]), page=int(state["page"])),
            resumed=True,
        )
        return Bookmark(since=since, run=run)
    if "page" in state:
        run = Run(
            full=state.get("mode") == "full",
            since=state.get("filter"),
            next_since=state.get("since_next"),
            full_at=full_at,
            position=Position(page=int(state["page"])),
            resumed=True,
        )
        return Bookmark(since=state.get("filter"), full_at=full_at, run=run)
    return Bookmark(since=since, full_at=full_at)


def create_connector(
    account: str,
    base_url: str,
    secrets: dict[str, str],
    http: httpx.AsyncClient,
    limiter: AccountLimiter,
) -> AgencyZoomConnector:
    """``secrets``: the account's settings and secrets. ``login_method`` (the catalog's
    non-secret setting): "password" (L141) or "sso" (L188) with username + password, or "v4sso"
    with the ``jwt`` its code flow gave (L266; without one, or once it expires, the user signs in
    again in the account form). Older accounts: ``method``, or a lone ``jwt``. ``api_token`` for
    creating policies."""
    chosen = secrets.get("login_method") or secrets.get("method") or ""
    if chosen == "v4sso":
        method = "token" if secrets.get("jwt") else "v4sso"
    elif chosen:
        method = chosen
    else:
        method = "token" if secrets.get("jwt") and not secrets.get("password") else "password"
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
