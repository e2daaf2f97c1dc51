"""Which AgencyZoom fields an edit would clear without AgencyDesk being able to read them first
(issue 15), checked before the edit is queued and again before it is sent.

Leads: ``PUT /v1/api/leads/{leadId}`` and ``…/update-biz-lead`` replace the whole lead, "If no
parameter is provided, the existing data will be deleted" (L3248, L3923). The body is rebuilt
from the lead detail (L3835-L3921), which lacks some writable fields (L3335-L3450). Looked for
another way to read them: the lead list's items are collapsed in the document (``leads`` [{}],
L2378), no other lead detail or profile endpoint exists, and a sold lead's customer is another
record. So:
- ``contactName`` is rebuilt from ``contactFirstName`` + ``contactLastName`` (not at risk);
- tags read as ids (L3884) come back through the status change's ``tagIds`` (L4340), which
  only an active lead (status 0) can be sent unchanged: other leads' tags are at risk;
- ``streetAddressLine2``, ``assignmentGroupId``, ``otherCsrs`` and, on commercial leads, the
  business ``name`` and ``dba`` cannot be read at all: at risk on every edit that needs the PUT.
Status and stage edits use their own endpoints (L4340, L4439). A stage move must re-send the
lead's status (``status`` is required there, enum 0 2 3 5): a lost lead keeps its loss reason
and an x-dated one its date, but QUOTED and CONTACTED (search statuses 1 and 4, L2320) can only
be sent as ACTIVE, and WON again restarts the sale: named at risk.

Tasks: the read shape gives the due day only (``dueDate``, ``taskDateTime`` "2020-12-12",
L6688-L6689), the write takes a date and time (``dueDatetime`` "2020-12-12 00:00:00", L6634).
Edits that leave the due date alone do not send it (the task PUT changes only what it is sent:
sandbox ASSUMPTIONS "task update merges"); moving the day of a time-specific task whose time
cannot be read would reset the time: at risk unless the user typed the time.

Customers: the PUT changes only the fields sent (no erase warning, L643; ASSUMPTIONS "customer
update merges"), so a customer edit sends only what changed and risks nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agencydesk.domain import Record, RecordKind
from agencydesk.vendors.agencyzoom import mapping as m

# (write field, label) the lead PUT clears and no read returns, in the order the warning names them.
PERSONAL_UNREADABLE = (
    ("streetAddressLine2", "Address line 2"),
    ("assignmentGroupId", "Assignment group"),
    ("otherCsrs", "Other CSRs"),
)
COMMERCIAL_UNREADABLE = (
    ("name", "Business name"),
    ("streetAddressLine2", "Address line 2"),
    ("dba", "DBA"),
    ("assignmentGroupId", "Assignment group"),
    ("otherCsrs", "Other CSRs"),
)
TAGS = "Tags"
DUE_TIME = "Due time"
# A stage move must re-send the lead's status (L4439, ``status`` required; enum 0 2 3 5): what a
# lead in these search statuses (L2320) loses by it.
STAGE_MOVE_LOSES = {1: "Quoted status", 4: "Contacted status", 2: "Sold date"}
# Our lead fields that can only be sent by the replacing PUT.
PUT_EDITS = frozenset([*m.LEAD_EDITS, "producer"])


def fields_at_risk(
    kind: RecordKind, record: Record | None, changes: Mapping[str, Any]
) -> list[str]:
    """``ChecksWriteRisk`` for AgencyZoom: ``record.raw`` is the payload the edit is made on."""
    raw = record.raw if record is not None else {}
    if kind is RecordKind.LEAD:
        return lead_fields_at_risk(raw, changes)
    if kind is RecordKind.TASK:
        return task_fields_at_risk(raw, changes)
    return []


def lead_fields_at_risk(current: Mapping[str, Any], changes: Mapping[str, Any]) -> list[str]:
    if not current:
        return []
    risk: list[str] = []
    status = current.get("status")
    if "stage" in changes and "status" not in changes and isinstance(status, int):
        risk += [STAGE_MOVE_LOSES[status]] if status in STAGE_MOVE_LOSES else []
    if not set(changes) & PUT_EDITS:
        return risk
    fields = COMMERCIAL_UNREADABLE if m.is_commercial(dict(current)) else PERSONAL_UNREADABLE
    sent = {m.LEAD_EDITS[k] for k in changes if k in m.LEAD_EDITS}
    risk = [label for name, label in fields if name not in sent] + risk
    if m.lead_tag_ids(current) and current.get("status") != 0:
        risk.append(TAGS)
    return risk


def task_fields_at_risk(current: Mapping[str, Any], changes: Mapping[str, Any]) -> list[str]:
    if "due_date" not in changes or "due_time" in changes or not changes["due_date"]:
        return []
    if current.get("timeSpecific") and m.due_time_of(current) is None:
        return [DUE_TIME]
    return []
