"""JSON shapes of AgencyZoom records, field for field as the document's response samples show
them (each function cites its sample). Shapes the document leaves collapsed (``[{}]``) are
ASSUMPTIONS: a subset of the matching detail object."""

from __future__ import annotations

from typing import Any

from agencydesk.vendors.agencyzoom.sandbox.common import parse_any_date, ymd, ymd_hms
from agencydesk.vendors.agencyzoom.sandbox.records import (
    Customer,
    Driver,
    File,
    Lead,
    LifeLead,
    Message,
    Note,
    Opportunity,
    Policy,
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


def tag_ids(st: AgencyZoomState, names: str | None) -> list[int]:
    """Lead detail sends tags as an integer array (sample ``[1]``, L3826); writes send names."""
    ids = []
    for name in (names or "").split(";"):
        if name.strip():
            ids.append(st.tag_id(name.strip()))
    return ids


def lead_detail(st: AgencyZoomState, lead: Lead, wrong: bool = False) -> dict[str, Any]:
    """GET /v1/api/leads/{leadId} sample (L3826)."""
    d = lead.data
    lk = st.lookups
    source = lk.lead_source(d.leadSourceId)
    pipeline = lk.pipeline(d.pipelineId)
    stage = lk.stage(d.stageId)
    opps = st.opportunities_for(lead.id, quotes=False)
    quotes = st.opportunities_for(lead.id, quotes=True)
    assign_first, assign_last = st.employee_name(d.assignTo)
    csr_first, csr_last = st.employee_name(d.csrId)
    location = next((name for num, name in lk.locations if num == d.agencyNumber), None)
    opp_total = sum(o.premium or 0 for o in opps)
    quote_total = sum(o.premium or 0 for o in quotes)
    contact_first, _, contact_last = (d.contactName or "").partition(" ")
    record = {
        "id": lead.id,
        "firstname": d.firstname,
        "middlename": d.middlename,
        "lastname": d.lastname,
        "leadType": lead.lead_type,
        "email": d.email,
        "phone": d.phone,
        "secondaryEmail": d.secondaryEmail,
        "secondaryPhone": d.secondaryPhone,
        "streetAddress": d.streetAddress,
        "city": d.city,
        "state": d.state,
        "country": d.country,
        "zip": d.zip,
        "comments": d.notes,
        "status": lead.status,
        "contactDate": d.contactDate,
        "soldDate": d.soldDate,
        "leadSourceId": d.leadSourceId,
        "leadSourceName": source.name if source else None,
        "xDate": d.xDate,
        "quoteDate": d.quoteDate,
        "createDate": ymd(lead.created),
        "premium": opp_total,
        "quoted": quote_total,
        "assignedTo": d.assignTo,
        "assignToFirstname": assign_first,
        "assignToLastname": assign_last,
        "csrId": d.csrId,
        "csrFirstname": csr_first,
        "csrLastname": csr_last,
        "creditToFirstname": assign_first,
        "creditToLastname": assign_last,
        "taskCount": len(st.tasks_for(lead_id=lead.id)),
        "contactFirstName": contact_first or None,
        "contactLastName": contact_last or None,
        "locationCode": d.agencyNumber,
        "locationName": location,
        "departmentCode": d.departmentCode,
        "departmentName": _name(lk.departments, d.departmentCode),
        "groupCode": d.groupCode,
        "groupName": _name(lk.groups, d.groupCode),
        "workflowId": d.pipelineId,
        "workflowName": pipeline.name if pipeline else None,
        "workflowStageId": d.stageId,
        "workflowStageName": stage.name if stage else None,
        "lastActivityDate": ymd_hms(lead.last_activity),
        "enterStageDate": ymd_hms(lead.enter_stage),
        "tagNames": tag_ids(st, d.tagNames),
        "convertedHouseholdId": lead.converted_household_id,
        "nextExpirationDate": d.nextExpirationDate,
        "externalSystem": "LeadExec" if lead.external_id else None,
        "externalId": lead.external_id,
        "customFields": list(d.customFields or []),
        "opportunities": [opportunity(st, o) for o in opps],
        "otherProducers": [{"id": i} for i in d.otherProducers or []],
        "quotes": [quote(st, q) for q in quotes],
        "totalOpportunityPremium": opp_total,
        "totalQuotePremium": quote_total,
        "totalPolicyPremium": 0,
        "lossReason": _loss_reason(st, lead.loss_reason_id),
        "xDateType": lead.x_date_type,
        "birthday": d.birthday,
        "nickname": d.nickname,
        "maritalStatus": None if d.maritalStatus is None else str(d.maritalStatus),
        "fein": d.fein,
        "contactMiddleName": None,
        "businessEntity": d.businessEntity,
        "businessClassification": d.businessClassification,
        "businessClassificationId": d.businessClassificationId,
        "businessClassificationCode": _class_code(st, d.businessClassificationId),
        "yearBusinessStarted": d.yearBusinessStarted,
        "numberOfEmployees": d.numberOfEmployees,
        "annualRevenue": d.annualRevenue,
        "payroll": d.payroll,
    }
    return _spoil(record) if wrong else record


LEAD_LIST_FIELDS = (
    "id",
    "firstname",
    "lastname",
    "leadType",
    "email",
    "phone",
    "streetAddress",
    "city",
    "state",
    "zip",
    "status",
    "leadSourceId",
    "leadSourceName",
    "createDate",
    "premium",
    "quoted",
    "assignedTo",
    "assignToFirstname",
    "assignToLastname",
    "csrId",
    "workflowId",
    "workflowName",
    "workflowStageId",
    "workflowStageName",
    "lastActivityDate",
    "enterStageDate",
    "tagNames",
    "soldDate",
    "quoteDate",
    "xDate",
    "externalId",
)


def lead_list_item(st: AgencyZoomState, lead: Lead, wrong: bool = False) -> dict[str, Any]:
    """``leads`` items of POST /v1/api/leads/list (collapsed in the document, L2378)."""
    full = lead_detail(st, lead, wrong)
    return {k: full[k] for k in LEAD_LIST_FIELDS}


def customer_detail(st: AgencyZoomState, c: Customer, wrong: bool = False) -> dict[str, Any]:
    """GET /v1/api/customers/{customerId} sample (L482)."""
    d = c.data
    policies = st.policies_for(c.id, ams=False)
    record = {
        "id": c.id,
        "businessName": c.business_name,
        "firstname": d.firstname,
        "middlename": c.middlename,
        "lastname": d.lastname,
        "email": d.email,
        "phone": d.phone,
        "secondaryEmail": d.secondaryEmail,
        "secondaryPhone": d.secondaryPhone,
        "streetAddress": d.streetAddress,
        "city": d.city,
        "state": d.state,
        "country": d.country,
        "zip": d.zip,
        "createDate": d.createDate or ymd_hms(c.created),
        "asCustomerDate": ymd_hms(c.as_customer),
        "customerType": "commercial" if d.bizCustomer == 1 else "personal",
        "customFields": list(d.customFields or []),
        "policies": [policy(st, p) for p in policies],
        "notes": [note(n) for n in st.notes_for("customer", c.id)],
        "tasks": [task(st, t) for t in st.tasks_for(customer_id=c.id)],
        "files": [file(f) for f in st.files_for("customer", c.id)],
        "totalPremium": sum(p.data.premium or 0 for p in policies if p.status != 0),
        "birthday": d.birthday,
        "externalSystem": "EZLynx" if c.external_id else None,
        "externalId": c.external_id,
    }
    return _spoil(record) if wrong else record


CUSTOMER_EMBEDDED = ("customFields", "policies", "notes", "tasks", "files")


def customer_list_item(st: AgencyZoomState, c: Customer, wrong: bool = False) -> dict[str, Any]:
    """``customers`` items of POST /v1/api/customers (collapsed in the document, L423)."""
    full = customer_detail(st, c, wrong)
    item = {k: v for k, v in full.items() if k not in CUSTOMER_EMBEDDED}
    item["agentId"] = c.data.agentId
    item["status"] = 1 if c.active else 0
    return item


def _policy_dates(p: Policy) -> dict[str, Any]:
    """Written MM/dd/yyyy (L1412 sample), read yyyy-MM-dd (L934 sample)."""
    return {
        k: ymd(parse_any_date(getattr(p.data, k))) or getattr(p.data, k)
        for k in ("soldDate", "effectiveDate", "expiryDate")
    }


def policy(st: AgencyZoomState, p: Policy, wrong: bool = False) -> dict[str, Any]:
    """GET /v1/api/customers/{customerId}/policies item (L934 sample; policyTypeId a string)."""
    d = p.data
    line = st.lookups.product_line(d.policyType)
    carrier = st.lookups.carrier(d.carrierId)
    dates = _policy_dates(p)
    record = {
        "id": p.id,
        "leadSourceId": d.leadSourceId,
        "policyTypeName": line.name if line else None,
        "carrierId": d.carrierId,
        "standardCarrierCode": d.standardCarrierCode or (carrier.code if carrier else None),
        "policyTypeId": None if d.policyType is None else str(d.policyType),
        "standardProductLineCode": d.standardProductLineCode or (line.code if line else None),
        "policyNumber": d.policyNumber,
        "premium": d.premium,
        "items": d.items,
        "soldDate": dates["soldDate"],
        "agentId": d.agentId,
        "agentName": " ".join(filter(None, st.employee_name(d.agentId))) or None,
        "csrId": d.csrId,
        "csrName": " ".join(filter(None, st.employee_name(d.csrId))) or None,
        "effectiveDate": dates["effectiveDate"],
        "expiryDate": dates["expiryDate"],
        "tagNames": d.tagNames,
        "externalSystem": p.external_system,
        "externalId": p.external_id,
    }
    return _spoil(record) if wrong else record


def ams_policy(st: AgencyZoomState, p: Policy) -> dict[str, Any]:
    """GET /v1/api/customers/{customerId}/ams-policies item (L890 sample; policyTypeId int)."""
    base = policy(st, p)
    line = st.lookups.product_line(p.data.policyType)
    keys = (
        "id",
        "leadSourceId",
        "carrierId",
        "policyTypeName",
        "policyTypeId",
        "policyNumber",
        "premium",
        "items",
        "soldDate",
        "agentId",
        "agentName",
        "csrId",
        "csrName",
        "effectiveDate",
        "expiryDate",
        "tagNames",
    )
    record = {k: base[k] for k in keys}
    record["policyTypeId"] = p.data.policyType
    record["standardProductLineId"] = line.id if line else None
    record["externalSystem"] = p.external_system
    record["externalId"] = p.external_id
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


def _name(pairs: list[tuple[str, str]], code: str | None) -> str | None:
    return next((name for c, name in pairs if c == code), None)


def _loss_reason(st: AgencyZoomState, reason_id: int | None) -> str | None:
    return next((r.name for r in st.lookups.loss_reasons if r.id == reason_id), None)


def _class_code(st: AgencyZoomState, class_id: int | None) -> str | None:
    return next((str(code) for i, code, _ in st.lookups.classifications if i == class_id), None)
