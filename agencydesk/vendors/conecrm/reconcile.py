"""What a change may already have done in ConeCRM (``ChecksWrites``), for an outbox entry whose
request went out but whose answer was never stored.

ConeCRM has no read of one account or contact by id (vendor-notes §8: "No GET /api/account/{id}"),
so an account is read back by listing ``GET /api/account`` (L96) until its id turns up; not
found in a complete listing means gone. A new account is looked up among the newest accounts
(``sortField=dateCreated``, ``sortDirection=DESC``, L96) and by the free-text ``search`` (L104)
with its email, then matched exactly on ``primaryEmail`` (or the name when it has no email).
Tasks have no list or read (vendor-notes §8): they cannot be read back."""

from __future__ import annotations

from typing import Any

from agencydesk.domain import Customer, Record, RecordKind
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.created_ids import real_id
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.conecrm import mapping as m
from agencydesk.vendors.conecrm.client import VENDOR, ConeCrmClient
from agencydesk.vendors.connector import CannotReadBack, PushRequest

NEWEST = 100  # the newest accounts looked at for a create that may have been made


def created_account_id(answer: Any) -> str:
    """The new account's id from POST /api/account (L1089): a UUID, or ``MadeNotLinked``."""
    uid = real_id(VENDOR, answer, numeric=False)
    if not m.UUID.match(uid):
        raise errors.MadeNotLinked(
            VENDOR, f"the new account was made but its id {uid!r} is not a UUID"
        )
    return uid


class ConeCrmWriteCheck:
    def __init__(self, account: str, client: ConeCrmClient) -> None:
        self.account = account
        self.c = client

    async def read_back(self, kind: RecordKind, remote_id: str) -> Record | None:
        if kind is not RecordKind.CUSTOMER:
            raise CannotReadBack(f"ConeCRM has no read of one {kind}")
        what, uid = m.split_customer_id(remote_id)
        if what != "account":
            raise CannotReadBack("ConeCRM contacts are read-only here")
        async for items in self.c.iter_accounts():
            for item in items:
                if isinstance(item, dict) and item.get("id") == uid:
                    return _account(item, self.account)
        return None

    async def find_created(self, request: PushRequest) -> list[Record]:
        customer = request.record
        if not isinstance(customer, Customer):
            raise CannotReadBack(f"ConeCRM cannot look a new {request.kind} up")
        email = customer.email.strip().casefold()
        name = m.new_account_body(customer).get("name", "").strip().casefold()
        if not (email or name):
            raise CannotReadBack("it has neither an email nor a name to look it up by")
        newest = await self.c.http.request_json(
            "GET",
            "/api/account",
            foreground=True,
            params={
                "offset": 0,
                "limit": NEWEST,
                "sortField": "dateCreated",
                "sortDirection": "DESC",
            },
        )
        items = list(newest.get("accounts") or []) if isinstance(newest, dict) else []
        if email:
            found, _total = await self.c.accounts_page(0, NEWEST, search=email)
            items += found
        matches: dict[str, Record] = {}
        for item in items:
            if not isinstance(item, dict):
                continue
            theirs = str(item.get("primaryEmail") or "").strip().casefold()
            named = str(item.get("name") or "").strip().casefold()
            if (email and theirs == email) or (not email and named == name):
                record = _account(item, self.account)
                matches[record.provenance.remote_id] = record
        return list(matches.values())


def _account(item: dict[str, Any], account: str) -> Record:
    try:
        return m.account_from(item, account)
    except FieldUnreadable as exc:
        raise errors.BadPayload(VENDOR, str(item.get("id", "")), str(exc)) from exc
