"""Typed async calls to the Lofty Open API (../shared/vendor-docs/lofty-api.txt, "L…").

Auth: ``Authorization: Bearer <access_token>`` and ``Content-type: application/json`` on every
call (L34-L40). The OAuth flow is not in the document (L33); an old API key can be traded for a
fresh token at ``GET /v1.0/vendor/oauth/token-info/byold`` (L2243), which is how a refused token
is renewed (once) when the account has one. Without a vendorKey only ten calls a minute are
allowed (L43); how to send the key is not documented, so it goes in a ``vendorKey`` header
(never the URL, where it would reach logs). Every answer carries ``X-RateLimit-*`` (L50-L59),
which the account limiter follows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.auth import BearerAuth, Token, unverified_claims
from agencydesk.vendors.client_kit.base import VendorHttp
from agencydesk.vendors.client_kit.created_ids import real_id
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.paging import OffsetPaginator

VENDOR = "lofty"
LEAD_PAGE = 100  # "range: [1, 100]" (L723, L981)
HISTORY_PAGE = 1000  # "limit default Value 10, max value 1000" (L215)
History = Literal["call", "email", "text"]
LogKind = Literal["logCall", "logEmail", "logText"]  # L4609


@dataclass(frozen=True, slots=True)
class LeadPage:
    leads: list[Any]  # LeadResponse objects (unwrapped from {"lead": …}, L48)
    total: int | None
    scroll_id: str | None


def unwrap_lead(item: Any) -> Any:
    """The document's example wraps each lead as ``{"lead": {...}}`` (L48) while the schema
    says a bare LeadResponse (L3933): both are read."""
    if isinstance(item, dict) and set(item) == {"lead"} and isinstance(item["lead"], dict):
        return item["lead"]
    return item


class LoftyClient:
    def __init__(
        self,
        base_url: str,
        http: httpx.AsyncClient,
        limiter: AccountLimiter | None,
        *,
        token: str = "",
        vendor_key: str = "",
        api_key: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._api_key = api_key
        self._clock = clock
        self.lead_page = LEAD_PAGE
        self.history_page = HISTORY_PAGE
        if not token and not api_key:
            raise errors.AuthenticationFailed(VENDOR, "Lofty needs an access token (or API key)")
        self.auth = BearerAuth(token or None, fetch=self._renew if api_key else None)
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if vendor_key:
            headers["vendorKey"] = vendor_key
        if limiter is not None:
            # "only ten calls per minute are allowed without a valid vendorKey" (L43): the
            # catalog's 10/min is that case. With a key no figure is documented, and "the
            # returned HTTP headers of any API request show your current rate limit status"
            # (L50, X-RateLimit-Limit L54-L55): with a key those headers set the limit.
            limiter.headers_rule = bool(vendor_key)
        self.http = VendorHttp(
            VENDOR,
            base_url,
            http,
            self.auth,
            limiter,
            display_name="Lofty",
            default_headers=headers,
        )

    async def _renew(self) -> Token:
        """GET /v1.0/vendor/oauth/token-info/byold (L2243) with the old API key: OauthTokenInfo
        ``{token, tokenExpireTime, …}`` (L4739), the expiry in epoch ms like the token's own."""
        answer = await self.http.request_json(
            "GET",
            "/v1.0/vendor/oauth/token-info/byold",
            headers={"Authorization": f"token {self._api_key}"},
            authenticated=False,
            foreground=True,
        )
        body = _dict(answer, "token-info")
        token = body.get("token")
        if not isinstance(token, str) or not token:
            raise errors.AuthenticationFailed(VENDOR, "the API key gave no access token")
        return Token(token, self._expiry(token))

    def _expiry(self, token: str) -> float | None:
        """When the token ends on our clock: its lifetime from its own ``iat``/``ext`` claims
        (epoch ms, L51), so a vendor clock that differs from ours does not matter."""
        claims = unverified_claims(token)
        try:
            lifetime = (float(claims["ext"]) - float(claims["iat"])) / 1000
        except (ValueError, KeyError, TypeError):
            return None
        return self._clock() + lifetime

    async def get(self, path: str, params: dict[str, Any] | None = None, *, fg: bool) -> Any:
        return await self.http.request_json("GET", path, params=params, foreground=fg)

    async def send(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """A write (the user is waiting). Most answer a JSON string: the new id for creates."""
        return await self.http.request_json(
            method, path, json=body, params=params or None, foreground=True
        )

    # -- people -----------------------------------------------------------------------------
    async def me(self) -> dict[str, Any]:
        """GET /v1.0/me (L1547): UserResponse."""
        return _dict(await self.get("/v1.0/me", fg=True), "me")

    async def members(self) -> list[dict[str, Any]]:
        """GET /v1.0/members (L1567), every page: ``{_metadata, members[]}`` of UserResponse."""
        found: list[dict[str, Any]] = []
        pager = OffsetPaginator(VENDOR, limit=100)
        while True:
            params = {"limit": pager.limit, "offset": pager.offset}
            body = _dict(await self.get("/v1.0/members", params, fg=True), "members")
            items = _list(body.get("members"), "members")
            found += [i for i in items if isinstance(i, dict)]
            meta = body.get("_metadata")
            total = meta.get("total") if isinstance(meta, dict) else None
            keys = [str(i.get("id")) for i in items if isinstance(i, dict)]
            if not pager.advance(
                len(items), total=total if isinstance(total, int) else None, keys=keys
            ):
                return found

    # -- leads -----------------------------------------------------------------------------------
    async def leads(
        self,
        *,
        offset: int = 0,
        scroll_id: str | None = None,
        updated_since: str | None = None,
        created_since: str | None = None,
    ) -> LeadPage:
        """GET /v1.0/leads (L672), /v1.0/leads/updateTime with ``leadUpdateTime`` (L945, L976)
        or /v1.0/leads/createTime with ``leadCreateTime`` (L826, L857):
        ``{_metadata{total, scrollId}, leads[]}`` (L48)."""
        params: dict[str, Any] = {"limit": self.lead_page, "offset": offset}
        path = "/v1.0/leads"
        if updated_since is not None:
            path, params["leadUpdateTime"] = "/v1.0/leads/updateTime", updated_since
        elif created_since is not None:
            path, params["leadCreateTime"] = "/v1.0/leads/createTime", created_since
        if scroll_id:
            params["scrollId"] = scroll_id
        body = _dict(await self.get(path, params, fg=False), "leads")
        items = body.get("leads")
        if not isinstance(items, list):
            raise errors.BadPayload(VENDOR, "", "leads: 'leads' is not a list")
        found = body.get("_metadata")
        meta: dict[str, Any] = found if isinstance(found, dict) else {}
        total = meta.get("total")
        scroll = meta.get("scrollId")
        return LeadPage(
            [unwrap_lead(i) for i in items],
            total if isinstance(total, int) else None,
            scroll if isinstance(scroll, str) and scroll else None,
        )

    async def lead(self, lead_id: str, *, fg: bool = True) -> dict[str, Any]:
        """GET /v1.0/leads/{leadId} (L1032); trashed leads are not found without withTrash."""
        answer = unwrap_lead(await self.get(f"/v1.0/leads/{lead_id}", fg=fg))
        return _dict(answer, f"lead {lead_id}")

    # -- per lead ----------------------------------------------------------------------------
    async def notes(self, lead_id: str) -> list[Any]:
        """GET /v1.0/notes?leadId= (L1734): a bare array of NoteResponse, not paged."""
        return _list(await self.get("/v1.0/notes", {"leadId": lead_id}, fg=False), "notes")

    async def note(self, note_id: str) -> dict[str, Any]:
        """GET /v1.0/notes/{noteId} (L1766)."""
        return _dict(await self.get(f"/v1.0/notes/{note_id}", fg=True), f"note {note_id}")

    async def tasks(self, lead_id: str) -> list[Any]:
        """GET /v1.0/tasks?leadId= (L1917): every task of one lead, not paged."""
        return _list(await self.get("/v1.0/tasks", {"leadId": lead_id}, fg=False), "tasks")

    async def task(self, task_id: str) -> dict[str, Any]:
        """GET /v1.0/tasks/{taskId} (L1944)."""
        return _dict(await self.get(f"/v1.0/tasks/{task_id}", fg=True), f"task {task_id}")

    # -- history (agency-wide, keyset paged) ----------------------------------------------------
    async def history(self, channel: History, current_id: int | None) -> list[Any]:
        """GET /v1.0/communication/{call,email,text} (L199, L285, L328): bare arrays, 1000 at
        most, paged by ``currentId`` (L205: "recommended … as a replacement for offset")."""
        params: dict[str, Any] = {"limit": self.history_page}
        if current_id is not None:
            params["currentId"] = current_id
        answer = await self.get(f"/v1.0/communication/{channel}", params, fg=False)
        return _list(answer, f"{channel} history")

    async def logged(self, kind: LogKind, current_id: int | None) -> list[Any]:
        """GET /v1.0/logType?logType= (L2701, L2721): calls/emails/texts logged by hand. The
        answer does not say which kind (L4609), so each kind is asked for on its own."""
        params: dict[str, Any] = {"limit": self.history_page, "logType": kind}
        if current_id is not None:
            params["currentId"] = current_id
        return _list(await self.get("/v1.0/logType", params, fg=False), kind)


def created_id(answer: Any, what: str) -> str:
    """Creates answer a ``string`` (L632, L1702, L1885, L2669): the new id, numeric like every
    Lofty id. Anything else (``"0"``, empty, not a number) means made but not linkable:
    ``MadeNotLinked``, never read with, never sent again (issue 15)."""
    return real_id(VENDOR, answer, numeric=True)


def _dict(answer: Any, what: str) -> dict[str, Any]:
    if not isinstance(answer, dict):
        raise errors.BadPayload(VENDOR, "", f"{what}: expected an object")
    return answer


def _list(answer: Any, what: str) -> list[Any]:
    if not isinstance(answer, list):
        raise errors.BadPayload(VENDOR, "", f"{what}: expected a list")
    return answer
