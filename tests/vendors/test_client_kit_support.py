"""A tiny vendor for the client-kit tests: each route's behaviour is set per test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass
class Script:
    """Answers given in order (the last one repeats); every request seen is kept."""

    answers: list[Callable[[Request], Response]] = field(default_factory=list)
    seen: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, auth header

    def answer(self, request: Request) -> Response:
        self.seen.append(
            (request.method, request.url.path, request.headers.get("authorization", ""))
        )
        index = min(len(self.seen) - 1, len(self.answers) - 1)
        return self.answers[index](request)


def status(
    code: int, body: object | None = None, headers: dict[str, str] | None = None
) -> Callable[[Request], Response]:
    def make(_request: Request) -> Response:
        return JSONResponse(body if body is not None else {"message": "x"}, code, headers)

    return make


def build_app(script: Script) -> Starlette:
    async def endpoint(request: Request) -> Response:
        return script.answer(request)

    return Starlette(routes=[Route("/{path:path}", endpoint, methods=["GET", "POST", "PUT"])])
