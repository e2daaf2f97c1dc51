"""ConeCRM as a ``Connector``. Calls and document lines are in ``client.py``; mapping in
``mapping.py``.

Streams (the document has no change filter, so each is a full scan that notices deletions):
- ``customers``: every contact (``start``/``limit``, L4422) then every account (``offset``/
  ``limit``, L96); a bookmark in the middle says which list and where, so a scan resumes.
- ``leads``: one query-builder filter call (L8581) with an empty rule group: every lead. Names
  of stages (L9307) and of statuses/sources (lead filter options, L6453) are looked up once.

Tasks cannot be listed (no GET, vendor-notes §8): those made here are created, changed (the
PATCH replaces the whole task, L10906, so the body is the stored payload plus the edit) and
deleted. A task needs an assignee user id, which no endpoint lists: the account's ``user_id``
setting, else the JWT's standard ``sub`` claim.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from agencydesk.domain import Record, RecordKind
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.bookmarks import Bookmark, Position, Run
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.streams import Fetched, StreamRunner, text
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.conecrm import client as cone_client
from agencydesk.vendors.conecrm import mapping as m
from agencydesk.vendors.conecrm.capabilities import CAPABILITIES
from agencydesk.vendors.conecrm.client import PASTE_NEW, VENDOR, ConeCrmClient
from agencydesk.vendors.conecrm.push import ConePusher
from agencydesk.vendors.conecrm.reconcile import ConeCrmWriteCheck
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

PEOPLE_LISTS = ("contacts", "accounts")  # the customers stream's two lists, in this order
STREAMS = [
    # Offsets (contacts' ``start``, accounts' ``offset``); the paginator's page size is 1: only
    # an empty page or the accounts' ``total`` ends a list, since a vendor-side cap below PAGE
    # must not look like the last page (the document states no maximum, L103, L4646).
    Stream(
        "customers",
        RecordKind.CUSTOMER,
        incremental=False,
        paging=Paging.OFFSET,
        bookmark=BookmarkType.NONE,
        page_size=1,
    ),
    Stream("leads", RecordKind.LEAD, incremental=False, paging=Paging.WHOLE),
]


class ConeCrmConnector:
    vendor = VENDOR
    capabilities = CAPABILITIES

    def __init__(
        self,
        account: str,
        client: ConeCrmClient,
        *,
        user_id: str = "",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.account = account
        self.client = client
        self.user_id = user_id or str(client.token_claims.get("sub") or "")
        self._clock = clock
        self.contacts: dict[str, dict[str, Any]] = {}
        self.accounts: dict[str, dict[str, Any]] = {}
        self._lookups: m.Lookups | None = None
        self.meanings = ValueMap()  # the user's mapping of the account's lead statuses
        self._people_complete = False  # contacts and accounts read from start to end
        self._pusher = ConePusher(self)
        self._checks = ConeCrmWriteCheck(account, client)

    def streams(self) -> list[Stream]:
        return list(STREAMS)

    async def check(self) -> str:
        claims = self.client.token_claims
        if self.client.token_expired(self._clock()):
            raise errors.AuthenticationFailed(VENDOR, f"the API token has expired: {PASTE_NEW}")
        await self.client.accounts_page(0, 1)
        who = claims.get("username") or claims.get("sub") or "the token's user"
        exp = claims.get("exp")
        until = ""
        if isinstance(exp, int | float) and not isinstance(exp, bool):
            until = f" (token valid until {datetime.fromtimestamp(exp, UTC):%Y-%m-%d})"
        return f"Signed in to ConeCRM as {who}{until}"

    async def aclose(self) -> None:
        """Nothing to release: the httpx client is shared."""

    # -- pulling -------------------------------------------------------------------------------
    def pull(self, stream: Stream, bookmark: str | None) -> AsyncIterator[PulledPage]:
        declared = {s.name: s for s in STREAMS}.get(stream.name)
        if declared is None:
            raise ValueError(f"ConeCRM has no stream '{stream.name}'")
        runner = StreamRunner(VENDOR, declared, clock=self._clock, legacy=_legacy_bookmark)
        run = runner.start(bookmark)
        if stream.name == "customers":
            return self._pull_customers(runner, run)
        return runner.whole(run, self._read_leads)

    def _people(self, bookmark: str | None = None) -> AsyncIterator[PulledPage]:
        runner = StreamRunner(VENDOR, STREAMS[0], clock=self._clock, legacy=_legacy_bookmark)
        return self._pull_customers(runner, runner.start(bookmark))

    async def _pull_customers(self, runner: StreamRunner, run: Run) -> AsyncIterator[PulledPage]:
        """Every contact (``start``/``limit``, L4422), then every account (``offset``/``limit``,
        L96)."""
        async for page in runner.paged(run, self._fetch_people, self._fill_people, parts=2):
            if page.scan_ends and not run.resumed:
                self._people_complete = True
            yield page

    async def _fetch_people(self, _run: Run, part: int, offset: Any) -> Fetched:
        size = cone_client.PAGE  # asked for; a smaller answer is not the end (STREAMS)
        if PEOPLE_LISTS[part] == "contacts":
            items = await self.client.contacts_page(int(offset), size)
            return Fetched(items, keys=_ids(items))  # no total (L4646): to an empty page
        items, total = await self.client.accounts_page(int(offset), size)
        return Fetched(items, total=total, keys=_ids(items))

    async def _fill_people(self, page: PulledPage, items: list[Any], part: int) -> None:
        name = PEOPLE_LISTS[part]
        read = m.contact_from if name == "contacts" else m.account_from
        cache = self.contacts if name == "contacts" else self.accounts
        for item in items:
            try:
                if not isinstance(item, dict):
                    raise FieldUnreadable("record: not an object")
                record = read(item, self.account)
            except FieldUnreadable as exc:
                # Set aside under the id the record gets ("contact:…", "account:…"), so the
                # listing that reads it correctly later takes it off the set-aside list.
                uid = _rid(item)
                remote_id = f"{name[:-1]}:{uid}" if uid else ""
                page.unreadable.append(Unreadable(remote_id, text(item), str(exc)))
                continue
            cache[record.provenance.remote_id.partition(":")[2]] = item
            page.records.append(record)

    async def names(self) -> m.Lookups:
        if self._lookups is None:
            names = m.Lookups(meanings=self.meanings)
            for stage in await self.client.stages():
                if isinstance(stage, dict) and isinstance(stage.get("id"), str):
                    names.stages[stage["id"]] = str(stage.get("name") or "")
            try:
                filters = await self.client.entity_filters("lead")
            except (errors.NotFound, errors.BadPayload):
                filters = []  # entity names are not listed in the document (vendor-notes §7.13)
            for spec in filters:
                if isinstance(spec, dict) and spec.get("field") in ("status", "source"):
                    table = names.statuses if spec["field"] == "status" else names.sources
                    for option in spec.get("options") or []:
                        if isinstance(option, dict) and option.get("value"):
                            table[str(option["value"])] = str(option.get("label") or "")
            self._lookups = names
        self._lookups.contacts, self._lookups.accounts = self.contacts, self.accounts
        return self._lookups

    async def _read_leads(self, _run: Run, page: PulledPage) -> None:
        """One query-builder filter call (L8581) with an empty rule group: every lead."""
        if not self._people_complete:  # a resumed or no customers scan: names would be missing
            async for _page in self._people():
                pass  # the people behind the leads
        names = await self.names()
        for item in await self.client.filter("lead", []):
            try:
                if not isinstance(item, dict):
                    raise FieldUnreadable("lead: not an object")
                lead = m.lead_from(item, self.account, names)
            except FieldUnreadable as exc:
                page.unreadable.append(Unreadable(_rid(item), text(item), str(exc)))
                continue
            page.records.append(lead)

    async def confirm_deleted(self, kind: RecordKind, remote_ids: list[str]) -> list[str]:
        """Nothing can be read by id: a record missing from a complete listing is gone."""
        return list(remote_ids)

    # -- pushing: push.py ------------------------------------------------------------------------
    def read_payload(self, kind: RecordKind, raw: dict[str, Any]) -> Record:
        """A stored Account (L12018) or Contact (L12529) as a customer: "theirs" in a conflict.
        No endpoint reads one of them by id; the push finds an account by searching (L104),
        and contacts are read-only (no edit of one is sent, so none conflicts)."""
        if kind is not RecordKind.CUSTOMER:
            raise PayloadNotReadable(f"ConeCRM {kind} payloads are not read back on their own")
        contact = "primaryContact" not in raw and ("firstName" in raw or "accounts" in raw)
        try:
            return (m.contact_from if contact else m.account_from)(raw, self.account)
        except FieldUnreadable as exc:
            raise PayloadNotReadable(f"ConeCRM customer: {exc}") from exc

    async def push(self, request: PushRequest) -> Record | None:
        return await self._pusher.push(request)

    async def read_back(self, kind: RecordKind, remote_id: str) -> Record | None:
        return await self._checks.read_back(kind, remote_id)  # reconcile.py

    async def find_created(self, request: PushRequest) -> list[Record]:
        return await self._checks.find_created(request)


def _rid(item: Any) -> str:
    return str(item.get("id", "")) if isinstance(item, dict) else ""


def _ids(items: list[Any]) -> list[str]:
    return [_rid(i) for i in items]


def _legacy_bookmark(state: dict[str, Any]) -> Bookmark:
    """A bookmark of the hand-written paging this connector had before its streams were
    declared, read once: a customers scan stopped in ``part`` (contacts or accounts) at
    ``offset``; a finished scan (``done``) starts the next."""
    if "part" in state:
        at = Position(
            part=PEOPLE_LISTS.index("accounts" if state["part"] == "accounts" else "contacts"),
            page=int(state.get("offset", 0)),
        )
        return Bookmark(run=Run(True, None, None, None, position=at, resumed=True))
    return Bookmark()


def create_connector(
    account: str,
    base_url: str,
    secrets: dict[str, str],
    http: httpx.AsyncClient,
    limiter: AccountLimiter,
) -> ConeCrmConnector:
    """``secrets``: ``token`` (the pasted JWT); optional ``user_id`` (task assignee); the
    account's settings, among them the user's lead status mapping (``value_maps.SETTING``)."""
    client = ConeCrmClient(base_url, http, limiter, token=secrets.get("token", ""))
    connector = ConeCrmConnector(account, client, user_id=secrets.get("user_id", ""))
    connector.meanings = ValueMap.from_settings(secrets)
    return connector
