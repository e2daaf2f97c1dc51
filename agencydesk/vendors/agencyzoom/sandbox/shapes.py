"""JSON shapes of AgencyZoom records, field for field as the document's response samples show
them (each function cites its sample). Shapes the document leaves collapsed (``[{}]``) are
ASSUMPTIONS: a subset of the matching detail object."""

from __future__ import annotations

from typing import Any

from agencydesk.vendors.agencyzoom.sandbox.common import parse_any_date, ymd, ymd_hms
from agencydesk.vendors.agencyzoom.sandbox.records import (
    Customer,
    Lead,
    Policy,
)
from agencydesk.vendors.agencyzoom.sandbox.shapes_activity import (
    driver,
    file,
    life_lead,
    message,
    note,
    opportunity,
    quote,
    task,
    thread,
    ticket,
    vehicle,
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


def _name(pairs: list[tuple[str, str]], code: str | None) -> str | None:
    return next((name for c, name in pairs if c == code), None)


def _loss_reason(st: AgencyZoomState, reason_id: int | None) -> str | None:
    return next((r.name for r in st.lookups.loss_reasons if r.id == reason_id), None)


def _class_code(st: AgencyZoomState, class_id: int | None) -> str | None:
    return next((str(code) for i, code, _ in st.lookups.classifications if i == class_id), None)


__all__ = [
    "ams_policy",
    "customer_detail",
    "customer_list_item",
    "driver",
    "file",
    "lead_detail",
    "lead_list_item",
    "life_lead",
    "message",
    "note",
    "opportunity",
    "policy",
    "quote",
    "tag_ids",
    "task",
    "thread",
    "ticket",
    "vehicle",
]
