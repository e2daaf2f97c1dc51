"""Lofty's credentials and the gate every request passes.

- OAuth access tokens (L33-40): ``Authorization: Bearer <access_token>``. The OAuth flow is not in
  the document; the sandbox mints tokens shaped like the example JWT of L51
  (HS256, ``{"ext": ms, "user_id": int, "scope": "5", "iat": ms}``).
- The old per-user API key (L2243 "get oauth token info by old apikey"): accepted as
  ``Authorization: token <apiKey>`` (the live form, digest Appendix A).
- The vendorKey (L43) lifts the ten-calls-a-minute limit; how it is sent is not documented, so
  the sandbox reads it only as the ``vendorKey`` header, the one form our client sends.
- Missing, unknown or expired credentials: 401 with no content (L82-84).
- Rate-limit headers on every authenticated answer (L50-59), 429 with
  ``{"message":"Too Many Requests"}`` and a ``Status`` header when exceeded (L60-61).
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agencydesk.vendors.lofty.sandbox.state import LoftyState
from agencydesk.vendors.sandbox_kit.ratelimit import RateDecision, RateLimiter

MEMBER_KEY = "lofty_member"  # request.state key: the member the credential belongs to


@dataclass(slots=True)
class Issued:
    member_id: int
    expires: datetime


class TokenBook:
    """Access tokens and API keys this sandbox issued, and whether they still work."""

    def __init__(self, state: LoftyState, seed: int) -> None:
        self._state = state
        self._secret = hashlib.sha256(f"lofty-sandbox-{seed}".encode()).hexdigest()
        self._tokens: dict[str, Issued] = {}
        self._api_keys: dict[str, int] = {}
        self.vendor_key = hashlib.sha256(f"lofty-vendor-{seed}".encode()).hexdigest()[:32]

    def issue(self, member_id: int, ttl_seconds: int | None = None) -> str:
        now = self._state.now()
        ttl = ttl_seconds if ttl_seconds is not None else self._state.config.token_ttl_seconds
        expires = now + timedelta(seconds=ttl)
        member = self._state.members[member_id]
        claims = {
            "ext": int(expires.timestamp() * 1000),
            "user_id": member["memberUserId"],
            "scope": "5",
            "iat": int(now.timestamp() * 1000),
            "jti": secrets.token_hex(6),
        }
        # L51 example header is {"alg":"HS256"} only; "jti" keeps tokens minted in one ms apart
        token = jwt.encode(claims, self._secret, algorithm="HS256", headers={"typ": None})
        self._tokens[token] = Issued(member_id, expires)
        return token

    def issue_api_key(self, member_id: int) -> str:
        key = jwt.encode(
            {"user_id": self._state.members[member_id]["memberUserId"], "kind": "apikey"},
            self._secret,
            algorithm="HS256",
        )
        self._api_keys[key] = member_id
        return key

    def expire_all(self) -> None:
        """Every issued access token expires now (API keys are long-lived and stay valid)."""
        now = self._state.now()
        for issued in self._tokens.values():
            issued.expires = min(issued.expires, now)

    def expires_at(self, token: str) -> datetime | None:
        issued = self._tokens.get(token)
        return issued.expires if issued else None

    def authenticate(self, header: str | None) -> tuple[int, str] | None:
        """(member id, "token" | "apikey") for a working credential, else None."""
        scheme, _, value = (header or "").strip().partition(" ")
        value = value.strip()
        if scheme.lower() == "bearer":
            issued = self._tokens.get(value)
            if issued is None or issued.expires <= self._state.now():
                return None
            return issued.member_id, "token"
        if scheme.lower() == "token" and value in self._api_keys:
            return self._api_keys[value], "apikey"
        return None

    def api_key_of(self, header: str | None) -> int | None:
        """The member behind an old API key sent as ``token <key>`` or ``Bearer <key>``."""
        _scheme, _, value = (header or "").strip().partition(" ")
        return self._api_keys.get(value.strip())


def rate_headers(
    state: LoftyState, limit: int, remaining: int, reset_seconds: float
) -> dict[str, str]:
    if state.config.reset_header == "relative_ms":
        reset = str(int(reset_seconds * 1000))
    else:
        reset = str(math.ceil(state.now().timestamp() + reset_seconds))
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(max(0, remaining)),
        "X-RateLimit-Reset": reset,
    }


def too_many_requests(state: LoftyState, limit: int, reset_seconds: float) -> Response:
    """L61: ``HTTP/1.1 429 … Status: 429 Too Many Requests … {"message":"Too Many Requests"}``;
    the document shows no Retry-After header, so none is sent."""
    headers = rate_headers(state, limit, 0, reset_seconds)
    headers["Status"] = "429 Too Many Requests"
    return Response(
        json.dumps({"message": "Too Many Requests"}, separators=(",", ":")),
        status_code=429,
        media_type="application/json",
        headers=headers,
    )


class LoftyGate:
    """Authenticates, counts the call against the right limit, adds the rate headers."""

    def __init__(
        self,
        app: ASGIApp,
        state: LoftyState,
        tokens: TokenBook,
        unkeyed: RateLimiter,
        keyed: RateLimiter,
        open_paths: frozenset[str] = frozenset(),
    ) -> None:
        self.app, self.state, self.tokens = app, state, tokens
        self.unkeyed, self.keyed = unkeyed, keyed
        self.open_paths = open_paths  # authenticated by the route itself (old API key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        found = self.tokens.authenticate(headers.get("authorization"))
        if found is None and scope["path"] in self.open_paths:
            member = self.tokens.api_key_of(headers.get("authorization"))
            found = (member, "apikey") if member is not None else None
        if found is None:
            await Response(b"", status_code=401)(scope, receive, send)
            return
        scope.setdefault("state", {})[MEMBER_KEY] = found[0]
        offered = headers.get("vendorkey")
        keyed = offered is not None and secrets.compare_digest(offered, self.tokens.vendor_key)
        limiter = self.keyed if keyed else self.unkeyed
        decision: RateDecision = limiter.check(f"{'v' if keyed else 'u'}:{found[0]}")
        if not decision.allowed:
            reply = too_many_requests(self.state, decision.limit, decision.reset_seconds)
            await reply(scope, receive, send)
            return
        extra = [
            (k.lower().encode(), v.encode())
            for k, v in rate_headers(
                self.state, decision.limit, decision.remaining, decision.reset_seconds
            ).items()
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
