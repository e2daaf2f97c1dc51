"""Vendor records the store cannot write, found before a page is stored
(``sync/unstorable.py``), so one such record is set aside like an unreadable one (named with its
vendor id and field) while the rest of its page and its account's read go on, instead of
failing the page's transaction every time.

What cannot be written (each checked against a real server, tests/hub/test_team_unstorable.py):
- on both dialects, text holding a lone surrogate (a JSON ``"\\ud800"`` escape with no pair):
  the drivers cannot encode it as UTF-8;
- on PostgreSQL, text holding a NUL character (its text type cannot hold one; SQLite's can),
  text longer than its column's declared length (SQLite ignores the length), and a NUL or lone
  surrogate anywhere in the vendor's payload: its ``json`` column takes them, but the link
  trigger's ``to_jsonb`` of the row refuses them at the record's next update or delete;
- integers beyond 64 bits, and on PostgreSQL beyond their column's size (an ``Integer`` column
  keeps 32 bits: a thread's message count; money is in 64-bit columns, migration 0039).

Nothing is stripped or shortened to make a record fit: what the user sees and what an edit sends
back to the vendor would then differ from what the vendor holds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import BigInteger, Integer, SmallInteger, String

from agencydesk.domain import Record
from agencydesk.store.convert import TABLES, record_values

_INT64 = 2**63
# PostgreSQL's integer columns by their declared size (SQLite keeps any 64-bit integer).
_PG_BITS: tuple[tuple[type, int], ...] = ((SmallInteger, 16), (BigInteger, 64), (Integer, 32))


def why_unstorable(record: Record, dialect: str) -> str | None:
    """Why the store on ``dialect`` ("sqlite", "postgresql") cannot write ``record``, naming
    the vendor's field where its payload shows which; None when it can."""
    postgres = dialect == "postgresql"
    table = TABLES[record.kind]
    try:
        values = record_values(record)
    except ValueError as exc:  # a value outside its field's kinds (a status no vendor maps to)
        return str(exc)
    for column, value in values.items():
        if column == "raw":
            continue
        for text in _texts(value):
            problem = _text_problem(text, postgres)
            if problem is None and postgres:
                length = getattr(table.c[column].type, "length", None)
                if isinstance(table.c[column].type, String) and length and len(text) > length:
                    problem = f"{len(text)} characters, more than the {length} the book keeps"
            if problem is not None:
                return f"{_vendor_field(record.raw, text) or column}: {problem}"
        if isinstance(value, int) and not isinstance(value, bool):
            limit = _int_limit(table.c[column].type) if postgres else _INT64
            if not -limit <= value < limit:
                field = _vendor_field(record.raw, value) or column
                return f"{field}: a number larger than the book keeps (over {limit - 1:,})"
    if postgres:
        for path, text in _payload_texts(record.raw, ""):
            problem = _text_problem(text, postgres)
            if problem is not None:
                return f"{path or 'payload'}: {problem}"
    return None


def _int_limit(column_type: object) -> int:
    for kind, bits in _PG_BITS:
        if isinstance(column_type, kind):
            return 1 << (bits - 1)
    return _INT64


def _text_problem(text: str, postgres: bool) -> str | None:
    if postgres and "\x00" in text:
        return "holds a NUL character (\\x00), which the team book cannot store"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "holds a broken character (a lone UTF-16 surrogate) the book cannot store"
    return None


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _payload_texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path like ``data.policyNumber``, text) for every key and string of a JSON payload."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            yield where, str(key)
            yield from _payload_texts(item, where)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _payload_texts(item, f"{path}[{number}]")


def _vendor_field(raw: Any, value: object) -> str:
    """The payload's path holding ``value`` (a mapped field as the vendor names it), or ""."""
    for path, text in _payload_texts(raw, ""):
        if text == value or (isinstance(value, str) and value and value in text):
            return path
    if isinstance(value, int):
        return _number_path(raw, value, "")
    return ""


def _number_path(raw: Any, value: int, path: str) -> str:
    if isinstance(raw, dict):
        for key, item in raw.items():
            where = f"{path}.{key}" if path else str(key)
            found = where if item == value else _number_path(item, value, where)
            if found:
                return found
    return ""
