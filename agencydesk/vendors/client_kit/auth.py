"""Bearer-token auth as an ``httpx.Auth``: the token comes from a provider that can sign in (a
login, client credentials) and renews it shortly before it expires. A 401 leads to ONE renewal
and one retry, done by ``VendorHttp`` so that the retry also waits for the rate limiter."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Any

import httpx
import jwt


@dataclass(frozen=True, slots=True)
class Token:
    value: str
    expires_at: float | None = None  # on the auth's clock (monotonic); None: not stated


TokenFetcher = Callable[[], Awaitable[Token]]


def unverified_claims(token: str) -> dict[str, Any]:
    """A JWT's claims, read without checking its signature or dates (we hold no key: this only
    says whose token it is and when it ends); {} when ``token`` is not a JWT."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return {}
    return claims if isinstance(claims, dict) else {}


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer <token>``. With only ``token`` it is a pasted, fixed token; with
    ``fetch`` it signs in on first use, renews ``renew_before_s`` before expiry and on demand."""

    def __init__(
        self,
        token: str | None = None,
        *,
        fetch: TokenFetcher | None = None,
        renew_before_s: float = 60.0,
        header: str = "Authorization",
        scheme: str = "Bearer",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if token is None and fetch is None:
            raise ValueError("BearerAuth needs a token or a way to fetch one")
        self._token = Token(token) if token is not None else None
        self._fetch = fetch
        self._renew_before = renew_before_s
        self._header = header
        self._scheme = scheme
        self._clock = clock
        self._lock: asyncio.Lock | None = None
        self.renewals = 0

    @property
    def can_renew(self) -> bool:
        return self._fetch is not None

    @property
    def current(self) -> str | None:
        return self._token.value if self._token else None

    def forget(self) -> None:
        """Drop the token (after a logout); the next request signs in again."""
        self._token = None

    async def token(self) -> str:
        token = self._token
        if token is not None and not self._expiring(token):
            return token.value
        return await self.renew(stale=token.value if token else None)

    async def renew(self, stale: str | None) -> str:
        """A new token, unless someone already replaced ``stale`` meanwhile (one sign-in for
        many requests that all saw the same 401)."""
        if self._fetch is None:
            if self._token is None:
                raise RuntimeError("no token")
            return self._token.value
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            current = self._token
            if current is not None and current.value != stale and not self._expiring(current):
                return current.value
            self._token = await self._fetch()
            self.renewals += 1
            return self._token.value

    def _expiring(self, token: Token) -> bool:
        return token.expires_at is not None and self._clock() >= token.expires_at - (
            self._renew_before
        )

    def header_value(self, token: str) -> str:
        return f"{self._scheme} {token}" if self._scheme else token

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        request.headers[self._header] = self.header_value(await self.token())
        yield request

    def token_in(self, request: httpx.Request) -> str | None:
        """The token a request went out with (is it still the stale one?)."""
        value: str | None = request.headers.get(self._header)
        if value is None:
            return None
        prefix = f"{self._scheme} " if self._scheme else ""
        return value[len(prefix) :] if value.startswith(prefix) else value

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        raise RuntimeError("vendor clients are async only")
        yield request  # pragma: no cover
