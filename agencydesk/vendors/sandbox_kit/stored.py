"""Turning a sandbox's stored record (a dataclass or a dict, with nested people, lookups and
dates) into the plain JSON the sandbox-only inspector answers, and building a vendor's
``lookup(kind, id)`` from its tables.

Why a copy: a test compares the record before and after a write; a live reference would change
under it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from agencydesk.vendors.sandbox_kit.inspector import RecordLookup


def stored_json(value: Any) -> Any:
    """``value`` as JSON-able data: dataclasses become dicts of every field (slots included),
    dates ISO strings; locks and other bookkeeping objects are left out."""
    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: stored_json(getattr(value, f.name))
            for f in fields(value)
            if not isinstance(getattr(value, f.name), _SKIPPED)
        }
    if isinstance(value, Mapping):
        return {str(k): stored_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [stored_json(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


_SKIPPED = (type(threading.Lock()), type(threading.RLock()))


def table_lookup(
    tables: Mapping[str, Callable[[], Mapping[Any, Any]]],
    *,
    shape: Callable[[str, Any], dict[str, Any]] | None = None,
) -> RecordLookup:
    """A lookup over ``tables`` (the vendor's plural kind -> its table, read when asked so a
    replaced table is seen). Ids are tried as given, then as an integer. ``shape(kind, record)``
    may add what the record only points at (a lookup id's text); by default the stored record
    alone is answered."""

    def lookup(kind: str, record_id: str) -> dict[str, Any] | None:
        table = tables[kind]()  # KeyError: the inspector answers "no such kind"
        record = table.get(record_id)
        if record is None and record_id.lstrip("-").isdigit():
            record = table.get(int(record_id))
        if record is None:
            return None
        if shape is not None:
            return shape(kind, record)
        answer = stored_json(record)
        return answer if isinstance(answer, dict) else {"value": answer}

    return lookup
