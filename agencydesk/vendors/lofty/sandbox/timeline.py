"""What goes on a lead's timeline: notes (NoteResponse, L4697) and system-log entries
(SystemLogResponse, L4992). Used by the seed and by the routes that write."""

from __future__ import annotations

import json
from datetime import datetime

from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record


def add_note(
    state: LoftyState,
    lead_id: int,
    content: str,
    author: int,
    when: datetime,
    *,
    pin: bool = False,
    system: bool = False,
) -> Record:
    """A note and its timeline entry (NoteResponse ``id`` is the timeline id, L4716)."""
    note_id, timeline_id = state.next_id(), state.next_id()
    member = state.members.get(author)
    name = f"{member['firstName']} {member['lastName']}" if member else "System"
    note = {
        "id": timeline_id,
        "noteId": note_id,
        "leadId": lead_id,
        "content": content,
        "isPin": pin,
        "systemNote": system,
        "deleteFlag": False,
        "creatorId": author,
        "creatorName": name,
        "lastEditorId": author,
        "lastEditorName": name,
        "_created": when,
        "_updated": when,
    }
    state.notes[note_id] = note
    add_timeline(
        state, lead_id, author, 1 if system else 2, {"note": content}, when, timeline_id=timeline_id
    )
    return note


def add_timeline(
    state: LoftyState,
    lead_id: int,
    agent: int,
    kind: int,
    content: Record,
    when: datetime,
    *,
    timeline_id: int | None = None,
) -> None:
    """A system-log entry (SystemLogResponse, L4992); ``timelineType`` codes are ours."""
    lead = state.leads.get(lead_id)
    entry_id = timeline_id or state.next_id()
    member = state.members.get(agent)
    state.system_logs[entry_id] = {
        "id": entry_id,
        "leadId": lead_id,
        "agentId": agent,
        "leadFullName": f"{lead['firstName']} {lead['lastName']}" if lead else None,
        "content": json.dumps(content),
        "timelineType": kind,
        "sticky": False,
        "canSticky": True,
        "fromId": agent,
        "fromType": 1,
        "fromFirstName": member["firstName"] if member else None,
        "fromLastName": member["lastName"] if member else None,
        "toId": lead_id,
        "toType": 2,
        "toFirstName": lead["firstName"] if lead else None,
        "toLastName": lead["lastName"] if lead else None,
        "_created": when,
    }
