"""What every AgencyZoom route shares: the generic confirmation body, the error answer, the
0-based page/pageSize paging with per-endpoint maxima, date formats, and body parsing onto the
typed write records.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from starlette.responses import Response

from agencydesk.vendors.sandbox_kit.http import RespondWith, json_response

CENTRAL = ZoneInfo("America/Chicago")
INVALID = "Invalid request parameter(s)"  # the documented 400 text (e.g. L426)
T = TypeVar("T")


def std(message: str = "Success", id_: int = 0, result: bool = True) -> Response:
    """The generic confirmation body ``{"message", "id", "result"}`` (e.g. L218, L306)."""
    return json_response({"message": message, "id": id_, "result": result})


def error(status: int, message: str) -> Response:
    """Errors reuse the confirmation shape with ``result: false`` (ASSUMPTIONS: error body)."""
    return json_response({"message": message, "id": 0, "result": False}, status)


def fail(message: str, status: int = 400) -> RespondWith:
    """``raise fail("…")`` answers 400 "Invalid request parameter(s): …" at once."""
    text = message if message.startswith(("Invalid", "Unauthorized")) else f"{INVALID}: {message}"
    return RespondWith(error(status, text))


# -- dates ---------------
def ymd(dt: datetime | date | None) -> str | None:
    """yyyy-MM-dd, e.g. lead ``createDate`` "2019-01-01" (L3826)."""
    return None if dt is None else dt.strftime("%Y-%m-%d")


def ymd_hms(dt: datetime | None) -> str | None:
    """yyyy-MM-dd HH:mm:ss, e.g. customer ``createDate`` "2019-01-01 10:12:30" (L482)."""
    return None if dt is None else dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def mdy(d: date | None) -> str | None:
    """MM/dd/yyyy, e.g. policy ``effectiveDate`` "08/29/2019" (L1412)."""
    return None if d is None else d.strftime("%m/%d/%Y")


def parse_day(value: Any, name: str) -> date | None:
    """A filter date in YYYY-MM-DD (lead search, L2378; customer search ISO 8601, L423)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise fail(f"{name} must be a YYYY-MM-DD string")
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise fail(f"{name} must be YYYY-MM-DD") from exc


def parse_any_date(value: str | None) -> date | None:
    """Lenient reading of the document's many write formats (MM/dd/yyyy, mm/dd/yy, yyyy-MM-dd)."""
    if not value:
        return None
    for fmt in ("%m/%d/%Y", "%Y-%m-%d", "%m/%d/%y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def day_range(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Inclusive whole UTC days (ASSUMPTIONS: dates are UTC days)."""
    lo = datetime(start.year, start.month, start.day, tzinfo=UTC) if start else None
    hi = datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1) if end else None
    return lo, hi


def in_range(dt: datetime, lo: datetime | None, hi: datetime | None) -> bool:
    return (lo is None or dt >= lo) and (hi is None or dt < hi)


# -- body parsing ---------------
def _kind(cls: type, name: str) -> Any:
    hints = typing.get_type_hints(cls)
    hint = hints[name]
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if isinstance(hint, types.UnionType) and len(args) == 1:
        return args[0]
    return hint


_KINDS: dict[type, dict[str, Any]] = {}


def kinds(cls: type) -> dict[str, Any]:
    if cls not in _KINDS:
        _KINDS[cls] = {f.name: _kind(cls, f.name) for f in dataclasses.fields(cls)}
    return _KINDS[cls]


def coerce(kind: Any, value: Any, name: str) -> Any:
    """Jackson-like leniency: numeric strings pass as integers, numbers as strings (the
    document's own samples send ``"1"`` for integer fields, L5050); anything else is a 400."""
    if value is None:
        return None
    if kind is int:
        if isinstance(value, bool):
            raise fail(f"{name} must be an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value.strip())
        raise fail(f"{name} must be an integer")
    if kind is float:
        if isinstance(value, bool):
            raise fail(f"{name} must be a number")
        if isinstance(value, int | float):
            return float(value)
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise fail(f"{name} must be a number") from exc
    if kind is str:
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise fail(f"{name} must be a string")
    if kind is bool:
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise fail(f"{name} must be a boolean")
    origin = typing.get_origin(kind)
    if origin is list:
        if not isinstance(value, list):
            raise fail(f"{name} must be an array")
        (item,) = typing.get_args(kind)
        if item in (int, str):
            return [coerce(item, v, f"{name}[]") for v in value]
        if not all(isinstance(v, dict) for v in value):
            raise fail(f"{name} must be an array of objects")
        return list(value)
    if origin is dict:
        if not isinstance(value, dict):
            raise fail(f"{name} must be an object")
        return dict(value)
    return value


def parse_write(
    cls: type[T],
    body: dict[str, Any],
    *,
    required: tuple[str, ...] = (),
    keep: T | None = None,
    only: tuple[str, ...] | None = None,
) -> T:
    """Build a write record from a JSON body. Fields the body leaves out become None, or keep the
    value of ``keep`` (a merge). ``required`` fields must be present and not empty."""
    for name in required:
        if body.get(name) in (None, "", []):
            raise fail(f"{name} is required")
    values: dict[str, Any] = {}
    for name, kind in kinds(cls).items():
        if only is not None and name not in only:
            values[name] = getattr(keep, name) if keep is not None else None
        elif name in body:
            values[name] = coerce(kind, body[name], name)
        else:
            values[name] = getattr(keep, name) if keep is not None else None
    return cls(**values)


def field_value(body: dict[str, Any], name: str, kind: Any, *, required: bool = False) -> Any:
    value = body.get(name)
    if required and value in (None, ""):
        raise fail(f"{name} is required")
    return coerce(kind, value, name)


def id_filter(body: dict[str, Any], name: str) -> int | None:
    """An id filter in a search body; 0, as the request samples send it, filters nothing
    (ASSUMPTIONS: zero ids)."""
    value = field_value(body, name, int)
    return None if value == 0 else value


# -- paging ---------------
@dataclasses.dataclass(frozen=True, slots=True)
class Page:
    page: int
    size: int

    def slice(self, items: list[T]) -> list[T]:
        start = self.page * self.size
        return items[start : start + self.size]


def paging(body: dict[str, Any], maximum: int) -> Page:
    """``page`` (default 0, "Start with 0") and ``pageSize`` (default 20, "The maximum is N"),
    e.g. L423. Above the maximum is a 400 (ASSUMPTIONS: page size above the maximum)."""
    size = field_value(body, "pageSize", int)
    page = field_value(body, "page", int)
    size = 20 if size is None else size
    page = 0 if page is None else page
    if size < 1 or size > maximum:
        raise fail(f"pageSize must be between 1 and {maximum}")
    if page < 0:
        raise fail("page must be >= 0")
    order = body.get("order")
    if order not in (None, "", "asc", "desc"):
        raise fail('order must be "asc" or "desc"')
    return Page(page, size)


def descending(body: dict[str, Any]) -> bool:
    return body.get("order") == "desc"


def envelope(items_key: str, items: list[Any], total: int, page: Page, **extra: Any) -> Response:
    """``{"totalCount", "page", "pageSize", "<items>"}`` (e.g. L423); ``page`` echoes the 0-based
    request (ASSUMPTIONS: page echo)."""
    return json_response(
        {"totalCount": total, "page": page.page, "pageSize": page.size, items_key: items, **extra}
    )


def as_int(raw: str, name: str) -> int:
    """A path id: ``integer <int64>`` (L482); anything else is a 400 (the document has no 404)."""
    if not raw.isdigit():
        raise fail(f"{name} must be an integer")
    return int(raw)
