"""Lofty's one rule for what is a real change to a record (used by the store's conflict check
and by ``push.py``): fields that move without anyone editing the record are not."""

from __future__ import annotations

from agencydesk.domain import RecordKind
from agencydesk.domain.change_rule import ChangeRule

VOLATILE = {
    RecordKind.LEAD: frozenset(
        ["lastUpdateTime", "lastTouch", "lastVisit", "score", "assignTime", "opportunity"]
    ),
    RecordKind.TASK: frozenset(["lastUpdate", "overdueFlag"]),
    RecordKind.NOTE: frozenset(["lastUpdate", "id"]),
}

CHANGE_RULE = ChangeRule("lofty", ignored=VOLATILE)
