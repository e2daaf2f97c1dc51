"""JSON shapes of what hangs off leads and customers (tasks, notes, opportunities, quotes,
files, drivers, vehicles), of threads and messages, life & health leads and service tickets,
each citing the sample it follows; collapsed samples are ASSUMPTIONS."""

from __future__ import annotations

from typing import Any

from agencydesk.vendors.agencyzoom.sandbox.common import parse_any_date, ymd, ymd_hms
from agencydesk.vendors.agencyzoom.sandbox.records import (
    Driver,
    File,
    LifeLead,
    Message,
    Note,
    Opportunity,
    ServiceTicket,
    Task,
    Thread,
    Vehicle,
)
from agencydesk.vendors.agencyzoom.sandbox.state import AgencyZoomState


def _spoil(record: dict[str, Any]) -> dict[str, Any]:
    """A record with wrong types (fault injection): ids and money as text, the documented
    integer ``status`` as a word."""
    for key in ("id", "premium", "totalPremium", "status", "assignedTo", "agentId", "size"):
        if key in record and record[key] is not None:
            record[key] = f"#{record[key]}" if key == "id" else str(record[key]) + " USD"
    return record


def task(st: AgencyZoomState, t: Task, wrong: bool = False) -> dict[str, Any]:
    """Task sample of GET /v1/api/customers/{customerId}/tasks (L734) and /tasks/{taskId} (L6674).
    For a lead's task ``customerId`` is the lead id and ``customerType`` "lead" (ASSUMPTIONS)."""
    d = t.data
    due = parse_any_date(d.dueDatetime)
    if d.customerId is not None and d.customerId in st.customers:
        c = st.customers[d.customerId].data
        who, who_id, who_type = (
            f"{c.firstname} {c.lastname or ''}".strip(),
            d.customerId,
            "customer",
        )
    elif d.leadId is not None and d.leadId in st.leads:
        ld = st.leads[d.leadId].data
        who, who_id, who_type = f"{ld.firstname} {ld.lastname or ''}".strip(), d.leadId, "lead"
    else:
        who, who_id, who_type = None, None, None
    record = {
        "id": t.id,
        "title": d.title,
        "status": t.status,
        "createDate": ymd(t.created),
        "dueDate": ymd(due),
        "taskDateTime": ymd(due),
        "duration": d.duration,
        "completeDate": ymd(t.completed),
        "assignedDate": ymd(t.assigned),
        "comments": d.comments,
        "assignees": [
            {
                "id": d.assigneeId,
                "firstname": st.employee_name(d.assigneeId)[0],
                "lastname": st.employee_name(d.assigneeId)[1],
            }
        ]
        if d.assigneeId is not None
        else [],
        "completedBy": ymd(t.completed),
        "isCompletedByEmployee": t.completed_by_employee,
        "timeSpecific": bool(d.timeSpecific),
        "customerName": who,
        "customerId": who_id,
        "customerType": who_type,
    }
    return _spoil(record) if wrong else record


def note(n: Note) -> dict[str, Any]:
    """GET /v1/api/leads/{leadId}/notes item (L4212): no id field."""
    title = n.body.splitlines()[0][:60] if n.body else ""
    return {
        "type": n.type,
        "createDate": ymd_hms(n.created),
        "createdBy": n.created_by,
        "title": title,
        "body": n.body,
        "attr": {},
    }


def opportunity(st: AgencyZoomState, o: Opportunity) -> dict[str, Any]:
    """Opportunity sample (L2590, L5439)."""
    carrier = st.lookups.carrier(o.carrierId)
    line = st.lookups.product_line(o.productLineId)
    return {
        "id": o.id,
        "carrierId": o.carrierId,
        "standardCarrierCode": carrier.code if carrier else None,
        "productLineId": o.productLineId,
        "standardProductLineCode": line.code if line else None,
        "status": o.status,
        "premium": o.premium,
        "items": o.items,
        "customFields": list(o.customFields),
        "propertyAddress": [o.property] if o.property else [],
    }


def quote(st: AgencyZoomState, q: Opportunity) -> dict[str, Any]:
    """Quote sample (L3018)."""
    carrier = st.lookups.carrier(q.carrierId)
    line = st.lookups.product_line(q.productLineId)
    record = opportunity(st, q)
    record.update(
        {
            "sold": q.sold,
            "carrierName": carrier.name if carrier else None,
            "productName": line.name if line else None,
            "potentialRevenue": round((q.premium or 0) * 0.12),
            "effectiveDate": q.effectiveDate,
        }
    )
    return record


def file(f: File) -> dict[str, Any]:
    """Lead file sample (L2844)."""
    return {
        "id": f.id,
        "title": f.title,
        "mediaType": f.media_type,
        "comments": f.comments,
        "size": f.size,
        "createDate": ymd(f.created),
        "createdBy": f.created_by,
        "modifyDate": ymd(f.modified),
        "modifiedBy": f.modified_by,
        "entityId": f.owner_id,
        "docType": f.doc_type,
    }


def driver(d: Driver) -> dict[str, Any]:
    """Driver sample (L5096)."""
    w = d.data
    return {
        "id": d.id,
        "firstName": w.firstName,
        "middleName": w.middleName,
        "lastName": w.lastName,
        "birthday": w.birthday,
        "gender": w.gender,
        "maritalStatus": w.maritalStatus,
        "relationship": w.relationship,
        "stateLicensed": w.stateLicensed,
        "licenseNumber": w.licenseNumber,
    }


def vehicle(v: Vehicle) -> dict[str, Any]:
    """Vehicle sample (L5314): ``year`` is a string on read."""
    w = v.data
    return {
        "id": v.id,
        "vin": w.vin,
        "year": None if w.year is None else str(w.year),
        "make": w.make,
        "model": w.model,
        "ownership": w.ownership,
    }


def thread(st: AgencyZoomState, t: Thread) -> dict[str, Any]:
    """``threadInfo`` item (collapsed in the document, L1680; ASSUMPTIONS: thread shape). No
    customer or lead id: the document links threads to nobody, match by address."""
    live = t.live_messages()
    last = live[-1] if live else None
    agent = st.employees.get(t.agent_id)
    return {
        "threadId": t.id,
        "subject": t.subject or None,
        "from": t.contact,
        "fromName": t.contact_name,
        "agentId": t.agent_id,
        "agentName": f"{agent.firstname} {agent.lastname}" if agent else None,
        "accountId": t.account_id,
        "status": 1 if t.unread else 0,
        "unread": t.unread,
        "messageCount": len(live),
        "lastMessage": last.body[:120] if last else None,
        "lastDateUTC": ymd_hms(last.sent) if last else None,
    }


def message(t: Thread, m: Message) -> dict[str, Any]:
    """``messageInfo`` item (collapsed in the document, L1870; ASSUMPTIONS: message shape)."""
    return {
        "messageId": m.id,
        "threadId": t.id,
        "from": m.sender,
        "to": m.recipient,
        "subject": t.subject or None,
        "body": m.body,
        "dateUTC": ymd_hms(m.sent),
        "direction": "inbound" if m.inbound else "outbound",
        "status": 100 if m.trashed else 2,
    }


def life_lead(x: LifeLead) -> dict[str, Any]:
    """``alrLeads`` item (collapsed in the document, L4937)."""
    return {
        "id": x.id,
        "firstname": x.firstname,
        "lastname": x.lastname,
        "email": x.email,
        "phone": x.phone,
        "status": x.status,
        "agentId": x.agent_id,
        "efsId": x.efs_id,
        "locationId": x.location_id,
        "createDate": ymd(x.created),
        "appointmentDate": ymd(x.appointment),
        "soldDate": ymd(x.sold),
        "kept": x.kept,
        "set": x.set_by_agent,
        "product": x.product,
        "premium": x.premium,
    }


def ticket(t: ServiceTicket) -> dict[str, Any]:
    """``serviceTickets`` item (collapsed in the document, L7068)."""
    return {
        "id": t.id,
        "householdId": t.customer_id,
        "fullName": t.household_name,
        "subject": t.subject,
        "status": t.status,
        "category": t.category,
        "priority": t.priority,
        "resolution": t.resolution,
        "createDate": ymd_hms(t.created),
        "completeDate": ymd_hms(t.completed),
        "workflowId": t.workflow_id,
        "workflowStageId": t.workflow_stage_id,
        "tags": t.tags,
        "policyType": t.policy_type,
        "carrier": t.carrier_id,
        "assigneeId": t.assignee_id,
    }
