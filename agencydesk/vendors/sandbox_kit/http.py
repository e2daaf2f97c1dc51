"""Small request/response helpers every vendor sandbox needs.

Routes raise ``RespondWith(response)`` from deep inside a helper to answer at once with the
vendor's own error shape; ``respond_with_handler`` (registered in the app's
``exception_handlers``) turns it into the response.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

# A vendor's own error answer: (status, message) -> the full response.
VendorError = Callable[[int, str], Response]


class RespondWith(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


async def respond_with_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RespondWith)
    return exc.response


def _default(o: Any) -> Any:
    if hasattr(o, "isoformat"):
        return o.isoformat()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def json_response(
    data: Any,
    status: int = 200,
    headers: dict[str, str] | None = None,
    content_type: str = "application/json",
) -> Response:
    """JSON with the exact Content-Type the vendor sends (some add ``;charset=UTF-8``)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_default)
    try:
        encoded = body.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate held (a bad import): sent as JSON escapes it,
        # "\ud800", as any JSON encoder that is not told otherwise does
        encoded = json.dumps(data, separators=(",", ":"), default=_default).encode("ascii")
    response = Response(encoded, status_code=status, headers=headers)
    response.headers["content-type"] = content_type
    return response


async def read_json(request: Request, error: VendorError, *, status: int = 400) -> Any:
    raw = await request.body()
    if not raw.strip():
        raise RespondWith(error(status, "Request body is missing"))
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RespondWith(error(status, f"Malformed JSON: {exc}")) from exc


async def read_json_object(
    request: Request, error: VendorError, *, status: int = 400
) -> dict[str, Any]:
    data = await read_json(request, error, status=status)
    if not isinstance(data, dict):
        raise RespondWith(error(status, "Request body must be a JSON object"))
    return data


async def read_form(request: Request, error: VendorError, *, status: int = 400) -> dict[str, str]:
    """The form-encoded body only (never the query string), last value wins. Parsed here with
    the standard library so no multipart dependency is needed (urlencoded forms only)."""
    ctype = request.headers.get("content-type", "")
    if "application/x-www-form-urlencoded" not in ctype:
        raise RespondWith(error(status, "Expected a form-encoded body"))
    raw = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(raw, keep_blank_values=True))


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def query_int(
    request: Request,
    name: str,
    default: int | None,
    error: VendorError,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    clamp: bool = False,
    status: int = 400,
) -> int | None:
    """An integer query parameter; out of range is an error, or clamped with ``clamp=True``."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise RespondWith(error(status, f"Parameter '{name}' must be an integer")) from exc
    if minimum is not None and value < minimum:
        if not clamp:
            raise RespondWith(error(status, f"Parameter '{name}' must be >= {minimum}"))
        value = minimum
    if maximum is not None and value > maximum:
        if not clamp:
            raise RespondWith(error(status, f"Parameter '{name}' must be <= {maximum}"))
        value = maximum
    return value


def int_field(value: Any, name: str, error: VendorError, *, status: int = 400) -> int:
    """A body field that must be an integer (bools and non-integral floats refused)."""
    if isinstance(value, bool):
        raise RespondWith(error(status, f"Field '{name}' must be an integer"))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise RespondWith(error(status, f"Field '{name}' must be an integer"))
