"""LeadExec as a ``Connector``. Calls and their document lines are in ``client.py``; payload
mapping in ``mapping.py``.

One stream, ``customers``: the lead buyers ("clients"). The document has no change filter and
no single-client read, so every sync is a full scan: the whole client list in one call
(GET /v1/clients/list, L143, unpaged) plus each client's fields (L553) for its name and contact
details, one call per client. Pages of ``PAGE`` clients; the bookmark of a page in the middle is
the last client id read, so an interrupted scan resumes after it (ids ascending).

Leads cannot be listed (vendor-notes leadexec.md §8): ``find_leads`` searches every lead type by
email, phone or address (L3316) for the UI, and a found lead can be deleted through ``push``.
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
from agencydesk.vendors.client_kit.streams import StreamRunner, text
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.connector import (
    BookmarkType,
    Paging,
    PayloadNotReadable,
    PulledPage,
    PushRequest,
    Stream,
    Unreadable,
)
from agencydesk.vendors.leadexec import mapping as m
from agencydesk.vendors.leadexec.capabilities import CAPABILITIES
from agencydesk.vendors.leadexec.client import VENDOR, LeadExecClient
from agencydesk.vendors.leadexec.push import LeadExecPusher
from agencydesk.vendors.leadexec.reconcile import LeadExecWriteCheck

PAGE = 50  # clients per pulled page (each costs one fields call)
# No change filter: every run lists every client, then reads their fields PAGE at a time.
STREAMS = [
    Stream(
        "customers",
        RecordKind.CUSTOMER,
        incremental=False,
        paging=Paging.ID_BATCHES,
        bookmark=BookmarkType.NONE,
        page_size=PAGE,
    )
]


class LeadExecConnector:
    vendor = VENDOR
    capabilities = CAPABILITIES

    def __init__(
        self,
        account: str,
        client: LeadExecClient,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.account = account
        self.client = client
        self._clock = clock
        self._lead_types: list[str] | None = None
        self._rows: dict[str, Any] = {}  # this run's client list rows, by id
        self._pusher = LeadExecPusher(account, client, clock)
        self._checks = LeadExecWriteCheck(account, client)

    def streams(self) -> list[Stream]:
        return list(STREAMS)

    async def check(self) -> str:
        await self.client.auth.renew(stale=self.client.auth.current)
        count = len(await self.client.clients(fg=True))
        return f"Signed in to LeadExec as API client {self.client.client_id} ({count} lead buyers)"

    async def aclose(self) -> None:
        """Nothing to release: the httpx client is shared."""

    # -- pulling -------------------------------------------------------------------------------
    def pull(self, stream: Stream, bookmark: str | None) -> AsyncIterator[PulledPage]:
        if stream.name != "customers":
            raise ValueError(f"LeadExec has no stream '{stream.name}'")
        self._rows = {}  # each run reads the list afresh (a resumed one at its first batch)
        runner = StreamRunner(VENDOR, STREAMS[0], clock=self._clock, legacy=_legacy_bookmark)
        return runner.batches(runner.start(bookmark), self._plan, self._read_clients, size=PAGE)

    async def _plan(self, run: Run, page: PulledPage) -> list[str]:
        """Every client, ids ascending (one call); a run begun under the old bookmark goes on
        after its last client (``cursor``)."""
        ordered = sorted(await self._list_rows(), key=_order)
        after = run.position.cursor
        if after is not None:
            ordered = [r for r in ordered if _order(r) > _order({"ClientUID": after})]
        for row in ordered:
            if not _rid(row, "ClientUID"):
                await self._add_customer(page, row)  # no id: set aside with its reason
        return [_rid(r, "ClientUID") for r in ordered if _rid(r, "ClientUID")]

    async def _list_rows(self) -> list[Any]:
        rows = await self.client.clients()
        self._rows = {_rid(r, "ClientUID"): r for r in rows if _rid(r, "ClientUID")}
        return rows

    async def _read_clients(self, _run: Run, page: PulledPage, client_ids: list[str]) -> None:
        """Each client's fields (L553), one call a client. A resumed run lists the clients
        again for their rows; one no longer listed is gone (the next scan will not list it)."""
        if any(i not in self._rows for i in client_ids):
            await self._list_rows()
        for client_id in client_ids:
            row = self._rows.get(client_id)
            if row is not None:
                await self._add_customer(page, row)

    async def _add_customer(self, page: PulledPage, row: Any) -> None:
        remote_id = _rid(row, "ClientUID")
        try:
            if not isinstance(row, dict):
                raise FieldUnreadable("client: not an object")
            m.customer_from(row, [], self.account)  # the row itself first: no call if unreadable
            fields = await self.client.client_fields(remote_id)
            page.records.append(m.customer_from(row, fields, self.account))
        except errors.NotFound:
            return  # gone between the list and its fields: the next scan will not list it
        except FieldUnreadable as exc:
            page.unreadable.append(Unreadable(remote_id, text(row), str(exc)))
        except errors.BadPayload as exc:
            page.unreadable.append(Unreadable(remote_id, text(row), f"fields: {exc.reason}"))

    async def confirm_deleted(self, kind: RecordKind, remote_ids: list[str]) -> list[str]:
        """A client missing from the list is gone only if its fields answer 404 too."""
        if kind is not RecordKind.CUSTOMER:
            return list(remote_ids)
        gone: list[str] = []
        for remote_id in remote_ids:
            try:
                await self.client.client_fields(remote_id)
            except errors.NotFound:
                gone.append(remote_id)
        return gone

    async def find_leads(
        self, *, email: str = "", phone: str = "", address: str = ""
    ) -> PulledPage:
        """Leads matching every given detail, in every lead type (L4177, L3316)."""
        phone = m.national_digits(phone)  # our phones are E.164; LeadExec keeps the digits
        query = {"Email": email.strip(), "PrimaryPhone": phone, "Address": address.strip()}
        if not any(query.values()):
            raise errors.ValidationFailed(VENDOR, "give an email, phone or address to search by")
        page = PulledPage()
        for lead_type in await self._lead_type_ids():
            found = await self.client.search_leads(
                lead_type,
                email=query["Email"],
                address=query["Address"],
                phone=query["PrimaryPhone"],
            )
            for item in found:
                try:
                    if not isinstance(item, dict):
                        raise FieldUnreadable("lead: not an object")
                    page.records.append(m.lead_from_search(item, self.account, query))
                except FieldUnreadable as exc:
                    page.unreadable.append(
                        Unreadable(_rid(item, "LeadIdentifier"), text(item), str(exc))
                    )
        return page

    async def _lead_type_ids(self) -> list[str]:
        if self._lead_types is None:
            types = await self.client.lead_types(fg=True)
            self._lead_types = [
                _rid(t, "LeadTypeUID") for t in types if _rid(t, "LeadTypeUID").isdigit()
            ]
        return self._lead_types

    # -- pushing: push.py ------------------------------------------------------------------------
    def read_payload(self, kind: RecordKind, raw: dict[str, Any]) -> Record:
        """A stored client (its list row plus its fields, L143 and L553, as the push reads
        them) as a customer: "theirs" in a conflict. Leads are only searched and deleted."""
        if kind is not RecordKind.CUSTOMER:
            raise PayloadNotReadable(f"LeadExec {kind} payloads are not read back on their own")
        row = {k: v for k, v in raw.items() if k != m.FIELDS_KEY}
        fields = raw.get(m.FIELDS_KEY)
        try:
            if not isinstance(fields, list):
                raise FieldUnreadable(f"{m.FIELDS_KEY}: the client's fields are missing")
            return m.customer_from(row, fields, self.account)
        except FieldUnreadable as exc:
            raise PayloadNotReadable(f"LeadExec client: {exc}") from exc

    async def push(self, request: PushRequest) -> Record | None:
        return await self._pusher.push(request)

    async def read_back(self, kind: RecordKind, remote_id: str) -> Record | None:
        return await self._checks.read_back(kind, remote_id)  # reconcile.py

    async def find_created(self, request: PushRequest) -> list[Record]:
        return await self._checks.find_created(request)


def _order(row: Any) -> tuple[int, int, str]:
    rid = _rid(row, "ClientUID")
    return (0, int(rid), "") if rid.isdigit() else (1, 0, rid)


def _rid(item: Any, key: str) -> str:
    return str(item.get(key, "")).strip() if isinstance(item, dict) else ""


def _legacy_bookmark(state: dict[str, Any]) -> Bookmark:
    """A bookmark of the hand-written paging this connector had before its streams were
    declared, read once: a scan stopped ``after`` a client goes on after it; a finished one
    (``done``) starts the next scan."""
    if "after" in state:
        after = str(state["after"])
        run = Run(True, None, None, None, position=Position(cursor=after), resumed=True)
        return Bookmark(run=run)
    return Bookmark()


def create_connector(
    account: str,
    base_url: str,
    secrets: dict[str, str],
    http: httpx.AsyncClient,
    limiter: AccountLimiter,
) -> LeadExecConnector:
    """``secrets``: ``client_id`` and ``client_secret`` (catalog credential fields)."""
    client = LeadExecClient(
        base_url,
        http,
        limiter,
        client_id=secrets.get("client_id", ""),
        client_secret=secrets.get("client_secret", ""),
    )
    return LeadExecConnector(account, client)
