"""Lofty as a ``Connector``: what to pull and how far each stream got (calls and document lines in
``client.py``, payloads in ``mapping.py``, sending changes in ``push.py``).

Every call counts against ten a minute without a vendorKey (L43), so each stream reads the least
the document allows:
- ``leads``: ``/v1.0/leads/updateTime`` since the last run (L945), 100 a page (L981); a full
  listing every ``full_scan_every`` notices leads moved to the trash (they vanish from searches).
- ``notes`` and ``tasks``: only per lead (L1734, L1917; no agency-wide list), one call a lead.
  A lead's update time is not documented to move with its notes or tasks, so reading the leads
  updated since would cost a call a lead for nothing certain: runs read the leads created since
  the last run (``/v1.0/leads/createTime``, L826), and every lead every ``full_scan_every``.
  Notes and tasks made in AgencyDesk come back from the push itself.
- ``threads``: the agency's call, email and text history and hand-logged entries, 1000 a call,
  keyset-paged by ``currentId`` (L205): each run reads only events newer than the last seen.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx

from agencydesk.domain import Record, RecordKind
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.paging import OffsetPaginator
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.client_kit.values import as_str
from agencydesk.vendors.connector import (
    PayloadNotReadable,
    PulledPage,
    PushRequest,
    Stream,
    Unreadable,
)
from agencydesk.vendors.lofty import mapping as m
from agencydesk.vendors.lofty.capabilities import CAPABILITIES
from agencydesk.vendors.lofty.client import LoftyClient
from agencydesk.vendors.lofty.history import pull_history
from agencydesk.vendors.lofty.push import LoftyPusher
from agencydesk.vendors.lofty.reconcile import LoftyWriteCheck
from agencydesk.vendors.value_maps import ValueMap

STREAMS = [
    Stream("leads", RecordKind.LEAD, incremental=True),
    Stream("notes", RecordKind.NOTE, incremental=True),
    Stream("tasks", RecordKind.TASK, incremental=True),
    Stream("threads", RecordKind.THREAD, incremental=True),
]
UTC_MINUS_7 = timezone(timedelta(hours=-7))  # lead times are "parsed … as UCT-7" (L857, L976)
LEADS_PER_PAGE = 20  # per-lead reads stored (and bookmarked) in steps of this many leads
Clock = Callable[[], datetime]
PerLead = Callable[[str], Awaitable[list[Any]]]
Reader = Callable[[dict[str, Any], str], tuple[Record, m.Link]]


class LoftyConnector:
    vendor = "lofty"
    capabilities = CAPABILITIES

    def __init__(
        self,
        account: str,
        client: LoftyClient,
        *,
        full_scan_every: timedelta = timedelta(hours=24),
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self.account = account
        self.client = client
        self.full_scan_every = full_scan_every
        self._clock = clock
        self.meanings = ValueMap()  # the user's mapping of the team's stages (account settings)
        self._pusher = LoftyPusher(account, client, self)
        self._checks = LoftyWriteCheck(account, client, self)

    def _lead_of(self, item: dict[str, Any]) -> tuple[Record, None]:
        return m.lead_from(item, self.account, self.meanings), None

    def streams(self) -> list[Stream]:
        return list(STREAMS)

    async def check(self) -> str:
        me = await self.client.me()
        name = f"{as_str(me.get('firstName'))} {as_str(me.get('lastName'))}".strip()
        return f"Signed in as {name or as_str(me.get('email')) or 'your Lofty user'}"

    async def aclose(self) -> None:
        """Nothing to release: the httpx client is shared and the token may serve again."""

    async def push(self, request: PushRequest) -> Record | None:
        return await self._pusher.push(request)

    async def read_back(self, kind: RecordKind, remote_id: str) -> Record | None:
        return await self._checks.read_back(kind, remote_id)  # reconcile.py

    async def find_created(self, request: PushRequest) -> list[Record]:
        return await self._checks.find_created(request)

    def read_payload(self, kind: RecordKind, raw: dict[str, Any]) -> Record:
        """A stored payload as a record ("theirs" in a conflict): a lead (LeadResponse, read
        one at a time by GET /v1.0/leads/{leadId}, L1032), a note (L1766) or a task (L1944);
        each is what an update reads before it is sent."""
        try:
            if kind is RecordKind.LEAD:
                return m.lead_from(raw, self.account, self.meanings)
            if kind is RecordKind.NOTE:
                return m.note_from(raw, self.account)[0]
            if kind is RecordKind.TASK:
                return m.task_from(raw, self.account)[0]
        except FieldUnreadable as exc:
            raise PayloadNotReadable(f"Lofty {kind}: {exc}") from exc
        raise PayloadNotReadable(f"Lofty {kind} payloads are not read back on their own")

    async def confirm_deleted(self, kind: RecordKind, remote_ids: list[str]) -> list[str]:
        """A lead missing from a full listing is gone when its detail is not found (trashed
        leads are found only ``withTrash``, L1042)."""
        if kind is not RecordKind.LEAD:
            return list(remote_ids)
        gone = []
        for remote_id in remote_ids:
            try:
                await self.client.lead(remote_id, fg=False)
            except errors.NotFound:
                gone.append(remote_id)
        return gone

    def pull(self, stream: Stream, bookmark: str | None) -> AsyncIterator[PulledPage]:
        state: dict[str, Any] = json.loads(bookmark) if bookmark else {}
        if stream.name == "leads":
            return self._pull_leads(state)
        if stream.name == "notes":
            return self._per_lead(state, self.client.notes, m.note_from, "noteId")
        if stream.name == "tasks":
            return self._per_lead(state, self.client.tasks, m.task_from, "id")
        if stream.name == "threads":
            return pull_history(self.client, self.account, state)
        raise ValueError(f"Lofty has no stream {stream.name!r}")

    # -- runs ----------------------------------------------------------------------------------
    def _new_run(self, state: dict[str, Any]) -> dict[str, Any]:
        now = self._clock()
        full_at = state.get("full_at")
        full = not state.get("since") or (
            not full_at or now - datetime.fromisoformat(full_at) >= self.full_scan_every
        )
        return {
            "full": full,
            "since": None if full else state["since"],
            "full_at": now.isoformat() if full else full_at,
            # The next run starts a little before this one did: clocks and the vendor's
            # update stamps are not ours to trust to the second.
            "next_since": (now - timedelta(minutes=10)).isoformat(),
            "offset": 0,
        }

    def _done(self, run: dict[str, Any]) -> str:
        return json.dumps({"since": run["next_since"], "full_at": run["full_at"]})

    async def _lead_pages(
        self, run: dict[str, Any], *, created: bool = False
    ) -> AsyncIterator[tuple[list[Any], bool, dict[str, Any]]]:
        """Pages of leads for ``run`` (all, or updated / ``created`` since), resuming at
        ``run["offset"]``: (leads, more to come, the run to resume from after this page)."""
        limit = self.client.lead_page
        pager = OffsetPaginator(self.vendor, limit=limit, offset=int(run["offset"]))
        since = None
        if run["since"]:
            moment = datetime.fromisoformat(run["since"]).astimezone(UTC_MINUS_7)
            since = moment.strftime("%Y-%m-%d %H:%M:%S")
        while True:
            page = await self.client.leads(
                offset=pager.offset,
                updated_since=None if created else since,
                created_since=since if created else None,
            )
            keys = [_rid(i, "leadId") for i in page.leads]
            count = len(page.leads)
            if (
                page.total is not None
                and 0 < count < pager.limit
                and pager.offset + count < page.total
            ):
                # A short page before the total: the vendor caps pages below our limit (25 is
                # reported live, digest Appendix A); go on in steps of what it gives.
                pager.limit = count
            more = pager.advance(count, total=page.total, keys=keys)
            yield page.leads, more, {**run, "offset": pager.offset}
            if not more:
                return

    async def _pull_leads(self, state: dict[str, Any]) -> AsyncIterator[PulledPage]:
        resumed = "offset" in state
        run = dict(state) if resumed else self._new_run(state)
        first = True
        async for leads, more, after in self._lead_pages(run):
            page = PulledPage()
            for item in leads:
                _add(
                    page,
                    item,
                    "leadId",
                    lambda i: (m.lead_from(i, self.account, self.meanings), None),
                )
            page.bookmark = json.dumps(after) if more else self._done(run)
            page.scan_begins = run["full"] and first and not resumed
            page.scan_ends = run["full"] and not more and not resumed
            first = False
            yield page

    async def _per_lead(
        self, state: dict[str, Any], fetch: PerLead, read: Reader, id_field: str
    ) -> AsyncIterator[PulledPage]:
        """Notes or tasks of the run's leads (all, or created since): the lead ids are listed
        first (100 a call), then read ``LEADS_PER_PAGE`` leads a page; the bookmark keeps the
        leads still to read."""
        resumed = "todo" in state
        if resumed:
            run = dict(state)
        else:
            run = self._new_run(state)
            todo: list[str] = []
            async for leads, _more, _after in self._lead_pages(run, created=True):
                todo += [_rid(i, "leadId") for i in leads if _rid(i, "leadId")]
            run["todo"] = todo
        remaining: list[str] = list(run["todo"])
        first = True
        while True:
            batch, remaining = remaining[:LEADS_PER_PAGE], remaining[LEADS_PER_PAGE:]
            page = PulledPage()
            for lead_id in batch:
                try:
                    items = await fetch(lead_id)
                except errors.NotFound:
                    continue  # trashed since the listing: the leads stream tells
                except errors.BadPayload as exc:
                    page.unreadable.append(Unreadable(f"lead:{lead_id}", "", exc.reason))
                    continue
                for item in items:
                    _add(page, item, id_field, lambda i: read(i, self.account))
            page.bookmark = json.dumps({**run, "todo": remaining}) if remaining else None
            if not remaining:
                page.bookmark = self._done(run)
            page.scan_begins = run["full"] and first and not resumed
            page.scan_ends = run["full"] and not remaining and not resumed
            first = False
            yield page
            if not remaining:
                return


def _add(
    page: PulledPage,
    item: Any,
    id_field: str,
    read: Callable[[dict[str, Any]], tuple[Record, m.Link | None]],
) -> None:
    try:
        if not isinstance(item, dict):
            raise FieldUnreadable("record: not an object")
        record, link = read(item)
    except FieldUnreadable as exc:
        page.unreadable.append(Unreadable(_rid(item, id_field), _text(item), str(exc)))
        return
    if link is not None:
        page.links[len(page.records)] = link
    page.records.append(record)


def _rid(item: Any, key: str) -> str:
    return str(item.get(key, "") or "") if isinstance(item, dict) else ""


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
) -> LoftyConnector:
    """``secrets``: ``token`` (OAuth access token), optional ``vendor_key`` (L43) and optional
    ``api_key`` (the old API key, used to get a new token when the token is refused); the
    account's settings, among them the user's stage mapping (``value_maps.SETTING``)."""
    client = LoftyClient(
        base_url,
        http,
        limiter,
        token=secrets.get("token", ""),
        vendor_key=secrets.get("vendor_key", ""),
        api_key=secrets.get("api_key", ""),
    )
    connector = LoftyConnector(account, client)
    connector.meanings = ValueMap.from_settings(secrets)
    return connector
