"""A sandbox hook for crash tests: call back right after the vendor applied a write, before its
answer leaves (``AfterApply``). A test serves the wrapped app on loopback, runs the sender in a
child process, and SIGKILLs that process from the callback: the vendor holds the change, the
sender never saw the answer. That is the moment exactly-once sending has to survive.

The callback runs once the sandbox's handler has produced a 2xx answer (its state already
changed), holding the answer back until the callback returns."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class Applied:
    method: str
    path: str
    status: int


@dataclass(slots=True)
class AfterApply:
    """ASGI wrapper: ``on_applied(Applied)`` after each 2xx answer to a request whose method and
    path match ``method`` and the regular expression ``path`` (searched), once unless
    ``times`` says otherwise. ``applied`` lists every match seen."""

    app: ASGIApp
    method: str
    path: str
    on_applied: Callable[[Applied], None]
    times: int = 1
    applied: list[Applied] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._wanted(scope):
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                status = next(int(m["status"]) for m in held if m["type"] == "http.response.start")
                if 200 <= status < 300 and self.times > 0:
                    self.times -= 1
                    hit = Applied(scope["method"], scope["path"], status)
                    self.applied.append(hit)
                    self.on_applied(hit)
                for kept in held:
                    await send(kept)
                held.clear()

        await self.app(scope, receive, hold)

    def _wanted(self, scope: Scope) -> bool:
        return (
            scope["type"] == "http"
            and scope.get("method") == self.method
            and self.times > 0
            and re.search(self.path, scope.get("path", "")) is not None
        )


def after_apply(
    app: ASGIApp, method: str, path: str, on_applied: Callable[[Applied], Any], times: int = 1
) -> AfterApply:
    """``app`` with the hook in front (see ``AfterApply``)."""
    if method not in WRITE_METHODS:
        raise ValueError(f"{method} is not a write")
    return AfterApply(app, method, path, on_applied, times)
