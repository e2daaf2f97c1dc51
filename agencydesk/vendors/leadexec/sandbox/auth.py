"""Client-credentials tokens (L11-L46) and the guard every other route passes through.

``POST /v1/authorization/token`` takes a JSON body (L24-L31) and answers
``{access_token, token_type: "Bearer", expires_in: 3600, error: null}`` (L42-L47). Every other
endpoint wants ``Authorization: Bearer <access_token>`` (e.g. L97). A missing, unknown or expired
token gets ASP.NET's 401 (assumption: the document shows no failure answers).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import TYPE_CHECKING

from starlette.responses import Response

from agencydesk.vendors.leadexec.sandbox.delivery import run_due_automation
from agencydesk.vendors.leadexec.sandbox.wire import json_response
from agencydesk.vendors.sandbox_kit.http import bearer_token

if TYPE_CHECKING:
    from starlette.requests import Request

    from agencydesk.vendors.leadexec.sandbox.context import Context

DOCUMENTED_TTL_SECONDS = 3600  # L45
DENIED = "Authorization has been denied for this request."


@dataclass(slots=True)
class IssuedToken:
    client_id: str
    expires_at: datetime


class TokenStore:
    def __init__(self, ttl_seconds: int) -> None:
        self.ttl_seconds = ttl_seconds
        self._tokens: dict[str, IssuedToken] = {}
        self._lock = threading.Lock()

    def issue(self, client_id: str, now: datetime) -> str:
        token = str(uuid.uuid4())  # a GUID, as LeadExec's own pages show it
        with self._lock:
            self._tokens[token] = IssuedToken(client_id, now + timedelta(seconds=self.ttl_seconds))
        return token

    def valid(self, token: str, now: datetime) -> IssuedToken | None:
        with self._lock:
            issued = self._tokens.get(token)
        if issued is None or now >= issued.expires_at:
            return None
        return issued

    def expire_all(self, now: datetime) -> None:
        with self._lock:
            for issued in self._tokens.values():
                issued.expires_at = min(issued.expires_at, now)


def token_error(code: str, status: int = 400) -> Response:
    """The documented token shape carrying its ``error`` field (L41)."""
    body = {"access_token": None, "token_type": None, "expires_in": 0, "error": code}
    return json_response(body, status)


async def issue_token(request: Request) -> Response:
    ctx: Context = request.app.state.ctx
    if "json" not in request.headers.get("content-type", "").lower():
        return token_error("invalid_request")  # JSON body, not a form (L26)
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return token_error("invalid_request")
    if not isinstance(body, dict) or not all(
        isinstance(body.get(k), str) and body.get(k)
        for k in ("client_id", "client_secret", "grant_type")
    ):
        return token_error("invalid_request")  # all three are required (L21-L23)
    if body["grant_type"] != "client_credentials":
        return token_error("unsupported_grant_type")
    if (body["client_id"], body["client_secret"]) != ctx.client_credentials:
        return token_error("invalid_client")
    token = ctx.tokens.issue(body["client_id"], ctx.clock.now())
    return json_response(
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": ctx.tokens.ttl_seconds,
            "error": None,
        }
    )


def denied() -> Response:
    response = json_response({"Message": DENIED}, 401)
    response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def rate_limited(retry_after: int) -> Response:
    """No documented limit or 429 (digest section 3): ASP.NET-style body, ``Retry-After``."""
    response = json_response({"Message": f"Too many requests. Retry after {retry_after} s."}, 429)
    response.headers["Retry-After"] = str(retry_after)
    return response


Handler = Callable[["Request"], Awaitable[Response]]


def guarded(handler: Handler) -> Handler:
    """Bearer check, the per-account rate limit, then due automation jobs, then the route."""

    @wraps(handler)
    async def wrapper(request: Request) -> Response:
        ctx: Context = request.app.state.ctx
        # "Update Delivery Quantity Maxes" names the header api_key (L2245) while its example
        # sends Authorization: Bearer (L2259): both carry the same token.
        token = bearer_token(request) or request.headers.get("api_key")
        now = ctx.clock.now()
        issued = ctx.tokens.valid(token, now) if token else None
        if issued is None:
            return denied()
        decision = ctx.limiter.check(issued.client_id)
        if not decision.allowed:
            return rate_limited(decision.retry_after_seconds)
        run_due_automation(ctx.state, now)
        return await handler(request)

    return wrapper
