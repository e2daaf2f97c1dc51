"""Records as ConeCRM answers them (Schemas, L11766+).

The document's Account and Contact embed each other without end (L115-L492). The sandbox breaks
the cycle after one level: a contact's ``accounts`` are full accounts whose ``primaryContact`` and
``contacts`` are ``{"id"}`` stubs, and the other way round (an assumption).
"""

from __future__ import annotations

from typing import Any

from agencydesk.vendors.conecrm.sandbox.responses import iso
from agencydesk.vendors.conecrm.sandbox.state import (
    CUSTOMER_FIELDS,
    Audit,
    ConeState,
    Customer,
    CustomLabel,
    Lead,
    Task,
    User,
)


def ref(value: str | None) -> dict[str, Any] | None:
    return None if value is None else {"id": value}


def base_record(record_id: str, audit: Audit, dtype: str) -> dict[str, Any]:
    """BaseRecord (L13051)."""
    return {
        "id": record_id,
        "dateCreated": iso(audit.created),
        "createdBy": ref(audit.created_by),
        "dateModified": iso(audit.modified),
        "modifiedBy": ref(audit.modified_by),
        "isDeleted": audit.deleted is not None,
        "dateDeleted": iso(audit.deleted),
        "deletedBy": ref(audit.deleted_by),
        "dtype": dtype,
    }


def _third_party(state: ConeState, customer: Customer) -> list[dict[str, Any]]:
    out = []
    for item in customer.third_party:
        row = base_record(item["id"], customer.audit, "customerthirdpartyid")
        row.update(
            {
                "customer": {"id": customer.id},
                "systemName": item["systemName"],
                "thirdPartyId": item["thirdPartyId"],
                "metadata": item.get("metadata"),
                "tenant": {"id": state.tenant_id},
            }
        )
        out.append(row)
    return out


def _base_customer(state: ConeState, customer: Customer, wrong_types: bool) -> dict[str, Any]:
    """BaseCustomer (L12423): no audit fields, although it can be sorted by dateCreated."""
    body: dict[str, Any] = {"id": customer.id}
    for name in CUSTOMER_FIELDS:
        body[name] = customer.fields.get(name)
    body["thirdPartyIds"] = _third_party(state, customer)
    if wrong_types:  # fault: a record whose types are not the documented ones
        body["id"] = customer.number
        body["isActive"] = "yes"
        body["mobilePhone"] = 5125550100
    return body


def contact_json(
    state: ConeState, contact: Customer, depth: int = 1, *, wrong_types: bool = False
) -> dict[str, Any]:
    body = _base_customer(state, contact, wrong_types)
    for name in ("firstName", "lastName", "companyName", "civility", "preferredMethodOfContact"):
        body[name] = contact.fields.get(name)
    accounts = state.accounts_of(contact.id)
    body["accounts"] = [
        account_json(state, a, depth - 1) if depth > 0 else {"id": a.id} for a in accounts
    ]
    return body


def account_json(
    state: ConeState, account: Customer, depth: int = 1, *, wrong_types: bool = False
) -> dict[str, Any]:
    body = _base_customer(state, account, wrong_types)
    body["name"] = account.name

    def contact_of(contact_id: str) -> dict[str, Any]:
        contact = state.contacts.get(contact_id)
        if depth > 0 and contact is not None:
            return contact_json(state, contact, depth - 1)
        return {"id": contact_id}

    body["primaryContact"] = (
        contact_of(account.primary_contact) if account.primary_contact else None
    )
    body["contacts"] = [contact_of(cid) for cid in account.contact_ids]
    return body


def connection_json(state: ConeState, lead: Lead) -> dict[str, Any]:
    """Connection (L12911): the deal part of a lead."""
    body = base_record(lead.id, lead.audit, "lead")
    body.update(
        {
            "subject": lead.subject,
            "description": lead.description,
            "status": ref(lead.status),
            "dateFirstModified": iso(lead.audit.modified),
            "firstModifiedBy": ref(lead.audit.modified_by),
            "source": ref(lead.source),
            "contact": ref(lead.contact),
            "account": ref(lead.account),
            "franchise": ref(lead.franchise),
            "dueDate": iso(lead.due),
            "stage": ref(lead.stage),
            "direction": "INBOUND" if lead.customer_initiated else "OUTBOUND",
            "isQualified": lead.is_qualified,
            "connectionClosedDate": iso(lead.closed),
            "connectionClosedBy": ref(
                lead.assignees[0] if lead.closed and lead.assignees else None
            ),
            "expectedDeliveryDate": None,
            "isLostApproved": True if lead.lost else None,
            "lostBy": ref(lead.assignees[0] if lead.lost and lead.assignees else None),
            "lostDate": iso(lead.lost),
            "firstOpenDate": iso(lead.audit.modified),
            "firstOpenBy": ref(lead.audit.modified_by),
            "testDriveDone": None,
            "testDriveDate": None,
            "orderPlaced": True if lead.sold else None,
            "orderDate": iso(lead.sold),
            "tradeInAppraisalDone": None,
            "tradeInAppraisalDate": None,
            "creditApplicationSubmitted": None,
            "creditApplicationSubmittedDate": None,
            "priority": lead.priority,
            "thirdPartyIds": [],
        }
    )
    return body


def lead_json(state: ConeState, lead: Lead, *, wrong_types: bool = False) -> dict[str, Any]:
    """Lead (L12743) = Connection + lead fields. makeStr/modelStr… are not returned."""
    body = connection_json(state, lead)
    body.update(
        {
            "category": lead.category,
            "automationDay": None,
            "visitCount": 0,
            "isTakeOver": False,
            "isWalkAroundDone": False,
            "walkAroundDate": None,
            "takeOverDate": None,
            "offerMade": None,
            "offerMadeDate": None,
            "soldDate": iso(lead.sold),
            "soldBy": ref(lead.assignees[0] if lead.sold and lead.assignees else None),
            "presaleVisitCount": 0,
            "postsaleVisitCount": 0,
            "customerInitiated": lead.customer_initiated,
            "inTransit": None,
            "cpo": None,
            "demo": None,
            "formName": None,
            "leadHandlingInstructions": lead.handling,
            "creditAssessments": [],
            "incentives": [],
            "packages": [],
            "surveys": [],
        }
    )
    if wrong_types:
        body["id"] = lead.number
        body["customerInitiated"] = "true"
        body["dateCreated"] = int(lead.audit.created.timestamp())
    return body


def custom_label_json(state: ConeState, label: CustomLabel) -> dict[str, Any]:
    body = base_record(label.id, label.audit, "customlabel")
    body["tenant"] = {"id": state.tenant_id, "name": state.tenant_name}
    body["value"] = label.value
    return body


def tenant_json(state: ConeState) -> dict[str, Any]:
    """Tenant (L11830)."""
    return {
        "id": state.tenant_id,
        "name": state.tenant_name,
        "vertical": "default",
        "franchises": [{"id": f} for f in state.franchises],
        "users": [{"id": u} for u in state.users],
        "customLabels": [
            custom_label_json(state, label)
            for label in state.custom_labels.values()
            if label.audit.deleted is None
        ],
    }


def security_object_json(state: ConeState, user: User, audit: Audit) -> dict[str, Any]:
    """SecurityObject (L15809): the assignee of a task."""
    body = base_record(user.id, audit, "user")
    body.update(
        {
            "isGroup": False,
            "displayName": f"{user.first_name} {user.last_name}",
            "isBackEnd": False,
            "isDisableable": True,
            "isActive": True,
            "franchises": [{"id": f} for f in state.franchises],
            "departments": [{"id": d} for d in state.departments],
            "assignationTypes": [],
            "tenant": tenant_json(state),
            "additionalTenants": [],
        }
    )
    return body


def task_json(state: ConeState, task: Task) -> dict[str, Any]:
    """Task (L17928) = EventBase (L17077) + ``type``, with its relations embedded in full."""
    body = base_record(task.id, task.audit, "task")
    lead = state.leads.get(task.connection) if task.connection else None
    contact = state.contacts.get(task.contact) if task.contact else None
    account = state.accounts.get(task.account) if task.account else None
    user = state.users[task.assignee]
    body.update(
        {
            "connection": connection_json(state, lead) if lead else None,
            "start": iso(task.start),
            "end": iso(task.end),
            "title": task.title,
            "note": task.note,
            "assignee": security_object_json(state, user, task.audit),
            "taskDone": task.done,
            "notified": False,
            "edited": task.edited,
            "tenant": tenant_json(state),
            "contact": contact_json(state, contact) if contact else None,
            "account": account_json(state, account) if account else None,
            "type": task.type,
        }
    )
    return body
