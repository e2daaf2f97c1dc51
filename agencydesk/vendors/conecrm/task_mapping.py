"""ConeCRM tasks <-> our Task (conecrm-api.txt, "L…"). Tasks cannot be listed or read (vendor-notes
conecrm.md §8): only the answers to our own creates and updates are mapped. TaskRequest (L15626)
takes bare UUIDs (assignee, contact, account, connection) where leads take ``{"id"}`` objects.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agencydesk.domain import Provenance, SyncState, Task, TaskKind, TaskStatus
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.values import Unreadable, bad
from agencydesk.vendors.conecrm.client import VENDOR
from agencydesk.vendors.conecrm.mapping import need_uuid, ref_id, split_customer_id, when

# TaskRequest.type (L15642; values L15654-L15662: CALL, MEETING, OTHER, SMS, FOLLOW_UP, REMINDER,
# LINKEDIN_MESSAGE, DM) <-> our kinds, by meaning: a plain to-do is OTHER. ConeCRM has no email
# task, so an email task is refused rather than written as something else. Other types (SMS,
# FOLLOW_UP…) read as to-dos and go back exactly as read unless the kind is changed here.
TASK_TYPE_OF = {TaskKind.CALL: "CALL", TaskKind.MEETING: "MEETING", TaskKind.TODO: "OTHER"}
KIND_OF_TYPE = {"CALL": TaskKind.CALL, "MEETING": TaskKind.MEETING}


def task_type(kind: TaskKind) -> str:
    """The ConeCRM type meaning ``kind``; refused when it has none."""
    found = TASK_TYPE_OF.get(TaskKind(kind))
    if found is None:
        why = f"ConeCRM has no {TaskKind(kind).value} task type (call, meeting or to-do)"
        raise errors.ValidationFailed(VENDOR, why, field_errors={"task_kind": why}, status=None)
    return found


def task_from(item: dict[str, Any], account: str) -> Task:
    """Task (L17928) as answered by create/update."""
    uid = need_uuid(item, "id")
    start = when(item, "start")
    done = item.get("taskDone")
    if done is not None and not isinstance(done, bool):
        raise bad("taskDone", done, "is not true/false")
    title = item.get("title")
    if not isinstance(title, str):
        raise bad("title", title, "is not text")
    assignee = item.get("assignee")
    who = assignee.get("displayName") if isinstance(assignee, dict) else ""
    created = when(item, "dateCreated") or datetime.now(UTC)
    return Task(
        provenance=Provenance(vendor=VENDOR, account=account, remote_id=uid),
        created_at=created,
        updated_at=when(item, "dateModified") or created,
        sync_state=SyncState.SYNCED,
        raw=dict(item),
        title=title,
        task_kind=KIND_OF_TYPE.get(str(item.get("type") or ""), TaskKind.TODO),
        status=TaskStatus.DONE if done else TaskStatus.OPEN,
        due_date=start.date() if start else None,
        due_time=start.strftime("%H:%M") if start and (start.hour or start.minute) else "",
        assignee=str(who or ""),
        comments=str(item.get("note") or ""),
    )


def _start(due_date: Any, due_time: str) -> str | None:
    if not due_date:
        return None
    day = due_date.isoformat() if hasattr(due_date, "isoformat") else str(due_date)[:10]
    return f"{day}T{due_time or '00:00'}:00Z"


def new_task_body(task: Task, assignee: str, parents: dict[str, str]) -> dict[str, Any]:
    """TaskRequest (L15626): bare UUIDs for assignee, contact, account and connection."""
    body: dict[str, Any] = {
        "type": task_type(task.task_kind),
        "assignee": assignee,
        "title": task.title,
        "note": task.comments or None,
        "start": _start(task.due_date, task.due_time),
    }
    customer = parents.get("customer_id", "")
    if customer:
        kind, uid = split_customer_id(customer)
        body[kind] = uid
    if parents.get("lead_id"):
        body["connection"] = parents["lead_id"]
    return body


def task_update_body(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """PATCH replaces the whole task (assignee and title required, L10906): every TaskRequest
    field from the stored payload, then the user's edits."""
    try:
        body: dict[str, Any] = {
            "type": base.get("type"),
            "assignee": ref_id(base, "assignee"),
            "start": base.get("start"),
            "end": base.get("end"),
            "title": base.get("title"),
            "note": base.get("note"),
            "contact": ref_id(base, "contact") or None,
            "account": ref_id(base, "account") or None,
            "connection": ref_id(base, "connection") or None,
        }
    except Unreadable as exc:
        raise errors.BadPayload(VENDOR, str(base.get("id") or ""), str(exc)) from exc
    if "title" in changes:
        body["title"] = changes["title"]
    if "comments" in changes:
        body["note"] = changes["comments"] or None
    if "task_kind" in changes:
        body["type"] = task_type(changes["task_kind"])
    if "due_date" in changes or "due_time" in changes:
        current = when(base, "start")
        day = changes.get("due_date", current.date() if current else None)
        hour = changes.get("due_time", current.strftime("%H:%M") if current else "")
        body["start"] = _start(day, hour)
    return body
