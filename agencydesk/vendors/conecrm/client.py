"""Typed async calls to the ConeCRM API (../shared/vendor-docs/conecrm-api.txt, "L…").

Auth: "HTTP Authentication, scheme: bearer" (L7-L8) with no token endpoint anywhere (vendor-notes
conecrm.md §2): the user pastes a JWT. Nothing can renew it, so a refused token is an
``AuthenticationFailed`` that tells the user to paste a new one.

Paging differs per list (vendor-notes §3.1): accounts take ``offset``/``limit`` and answer
``{total, accounts}`` (L96-L113); contacts take ``start``/``limit`` and answer a bare array with no
total (L4422-L4433). Neither documents a default or a maximum, so a list is read until an empty
page (contacts) or ``total`` (accounts), advancing by what actually came back.
Leads have no list of their own: the query builder's filter endpoint (L8581) answers
``{success, data}`` with every lead an empty rule group matches; no paging.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx

from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.auth import BearerAuth, unverified_claims
from agencydesk.vendors.client_kit.base import VendorHttp
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.paging import OffsetPaginator

VENDOR = "conecrm"
PAGE = 100  # asked for; the document states no maximum, so a smaller page is not "the end"
PASTE_NEW = "paste a new API token in the ConeCRM account's settings"


def _classify(response: httpx.Response) -> errors.VendorError | None:
    """401 (documented on lead create/copy, L6814, L8344): the pasted token is expired or wrong.
    400 on tasks is a bare JSON string "<property> <message>" (L10715)."""
    if response.status_code == 401:
        try:
            body = response.json()
        except ValueError:
            body = None
        said = body.get("message") if isinstance(body, dict) else None
        return errors.AuthenticationFailed(
            VENDOR,
            f"ConeCRM refused the API token ({said or 'unauthorized'}): {PASTE_NEW}",
            status=401,
        )
    if response.status_code == 400:
        try:
            body = response.json()
        except ValueError:
            return None
        if isinstance(body, str) and body.strip():
            field, _, message = body.strip().partition(" ")
            return errors.ValidationFailed(
                VENDOR,
                f"{response.request.method} {response.request.url.path}: {body}",
                field_errors={field or "task": message or body},
            )
    return None


class ConeCrmClient:
    def __init__(
        self, base_url: str, http: httpx.AsyncClient, limiter: AccountLimiter | None, *, token: str
    ) -> None:
        if not token.strip():
            raise errors.AuthenticationFailed(VENDOR, f"no API token: {PASTE_NEW}")
        self.token_claims = unverified_claims(token.strip())
        self.auth = BearerAuth(token.strip())  # no fetch: a pasted token cannot be renewed
        self.http = VendorHttp(
            VENDOR, base_url, http, self.auth, limiter, display_name="ConeCRM", classify=_classify
        )

    def token_expired(self, now: datetime | None = None) -> bool:
        exp = self.token_claims.get("exp")
        if not isinstance(exp, int | float) or isinstance(exp, bool):
            return False
        return (now or datetime.now(UTC)).timestamp() >= float(exp)

    async def _json(self, method: str, path: str, *, fg: bool, **kwargs: Any) -> Any:
        return await self.http.request_json(method, path, foreground=fg, **kwargs)

    # -- customers ------------------------------------------------------------------------------
    async def accounts_page(
        self, offset: int, limit: int, *, search: str = ""
    ) -> tuple[list[Any], int | None]:
        """GET /api/account (L96): ``offset``, ``limit`` (L102-L103) -> ``{total, accounts}``."""
        params: dict[str, Any] = {
            "offset": offset,
            "limit": limit,
            "sortField": "dateCreated",
            "sortDirection": "ASC",
        }
        if search:
            params["search"] = search
        answer = _dict(await self._json("GET", "/api/account", fg=False, params=params), "accounts")
        items = answer.get("accounts")
        if not isinstance(items, list):
            raise errors.BadPayload(VENDOR, "", "accounts: 'accounts' is not a list")
        total = answer.get("total")
        return items, total if isinstance(total, int) and not isinstance(total, bool) else None

    async def contacts_page(self, start: int, limit: int) -> list[Any]:
        """GET /api/contact (L4422): ``start`` (not offset), ``limit`` -> a bare array."""
        params = {
            "start": start,
            "limit": limit,
            "sortField": "dateCreated",
            "sortDirection": "ASC",
        }
        return _list(await self._json("GET", "/api/contact", fg=False, params=params), "contacts")

    async def iter_accounts(self, *, start: int = 0, search: str = "") -> AsyncIterator[list[Any]]:
        # The paginator's limit is 1: only an empty page or ``total`` ends the list, since a
        # vendor-side cap below PAGE must not look like the last page (no maximum, L103).
        pager = OffsetPaginator(VENDOR, limit=1, offset=start)
        while True:
            items, total = await self.accounts_page(pager.offset, PAGE, search=search)
            yield items
            if not pager.advance(len(items), total=total, keys=_ids(items)):
                return

    async def iter_contacts(self, start: int = 0) -> AsyncIterator[list[Any]]:
        pager = OffsetPaginator(VENDOR, limit=1, offset=start)  # no total (L4646): to an empty page
        while True:
            items = await self.contacts_page(pager.offset, PAGE)
            yield items
            if not pager.advance(len(items), keys=_ids(items)):
                return

    async def create_account(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST /api/account (L1089) -> the Account."""
        return _dict(await self._json("POST", "/api/account", fg=True, json=body), "account")

    async def update_account(self, account_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PATCH /api/account/{account} (L2562): no field required, a partial update."""
        answer = await self._json("PATCH", f"/api/account/{account_id}", fg=True, json=body)
        return _dict(answer, f"account {account_id}")

    async def delete_account(self, account_id: str) -> None:
        """DELETE /api/account/{account} (L2044): 200, no body."""
        await self.http.request("DELETE", f"/api/account/{account_id}", foreground=True)

    # -- leads ----------------------------------------------------------------------------------
    async def filter(
        self, entity: str, rules: list[dict[str, Any]], *, fg: bool = False
    ) -> list[Any]:
        """POST /api/query-builder/filter/{entity} (L8581), react-querybuilder's JSON
        (L11889-L11996) -> ``{success, data}``; ``success: false`` is a refusal. A POST only
        because the query travels as a body: it reads and changes nothing, so a dropped, cut-short
        or 5xx answer is retried like a GET's (one bad answer must not fail the whole account)."""
        body = {"query": {"id": "agencydesk", "combinator": "and", "rules": rules}}
        path = f"/api/query-builder/filter/{entity}"
        answer = _dict(
            await self._json("POST", path, fg=fg, json=body, idempotent=True),
            f"{entity} filter",
        )
        if answer.get("success") is False:
            raise errors.ValidationFailed(VENDOR, f"{entity} filter: refused", status=200)
        data = answer.get("data")
        if not isinstance(data, list):
            raise errors.BadPayload(VENDOR, "", f"{entity} filter: 'data' is not a list")
        return data

    async def open_leads(self, contact_id: str) -> list[Any]:
        """GET /api/contact/{contact}/lead/open (L4812)."""
        answer = await self._json("GET", f"/api/contact/{contact_id}/lead/open", fg=True)
        return _list(answer, f"contact {contact_id} open leads")

    async def entity_filters(self, entity: str) -> list[Any]:
        """GET /api/filters/{entity} (L6453): fields with their ``options`` (status/source
        names)."""
        return _list(await self._json("GET", f"/api/filters/{entity}", fg=False), "filters")

    async def stages(self) -> list[Any]:
        """GET /api/stage (L9307): ``[{id, name}]``."""
        return _list(await self._json("GET", "/api/stage", fg=False), "stages")

    # -- tasks (no list, no read: L9864-L10906) -------------------------------------------------
    async def create_task(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST /api/task (L9864): TaskRequest with bare UUID references."""
        return _dict(await self._json("POST", "/api/task", fg=True, json=body), "task")

    async def update_task(self, task_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PATCH /api/task/{task} (L10906): the full TaskRequest (assignee, title required)."""
        return _dict(await self._json("PATCH", f"/api/task/{task_id}", fg=True, json=body), "task")

    async def delete_task(self, task_id: str) -> None:
        """DELETE /api/task/{task} (L10789): 200, no body."""
        await self.http.request("DELETE", f"/api/task/{task_id}", foreground=True)


def _ids(items: list[Any]) -> list[str]:
    return [str(i.get("id")) if isinstance(i, dict) else "" for i in items]


def _dict(answer: Any, what: str) -> dict[str, Any]:
    if not isinstance(answer, dict):
        raise errors.BadPayload(VENDOR, "", f"{what}: expected an object")
    return answer


def _list(answer: Any, what: str) -> list[Any]:
    if not isinstance(answer, list):
        raise errors.BadPayload(VENDOR, "", f"{what}: expected a list")
    return answer
