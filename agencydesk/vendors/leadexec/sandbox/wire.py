"""How the LeadExec sandbox reads requests and writes answers.

The document shows no error model at all (digest section 3): the answers below follow ASP.NET
Web API's defaults (``{"Message": ...}``), which the API's naming (``Decending``, Windows time zone
names) points to; see ``assumptions.py``. Dates are .NET-style ISO strings ending in ``Z`` with
trimmed milliseconds (``2024-07-10T04:10:07.55Z``, L325); fields the document calls Pacific Time
are Pacific wall time with that same ``Z`` (L62, L153).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from starlette.responses import Response

from agencydesk.vendors.sandbox_kit.http import RespondWith
from agencydesk.vendors.sandbox_kit.http import json_response as _kit_json

if TYPE_CHECKING:
    from starlette.requests import Request

    from agencydesk.vendors.sandbox_kit.faults import FaultController

PACIFIC = ZoneInfo("America/Los_Angeles")

__all__ = ["RespondWith", "json_response"]
JSON_TYPE = "application/json; charset=utf-8"  # what ASP.NET Web API sends (assumption)


def json_response(data: Any, status: int = 200) -> Response:
    return _kit_json(data, status, content_type=JSON_TYPE)


def error(status: int, message: str) -> Response:
    return json_response({"Message": message}, status)


def fail(status: int, message: str) -> RespondWith:
    return RespondWith(error(status, message))


def not_found(kind: str, uid: object) -> RespondWith:
    return fail(404, f"{kind} {uid} was not found.")


def empty_ok() -> Response:
    """The document's ``200 OK`` answers (L539, L1190, L1263, L2698, L3299, L3527): no body."""
    return Response(b"", status_code=200)


# -- dates --
def _net(dt: datetime) -> str:
    millis = dt.microsecond // 1000
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if millis:
        text += "." + f"{millis:03d}".rstrip("0")
    return text + "Z"


def utc_z(dt: datetime | None) -> str | None:
    return None if dt is None else _net(dt.astimezone(UTC))


def pacific_z(dt: datetime | None) -> str | None:
    """Pacific wall time written with a ``Z`` (the document's own examples do this)."""
    return None if dt is None else _net(dt.astimezone(PACIFIC))


def order_z(dt: datetime | None) -> str | None:
    """Orders: "ISO 8601 format 'YYYY-MM-DDTHH:MM:SSZ'" (L2484)."""
    return None if dt is None else dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date(value: Any, name: str, *, pacific: bool = False) -> datetime:
    """An ISO date from a body. Pacific fields read their wall time as Pacific even with ``Z``."""
    if not isinstance(value, str) or not value.strip():
        raise fail(400, f"{name} must be an ISO 8601 date string.")
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text[:-1] if text.endswith("Z") else text)
    except ValueError as exc:
        raise fail(400, f"The value '{value}' is not valid for {name}.") from exc
    if pacific:
        return parsed.replace(tzinfo=PACIFIC).astimezone(UTC)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# -- request bodies --
async def body_json(request: Request) -> Any:
    """The JSON body; every documented request is ``content-type: application/json``."""
    ctype = request.headers.get("content-type", "")
    raw = await request.body()
    if "json" not in ctype.lower():
        media = ctype.split(";")[0].strip() or "application/octet-stream"
        raise fail(
            415, f"The request entity's media type '{media}' is not supported for this resource."
        )
    if not raw.strip():
        raise fail(400, "The request is invalid: the body is empty.")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise fail(400, f"The request is invalid: malformed JSON ({exc}).") from exc


async def body_object(request: Request) -> dict[str, Any]:
    data = await body_json(request)
    if not isinstance(data, dict):
        raise fail(400, "The request is invalid: the body must be a JSON object.")
    return data


def path_int(request: Request, name: str) -> int:
    raw = request.path_params[name]
    try:
        return int(raw)
    except ValueError as exc:
        raise fail(400, f"The value '{raw}' is not valid for {name}.") from exc


def _missing(name: str) -> RespondWith:
    return fail(400, f"{name} is required.")


def as_int(value: Any, name: str) -> int:
    """Ids documented as integers; the document itself types some as strings (digest quirk 8),
    so digit strings are accepted."""
    if isinstance(value, bool) or value is None:
        raise fail(400, f"The value '{value}' is not valid for {name}.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise fail(400, f"The value '{value}' is not valid for {name}.")


def req_int(body: dict[str, Any], name: str, label: str | None = None) -> int:
    if body.get(name) is None:
        raise _missing(label or name)
    return as_int(body[name], label or name)


def opt_int(body: dict[str, Any], name: str, default: int | None = None) -> int | None:
    return default if body.get(name) is None else as_int(body[name], name)


def req_float(body: dict[str, Any], name: str, label: str | None = None) -> float:
    value = body.get(name)
    if value is None:
        raise _missing(label or name)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise fail(400, f"The value '{value}' is not valid for {label or name}.")
    try:
        return float(value)
    except ValueError as exc:
        raise fail(400, f"The value '{value}' is not valid for {label or name}.") from exc


def req_bool(body: dict[str, Any], name: str, label: str | None = None) -> bool:
    value = body.get(name)
    if value is None:
        raise _missing(label or name)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise fail(400, f"The value '{value}' is not valid for {label or name}.")


def opt_bool(body: dict[str, Any], name: str, default: bool) -> bool:
    return default if body.get(name) is None else req_bool(body, name)


def req_str(
    body: dict[str, Any], name: str, label: str | None = None, *, blank: bool = True
) -> str:
    value = body.get(name)
    if value is None:
        raise _missing(label or name)
    if not isinstance(value, str):
        raise fail(400, f"The value '{value}' is not valid for {label or name}.")
    if not blank and not value.strip():
        raise fail(400, f"{label or name} must not be empty.")
    return value


def opt_str(body: dict[str, Any], name: str, default: str = "") -> str:
    return default if body.get(name) is None else req_str(body, name)


def req_enum(body: dict[str, Any], name: str, allowed: tuple[Any, ...], label: str = "") -> Any:
    value = body.get(name)
    if value is None:
        raise _missing(label or name)
    if value not in allowed or isinstance(value, bool):
        choices = ", ".join(str(a) for a in allowed)
        raise fail(400, f"The value '{value}' is not valid for {label or name} ({choices}).")
    return value


def require_keys(body: dict[str, Any], names: tuple[str, ...], prefix: str = "") -> None:
    """Fields the document marks "required" that this sandbox only stores: they must be sent."""
    for name in names:
        if name not in body:
            raise _missing(prefix + name)


# -- faults --
def _wrong(value: Any) -> Any:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return len(value)
    return value


def maybe_wrong(faults: FaultController, record: dict[str, Any]) -> dict[str, Any]:
    """A list route's record, with its scalar fields' types swapped when the fault says so
    (numbers become strings, booleans "True"/"False", strings their length)."""
    if not faults.take_wrong_types():
        return record
    return {key: _wrong(value) for key, value in record.items()}
