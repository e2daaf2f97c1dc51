"""ConeCRM's answer shapes. The document uses at least five error shapes (digest 3.4):
no body (most 400/403/404), ``{"error": …}`` (custom labels, filters, query builder),
``{"errors": {…}, "message": …}`` (lead create/copy, L6820), a bare JSON string (task
validation, L10714-L10715) and, for auth, the Symfony JWT bundle's ``{"code", "message"}``
(an assumption: the document shows no 401 body).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from agencydesk.vendors.sandbox_kit.http import RespondWith, json_response


def iso(value: datetime | None) -> str | None:
    """``2019-08-24T14:15:22Z`` as in every example."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# The one date-time form the document's examples show and our client sends (assumptions.py).
ISO_Z = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def parse_iso(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or ISO_Z.fullmatch(value) is None:
        raise ValueError("not a date-time like 2019-08-24T14:15:22Z")
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def ok(data: Any, status: int = 200) -> Response:
    return json_response(data, status=status)


def empty(status: int) -> Response:
    """A documented response with schema ``None``."""
    return Response(status_code=status)


def error(status: int, message: str) -> Response:
    return json_response({"error": message}, status=status)


def form_errors(errors: dict[str, list[str]], message: str = "Validation failed") -> Response:
    return json_response({"errors": errors, "message": message}, status=400)


def violation(path: str, message: str) -> Response:
    """Task validation: a bare JSON string, property path then message (L10715)."""
    return json_response(f"{path} {message}", status=400)


def jwt_error(message: str) -> Response:
    return json_response({"code": 401, "message": message}, status=401)


def rate_limited(retry_after: int) -> Response:
    return json_response(
        {"code": 429, "message": "Too Many Requests"},
        status=429,
        headers={"Retry-After": str(retry_after)},
    )


def server_error(status: int) -> Response:
    return json_response({"code": status, "message": "Internal Server Error"}, status=status)


def fail(response: Response) -> RespondWith:
    return RespondWith(response)
