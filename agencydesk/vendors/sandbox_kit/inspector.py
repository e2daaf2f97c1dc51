"""The sandbox-only inspector: ``GET /_sandbox/records/{kind}/{id}`` answers the whole record the
sandbox stores, including fields the vendor's own read endpoints never return.

Why: a write that erases a field the read endpoints do not show passes every test that only
reads the vendor's API back. Tests (and people debugging) read what the vendor really holds here.
The clients never call it; ``agencydesk-sandbox --coverage`` lists it as sandbox-only.

Each vendor's sandbox passes a ``lookup(kind, id)``: ``kind`` is the vendor's own plural noun for
the entity (``leads``, ``tasks``, ``policies``, ``accounts``, ``clients``…), the answer is the
stored record as a JSON-able dict, or None when there is no such record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

INSPECTOR_PREFIX = "/_sandbox/records/"
INSPECTOR_PATH = "/_sandbox/records/{kind}/{id}"

RecordLookup = Callable[[str, str], dict[str, Any] | None]


class InspectorMiddleware:
    """Answers the inspector path before the vendor's routes (and its auth, faults and rate
    limit: the inspector is not part of the vendor); every other request passes through."""

    def __init__(self, app: ASGIApp, lookup: RecordLookup) -> None:
        self.app = app
        self.lookup = lookup

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(INSPECTOR_PREFIX) or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        parts = path[len(INSPECTOR_PREFIX) :].split("/")
        if len(parts) != 2 or not all(parts):
            await _answer(send, 404, {"message": f"use {INSPECTOR_PATH}"})
            return
        kind, record_id = parts
        try:
            record = self.lookup(kind, record_id)
        except KeyError:
            await _answer(send, 404, {"message": f"the sandbox stores no kind '{kind}'"})
            return
        if record is None:
            await _answer(send, 404, {"message": f"no {kind} {record_id}"})
            return
        await _answer(send, 200, record)


async def _answer(send: Send, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body, default=str).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def with_inspector(app: ASGIApp, lookup: RecordLookup) -> ASGIApp:
    """``app`` (already wrapped in its faults) with the inspector in front of it."""
    return InspectorMiddleware(app, lookup)
