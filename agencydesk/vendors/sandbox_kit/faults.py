"""Faults on demand, reproducible by seed: latency, 5xx, 429 bursts, dropped connections,
malformed JSON and records with wrong types.

``FaultController`` holds the settings (tests and the CLI set them); ``FaultMiddleware`` is a pure
ASGI middleware that applies them to every HTTP request before the vendor's routes see it. Vendor
routes themselves ask ``take_wrong_types()`` when they serialise a record.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx
from starlette.responses import Response

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A vendor's own 429 answer: given the Retry-After seconds, the full response (body + headers).
RateLimitedResponse = Callable[[int], Response]
ServerErrorResponse = Callable[[int], Response]

SERVER_ERROR_STATUSES = (500, 502, 503)


class ConnectionDropped(httpx.RemoteProtocolError):
    """Raised inside the app to abort a response half-way. Under uvicorn the socket closes with
    the body incomplete; through ``httpx.ASGITransport`` the client sees this transport error."""

    def __init__(self) -> None:
        super().__init__("sandbox fault: connection dropped mid-response")


class FaultController:
    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """No faults, and the random sequence starts again from the seed."""
        with self._lock:
            self._rng = random.Random(self.seed)
            self.latency_ms: float = 0.0
            self.error_rate: float = 0.0
            self.drop_rate: float = 0.0
            self.malformed_rate: float = 0.0
            self._burst_left = 0
            self._burst_retry_after = 60
            self._wrong_types_left = 0

    # -- settings ---------------------------------------------------------------------------
    def burst_429(self, n: int, retry_after: int = 60) -> None:
        """The next ``n`` requests are answered 429 with ``Retry-After: retry_after``."""
        with self._lock:
            self._burst_left = n
            self._burst_retry_after = retry_after

    def wrong_types_next(self, n: int = 1) -> None:
        """The next ``n`` records a vendor route serialises carry wrong types."""
        with self._lock:
            self._wrong_types_left = n

    def take_wrong_types(self) -> bool:
        """Vendor routes call this per record; True means: send this one with wrong types."""
        with self._lock:
            if self._wrong_types_left > 0:
                self._wrong_types_left -= 1
                return True
            return False

    @property
    def active(self) -> bool:
        return bool(
            self.latency_ms
            or self.error_rate
            or self.drop_rate
            or self.malformed_rate
            or self._burst_left
        )

    # -- decisions (one per request, in a fixed order so a seed replays the same run) -----------
    def take_burst(self) -> int | None:
        with self._lock:
            if self._burst_left > 0:
                self._burst_left -= 1
                return self._burst_retry_after
            return None

    def roll(self, rate: float) -> bool:
        with self._lock:
            return rate > 0 and self._rng.random() < rate

    def pick_error_status(self) -> int:
        with self._lock:
            return self._rng.choice(SERVER_ERROR_STATUSES)


def _default_rate_limited(retry_after: int) -> Response:
    return Response(
        json.dumps({"message": "Too Many Requests"}),
        status_code=429,
        media_type="application/json",
        headers={"Retry-After": str(retry_after)},
    )


def _default_server_error(status: int) -> Response:
    text = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}[status]
    return Response(
        json.dumps({"message": text}), status_code=status, media_type="application/json"
    )


class FaultMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        controller: FaultController,
        rate_limited_response: RateLimitedResponse | None = None,
        server_error_response: ServerErrorResponse | None = None,
    ) -> None:
        self.app = app
        self.controller = controller
        self.rate_limited_response = rate_limited_response or _default_rate_limited
        self.server_error_response = server_error_response or _default_server_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fc = self.controller
        if scope["type"] != "http" or not fc.active:
            await self.app(scope, receive, send)
            return
        if fc.latency_ms:
            await asyncio.sleep(fc.latency_ms / 1000)
        retry_after = fc.take_burst()
        if retry_after is not None:
            await self.rate_limited_response(retry_after)(scope, receive, send)
            return
        if fc.roll(fc.error_rate):
            await self.server_error_response(fc.pick_error_status())(scope, receive, send)
            return
        if fc.roll(fc.drop_rate):
            await self.app(scope, receive, _dropping(send))
            return
        if fc.roll(fc.malformed_rate):
            await self.app(scope, receive, _truncating(send))
            return
        await self.app(scope, receive, send)


def _dropping(send: Send) -> Send:
    """Send the status line, headers and the first half of the body, then abort."""
    start: list[Message] = []
    body = bytearray()

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.append(message)
            return
        if message["type"] == "http.response.body":
            body.extend(message.get("body", b""))
            if message.get("more_body", False):
                return
            await send(start[0])
            await send(
                {
                    "type": "http.response.body",
                    "body": bytes(body[: len(body) // 2]),
                    "more_body": True,
                }
            )
            raise ConnectionDropped
        await send(message)

    return wrapped


def _truncating(send: Send) -> Send:
    """Send a complete response whose body is cut in half (invalid JSON, valid HTTP)."""
    start: list[Message] = []
    body = bytearray()

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.append(message)
            return
        if message["type"] == "http.response.body":
            body.extend(message.get("body", b""))
            if message.get("more_body", False):
                return
            cut = bytes(body[: max(1, len(body) // 2)]) if body else b"{"
            headers = [
                (k, v) for k, v in start[0].get("headers", []) if k.lower() != b"content-length"
            ]
            headers.append((b"content-length", str(len(cut)).encode()))
            await send({**start[0], "headers": headers})
            await send({"type": "http.response.body", "body": cut})
            return
        await send(message)

    return wrapped
