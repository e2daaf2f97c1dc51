"""Typed async calls to the AgencyZoom API (../shared/vendor-docs/agencyzoom-api.txt, "L…").

Sign-in (every flow the document gives): password login (L141) or SSO login (L188) with the
same body; the V4SSO code flow: ``v4sso_auth_url`` (L241) gives the page the user signs in on,
whose ``code`` ``v4sso_login`` (L266) turns into a JWT; ``logout`` (L218). Every other call
sends ``Authorization: Bearer <jwt>`` (L87). No token lifetime or refresh is documented, so the
JWT's own ``exp`` claim (when present) is renewed ahead of time and a refused token leads to one
new sign-in (``VendorHttp``)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import httpx

from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.auth import BearerAuth, Token, unverified_claims
from agencydesk.vendors.client_kit.base import VendorHttp
from agencydesk.vendors.client_kit.limiter import AccountLimiter

VENDOR = "agencyzoom"
BAD_LOGIN = "Invalid user name and/or password"  # the documented 400 of the sign-ins (L137)
LoginMethod = Literal["password", "sso", "v4sso", "token"]
# Largest pages the document allows: "The maximum is N" (L343, L1628, L6474).
MAX_PAGE = {"leads": 100, "customers": 100, "tasks": 200, "threads": 500}


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    total: int | None  # thread lists carry no totalCount (L1680)


@dataclass(frozen=True, slots=True)
class SignIn:
    jwt: str
    owner_agent: bool


def _classify(response: httpx.Response) -> errors.VendorError | None:
    """The sign-ins answer a bad password with 400 "Invalid user name and/or password" (L137)."""
    if response.status_code == 400 and BAD_LOGIN.lower() in response.text.lower():
        return errors.AuthenticationFailed(VENDOR, BAD_LOGIN, status=400)
    return None


def jwt_expiry(jwt: str, clock: Callable[[], float] = time.monotonic) -> float | None:
    """The ``exp`` claim as a time on ``clock`` (None when the token says nothing)."""
    try:
        exp = float(unverified_claims(jwt)["exp"])
    except (ValueError, KeyError, TypeError):
        return None
    return clock() + (exp - time.time())


class AgencyZoomClient:
    def __init__(
        self,
        base_url: str,
        http: httpx.AsyncClient,
        limiter: AccountLimiter | None,
        *,
        username: str = "",
        password: str = "",
        method: LoginMethod = "password",
        jwt: str = "",
        sso_code: Callable[[str], Awaitable[str]] | None = None,
        api_token: str = "",
    ) -> None:
        """``method``: "password" (L141), "sso" (L188), "v4sso" (``sso_code(auth_url)`` returns
        the code the user's sign-in produced, L241/L266) or "token" (a JWT obtained before)."""
        self.username = username
        self._password = password
        self._method = method
        self._sso_code = sso_code
        self._api_token = api_token
        self.owner_agent: bool | None = None
        self.auth = BearerAuth(jwt or None, fetch=self._sign_in if method != "token" else None)
        self.http = VendorHttp(
            VENDOR,
            base_url,
            http,
            self.auth,
            limiter,
            display_name="AgencyZoom",
            classify=_classify,
        )

    # -- sign-in ---------------------------------------------------------------------------------
    async def _sign_in(self) -> Token:
        if self._method == "v4sso":
            if self._sso_code is None:
                raise errors.AuthenticationFailed(VENDOR, "sign in again with single sign-on")
            answer = await self.v4sso_login(await self._sso_code(await self.v4sso_auth_url()))
        else:
            answer = await self.login(sso=self._method == "sso")
        return Token(answer.jwt, jwt_expiry(answer.jwt))

    async def login(self, *, sso: bool = False) -> SignIn:
        """POST /v1/api/auth/login (L141) or /v1/api/auth/ssologin (L188): ``{jwt, ownerAgent}``."""
        path = "/v1/api/auth/ssologin" if sso else "/v1/api/auth/login"
        body = {"username": self.username, "password": self._password}
        answer = await self.http.request_json(
            "POST", path, json=body, authenticated=False, idempotent=True
        )
        return self._signed_in(answer)

    async def v4sso_auth_url(self) -> str:
        """POST /v1/api/v4sso/get-auth-params (L241): where the user signs in."""
        answer = await self.http.request_json(
            "POST", "/v1/api/v4sso/get-auth-params", authenticated=False, idempotent=True
        )
        return str(_dict(answer, "get-auth-params").get("authUrl") or "")

    async def v4sso_login(self, code: str) -> SignIn:
        """POST /v1/api/v4sso/sso-login (L266) with the code from the V4SSO callback."""
        answer = await self.http.request_json(
            "POST", "/v1/api/v4sso/sso-login", json={"code": code}, authenticated=False
        )
        return self._signed_in(answer)

    def _signed_in(self, answer: Any) -> SignIn:
        body = _dict(answer, "login")
        jwt = body.get("jwt")
        if not isinstance(jwt, str) or not jwt:
            raise errors.BadPayload(VENDOR, "", "sign-in answer has no 'jwt'")
        self.owner_agent = bool(body.get("ownerAgent"))
        return SignIn(jwt, self.owner_agent)

    async def logout(self) -> None:
        """POST /v1/api/auth/logout (L218) invalidates the JWT sent with it."""
        if self.auth.current:
            await self.http.request("POST", "/v1/api/auth/logout", foreground=True)
        self.auth.forget()

    # -- reading ---------------------------------------------------------------------------------
    async def search(
        self, what: str, path: str, items_key: str, body: dict[str, Any], *, fg: bool = False
    ) -> Page:
        """A paged POST search (page base: pageSize, page 0-based, sort, order; L343)."""
        answer = await self.http.request_json(
            "POST", path, json=body, foreground=fg, idempotent=True
        )
        answer = _dict(answer, what)
        items = answer.get(items_key)
        if not isinstance(items, list):
            raise errors.BadPayload(VENDOR, "", f"{what}: '{items_key}' is not a list")
        total = answer.get("totalCount")
        return Page(items, total if isinstance(total, int) else None)

    async def search_leads(self, body: dict[str, Any]) -> Page:
        """POST /v1/api/leads/list (L2378); ``lastActivityEarliestDate`` (YYYY-MM-DD, L2363)."""
        return await self.search("leads", "/v1/api/leads/list", "leads", body)

    async def search_customers(self, body: dict[str, Any]) -> Page:
        """POST /v1/api/customers (L423); ``startDate`` is the creation date (L377)."""
        return await self.search("customers", "/v1/api/customers", "customers", body)

    async def search_tasks(self, body: dict[str, Any]) -> Page:
        """POST /v1/api/tasks/list (L6537), at most 200 a page (L6474)."""
        return await self.search("tasks", "/v1/api/tasks/list", "tasks", body)

    async def search_threads(self, channel: Literal["email", "text"], body: dict[str, Any]) -> Page:
        """POST /v1/api/email-thread/list (L1680) or /v1/api/text-thread/list (L2029)."""
        path = f"/v1/api/{channel}-thread/list"
        return await self.search(f"{channel} threads", path, "threadInfo", body)

    async def thread_messages(
        self, channel: Literal["email", "text"], thread_id: str, page: int, size: int
    ) -> Page:
        """POST …/email-thread-detail (L1870) or …/text-thread-detail (L2242)."""
        path = f"/v1/api/{channel}-thread/{channel}-thread-detail"
        body = {"threadId": thread_id, "page": page, "pageSize": size}
        return await self.search(f"{channel} thread {thread_id}", path, "messageInfo", body)

    async def get(self, path: str, *, fg: bool = True) -> Any:
        return await self.http.request_json("GET", path, foreground=fg)

    async def lead(self, lead_id: str, *, fg: bool = True) -> dict[str, Any]:
        """GET /v1/api/leads/{leadId} (L3826)."""
        return _dict(await self.get(f"/v1/api/leads/{lead_id}", fg=fg), f"lead {lead_id}")

    async def lead_notes(self, lead_id: str) -> list[Any]:
        """GET /v1/api/leads/{leadId}/notes (L4212): a bare array, notes have no id."""
        return _list(await self.get(f"/v1/api/leads/{lead_id}/notes", fg=False), "notes")

    async def customer(self, customer_id: str, *, fg: bool = True) -> dict[str, Any]:
        """GET /v1/api/customers/{customerId} (L482)."""
        answer = await self.get(f"/v1/api/customers/{customer_id}", fg=fg)
        return _dict(answer, f"customer {customer_id}")

    async def customer_policies(self, customer_id: str, *, fg: bool = False) -> list[Any]:
        """GET /v1/api/customers/{customerId}/policies (L934). The sample is one object though
        the text says a list: an object is read as a list of one (vendor-notes §7.16)."""
        answer = await self.get(f"/v1/api/customers/{customer_id}/policies", fg=fg)
        return [answer] if isinstance(answer, dict) else _list(answer, "policies")

    async def customer_ams_policies(self, customer_id: str) -> list[Any]:
        """GET /v1/api/customers/{customerId}/ams-policies (L890), same single-object caveat."""
        answer = await self.get(f"/v1/api/customers/{customer_id}/ams-policies", fg=False)
        return [answer] if isinstance(answer, dict) else _list(answer, "ams-policies")

    async def task(self, task_id: str, *, fg: bool = True) -> dict[str, Any]:
        """GET /v1/api/tasks/{taskId} (L6674)."""
        return _dict(await self.get(f"/v1/api/tasks/{task_id}", fg=fg), f"task {task_id}")

    async def lookup(self, name: str) -> list[Any]:
        """Config lists: employees (L6016), lead-sources (L6078), pipelines-and-stages (L6351),
        carriers, product-lines… (bare arrays)."""
        return _list(await self.get(f"/v1/api/{name}", fg=False), name)

    # -- writing (foreground: the user is waiting) ---------------------------------------------
    async def send(
        self, method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None
    ) -> Any:
        """A write answered by the generic ``{message, id, result}`` (L229); ``result: false``
        is a refusal."""
        answer = await self.http.request_json(
            method, path, json=body, foreground=True, headers=headers
        )
        if isinstance(answer, dict) and answer.get("result") is False:
            message = str(answer.get("message") or "refused")
            raise errors.ValidationFailed(VENDOR, f"{method} {path}: {message}", status=200)
        return answer

    async def create_policy(self, body: dict[str, Any]) -> Any:
        """POST /v1/api/policies/create needs the X-Api-Token header too (L1129)."""
        if not self._api_token:
            raise errors.PermissionDenied(
                VENDOR, "creating a policy needs the account's AgencyZoom API token (X-Api-Token)"
            )
        return await self.send(
            "POST", "/v1/api/policies/create", body, headers={"X-Api-Token": self._api_token}
        )


def ymd(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _dict(answer: Any, what: str) -> dict[str, Any]:
    if not isinstance(answer, dict):
        raise errors.BadPayload(VENDOR, "", f"{what}: expected an object")
    return answer


def _list(answer: Any, what: str) -> list[Any]:
    if not isinstance(answer, list):
        raise errors.BadPayload(VENDOR, "", f"{what}: expected a list")
    return answer
