"""Lofty's answers on the wire: empty 401/403/404 (the document says "No Content" for every
one), a ``{"code", "message"}`` body for bad input (undocumented; shape seen live), write results
typed ``string``, and query parameters (repeated ``array(multi)`` values, booleans)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from agencydesk.vendors.sandbox_kit.http import (
    RespondWith,
    json_response,
    read_json,
    read_json_object,
)

INVALID_PARAMETER = 20012  # ext: errorCode 20012 "Invalid parameter" (digest §3.5)


def lofty_error(status: int, message: str = "") -> Response:
    """401/403/404 are "No Content" in every operation (e.g. L82-90); 400 carries a message."""
    if status in (401, 403, 404):
        return Response(b"", status_code=status)
    return json_response({"code": INVALID_PARAMETER, "message": message}, status)


def fail(status: int, message: str = "") -> RespondWith:
    return RespondWith(lofty_error(status, message))


def invalid(field: str, why: str) -> RespondWith:
    return fail(400, f"Invalid parameter: {field} {why}")


NOTE_FIELDS = frozenset({"leadId", "content", "isPin"})  # NoteRequest (L4685)
LOG_FIELDS = frozenset(  # LogTypeRequest (L4585)
    {"leadId", "logType", "content", "callingOutcome", "leadPhoneNumber", "outboundOrInbound",
     "isPin"}
)  # fmt: skip


def only_fields(body: dict[str, object], allowed: frozenset[str]) -> None:
    """A body field its request schema does not have is a 400 (ASSUMPTIONS), never dropped in
    silence: a client that guesses one (a time a call happened) finds out here."""
    extra = sorted(set(body) - allowed)
    if extra:
        raise invalid(extra[0], "is not a field of this request")


def string_result(value: object) -> Response:
    """Writes answer ``200`` with schema ``string`` (e.g. L652); we send a JSON string: the new
    id for creates, ``"success"`` otherwise (an assumption)."""
    return json_response(str(value))


def no_content_json() -> Response:
    """PUT/DELETE notes and DELETE logType: 200 "No Content" with ``application/json;charset=UTF-8``
    (L1809-1827, L1842-1854, L2789-2801)."""
    return Response(
        b"",
        status_code=200,
        media_type=None,
        headers={"content-type": "application/json;charset=UTF-8"},
    )


_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")  # Spring's spellings


def q_bool(request: Request, name: str, default: bool | None = None) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise invalid(name, "must be true or false")


def q_int(request: Request, name: str, default: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise invalid(name, "must be an integer") from exc


def q_list(request: Request, name: str) -> list[str]:
    """``array(multi)``: the parameter repeated (L679); comma lists are split too."""
    out: list[str] = []
    for raw in request.query_params.getlist(name):
        out.extend(part.strip() for part in raw.split(",") if part.strip())
    return out


def q_ints(request: Request, name: str) -> list[int]:
    try:
        return [int(v) for v in q_list(request, name)]
    except ValueError as exc:
        raise invalid(name, "must be integers") from exc


def q_page(request: Request, *, default: int, maximum: int, name: str = "limit") -> int:
    """A page size: below 1 is refused, above the documented maximum is cut to it."""
    value = q_int(request, name, default)
    assert value is not None
    if value < 1:
        raise invalid(name, "must be at least 1")
    return min(value, maximum)


def q_offset(request: Request, name: str = "offset") -> int:
    value = q_int(request, name, 0)
    assert value is not None
    if value < 0:
        raise invalid(name, "must not be negative")
    return value


def path_id(request: Request, name: str) -> int:
    """An int64 path id (e.g. L1039); anything else is a 400 (a type mismatch, not a miss)."""
    raw = str(request.path_params[name])
    if not raw.lstrip("-").isdigit():
        raise invalid(name, "must be an integer")
    return int(raw)


def body_int(body: dict[str, Any], name: str, *, required: bool = False) -> int | None:
    value = body.get(name)
    if value is None:
        if required:
            raise invalid(name, "is required")
        return None
    if isinstance(value, bool):
        raise invalid(name, "must be an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise invalid(name, "must be an integer")


def body_str(body: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None or (required and value == ""):
        if required:
            raise invalid(name, "is required")
        return None
    if not isinstance(value, str):
        raise invalid(name, "must be a string")
    return value


def body_strs(body: dict[str, Any], name: str) -> list[str] | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid(name, "must be an array of strings")
    return list(value)


def body_bool(body: dict[str, Any], name: str) -> bool | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise invalid(name, "must be a boolean")
    return value


CONTENT_TYPE_CODE = 20001  # ext: 400 {"code":20001,"message":"Content-type must be: ..."}


def _require_json(request: Request) -> None:
    """L34 "set ... content type to json"; every body operation consumes application/json."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise RespondWith(
            json_response(
                {"code": CONTENT_TYPE_CODE, "message": "Content-type must be: application/json"},
                400,
            )
        )


async def json_body(request: Request) -> dict[str, Any]:
    """Every body is JSON (``Consumes application/json``, e.g. L667)."""
    _require_json(request)
    return await read_json_object(request, lofty_error)


async def json_any(request: Request) -> Any:
    _require_json(request)
    return await read_json(request, lofty_error)


def actor(request: Request) -> int:
    """The member whose credential made this call (set by the gate in auth.py)."""
    return int(request.state.lofty_member)
