"""Which differences between two vendor payloads of one record are real changes: the ONE rule a
vendor has, used both by the store (a pulled record whose local edit still waits turns CONFLICT)
and by the vendor's pusher (an update is refused as a conflict before it is sent). Two rules would
let a record sync quietly and then conflict on sending, or the other way round.

The mechanism lives here (plain data, no I/O) so the store can apply it without importing a
vendor; each vendor's ``changes.py`` declares its own ``ChangeRule`` (its fields that move
without anyone editing the record), and ``agencydesk.vendors.change_rules`` finds it by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from agencydesk.domain.values import RecordKind

Payload = Mapping[str, Any]
# (base, now) -> names of what changed, for a field the generic comparison cannot judge (a list
# of field values keyed by their own ids, say). Gets only the two values of that one field.
FieldComparer = Callable[[Any, Any], list[str]]


@dataclass(frozen=True, slots=True)
class ChangeRule:
    """``ignored``: per record kind, top-level payload fields that move without anyone editing
    the record (activity dates, totals, names looked up from ids); ``compared_by``: fields whose
    difference is judged by their own comparer (which names what changed inside them).

    Only fields both payloads hold are compared: a detail read and a listing row of the same
    record may carry different sets of fields, and a field one of them lacks says nothing."""

    vendor: str
    ignored: Mapping[RecordKind, frozenset[str]] = field(default_factory=dict)
    compared_by: Mapping[str, FieldComparer] = field(default_factory=dict)

    def changed(self, kind: RecordKind, base: Payload, now: Payload) -> list[str]:
        """The names of what really changed from ``base`` to ``now`` (sorted; [] for none)."""
        skip = self.ignored.get(kind, frozenset())
        found: list[str] = []
        for key, before in base.items():
            if key in skip or key not in now:
                continue
            comparer = self.compared_by.get(key)
            if comparer is not None:
                found += comparer(before, now[key])
            elif before != now[key]:
                found.append(key)
        return sorted(found)

    def is_real_change(self, kind: RecordKind, base: Payload, now: Payload) -> bool:
        return bool(self.changed(kind, base, now))


# A vendor that declares nothing (tests' fakes, records made here): every field both hold.
EVERY_FIELD = ChangeRule("")
