"""Lofty payloads <-> our records (../shared/vendor-docs/lofty-api.txt, "L…").

Leads are LeadResponse (L4254), kept whole in ``raw``. Edits send only what the user changed
(EditLeadRequest marks nothing required, digest §4.1 #8), and tags only when the user changed
tags: ``tags`` REPLACES every tag (L3608) while ``tagsAdd`` keeps them (L3610), so additions go
as ``tagsAdd`` and only a removal sends the full ``tags`` list. Lofty has no conversations:
call, email and text history becomes threads in ``history.py``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypedDict

from agencydesk.domain import (
    Lead,
    LeadStatus,
    Note,
    Provenance,
    RecordKind,
    SyncState,
    Task,
    TaskKind,
    TaskStatus,
)
from agencydesk.vendors.client_kit.values import as_str, bad, need_id
from agencydesk.vendors.value_maps import ValueMap, exact_meaning

VENDOR = "lofty"
Link = tuple[RecordKind, str]

# Our lead field -> EditLeadRequest field (L3506); lists handled apart.
LEAD_EDITS = {
    "first_name": "firstName",
    "last_name": "lastName",
    "street": "streetAddress",
    "city": "city",
    "state": "state",
    "zip_code": "zipCode",
    "stage": "stage",
    "source": "source",
}
LEAD_LIST_EDITS = {"email": "emails", "phone": "phones"}
# Stage names are the team's own and the document lists none (digest §9.1): a stage means one
# of our statuses only when the user mapped it for the account (``value_maps``) or its name IS
# our word; "Quote Sent" or "Nurture" is the vendor's own stage (LeadStatus.OTHER, the stage
# itself shown in the stage column), never guessed from a word inside it. Status is never
# written to Lofty: the stage is, as the vendor's own name.
STAGE_FIELD = "lead_stage"
OWN_STAGE_WORDS = {
    "new": "new",
    "contacted": "contacted",
    "quoted": "quoted",
    "won": "won",
    "lost": "lost",
}
TASK_KINDS = {"call": TaskKind.CALL, "email": TaskKind.EMAIL, "meeting": TaskKind.MEETING}
TASK_TYPES = {TaskKind.CALL: "Call", TaskKind.EMAIL: "Email", TaskKind.MEETING: "Meeting"}


def prov(account: str, remote_id: str) -> Provenance:
    return Provenance(vendor=VENDOR, account=account, remote_id=remote_id)


def lofty_time(item: dict[str, Any], key: str) -> datetime | None:
    """Plain string times (format undocumented, digest §3.4): ``2025-12-21T23:32:00GMT``, ISO
    with or without a zone, or epoch milliseconds; read as UTC when no zone is given."""
    value = item.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, UTC)
    if not isinstance(value, str):
        raise bad(key, value, "is not a time")
    text = value.strip().removesuffix("GMT").removesuffix("UTC").replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise bad(key, value, "is not a time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Times(TypedDict, total=False):
    created_at: datetime
    updated_at: datetime


def _times(item: dict[str, Any], created: str, updated: str) -> Times:
    out = Times()
    made = lofty_time(item, created)
    changed = lofty_time(item, updated) or made
    if made:
        out["created_at"] = made
    if changed:
        out["updated_at"] = changed
    return out


def _strings(item: dict[str, Any], key: str) -> list[str]:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad(key, value, "is not a list of strings")
    return value


def tag_names(item: dict[str, Any]) -> list[str]:
    """``tags`` are UserLeadTagVo objects on read (L5221), plain names on write (L3608)."""
    value = item.get("tags")
    if value is None:
        return []
    if not isinstance(value, list):
        raise bad("tags", value, "is not a list")
    names = []
    for tag in value:
        name = tag.get("tagName") if isinstance(tag, dict) else tag
        if not isinstance(name, str):
            raise bad("tags", tag, "has no tag name")
        names.append(name)
    return names


def status_of_stage(stage: str, values: ValueMap | None = None) -> LeadStatus:
    """Our status for a stage name: the user's mapping, then our own word; a lead without a
    stage is new; any other stage is the vendor's own (OTHER)."""
    if not stage.strip():
        return LeadStatus.NEW
    meaning = (values or ValueMap()).meaning(STAGE_FIELD, stage) or exact_meaning(
        stage, OWN_STAGE_WORDS
    )
    return LeadStatus(meaning) if meaning else LeadStatus.OTHER


def lead_from(item: dict[str, Any], account: str, values: ValueMap | None = None) -> Lead:
    remote_id = need_id(item, "leadId")
    emails, phones = _strings(item, "emails"), _strings(item, "phones")
    stage = as_str(item.get("stage"))
    return Lead(
        provenance=prov(account, remote_id),
        sync_state=SyncState.SYNCED,
        raw=item,
        first_name=as_str(item.get("firstName")),
        last_name=as_str(item.get("lastName")),
        email=emails[0] if emails else "",
        phone=phones[0] if phones else "",
        street=as_str(item.get("streetAddress")),
        city=as_str(item.get("city")),
        state=as_str(item.get("state")),
        zip_code=as_str(item.get("zipCode")),
        status=status_of_stage(stage, values),
        stage=stage,
        source=as_str(item.get("source")),
        producer=as_str(item.get("assignedUser")),
        tags=tuple(tag_names(item)),
        **_times(item, "createTime", "lastUpdateTime"),
    )


def lead_body(lead: Lead) -> dict[str, Any]:
    """LeadRequest (L632) for a new lead: a new lead has no tags to lose."""
    body: dict[str, Any] = {ours: getattr(lead, field) for field, ours in LEAD_EDITS.items()}
    body = {k: v for k, v in body.items() if v}
    if lead.email:
        body["emails"] = [lead.email]
    if lead.phone:
        body["phones"] = [lead.phone]
    if lead.tags:
        body["tags"] = list(lead.tags)
    return body


def lead_edit_body(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """EditLeadRequest with only the changed fields; tags never unless they changed."""
    body: dict[str, Any] = {}
    for ours, value in changes.items():
        if ours in LEAD_EDITS:
            body[LEAD_EDITS[ours]] = value
        elif ours in LEAD_LIST_EDITS:
            name = LEAD_LIST_EDITS[ours]
            rest = _strings(current, name)[1:]  # the first is ours; the others stay
            body[name] = ([value] if value else []) + rest
        elif ours == "tags":
            body.update(tag_edit(tag_names(current), list(value or ())))
    return body


def tag_edit(before: list[str], after: list[str]) -> dict[str, list[str]]:
    """``tagsAdd`` for additions only; ``tags`` (replace all) only when one was removed."""
    old = {t.casefold() for t in before}
    new = {t.casefold() for t in after}
    if old - new:
        return {"tags": after}
    added = [t for t in after if t.casefold() not in old]
    return {"tagsAdd": added} if added else {}


def note_from(item: dict[str, Any], account: str) -> tuple[Note, Link]:
    """NoteResponse (L4697): ``noteId`` is the note's id for /v1.0/notes/{noteId} (L1771);
    ``id`` is the timeline entry's."""
    remote_id = need_id(item, "noteId")
    lead_id = need_id(item, "leadId")
    note = Note(
        provenance=prov(account, remote_id),
        sync_state=SyncState.SYNCED,
        raw=item,
        parent_kind=RecordKind.LEAD,
        body=as_str(item.get("content")),
        author=as_str(item.get("creatorName")),
        **_times(item, "createTime", "lastUpdate"),
    )
    return note, (RecordKind.LEAD, lead_id)


def task_from(item: dict[str, Any], account: str) -> tuple[Task, Link]:
    """TaskResponse (L5070): ``deadline`` is a string here though an int64 on write (L5061)."""
    remote_id = need_id(item, "id")
    lead_id = need_id(item, "leadId")
    finished = item.get("finishFlag")
    if finished is not None and not isinstance(finished, bool):
        raise bad("finishFlag", finished, "is not true or false")
    due = lofty_time(item, "deadline")
    task = Task(
        provenance=prov(account, remote_id),
        sync_state=SyncState.SYNCED,
        raw=item,
        title=as_str(item.get("content") or item.get("subject")),
        task_kind=TASK_KINDS.get(as_str(item.get("type")).casefold(), TaskKind.TODO),
        status=TaskStatus.DONE if finished else TaskStatus.OPEN,
        due_date=due.date() if due else None,
        due_time=due.strftime("%H:%M") if due and (due.hour or due.minute) else "",
        assignee=as_str(item.get("assignedUser")),
        completed_at=lofty_time(item, "finishTime") if finished else None,
        **_times(item, "createTime", "lastUpdate"),
    )
    return task, (RecordKind.LEAD, lead_id)


def task_body(
    lead_id: str, kind: TaskKind, title: str, due: date | None, due_time: str
) -> dict[str, Any]:
    """TaskRequest (L5052): leadId, type, content, deadline (epoch ms), assignedRole."""
    deadline = None
    if due is not None:
        hour, _, minute = (due_time or "09:00").partition(":")
        moment = datetime(due.year, due.month, due.day, int(hour), int(minute or 0), tzinfo=UTC)
        deadline = int(moment.timestamp() * 1000)
    return {
        "leadId": int(lead_id),
        "type": TASK_TYPES.get(kind, "Other"),
        "content": title,
        "deadline": deadline,
        "assignedRole": "Agent",  # "Agent Or Assistant" (L5055); the lead's agent
    }
