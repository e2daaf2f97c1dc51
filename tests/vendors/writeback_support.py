"""What the write-back property tests share: the difference between two inspector answers,
field by field, so a test can say "only these fields changed at the vendor"."""

from __future__ import annotations

from typing import Any

import httpx

from agencydesk.vendors.sandbox_kit.base import Sandbox


async def inspect(sandbox: Sandbox, kind: str, record_id: str) -> dict[str, Any]:
    """The whole stored record, through the sandbox-only inspector over the sandbox's app."""
    transport = httpx.ASGITransport(app=sandbox.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        answer = await http.get(f"/_sandbox/records/{kind}/{record_id}")
    assert answer.status_code == 200, answer.text
    record = answer.json()
    assert isinstance(record, dict)
    return record


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """Top-level stored fields whose value differs (added or removed ones included)."""
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def filled(record: dict[str, Any], names: list[str]) -> list[str]:
    """The names among ``names`` the stored record holds no value for."""
    return [n for n in names if record.get(n) in (None, "", [], {})]


def flat(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested stored fields as dotted names ("fields.city"), so a change names its leaf. An
    empty mapping has no leaves: emptying one shows as its leaves removed."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flat(value, f"{name}."))
        else:
            out[name] = value
    return out
