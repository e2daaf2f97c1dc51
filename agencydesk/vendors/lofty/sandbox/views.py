"""Records as Lofty sends them: the documented response schemas (section 6 of the document),
with each kind of time in its own format, and the kit's "wrong types" fault applied per record."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record
from agencydesk.vendors.lofty.sandbox.times import epoch_ms, iso_time, text_time

# LogTypeResponse (L4609) has no content/logType although the request carries both (L4585).
LOG_TYPE_FIELDS = (
    "agentId",
    "callingOutcome",
    "id",
    "isPin",
    "leadId",
    "leadPhoneNumber",
    "outboundOrInbound",
)
CALL_HISTORY_FIELDS = ("agentId", "direction", "id", "leadId", "leadPhoneNumber")  # L3180


def public(record: Record) -> Record:
    # Shallow: every view is serialised at once and nested values are never mutated.
    return {k: v for k, v in record.items() if not k.startswith("_")}


def wrong_types(view: Record) -> Record:
    """The fault "a record with wrong types": numbers and flags as strings, arrays joined."""
    out: Record = {}
    for key, value in view.items():
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, int):
            out[key] = str(value)
        elif isinstance(value, list) and all(not isinstance(v, dict) for v in value):
            out[key] = ",".join(str(v) for v in value)
        else:
            out[key] = value
    return out


def emit(state: LoftyState, view: Record) -> Record:
    return wrong_types(view) if state.faults.take_wrong_types() else view


def lead_view(state: LoftyState, lead: Record) -> Record:
    """LeadResponse (L4254)."""
    view = public(lead)
    view["createTime"] = text_time(lead["_created"])
    view["lastUpdateTime"] = text_time(lead["_updated"])
    view["assignTime"] = text_time(lead.get("_assigned"))
    view["lastTouch"] = text_time(lead.get("_touched"))
    view["lastVisit"] = text_time(lead.get("_visited"))
    view["groups"] = list(lead["segments"])  # L4312 groups: deprecated twin of segments
    view["tags"] = [
        {
            "tagId": state.tag(name, 0)["tagId"],
            "tagName": name,
            "leadId": lead["leadId"],
            "creatorUserId": state.owner_id,
            "visibleType": 1,
            "createTime": text_time(added),
            "updateTime": text_time(added),
        }
        for name, added in lead["_tags"].values()
    ]  # UserLeadTagVo (L5221): times are plain strings here
    member = state.member(lead.get("assignedUserId"))
    view["assignedUser"] = _full_name(member) if member else None
    return emit(state, view)


def wrap_lead(state: LoftyState, view: Record) -> Record:
    return {"lead": view} if state.config.lead_envelope else view


def note_view(state: LoftyState, note: Record) -> Record:
    view = public(note)  # NoteResponse (L4697): id (timeline) and noteId differ
    view["createTime"] = text_time(note["_created"])
    view["lastUpdate"] = text_time(note["_updated"])
    return emit(state, view)


def task_view(state: LoftyState, task: Record) -> Record:
    """TaskResponse (L5070): lead fields denormalised, ``deadline`` a string (int64 on write)."""
    view = public(task)
    lead = state.leads.get(task["leadId"])
    if lead is not None:
        view.update(
            leadUserId=lead["leadUserId"],
            leadFirstName=lead["firstName"],
            leadLastName=lead["lastName"],
            leadName=f"{lead['firstName'] or ''} {lead['lastName'] or ''}".strip(),
            leadEmail=(lead["emails"] or [None])[0],
            leadPhone=(lead["phones"] or [None])[0],
            pipelineId=lead["stageId"],
        )
    member = state.member(task.get("assignedUserId"))
    view["assignedUser"] = _full_name(member) if member else None
    deadline = task.get("_deadline")
    view["deadline"] = text_time(deadline)
    view["createTime"] = text_time(task["_created"])
    view["lastUpdate"] = text_time(task["_updated"])
    view["finishTime"] = text_time(task.get("_finished"))
    view["overdueFlag"] = bool(
        deadline is not None and not task["finishFlag"] and deadline < state.now()
    )
    return emit(state, view)


def appt_view(state: LoftyState, appt: Record) -> Record:
    view = public(appt)  # Appointment (L3087): int64 times, date-time create/update
    view["deadline"] = epoch_ms(appt["_start"])
    view["endTime"] = epoch_ms(appt["_end"])
    view["finishTime"] = epoch_ms(appt.get("_finished"))
    view["overdue"] = bool(not appt["finishFlag"] and appt["_end"] < state.now())
    view["createTime"] = iso_time(appt["_created"])
    view["lastUpdate"] = iso_time(appt["_updated"])
    return emit(state, view)


def call_view(state: LoftyState, call: Record) -> Record:
    view = public(call)  # CallResponse (L3208)
    start: Any = call["_start"]
    view["startTime"] = text_time(start)
    view["endTime"] = text_time(start + timedelta(seconds=call["duration"]))
    view["createTime"] = text_time(start)
    view["updateTime"] = text_time(call["_updated"])
    secs = int(call["duration"])
    view["elapsedTime"] = f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}"
    return emit(state, view)


def call_history_view(state: LoftyState, call: Record) -> Record:
    view = {k: call[k] for k in CALL_HISTORY_FIELDS}
    view["createTime"] = text_time(call["_start"])
    return emit(state, view)


def email_view(state: LoftyState, email: Record) -> Record:
    view = public(email)  # EmailResponse (L3625): no body
    view["emailEventTime"] = text_time(email["_time"])
    return emit(state, view)


def text_view(state: LoftyState, text: Record) -> Record:
    view = public(text)  # TextResponse (L5157): no message content
    view["textTime"] = text_time(text["_time"])
    return emit(state, view)


def log_type_view(state: LoftyState, log: Record) -> Record:
    view = {k: log.get(k) for k in LOG_TYPE_FIELDS}
    view["createTime"] = text_time(log["_created"])
    return emit(state, view)


def system_log_view(state: LoftyState, entry: Record) -> Record:
    view = public(entry)  # SystemLogResponse (L4992): int64 timestamps
    view["createTime"] = epoch_ms(entry["_created"])
    view["updateTime"] = epoch_ms(entry["_created"])
    view["timelineTime"] = epoch_ms(entry["_created"])
    return emit(state, view)


def member_view(state: LoftyState, member: Record) -> Record:
    view = public(member)  # UserResponse (L5262)
    view["assignedLeadCount"] = sum(
        1
        for ld in state.leads.values()
        if ld["assignedUserId"] == member["id"] and not ld["_deleted"]
    )
    return emit(state, view)


def transaction_view(state: LoftyState, tx: Record) -> Record:
    view = public(tx)  # LeadTransaction (L4431): ms times
    view["created"] = epoch_ms(tx["_created"])
    view["updated"] = epoch_ms(tx["_updated"])
    lead = state.leads.get(tx["_leadId"])
    if lead is not None:
        view["leadName"] = f"{lead['firstName'] or ''} {lead['lastName'] or ''}".strip()
        view["assignedAgent"] = lead["assignedUserId"]
    return emit(state, view)


def tag_definition_view(tag: Record) -> Record:
    view = public(tag)  # UserLeadTag (L5204): date-time strings
    view["createTime"] = iso_time(tag["_created"])
    view["updateTime"] = iso_time(tag["_updated"])
    return view


def _full_name(member: Record) -> str:
    return f"{member['firstName']} {member['lastName']}".strip()
