"""Accounts (L96-L3449) and contacts (L4422-L5162): the two list styles live here.

``GET /api/account`` pages with ``offset`` and answers ``{"total", "accounts"}`` (L102, L501);
``GET /api/contact`` pages with ``start`` and answers a bare array without a total (L4428, L4650).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.conecrm.sandbox.context import ConeContext, json_object
from agencydesk.vendors.conecrm.sandbox.responses import empty, ok
from agencydesk.vendors.conecrm.sandbox.serialize import account_json, contact_json, lead_json
from agencydesk.vendors.conecrm.sandbox.state import (
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    Audit,
    Customer,
    User,
)
from agencydesk.vendors.sandbox_kit.http import RespondWith

DEFAULT_LIMIT = 25  # not documented (assumption)
MAX_LIMIT = 100  # not documented (assumption): larger limits are cut to this
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ACCOUNT_SORTS = {"name", "dateCreated", *CUSTOMER_FIELDS}
CONTACT_SORTS = {"dateCreated", *CONTACT_FIELDS, *CUSTOMER_FIELDS}


def query_int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():  # integer(int64), never negative here
        raise RespondWith(empty(400))
    return int(raw)


def digits(text: Any) -> str:
    return re.sub(r"\D", "", str(text or ""))[-10:]


class CustomerRoutes:
    def __init__(self, ctx: ConeContext) -> None:
        self.ctx = ctx
        self.state = ctx.state

    def routes(self) -> list[Route]:
        a = self.ctx.authed
        return [
            Route("/api/account", a(self.list_accounts), methods=["GET"]),
            Route("/api/account", a(self.create_account), methods=["POST"]),
            Route("/api/account/{account}", a(self.delete_account), methods=["DELETE"]),
            Route("/api/account/{account}", a(self.update_account), methods=["PATCH"]),
            Route("/api/contact", a(self.list_contacts), methods=["GET"]),
            Route("/api/contact/phone/{phone}", a(self.contacts_by_phone), methods=["GET"]),
            Route("/api/contact/{contact}/lead/open", a(self.open_leads), methods=["GET"]),
        ]

    # -- listing ---------------------------------------------------------------------------
    def _matching(self, request: Request, rows: list[Customer], sorts: set[str]) -> list[Customer]:
        search = (request.query_params.get("search") or "").strip().casefold()
        exclude = request.query_params.get("exclude") or ""
        franchise = request.query_params.get("franchise") or ""
        sort_field = request.query_params.get("sortField") or "dateCreated"
        direction = request.query_params.get("sortDirection") or "ASC"
        if sort_field not in sorts or direction not in ("ASC", "DESC"):  # L107-L113
            raise RespondWith(empty(400))
        if franchise:  # integer(int64) in the document (L106); the UUID is accepted too
            found = self.state.find(self.state.franchises, franchise)
            if found is None and not franchise.isdigit():
                raise RespondWith(empty(400))
            franchise = found.id if found else "-"
        out = []
        for row in rows:
            if row.audit.deleted is not None or row.id == exclude:
                continue
            if franchise and row.franchise != franchise:
                continue
            if search and search not in self._haystack(row):
                continue
            out.append(row)

        def key(row: Customer) -> tuple[Any, ...]:
            if sort_field == "dateCreated":
                return (row.audit.created, row.id)
            value = row.name if sort_field == "name" else row.fields.get(sort_field)
            return (value is None, str(value or "").casefold(), row.id)

        out.sort(key=key, reverse=direction == "DESC")
        return out

    @staticmethod
    def _haystack(row: Customer) -> str:
        parts = [row.name or "", *(str(v) for v in row.fields.values() if v is not None)]
        return " ".join(parts).casefold()

    async def list_accounts(self, request: Request, _user: User) -> Response:  # L96
        offset = query_int(request, "offset", 0)
        limit = min(query_int(request, "limit", DEFAULT_LIMIT), MAX_LIMIT)
        rows = self._matching(request, list(self.state.accounts.values()), ACCOUNT_SORTS)
        page = rows[offset : offset + limit]
        faults = self.ctx.faults
        accounts = [
            account_json(self.state, a, wrong_types=faults.take_wrong_types()) for a in page
        ]
        return ok({"total": len(rows), "accounts": accounts})

    async def list_contacts(self, request: Request, _user: User) -> Response:  # L4422
        start = query_int(request, "start", 0)
        limit = min(query_int(request, "limit", DEFAULT_LIMIT), MAX_LIMIT)
        rows = self._matching(request, list(self.state.contacts.values()), CONTACT_SORTS)
        page = rows[start : start + limit]
        faults = self.ctx.faults
        return ok(
            [contact_json(self.state, c, wrong_types=faults.take_wrong_types()) for c in page]
        )

    async def contacts_by_phone(self, request: Request, _user: User) -> Response:  # L5154
        wanted = digits(request.path_params["phone"])
        if len(wanted) < 7:
            return ok([])
        phones = ("homePhone", "workPhone", "mobilePhone")
        found = [
            contact_json(self.state, c)
            for c in self.state.contacts.values()
            if c.audit.deleted is None and any(digits(c.fields.get(p)) == wanted for p in phones)
        ]
        return ok(found)

    async def open_leads(self, request: Request, _user: User) -> Response:  # L4812
        # L4818 types {contact} as integer(int64); the contact's UUID is accepted as well.
        contact = self.state.find(self.state.contacts, request.path_params["contact"])
        if contact is None:
            return empty(404)
        faults = self.ctx.faults
        leads = [
            lead_json(self.state, lead, wrong_types=faults.take_wrong_types())
            for lead in self.state.leads.values()
            if lead.contact == contact.id
            and lead.audit.deleted is None
            and lead.status == self.state.status_id("Open")
        ]
        return ok(leads)

    # -- account writes --------------------------------------------------------------------
    def _customer_fields(self, body: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
        """Validated vendor fields present in ``body``; a wrong type is the documented 400."""
        out: dict[str, Any] = {}
        for name in names:
            if name not in body:
                continue
            value = body[name]
            if name == "isActive":
                if not isinstance(value, bool):
                    raise RespondWith(empty(400))
            elif (value is not None and not isinstance(value, str)) or (
                name in ("primaryEmail", "secondaryEmail") and value and not EMAIL.match(value)
            ):
                raise RespondWith(empty(400))
            out[name] = value
        return out

    def _contact_from(self, item: Any, user: User) -> Customer:
        """An embedded Contact: an existing one by ``id``, else a new (not yet stored) contact
        from its fields; the caller stores new ones once the whole body is valid."""
        if not isinstance(item, dict):
            raise RespondWith(empty(400))
        if item.get("id"):
            contact = self.state.contacts.get(str(item["id"]))
            if contact is None or contact.audit.deleted is not None:
                raise RespondWith(empty(400))
            return contact
        now = self.ctx.clock.now()
        contact = Customer(
            id=self.state.new_id(now),
            number=self.state.new_number(),
            kind="contact",
            audit=Audit(now, user.id),
            fields={
                "isActive": True,
                **self._customer_fields(item, CUSTOMER_FIELDS + CONTACT_FIELDS),
            },
        )
        return contact

    def _apply_account(self, account: Customer, body: dict[str, Any], user: User) -> None:
        fields = self._customer_fields(body, CUSTOMER_FIELDS)
        if "name" in body and body["name"] is not None and not isinstance(body["name"], str):
            raise RespondWith(empty(400))
        if "contacts" in body and not isinstance(body["contacts"], list | None):
            raise RespondWith(empty(400))
        primary = None
        if body.get("primaryContact") is not None:
            primary = self._contact_from(body["primaryContact"], user)
        contacts = None
        if body.get("contacts") is not None:
            contacts = [self._contact_from(item, user) for item in body["contacts"]]
        # Everything is valid: only now do new contacts and the changes land (transactional).
        for contact in [*(contacts or []), *([primary] if primary else [])]:
            if contact.id not in self.state.contacts:
                contact.franchise = account.franchise
                self.state.contacts[contact.id] = contact
        account.fields.update(fields)
        if "name" in body:
            account.name = body["name"]
        if contacts is not None:
            account.contact_ids = [c.id for c in contacts]
        if primary is not None:
            account.primary_contact = primary.id
            if primary.id not in account.contact_ids:
                account.contact_ids.insert(0, primary.id)
        self.state.accounts_version += 1

    async def create_account(self, request: Request, user: User) -> Response:  # L1089
        body = await json_object(request, empty(400))
        now = self.ctx.clock.now()
        with self.state.lock:
            account = Customer(
                id=self.state.new_id(now),
                number=self.state.new_number(),
                kind="account",
                audit=Audit(now, user.id),
                fields={"isActive": True},
                franchise=next(iter(self.state.franchises)),
            )
            self._apply_account(account, body, user)
            self.state.accounts[account.id] = account
        return ok(account_json(self.state, account))  # 200, not 201 (L1974)

    def _account(self, request: Request) -> Customer:
        account = self.state.accounts.get(request.path_params["account"])
        if account is None or account.audit.deleted is not None:
            raise RespondWith(empty(404))
        return account

    async def update_account(self, request: Request, user: User) -> Response:  # L2562
        account = self._account(request)
        body = await json_object(request, empty(400))
        with self.state.lock:
            self._apply_account(account, body, user)  # a true partial update
            account.audit.touch(self.ctx.clock.now(), user.id)
        return ok(account_json(self.state, account))

    async def delete_account(self, request: Request, user: User) -> Response:  # L2044
        account = self._account(request)
        with self.state.lock:
            account.audit.deleted = self.ctx.clock.now()
            account.audit.deleted_by = user.id
            self.state.accounts_version += 1
        return empty(200)  # "Account deleted successfully", no body (L2053)
