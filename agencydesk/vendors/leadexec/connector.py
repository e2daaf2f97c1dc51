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

import json
import re
import secrets as secrets_module
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from agencydesk.domain import Customer, Record, RecordKind
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.connector import PulledPage, PushRequest, Stream, Unreadable
from agencydesk.vendors.leadexec import mapping as m
from agencydesk.vendors.leadexec.capabilities import CAPABILITIES
from agencydesk.vendors.leadexec.client import VENDOR, LeadExecClient

STREAMS = [Stream("customers", RecordKind.CUSTOMER, incremental=False)]
PAGE = 50  # clients per pulled page (each costs one fields call)


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
        self._definitions: list[Any] | None = None
        self._lead_types: list[str] | None = None

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
        state: dict[str, Any] = json.loads(bookmark) if bookmark else {}
        return self._pull_customers(state.get("after"))

    async def _pull_customers(self, after: str | None) -> AsyncIterator[PulledPage]:
        rows = await self.client.clients()
        ordered = sorted(rows, key=_order)
        if after is not None:
            ordered = [r for r in ordered if _order(r) > _order({"ClientUID": after})]
        chunks = [ordered[i : i + PAGE] for i in range(0, len(ordered), PAGE)] or [[]]
        for index, chunk in enumerate(chunks):
            page = PulledPage()
            for row in chunk:
                await self._add_customer(page, row)
            last = index == len(chunks) - 1
            page.scan_begins = index == 0 and after is None
            page.scan_ends = last
            page.bookmark = json.dumps(
                {"done": self._clock().isoformat()}
                if last
                else {"after": _rid(chunk[-1], "ClientUID")}
            )
            yield page

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
            page.unreadable.append(Unreadable(remote_id, _text(row), str(exc)))
        except errors.BadPayload as exc:
            page.unreadable.append(Unreadable(remote_id, _text(row), f"fields: {exc.reason}"))

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
        query = {"Email": email.strip(), "PrimaryPhone": phone.strip(), "Address": address.strip()}
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
                        Unreadable(_rid(item, "LeadIdentifier"), _text(item), str(exc))
                    )
        return page

    async def _lead_type_ids(self) -> list[str]:
        if self._lead_types is None:
            types = await self.client.lead_types(fg=True)
            self._lead_types = [
                _rid(t, "LeadTypeUID") for t in types if _rid(t, "LeadTypeUID").isdigit()
            ]
        return self._lead_types

    async def _field_definitions(self) -> list[Any]:
        if self._definitions is None:
            self._definitions = await self.client.field_definitions()
        return self._definitions

    # -- pushing -------------------------------------------------------------------------------
    async def push(self, request: PushRequest) -> Record | None:
        key = (request.kind, request.op)
        if key == (RecordKind.CUSTOMER, "update"):
            return await self._update_customer(request)
        if key == (RecordKind.CUSTOMER, "create"):
            return await self._create_customer(request)
        if key == (RecordKind.LEAD, "delete"):
            await self.client.delete_lead(request.remote_id)
            return None
        why = CAPABILITIES[request.kind].why_not or f"LeadExec's API cannot {request.op} this"
        raise errors.ValidationFailed(VENDOR, why, status=None)

    async def _current(self, remote_id: str) -> tuple[dict[str, Any], list[Any]]:
        """The client as LeadExec has it now: its list row (there is no single-client read)
        and its fields."""
        row = next(
            (r for r in await self.client.clients(fg=True) if _rid(r, "ClientUID") == remote_id),
            None,
        )
        if not isinstance(row, dict):
            raise errors.NotFound(VENDOR, f"client {remote_id} is no longer in LeadExec")
        return row, await self.client.client_fields(remote_id, fg=True)

    async def _update_customer(self, r: PushRequest) -> Record:
        extra = sorted(set(r.changes) - set(m.CUSTOMER_BITS))
        if extra:
            raise errors.ValidationFailed(
                VENDOR,
                f"LeadExec's API cannot change {', '.join(extra)} of a client",
                field_errors={f: "cannot be changed through LeadExec's API" for f in extra},
                status=None,
            )
        row, fields = await self._current(r.remote_id)
        changed = _differences(r.base, row, fields)
        if changed:
            raise errors.Conflict(
                VENDOR,
                f"client {r.remote_id} changed in LeadExec since it was read "
                f"({', '.join(changed)})",
                theirs={**row, m.FIELDS_KEY: fields},
            )
        try:
            info = m.info_from_row(row)
        except FieldUnreadable as exc:
            raise errors.BadPayload(VENDOR, r.remote_id, str(exc)) from exc
        data = m.field_data(fields, r.changes, await self._field_definitions())
        await self.client.save_client({"Info": info, "FieldData": data})
        return m.customer_from(
            row, await self.client.client_fields(r.remote_id, fg=True), self.account
        )

    async def _create_customer(self, r: PushRequest) -> Record:
        customer = r.record
        assert isinstance(customer, Customer)
        values = {ours: getattr(customer, ours) for ours in m.CUSTOMER_BITS}
        definitions = await self._field_definitions()
        data = m.field_data([], {k: v for k, v in values.items() if v}, definitions)
        missing = m.missing_required(data, definitions)
        if missing:
            ours = {bit: name for name, bit in m.CUSTOMER_BITS.items()}
            raise errors.ValidationFailed(
                VENDOR,
                f"LeadExec needs {', '.join(missing)} for a new client",
                field_errors={ours.get(d, d): "required by LeadExec" for d in missing},
            )
        username = await self._free_username(customer)
        # A portal password is required for a new client (L83); the buyer resets it in LeadExec.
        password = secrets_module.token_urlsafe(12)
        info = m.new_client_info(username, password, self._clock())
        new_id = await self.client.save_client({"Info": info, "FieldData": data})
        row, fields = await self._current(new_id)
        return m.customer_from(row, fields, self.account)

    async def _free_username(self, customer: Customer) -> str:
        """A portal username not in use (L82: unique for a new client; check L834)."""
        seed = customer.email.split("@")[0] or customer.business_name or customer.display_name
        base = re.sub(r"[^a-z0-9]", "", seed.lower())[:24] or "buyer"
        for n in range(20):
            candidate = base if n == 0 else f"{base}{n + 1}"
            if not await self.client.username_in_use(candidate):
                return candidate
        raise errors.ValidationFailed(VENDOR, f"no free portal username like '{base}'")


def _differences(base: dict[str, Any], row: dict[str, Any], fields: list[Any]) -> list[str]:
    """Names of what LeadExec changed since ``base`` was read: list-row properties and field
    values (PastValues move with every change and are not compared)."""
    changed = sorted(k for k in base if k != m.FIELDS_KEY and k in row and base[k] != row[k])
    before = _values_by_uid(base.get(m.FIELDS_KEY))
    for uid, (name, value) in _values_by_uid(fields).items():
        if uid in before and before[uid][1] != value:
            changed.append(name)
    return changed


def _values_by_uid(fields: Any) -> dict[str, tuple[str, str]]:
    if not isinstance(fields, list):
        return {}
    return {
        str(f.get("ClientFieldUID")): (
            str(f.get("Descriptor") or ""),
            str(f.get("FieldValue") or ""),
        )
        for f in fields
        if isinstance(f, dict)
    }


def _order(row: Any) -> tuple[int, int, str]:
    rid = _rid(row, "ClientUID")
    return (0, int(rid), "") if rid.isdigit() else (1, 0, rid)


def _rid(item: Any, key: str) -> str:
    return str(item.get(key, "")).strip() if isinstance(item, dict) else ""


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
