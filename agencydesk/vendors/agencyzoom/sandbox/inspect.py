"""What the AgencyZoom sandbox really stores, for the sandbox-only inspector
(``GET /_sandbox/records/{kind}/{id}``, sandbox_kit/inspector.py). Kinds are AgencyZoom's own
plural nouns (its paths say ``leads``, ``customers``, ``policies``, ``tasks``, ``notes``…).

A record with a write body answers that body's fields under the document's own names (every
writable field, also those no read endpoint returns: ``streetAddressLine2``, ``dba``,
``otherCsrs``…), next to what the sandbox keeps beside it (``lead_type``, ``status``…)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from agencydesk.vendors.agencyzoom.sandbox.state import AgencyZoomState

# kind -> the state table holding it
TABLES = {
    "leads": "leads",
    "customers": "customers",
    "policies": "policies",
    "tasks": "tasks",
    "notes": "notes",
    "opportunities": "opportunities",
    "quotes": "opportunities",
    "drivers": "drivers",
    "vehicles": "vehicles",
    "files": "files",
    "threads": "threads",
    "life": "life_leads",
    "serviceTickets": "tickets",
    "contacts": "contacts",
    "employees": "employees",
}
HIDDEN = frozenset(["password"])  # an employee's sign-in secret stays out of the answer


def stored_record(state: AgencyZoomState, kind: str, record_id: str) -> dict[str, Any] | None:
    """The whole stored record as JSON-able data; None when there is none; KeyError for a kind
    the sandbox does not store."""
    table: dict[Any, Any] = getattr(state, TABLES[kind])
    key: Any = record_id if kind == "threads" else _int(record_id)
    record = table.get(key)
    if record is None:
        return None
    if kind in ("quotes", "opportunities") and record.is_quote != (kind == "quotes"):
        return None
    return flatten(record)


def flatten(record: Any) -> dict[str, Any]:
    """The write body's fields at the top level (vendor names), the rest beside them."""
    outer = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    body = outer.pop("data", None)
    answer = _plain(body) if dataclasses.is_dataclass(body) else {}
    for name, value in outer.items():
        if name not in HIDDEN:
            answer[name] = _plain(value)
    # exactly what the inspector's JSON answer says (times as text)
    plain: dict[str, Any] = json.loads(json.dumps(answer, default=str))
    return plain


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None
