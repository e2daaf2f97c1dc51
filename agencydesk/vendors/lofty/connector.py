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

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx

from agencydesk.domain import Record, RecordKind
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.bookmarks import Bookmark, Position, Run
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.paging import OffsetPaginator
from agencydesk.vendors.client_kit.streams import Fetched, ReadBatch, StreamRunner, add_linked
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.client_kit.values import as_str
from agencydesk.vendors.connector import (
    BookmarkType,
    Paging,
    PayloadNotReadable,
    PulledPage,
    PushRequest,
    Stream,
    Unreadable,
)
from agencydesk.vendors.lofty import mapping as m
from agencydesk.vendors.lofty.capabilities import CAPABILITIES
from agencydesk.vendors.lofty.client import LEAD_PAGE, LoftyClient
from agencydesk.vendors.lofty.history import HISTORY_SOURCES, HistoryPages
from agencydesk.vendors.lofty.history import legacy_bookmark as legacy_history
from agencydesk.vendors.lofty.push import LoftyPusher
from agencydesk.vendors.lofty.reconcile import LoftyWriteCheck
from agencydesk.vendors.value_maps import ValueMap

LEADS_PER_PAGE = 20  # per-lead reads stored (and bookmarked) in steps of this many leads
# The next run starts a little before this one did: clocks and the vendor's update stamps are
# not ours to trust to the second.
LOOKBACK = timedelta(minutes=10)
FULL_SCAN_EVERY = timedelta(hours=24)


def _per_lead(name: str, kind: RecordKind) -> Stream:
    return Stream(
        name,
        kind,
        incremental=True,
        paging=Paging.ID_BATCHES,
        bookmark=BookmarkType.MOMENT,
        full_scan_every=FULL_SCAN_EVERY,
        page_size=LEADS_PER_PAGE,
        lookback=LOOKBACK,
    )


STREAMS = [
    Stream(
        "leads",
        RecordKind.LEAD,
        incremental=True,
        paging=Paging.OFFSET,
        bookmark=BookmarkType.MOMENT,
        full_scan_every=FULL_SCAN_EVERY,
        page_size=LEAD_PAGE,
        lookback=LOOKBACK,
    ),
    _per_lead("notes", RecordKind.NOTE),
    _per_lead("tasks", RecordKind.TASK),
    # The agency's history, one list per source (history.py), keyset-paged by ``currentId``
    # (L205) from where the last run stopped: never listed in full.
    Stream(
        "threads",
        RecordKind.THREAD,
        incremental=True,
        paging=Paging.CURSOR,
        bookmark=BookmarkType.KEYSET,
    ),
]
UTC_MINUS_7 = timezone(timedelta(hours=-7))  # lead times are "parsed … as UCT-7" (L857, L976)
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
        full_scan_every: timedelta = FULL_SCAN_EVERY,
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
        declared = {s.name: s for s in STREAMS}.get(stream.name)
        if declared is None:
            raise ValueError(f"Lofty has no stream {stream.name!r}")
        declared = replace(
            declared,
            full_scan_every=self.full_scan_every,
            page_size=self.client.lead_page if stream.name == "leads" else declared.page_size,
        )
        legacy = legacy_history if stream.name == "threads" else _legacy_bookmark
        runner = StreamRunner(self.vendor, declared, clock=self._clock, legacy=legacy)
        run = runner.start(bookmark)
        if stream.name == "leads":
            return runner.paged(run, self._fetch_leads, self._fill_leads)
        if stream.name == "threads":
            history = HistoryPages(self.client, self.account)
            return runner.paged(run, history.fetch, history.fill, parts=len(HISTORY_SOURCES))
        if stream.name == "notes":
            read = self._per_lead(self.client.notes, m.note_from, "noteId")
        else:
            read = self._per_lead(self.client.tasks, m.task_from, "id")
        return runner.batches(run, self._leads_created, read, size=LEADS_PER_PAGE)

    # -- streams (run by client_kit/streams.py) ------------------------------------------------
    async def _fetch_leads(
        self, run: Run, _part: int, offset: Any, created: bool = False
    ) -> Fetched:
        """Leads (all, or updated / ``created`` since the run's change filter) from ``offset``."""
        since = None
        if run.changed_since:
            moment = datetime.fromisoformat(run.changed_since).astimezone(UTC_MINUS_7)
            since = moment.strftime("%Y-%m-%d %H:%M:%S")
        page = await self.client.leads(
            offset=int(offset),
            updated_since=None if created else since,
            created_since=since if created else None,
        )
        keys = [_rid(i, "leadId") for i in page.leads]
        return Fetched(page.leads, total=page.total, keys=keys)

    async def _fill_leads(self, page: PulledPage, items: list[Any], _part: int) -> None:
        for item in items:
            add_linked(page, item, self._lead_of, id_field="leadId")

    async def _leads_created(self, run: Run, _page: PulledPage) -> list[str]:
        """The ids of the run's leads (all, or created since), 100 a call: a lead's update
        time is not documented to move with its notes or tasks (module docstring)."""
        ids: list[str] = []
        pager = OffsetPaginator(self.vendor, limit=self.client.lead_page)
        while True:
            found = await self._fetch_leads(run, 0, pager.offset, created=True)
            ids += [k for k in map(str, found.keys) if k]
            if not pager.advance(len(found.items), total=found.total, keys=found.keys):
                return ids

    def _per_lead(self, fetch: PerLead, read: Reader, id_field: str) -> ReadBatch:
        """Notes or tasks of a batch of leads, one call a lead (L1734, L1917)."""

        async def read_batch(_run: Run, page: PulledPage, lead_ids: list[str]) -> None:
            for lead_id in lead_ids:
                try:
                    items = await fetch(lead_id)
                except errors.NotFound:
                    continue  # trashed since the listing: the leads stream tells
                except errors.BadPayload as exc:
                    page.unreadable.append(Unreadable(f"lead:{lead_id}", "", exc.reason))
                    continue
                for item in items:
                    add_linked(page, item, lambda i: read(i, self.account), id_field=id_field)

        return read_batch


def _legacy_bookmark(state: dict[str, Any]) -> Bookmark:
    """A bookmark of the hand-written paging this connector had before its streams were
    declared, read once: a leads run stopped at ``offset``, a notes or tasks run with the
    ``todo`` leads left, or a finished run's ``since`` and ``full_at``."""
    if "offset" in state or "todo" in state:
        todo = state.get("todo")
        run = Run(
            full=bool(state.get("full")),
            since=state.get("since"),
            next_since=state.get("next_since"),
            full_at=state.get("full_at"),
            position=Position(
                page=int(state.get("offset") or 0),
                todo=None if todo is None else tuple(str(i) for i in todo),
            ),
            resumed=True,
        )
        return Bookmark(since=state.get("since"), full_at=state.get("full_at"), run=run)
    return Bookmark(since=state.get("since"), full_at=state.get("full_at"))


def _rid(item: Any, key: str) -> str:
    return str(item.get(key, "") or "") if isinstance(item, dict) else ""


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
