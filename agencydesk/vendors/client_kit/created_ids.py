"""The id a vendor answers for a record it just made, trusted only when it is a real one.

Issue 15: an id of ``0``, a missing id, or a non-numeric id where the vendor's ids are numbers
once made the client read (or link) some other record. Such an answer raises ``MadeNotLinked``:
the create was made, so it is never sent again, and the record is linked by a later lookup."""

from __future__ import annotations

from typing import Any

from agencydesk.vendors.client_kit.errors import MadeNotLinked


def real_id(vendor: str, answer: Any, *, numeric: bool, key: str = "id") -> str:
    """The id in ``answer`` (a dict holding ``key``, or the bare id), or ``MadeNotLinked``."""
    value = answer.get(key) if isinstance(answer, dict) else answer
    text = "" if isinstance(value, bool) or value is None else str(value).strip().strip('"')
    if not text or text in {"0", "None", "null"}:
        raise MadeNotLinked(vendor, f"the new record was made but its id came back as {value!r}")
    if numeric and not (text.isdigit() and int(text) > 0):
        raise MadeNotLinked(vendor, f"the new record was made but its id {value!r} is not a number")
    return text
