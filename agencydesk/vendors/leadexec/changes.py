"""LeadExec's one rule for what is a real change to a client (used by the store's conflict check
and by ``push.py``): its list-row properties, and its field values compared one by one by
field id (L553), named by their descriptor. PastValues move with every change and are not
compared."""

from __future__ import annotations

from typing import Any

from agencydesk.domain.change_rule import ChangeRule
from agencydesk.vendors.leadexec.mapping import FIELDS_KEY


def _field_values(before: Any, now: Any) -> list[str]:
    earlier = _values_by_uid(before)
    return [
        name
        for uid, (name, value) in _values_by_uid(now).items()
        if uid in earlier and earlier[uid][1] != value
    ]


def _values_by_uid(fields: Any) -> dict[str, tuple[str, str]]:
    if not isinstance(fields, list):
        return {}
    return {
        str(f.get("ClientFieldUID")): (
            str(f.get("Descriptor") or ""),
            str(f.get("FieldValue") or ""),
        )
        for f in fields
        if isinstance(f, dict)
    }


CHANGE_RULE = ChangeRule("leadexec", compared_by={FIELDS_KEY: _field_values})
