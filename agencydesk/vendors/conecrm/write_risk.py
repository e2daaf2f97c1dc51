"""Which ConeCRM fields an edit would overwrite without AgencyDesk being able to read them first
(issue 15), checked before the edit is queued and again before it is sent.

Tasks: PATCH /api/task/{task} takes the whole TaskRequest, ``assignee`` and ``title`` required
(L10906), so every field goes back as AgencyDesk last saw it (the answer to its own create or
update). Looked for a way to read the task first: there is no task list or detail, no query
builder entity for tasks is documented (L8581) and a lead carries no tasks (vendor-notes §8). So
whatever someone changed in ConeCRM since would be set back: every field the edit does not set
is at risk, and the edit goes only on the user's explicit agreement for that task.

Accounts: PATCH /api/account/{account} takes any subset (no field required, L2562): an edit
sends only what changed and risks nothing. Leads and contacts cannot be changed from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agencydesk.domain import Record, RecordKind
from agencydesk.vendors.connector import CONFIRMED_LOSS

# (TaskRequest field, label, our fields whose edit sets it) in TaskRequest order (L15626).
TASK_FIELDS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("type", "Type", frozenset({"task_kind"})),
    ("assignee", "Assignee", frozenset()),
    ("start", "Due date and time", frozenset({"due_date", "due_time"})),
    ("end", "End", frozenset()),
    ("title", "Title", frozenset({"title"})),
    ("note", "Note", frozenset({"comments"})),
    ("contact", "Contact", frozenset()),
    ("account", "Account", frozenset()),
    ("connection", "Lead", frozenset()),
)


def fields_at_risk(
    kind: RecordKind, record: Record | None, changes: Mapping[str, Any]
) -> list[str]:
    """Labels of what the edit would set back unread ([] when safe). Pure: no network."""
    if kind is not RecordKind.TASK or record is None or not record.provenance.remote_id:
        return []  # not a task at ConeCRM (yet): nothing there to set back
    edited = set(changes) - {CONFIRMED_LOSS}
    if not edited:
        return []
    return [label for _field, label, ours in TASK_FIELDS if not ours & edited]


def unconfirmed(kind: RecordKind, record: Record | None, changes: Mapping[str, Any]) -> list[str]:
    """The fields at risk the user has not agreed to lose on this record."""
    agreed = set(changes.get(CONFIRMED_LOSS) or ())
    return [label for label in fields_at_risk(kind, record, changes) if label not in agreed]


def warning(labels: list[str]) -> str:
    """What the user is told, naming the fields and why."""
    return (
        f"ConeCRM's API would set this task's {', '.join(labels)} back to what AgencyDesk last "
        "saw, and does not let AgencyDesk read them: anything changed in ConeCRM since would be "
        "lost."
    )
