"""AgencyBloc AMS+ as a ``Connector``: one ``policies`` stream and policy create/update
(calls and document lines in ``client.py``; payloads in ``mapping.py``).

Pulling, cheapest the document allows: the search has no paging but ``limit=0`` returns every
policy in one call (L90), which also tells which policies are gone (the ids seen last time are
kept in the bookmark). ``updatedDTM`` (L87, "modified on or after", a day) names the policies to
read in detail since the last run; search rows lack premium, agent and holder (L106), so each of
those costs one detail call (L108). A full re-read of every detail happens every
``full_scan_every``; the bookmark stores what is left to read so a stopped run resumes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from agencydesk.domain import Record, RecordKind
from agencydesk.vendors.agencybloc import mapping as m
from agencydesk.vendors.agencybloc.capabilities import CAPABILITIES
from agencydesk.vendors.agencybloc.client import AgencyBlocClient
from agencydesk.vendors.agencybloc.push import AgencyBlocPusher
from agencydesk.vendors.agencybloc.reconcile import AgencyBlocWriteCheck
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.bookmarks import Bookmark, Position, Run
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.streams import StreamRunner, text
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.client_kit.values import need_id
from agencydesk.vendors.connector import (
    BookmarkType,
    Paging,
    PayloadNotReadable,
    PulledPage,
    PushRequest,
    Stream,
    Unreadable,
)
from agencydesk.vendors.value_maps import ValueMap

DETAILS_PER_PAGE = 25  # details read (and stored) per page: small steps for the bookmark
STREAMS = [
    Stream(
        "policies",
        RecordKind.POLICY,
        incremental=True,
        paging=Paging.ID_BATCHES,
        bookmark=BookmarkType.DAY,
        full_scan_every=timedelta(days=7),
        page_size=DETAILS_PER_PAGE,
        # Days are AgencyBloc's, zone unstated (L87): the next run re-reads the day before too.
        lookback=timedelta(days=1),
    )
]
VENDOR_DAY = "%m/%d/%Y"  # updatedDTM's form (L87)
Clock = Callable[[], datetime]


class AgencyBlocConnector:
    vendor = "agencybloc"
    capabilities = CAPABILITIES

    def __init__(
        self,
        account: str,
        client: AgencyBlocClient,
        *,
        full_scan_every: timedelta = timedelta(days=7),
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self.account = account
        self.client = client
        self.full_scan_every = full_scan_every
        self._clock = clock
        self.dropdowns = m.Dropdowns()  # learnt while pulling, used when pushing
        self._pusher = AgencyBlocPusher(account, client, self.dropdowns)
        self._checks = AgencyBlocWriteCheck(account, client)

    def streams(self) -> list[Stream]:
        return list(STREAMS)

    async def check(self) -> str:
        """One search of one policy: sid/key are refused with a 401 otherwise."""
        await self.client.search(limit=1, fg=True)
        return f"Signed in to AgencyBloc AMS+ (site {self.client.sid})"

    async def aclose(self) -> None:
        """Nothing to release: no session, and the httpx client is shared."""

    # -- pulling -------------------------------------------------------------------------------
    def pull(self, stream: Stream, bookmark: str | None) -> AsyncIterator[PulledPage]:
        if stream.name != "policies":
            raise ValueError(f"AgencyBloc has no stream {stream.name!r}")
        declared = replace(STREAMS[0], full_scan_every=self.full_scan_every)
        runner = StreamRunner(self.vendor, declared, clock=self._clock, legacy=_legacy_bookmark)
        return runner.batches(
            runner.start(bookmark), self._plan, self._read_details, size=DETAILS_PER_PAGE
        )

    async def _plan(self, run: Run, page: PulledPage) -> list[str]:
        """List every policy (one call), note deletions, and choose which details to read.
        ``run.carry`` keeps the ids listed last time and the details to read again."""
        rows = await self.client.search(limit=0)
        listed: list[str] = []
        for row in rows:
            try:
                if not isinstance(row, dict):
                    raise FieldUnreadable("policy: not an object")
                listed.append(need_id(row, "policyID"))
                self.dropdowns.learn_row(row)
            except FieldUnreadable as exc:
                page.unreadable.append(Unreadable("", text(row), f"search row: {exc}"))
        known = set(run.carry.get("ids", []))
        if page.unreadable:  # a row we could not read may be one of the known: keep them all
            listed = sorted(set(listed) | known, key=int)
        page.deleted = [(RecordKind.POLICY, i) for i in sorted(known - set(listed), key=int)]
        if run.full or not run.since:
            todo = listed
        else:
            since = date.fromisoformat(run.since).strftime(VENDOR_DAY)
            changed = await self.client.search(updated_since=since, limit=0)
            wanted = {str(r.get("policyID")) for r in changed if isinstance(r, dict)}
            wanted |= set(listed) - known  # new since the last run
            wanted |= set(run.carry.get("retry", []))  # unreadable last time
            todo = [i for i in listed if i in wanted]
        run.carry = {"ids": sorted(listed, key=int), "retry": []}
        return todo

    async def _read_details(self, run: Run, page: PulledPage, policy_ids: list[str]) -> None:
        for policy_id in policy_ids:
            await self._read_detail(page, policy_id)
        # Details that could not be read are read again next run.
        unread = {u.remote_id for u in page.unreadable if u.remote_id}
        run.carry["retry"] = sorted(set(run.carry.get("retry", [])) | unread)

    async def _read_detail(self, page: PulledPage, policy_id: str) -> None:
        try:
            item = await self.client.detail(policy_id)
        except errors.NotFound:
            page.deleted.append((RecordKind.POLICY, policy_id))  # gone since the listing
            return
        except errors.BadPayload as exc:
            page.unreadable.append(Unreadable(policy_id, "", exc.reason))
            return
        try:
            policy = m.policy_from(item, self.account, self.dropdowns.meanings)
            holder = m.holder_from(item, self.account)
        except FieldUnreadable as exc:
            page.unreadable.append(Unreadable(policy_id, text(item), str(exc)))
            return
        self.dropdowns.learn_row(item)
        if holder is not None:
            known = {r.provenance.remote_id for r in page.records if r.kind is holder.kind}
            if holder.provenance.remote_id not in known:
                page.records.append(holder)  # before its policy: the parent is stored first
            page.links[len(page.records)] = (RecordKind.CUSTOMER, holder.provenance.remote_id)
        page.records.append(policy)

    async def confirm_deleted(self, kind: RecordKind, remote_ids: list[str]) -> list[str]:
        """A policy missing from a listing is gone when its detail answers 404."""
        gone = []
        for remote_id in remote_ids:
            try:
                await self.client.detail(remote_id)
            except errors.NotFound:
                gone.append(remote_id)
        return gone

    # -- pushing -------------------------------------------------------------------------------
    def read_payload(self, kind: RecordKind, raw: dict[str, Any]) -> Record:
        """A stored policy detail (L117-L129; one policy is read through its detailURL, L105)
        as a policy: "theirs" in a conflict. Its holder link is not in it (the caller keeps
        ours)."""
        if kind is not RecordKind.POLICY:
            raise PayloadNotReadable(f"AgencyBloc {kind} payloads are not read back on their own")
        try:
            return m.policy_from(raw, self.account, self.dropdowns.meanings)
        except FieldUnreadable as exc:
            raise PayloadNotReadable(f"AgencyBloc policy: {exc}") from exc

    async def push(self, request: PushRequest) -> Record | None:
        return await self._pusher.push(request)

    async def read_back(self, kind: RecordKind, remote_id: str) -> Record | None:
        return await self._checks.read_back(kind, remote_id)  # reconcile.py

    async def find_created(self, request: PushRequest) -> list[Record]:
        return await self._checks.find_created(request)


def _legacy_bookmark(state: dict[str, Any]) -> Bookmark:
    """A bookmark of the hand-written paging this connector had before its streams were
    declared, read once: a run stopped with its ``todo`` details left, or a finished run's
    ``since`` (AgencyBloc's mm/dd/yyyy) and ``full_at``; both keep the listed ``ids`` and the
    details to ``retry``."""
    carry = {"ids": list(state.get("ids", [])), "retry": list(state.get("retry", []))}
    if "todo" in state:
        run = Run(
            full=bool(state.get("full")),
            since=None,  # the run's details are already chosen
            next_since=_iso_day(state.get("next_since")),
            full_at=state.get("full_at"),
            position=Position(todo=tuple(str(i) for i in state["todo"])),
            resumed=True,
            carry=carry,
        )
        return Bookmark(full_at=state.get("full_at"), run=run, carry=carry)
    return Bookmark(since=_iso_day(state.get("since")), full_at=state.get("full_at"), carry=carry)


def _iso_day(vendor_day: Any) -> str | None:
    if not vendor_day:
        return None
    return datetime.strptime(str(vendor_day), VENDOR_DAY).date().isoformat()


def create_connector(
    account: str,
    base_url: str,
    secrets: dict[str, str],
    http: httpx.AsyncClient,
    limiter: AccountLimiter,
) -> AgencyBlocConnector:
    """``secrets``: ``sid`` and ``key`` (catalog ``VENDOR_INFO["agencybloc"]``), and the
    account's settings, among them the user's status mapping (``value_maps.SETTING``)."""
    client = AgencyBlocClient(
        base_url, http, limiter, sid=secrets.get("sid", ""), key=secrets.get("key", "")
    )
    connector = AgencyBlocConnector(account, client)
    connector.dropdowns.meanings = ValueMap.from_settings(secrets)
    return connector
