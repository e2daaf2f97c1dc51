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

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from agencydesk.domain import Record, RecordKind
from agencydesk.vendors.agencybloc import mapping as m
from agencydesk.vendors.agencybloc.capabilities import CAPABILITIES
from agencydesk.vendors.agencybloc.client import AgencyBlocClient
from agencydesk.vendors.agencybloc.push import AgencyBlocPusher
from agencydesk.vendors.agencybloc.reconcile import AgencyBlocWriteCheck
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.client_kit.values import need_id
from agencydesk.vendors.connector import (
    PayloadNotReadable,
    PulledPage,
    PushRequest,
    Stream,
    Unreadable,
)
from agencydesk.vendors.value_maps import ValueMap

STREAMS = [Stream("policies", RecordKind.POLICY, incremental=True)]
DETAILS_PER_PAGE = 25  # details read (and stored) per page: small steps for the bookmark
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
        return self._pull_policies(json.loads(bookmark) if bookmark else {})

    async def _pull_policies(self, state: dict[str, Any]) -> AsyncIterator[PulledPage]:
        resumed = "todo" in state
        first = PulledPage()
        run = dict(state) if resumed else await self._plan(state, first)
        todo: list[str] = list(run["todo"])
        full = bool(run.get("full"))
        page = first
        page.scan_begins = full and not resumed
        while True:
            batch, todo = todo[:DETAILS_PER_PAGE], todo[DETAILS_PER_PAGE:]
            for policy_id in batch:
                await self._read_detail(page, policy_id)
            # Details that could not be read are read again next run.
            unread = {u.remote_id for u in page.unreadable if u.remote_id}
            run["retry"] = sorted(set(run.get("retry", [])) | unread)
            if todo:
                page.bookmark = json.dumps({**run, "todo": todo})
            else:
                page.bookmark = json.dumps(
                    {
                        "since": run["next_since"],
                        "full_at": run["full_at"],
                        "ids": run["ids"],
                        "retry": run["retry"],
                    }
                )
                page.scan_ends = full
            yield page
            if not todo:
                return
            page = PulledPage()

    async def _plan(self, state: dict[str, Any], page: PulledPage) -> dict[str, Any]:
        """List every policy (one call), note deletions, and choose which details to read."""
        now = self._clock()
        rows = await self.client.search(limit=0)
        listed: list[str] = []
        for row in rows:
            try:
                if not isinstance(row, dict):
                    raise FieldUnreadable("policy: not an object")
                listed.append(need_id(row, "policyID"))
                self.dropdowns.learn_row(row)
            except FieldUnreadable as exc:
                page.unreadable.append(Unreadable("", _text(row), f"search row: {exc}"))
        known = set(state.get("ids", []))
        if page.unreadable:  # a row we could not read may be one of the known: keep them all
            listed = sorted(set(listed) | known, key=int)
        page.deleted = [(RecordKind.POLICY, i) for i in sorted(known - set(listed), key=int)]
        full_at = state.get("full_at")
        full = not state.get("since") or (
            not full_at or now - datetime.fromisoformat(full_at) >= self.full_scan_every
        )
        if full:
            todo = listed
        else:
            changed = await self.client.search(updated_since=state["since"], limit=0)
            wanted = {str(r.get("policyID")) for r in changed if isinstance(r, dict)}
            wanted |= set(listed) - known  # new since the last run
            wanted |= set(state.get("retry", []))  # unreadable last time
            todo = [i for i in listed if i in wanted]
        # Days are AgencyBloc's, zone unstated (L87): the next run re-reads the day before too.
        return {
            "todo": todo,
            "full": full,
            "ids": sorted(listed, key=int),
            "full_at": now.isoformat() if full else full_at,
            "next_since": (now - timedelta(days=1)).strftime("%m/%d/%Y"),
            "retry": [],
        }

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
            page.unreadable.append(Unreadable(policy_id, _text(item), str(exc)))
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
) -> AgencyBlocConnector:
    """``secrets``: ``sid`` and ``key`` (catalog ``VENDOR_INFO["agencybloc"]``), and the
    account's settings, among them the user's status mapping (``value_maps.SETTING``)."""
    client = AgencyBlocClient(
        base_url, http, limiter, sid=secrets.get("sid", ""), key=secrets.get("key", "")
    )
    connector = AgencyBlocConnector(account, client)
    connector.dropdowns.meanings = ValueMap.from_settings(secrets)
    return connector
