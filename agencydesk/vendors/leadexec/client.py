"""Typed async calls to the LeadExec Account API (../shared/vendor-docs/leadexec-api.txt, "L…").

Sign-in is client credentials only: ``POST /v1/authorization/token`` with a JSON body (L24-L31,
not a form) answers ``{access_token, token_type, expires_in: 3600, error}`` (L36-L47). Every
other call sends ``Authorization: Bearer <access_token>`` (e.g. L97). There is no refresh token:
the token is fetched again shortly before ``expires_in`` runs out, and once more when a call is
refused with 401 (``VendorHttp``).

Shapes differ per endpoint (vendor-notes leadexec.md §3): bare arrays, a bare integer id, a bare
``true``, ``{success, message}``; only the active-client list is paged (Skip/Take in the body,
L292). No rate limit is documented.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.auth import BearerAuth, Token
from agencydesk.vendors.client_kit.base import VendorHttp
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.paging import OffsetPaginator

VENDOR = "leadexec"
TOKEN_PATH = "/v1/authorization/token"  # noqa: S105 (a path, not a secret)
# ClientStatus in the document's order (L66-L75): the client list sends its ordinal (L196).
CLIENT_STATUSES = (
    "New",
    "Pending",
    "Working",
    "Waiting",
    "Dead",
    "Inactive",
    "Active",
    "Late",
    "Suspended",
    "Closed",
)
ACTIVE_PAGE = 100  # the active-client list's example Take (L310); no maximum is stated


@dataclass(frozen=True, slots=True)
class ActivePage:
    """One page of ``POST /v1/clients/list/active/leadtype/[leadtypeuid]`` (L292)."""

    clients: list[Any]
    total: int | None  # QueryTotal (L317)


def _classify(response: httpx.Response) -> errors.VendorError | None:
    """The token endpoint's failure carries the documented ``error`` field (L41); whatever its
    status, the credentials are what is wrong."""
    if response.request.url.path.endswith(TOKEN_PATH) and response.status_code in (400, 401):
        try:
            body = response.json()
        except ValueError:
            body = None
        code = body.get("error") if isinstance(body, dict) else None
        return errors.AuthenticationFailed(
            VENDOR,
            f"LeadExec refused the client ID and secret ({code or response.status_code})",
            status=response.status_code,
        )
    return None


class LeadExecClient:
    def __init__(
        self,
        base_url: str,
        http: httpx.AsyncClient,
        limiter: AccountLimiter | None,
        *,
        client_id: str,
        client_secret: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self._clock = clock
        self.auth = BearerAuth(fetch=self._fetch_token, clock=clock)
        self.http = VendorHttp(
            VENDOR, base_url, http, self.auth, limiter, display_name="LeadExec", classify=_classify
        )

    # -- sign-in -------------------------------------------------------------------------------
    async def _fetch_token(self) -> Token:
        """POST /v1/authorization/token (L24), JSON body with grant_type client_credentials."""
        if not self.client_id or not self._client_secret:
            raise errors.AuthenticationFailed(VENDOR, "enter the API client ID and secret")
        body = {
            "client_id": self.client_id,
            "client_secret": self._client_secret,
            "grant_type": "client_credentials",
        }
        answer = _dict(
            await self.http.request_json(
                "POST", TOKEN_PATH, json=body, authenticated=False, foreground=True
            ),
            "token",
        )
        if answer.get("error"):
            raise errors.AuthenticationFailed(VENDOR, f"token refused: {answer['error']}")
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            raise errors.BadPayload(VENDOR, "", "token answer has no 'access_token'")
        lifetime = answer.get("expires_in")  # seconds (L40), 3600 in the example (L45)
        expires_at = None
        if isinstance(lifetime, int | float) and not isinstance(lifetime, bool) and lifetime > 0:
            expires_at = self._clock() + float(lifetime)
        return Token(token, expires_at)

    # -- clients (lead buyers) -------------------------------------------------------------------
    async def clients(self, *, fg: bool = False) -> list[Any]:
        """GET /v1/clients/list (L143): every client, a bare array, unpaged; no names (those
        are client fields)."""
        return _list(
            await self.http.request_json("GET", "/v1/clients/list", foreground=fg), "clients"
        )

    async def client_fields(self, client_uid: str, *, fg: bool = False) -> list[Any]:
        """GET /v1/clients/fields/[ClientUID] (L553): the client's field values (L613-L640)."""
        answer = await self.http.request_json(
            "GET", f"/v1/clients/fields/{client_uid}", foreground=fg
        )
        return _list(answer, f"client {client_uid} fields")

    async def field_definitions(self) -> list[Any]:
        """GET /v1/clients/fields (L656): every client field (SpecialBit, Required, Validation)."""
        answer = await self.http.request_json("GET", "/v1/clients/fields", foreground=True)
        return _list(answer, "client field definitions")

    async def save_client(self, body: dict[str, Any]) -> str:
        """PATCH /v1/clients (L94): ``Info.ClientUID`` 0 creates (L54); answers the id as a bare
        number (L130)."""
        answer = await self.http.request_json("PATCH", "/v1/clients", json=body, foreground=True)
        if isinstance(answer, bool) or not isinstance(answer, int | str) or not str(answer).strip():
            raise errors.BadPayload(VENDOR, "", f"client save answered {answer!r}, not an id")
        return str(answer).strip()

    async def username_in_use(self, username: str) -> bool:
        """GET /v1/clients/username/check/[Username] (L834): true when in use (L826)."""
        answer = await self.http.request_json(
            "GET", f"/v1/clients/username/check/{username}", foreground=True
        )
        return answer is True

    async def active_clients(self, lead_type_uid: str, skip: int, take: int) -> ActivePage:
        """POST /v1/clients/list/active/leadtype/[leadtypeuid] (L292), the one paged list:
        Skip/Take in the body; ``Decending`` is the wire spelling (L285)."""
        body = {
            "DeliveryAccountType": "",  # as the example (L298): any account type
            "SortBy": "Name",
            "SortDirection": "Ascending",
            "Skip": skip,
            "Take": take,
        }
        answer = _dict(
            await self.http.request_json(
                "POST", f"/v1/clients/list/active/leadtype/{lead_type_uid}", json=body
            ),
            "active clients",
        )
        clients = answer.get("Clients")
        if not isinstance(clients, list):
            raise errors.BadPayload(VENDOR, "", "active clients: 'Clients' is not a list")
        total = answer.get("QueryTotal")
        return ActivePage(clients, total if isinstance(total, int) else None)

    async def iter_active_clients(
        self, lead_type_uid: str, *, take: int = ACTIVE_PAGE
    ) -> AsyncIterator[list[Any]]:
        """Every page of the active-client list, Skip += Take until a short page or QueryTotal;
        a vendor that hands the same page back twice raises ``PagingLoop``."""
        pager = OffsetPaginator(VENDOR, limit=take)
        while True:
            page = await self.active_clients(lead_type_uid, pager.offset, take)
            yield page.clients
            keys = [str(c.get("ClientUID")) if isinstance(c, dict) else "" for c in page.clients]
            if not pager.advance(len(page.clients), total=page.total, keys=keys):
                return

    # -- lead types and leads --------------------------------------------------------------------
    async def lead_types(self, *, fg: bool = False) -> list[Any]:
        """GET /v1/leadtypes (L4177): a bare array."""
        answer = await self.http.request_json("GET", "/v1/leadtypes", foreground=fg)
        return _list(answer, "lead types")

    async def search_leads(
        self, lead_type_uid: str, *, email: str = "", address: str = "", phone: str = ""
    ) -> list[Any]:
        """POST /v1/leads/search/[LeadTypeUID] (L3316) by Email, Address, PrimaryPhone: receipt
        data per lead (L3325-L3350), not its field values."""
        body = {"Email": email, "Address": address, "PrimaryPhone": phone}
        answer = await self.http.request_json(
            "POST", f"/v1/leads/search/{lead_type_uid}", json=body, foreground=True
        )
        return _list(answer, "lead search")

    async def delete_lead(self, lead_uid: str) -> str:
        """DELETE /v1/leads/[LeadUID] (L3541) only schedules the deletion (L3533); answers
        ``{success, message}`` (L3549)."""
        answer = _dict(
            await self.http.request_json("DELETE", f"/v1/leads/{lead_uid}", foreground=True),
            f"delete lead {lead_uid}",
        )
        if answer.get("success") is not True:
            message = str(answer.get("message") or "refused")
            raise errors.ValidationFailed(VENDOR, f"lead {lead_uid}: {message}", status=200)
        return str(answer.get("message") or "")


def _dict(answer: Any, what: str) -> dict[str, Any]:
    if not isinstance(answer, dict):
        raise errors.BadPayload(VENDOR, "", f"{what}: expected an object")
    return answer


def _list(answer: Any, what: str) -> list[Any]:
    if not isinstance(answer, list):
        raise errors.BadPayload(VENDOR, "", f"{what}: expected a list")
    return answer
