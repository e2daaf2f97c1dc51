"""AgencyZoom payloads <-> our records, without loss: every record keeps the payload verbatim in
``raw`` (unknown fields included), and every update body is built from the vendor's payload plus
the user's edit, because the lead PUT "If no parameter is provided, the existing data will be
deleted" (L3923, L3248)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, TypedDict

from agencydesk.domain import (
    Channel,
    Customer,
    Direction,
    Lead,
    LeadStatus,
    Message,
    Note,
    Policy,
    PolicyStatus,
    Provenance,
    RecordKind,
    SyncState,
    Task,
    TaskStatus,
    Thread,
)
from agencydesk.vendors.client_kit.values import (
    as_date,
    as_datetime,
    as_int,
    as_str,
    bad,
    mmddyyyy,
    need_id,
    need_key,
)

VENDOR = "agencyzoom"

# Lead search status (L2320): 0 NEW, 1 QUOTED, 2 WON, 3 LOST, 4 CONTACTED, 5 EXPIRED (x-dated).
LEAD_STATUS = {
    0: LeadStatus.NEW,
    1: LeadStatus.QUOTED,
    2: LeadStatus.WON,
    3: LeadStatus.LOST,
    4: LeadStatus.CONTACTED,
    5: LeadStatus.LOST,
}
# Status change (L4340) knows only 0 ACTIVE, 2 WON, 3 LOST, 5 XDATED.
LEAD_STATUS_CHANGE = {
    LeadStatus.NEW: 0,
    LeadStatus.CONTACTED: 0,
    LeadStatus.QUOTED: 0,
    LeadStatus.WON: 2,
    LeadStatus.LOST: 3,
}

# Lead detail field -> lead write field (L3826 read vs L4089 write: the names differ).
LEAD_READ_TO_WRITE = {
    "comments": "notes",
    "workflowId": "pipelineId",
    "workflowStageId": "stageId",
    "assignedTo": "assignTo",
    "locationCode": "agencyNumber",
}
LEAD_WRITE_FIELDS = frozenset(
    [
        "firstname",
        "lastname",
        "middlename",
        "email",
        "phone",
        "secondaryEmail",
        "secondaryPhone",
        "notes",
        "pipelineId",
        "stageId",
        "contactDate",
        "soldDate",
        "leadSourceId",
        "assignmentGroupId",
        "xDate",
        "quoteDate",
        "assignTo",
        "csrId",
        "streetAddress",
        "streetAddressLine2",
        "city",
        "state",
        "country",
        "zip",
        "agencyNumber",
        "departmentCode",
        "groupCode",
        "customFields",
        "birthday",
        "nickname",
        "maritalStatus",
        "nextExpirationDate",
        "otherProducers",
        "otherCsrs",
        "name",
        "contactName",
        "fein",
        "businessEntity",
        "businessClassification",
        "businessClassificationId",
        "yearBusinessStarted",
        "numberOfEmployees",
        "annualRevenue",
        "payroll",
        "dba",
    ]
)
# Our field -> AgencyZoom write field, for the edits a lead PUT can carry.
LEAD_EDITS = {
    "first_name": "firstname",
    "last_name": "lastname",
    "business_name": "name",
    "email": "email",
    "phone": "phone",
    "street": "streetAddress",
    "city": "city",
    "state": "state",
    "zip_code": "zip",
    "x_date": "xDate",
}
CUSTOMER_EDITS = {
    "first_name": "firstname",
    "last_name": "lastname",
    "email": "email",
    "phone": "phone",
    "street": "streetAddress",
    "city": "city",
    "state": "state",
    "zip_code": "zip",
    "birth_date": "birthday",
}
CUSTOMER_WRITE_FIELDS = frozenset(
    [
        "firstname",
        "lastname",
        "email",
        "phone",
        "secondaryEmail",
        "secondaryPhone",
        "streetAddress",
        "city",
        "state",
        "country",
        "zip",
        "createDate",
        "bizCustomer",
        "contactFirstname",
        "contactLastname",
        "contactMiddlename",
        "numberOfEmployees",
        "annualRevenue",
        "totalPayroll",
        "tagNames",
        "birthday",
        "csrId",
        "agentId",
        "customFields",
    ]
)


def _prov(account: str, remote_id: str) -> Provenance:
    return Provenance(vendor=VENDOR, account=account, remote_id=remote_id)


class _Times(TypedDict):
    created_at: datetime
    updated_at: datetime


def _times(item: dict[str, Any], created: str, updated: str) -> _Times:
    made = as_datetime(item, created) or datetime.now(UTC)
    return {"created_at": made, "updated_at": as_datetime(item, updated) or made}


def _person(first: Any, last: Any) -> str:
    return " ".join(p for p in (as_str(first), as_str(last)) if p)


def lead_from(item: dict[str, Any], account: str) -> Lead:
    """A lead list item (L2378) or detail (L3826)."""
    remote_id = need_id(item, "id")
    status = as_int(item, "status")
    return Lead(
        provenance=_prov(account, remote_id),
        sync_state=SyncState.SYNCED,
        raw=item,
        first_name=as_str(item.get("firstname")),
        last_name=as_str(item.get("lastname")),
        business_name=as_str(item.get("name") or item.get("businessName")),
        email=as_str(item.get("email")),
        phone=as_str(item.get("phone")),
        street=as_str(item.get("streetAddress")),
        city=as_str(item.get("city")),
        state=as_str(item.get("state")),
        zip_code=as_str(item.get("zip")),
        status=LEAD_STATUS.get(status if status is not None else 0, LeadStatus.NEW),
        pipeline=as_str(item.get("workflowName")),
        stage=as_str(item.get("workflowStageName")),
        source=as_str(item.get("leadSourceName")),
        producer=_person(item.get("assignToFirstname"), item.get("assignToLastname")),
        x_date=as_date(item, "xDate"),
        # Units are not stated for lead money; policy money is cents (L1168), read the same.
        quoted_premium_cents=as_int(item, "quoted"),
        **_times(item, "createDate", "lastActivityDate"),
    )


def customer_from(item: dict[str, Any], account: str, producers: dict[int, str]) -> Customer:
    """A customer list item (L423) or detail (L482). A customer is a household in AgencyZoom."""
    remote_id = need_id(item, "id")
    agent = as_int(item, "agentId")
    return Customer(
        provenance=_prov(account, remote_id),
        sync_state=SyncState.SYNCED,
        raw=item,
        first_name=as_str(item.get("firstname")),
        last_name=as_str(item.get("lastname")),
        business_name=as_str(item.get("businessName")),
        email=as_str(item.get("email")),
        phone=as_str(item.get("phone")),
        street=as_str(item.get("streetAddress")),
        city=as_str(item.get("city")),
        state=as_str(item.get("state")),
        zip_code=as_str(item.get("zip")),
        birth_date=as_date(item, "birthday"),
        household=f"agencyzoom:{account}:{remote_id}",
        producer=producers.get(agent, "") if agent is not None else "",
        customer_since=as_date(item, "asCustomerDate"),
        **_times(item, "createDate", "createDate"),
    )


def policy_remote_id(customer_id: str, policy_id: str, *, ams: bool = False) -> str:
    """Policies are read and deleted through their customer (L934, L784): the id carries both.
    AMS policies (L890) are numbered apart: "12:ams:7"."""
    return f"{customer_id}:ams:{policy_id}" if ams else f"{customer_id}:{policy_id}"


def split_policy_id(remote_id: str) -> tuple[str, str]:
    """(customer id, policy id); the policy id of an AMS policy starts with "ams:"."""
    customer_id, _, policy_id = remote_id.partition(":")
    return customer_id, policy_id


def policy_from(
    item: dict[str, Any],
    account: str,
    customer_id: str,
    carriers: dict[int, str],
    today: date,
    ams: bool = False,
) -> Policy:
    """An item of GET /v1/api/customers/{customerId}/policies (L934). The read shape has no
    status (vendor-notes §8), so it follows the dates."""
    policy_id = need_id(item, "id")
    premium = as_int(item, "premium")  # integer cents (L1168)
    expires = as_date(item, "expiryDate")
    carrier_id = as_int(item, "carrierId")
    carrier = carriers.get(carrier_id, "") if carrier_id is not None else ""
    return Policy(
        provenance=_prov(account, policy_remote_id(customer_id, policy_id, ams=ams)),
        sync_state=SyncState.SYNCED,
        raw=item,
        policy_number=as_str(item.get("policyNumber")),
        carrier=carrier or as_str(item.get("standardCarrierCode")),
        line_of_business=as_str(item.get("policyTypeName")),
        premium_cents=premium or 0,
        effective_date=as_date(item, "effectiveDate"),
        expiration_date=expires,
        status=PolicyStatus.EXPIRED if expires and expires < today else PolicyStatus.ACTIVE,
        producer=as_str(item.get("agentName")),
        **_times(item, "soldDate", "soldDate"),
    )


def task_from(item: dict[str, Any], account: str) -> tuple[Task, tuple[RecordKind, str] | None]:
    """A task (L6674); ``customerId``/``customerType`` say whom it is about (the lead's id when
    the type is "lead"). Returns the task and that link."""
    remote_id = need_id(item, "id")
    status = as_int(item, "status")
    if status not in (None, 0, 1):
        raise bad("status", item.get("status"), "is not 0 (open) or 1 (completed)")
    assignees = item.get("assignees") or []
    first = assignees[0] if isinstance(assignees, list) and assignees else {}
    assignee = (
        _person(first.get("firstname"), first.get("lastname")) if isinstance(first, dict) else ""
    )
    task = Task(
        provenance=_prov(account, remote_id),
        sync_state=SyncState.SYNCED,
        raw=item,
        title=as_str(item.get("title")),
        status=TaskStatus.DONE if status == 1 else TaskStatus.OPEN,
        due_date=as_date(item, "dueDate") or as_date(item, "taskDateTime"),
        due_time=due_time_of(item) or "",
        assignee=assignee,
        comments=as_str(item.get("comments")),
        completed_at=as_datetime(item, "completeDate") if status == 1 else None,
        **_times(item, "createDate", "createDate"),
    )
    who = as_int(item, "customerId")
    if not who:
        return task, None
    kind = (
        RecordKind.LEAD
        if as_str(item.get("customerType")).lower() == "lead"
        else RecordKind.CUSTOMER
    )
    return task, (kind, str(who))


def thread_remote_id(channel: str, thread_id: str) -> str:
    """Email and text threads are numbered apart (L1680, L2029)."""
    return f"{channel}:{thread_id}"


def thread_from(item: dict[str, Any], account: str, channel: str) -> Thread:
    """A ``threadInfo`` item (L1680; its fields are collapsed in the document, so each is read
    only when present)."""
    thread_id = need_key(item, "threadId")
    last = as_datetime(item, "lastDateUTC")
    return Thread(
        provenance=_prov(account, thread_remote_id(channel, thread_id)),
        sync_state=SyncState.SYNCED,
        raw=item,
        channel=Channel.EMAIL if channel == "email" else Channel.SMS,
        subject=as_str(item.get("subject")),
        counterpart=as_str(item.get("fromName") or item.get("from")),
        last_message_at=last,
        unread=bool(item.get("unread")),
        message_count=as_int(item, "messageCount") or 0,
        producer=as_str(item.get("agentName")),
        created_at=last or datetime.now(UTC),
        updated_at=last or datetime.now(UTC),
    )


def message_from(item: dict[str, Any], account: str, channel: str, thread_id: str) -> Message:
    """A ``messageInfo`` item (L1870, collapsed in the document)."""
    message_id = need_key(item, "messageId")
    sent = as_datetime(item, "dateUTC") or datetime.now(UTC)
    outbound = as_str(item.get("direction")).lower().startswith("out")
    return Message(
        provenance=_prov(account, f"{channel}:{thread_id}:{message_id}"),
        sync_state=SyncState.SYNCED,
        raw=item,
        direction=Direction.OUTBOUND if outbound else Direction.INBOUND,
        sender=as_str(item.get("from")),
        body=as_str(item.get("body")),
        sent_at=sent,
        created_at=sent,
        updated_at=sent,
    )


def note_from(item: dict[str, Any], account: str, lead_id: str) -> Note:
    """A lead note (L4212). Notes carry no id: the id is made from what the note says, so the
    same note read twice is one record."""
    text = json.dumps([item.get("createDate"), item.get("title"), item.get("body")], default=str)
    digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]
    return Note(
        provenance=_prov(account, f"lead:{lead_id}:{digest}"),
        sync_state=SyncState.SYNCED,
        raw=item,
        parent_kind=RecordKind.LEAD,
        title=as_str(item.get("title")),
        body=as_str(item.get("body")),
        author=as_str(item.get("createdBy")),
        **_times(item, "createDate", "createDate"),
    )


# -- our edits -> AgencyZoom bodies -----------------------------------------------------------
# Only the commercial lead's create and update take these (L3458, L3737).
COMMERCIAL_ONLY = frozenset(
    [
        "name",
        "contactName",
        "fein",
        "businessEntity",
        "businessClassification",
        "businessClassificationId",
        "yearBusinessStarted",
        "numberOfEmployees",
        "annualRevenue",
        "payroll",
        "dba",
    ]
)


def is_commercial(lead: dict[str, Any]) -> bool:
    """``leadType`` chooses the update endpoint (vendor-notes §7.10); its values are not
    enumerated, "commercial" is read as the business one."""
    return str(lead.get("leadType") or "").lower() == "commercial"


def lead_put_body(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The whole lead for PUT /v1/api/leads/{leadId} (L4089): every writable field the vendor
    has now (read names turned into write names), then the user's edits on top."""
    commercial = is_commercial(current)
    body: dict[str, Any] = {}
    for key, value in current.items():
        name = LEAD_READ_TO_WRITE.get(key, key)
        if name in COMMERCIAL_ONLY and not commercial:
            continue
        if name in LEAD_WRITE_FIELDS and value is not None:
            body[name] = value
    if isinstance(body.get("otherProducers"), list):
        body["otherProducers"] = [
            p["id"] if isinstance(p, dict) else p for p in body["otherProducers"]
        ]
    if isinstance(body.get("maritalStatus"), str) and body["maritalStatus"].isdigit():
        body["maritalStatus"] = int(body["maritalStatus"])  # read as text, written as int
    if commercial and not body.get("contactName"):
        # "Business contact First Name and Last Name." (L3414) reads back split in two (L3862)
        contact = _person(current.get("contactFirstName"), current.get("contactLastName"))
        if contact:
            body["contactName"] = contact
    for ours, value in changes.items():
        if ours in LEAD_EDITS:
            body[LEAD_EDITS[ours]] = _plain(value)
    return body


def customer_put_body(changes: dict[str, Any]) -> dict[str, Any]:
    """PUT /v1/api/customers/{customerId} (L643) with only the edited fields: the customer PUT
    changes only what it is sent (no erase warning there, unlike the lead PUT; sandbox
    ASSUMPTIONS "customer update merges"), so fields the read never returns (primary contact,
    tags, CSR, L560-L640) stay as they are. Birthdays are written MM/dd/YYYY (L621)."""
    body: dict[str, Any] = {}
    for ours, value in changes.items():
        if ours in CUSTOMER_EDITS:
            name = CUSTOMER_EDITS[ours]
            body[name] = mmddyyyy(value) if name == "birthday" else _plain(value)
    return body


def task_put_body(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """PUT /v1/api/tasks/{taskId} (L6776) with only what changed: the task PUT changes only the
    fields it is sent (sandbox ASSUMPTIONS "task update merges"), and what the read leaves out
    (``type``, ``invitees``, the due time: L6684-L6700) is then never touched. A new due day
    keeps the task's time: the one typed, else the one read (``due_time_of``), and only a task
    that is not time-specific falls back to 00:00 ("2020-12-12 00:00:00", L6634)."""
    body: dict[str, Any] = {}
    for ours in ("title", "comments"):
        if ours in changes:
            body[ours] = changes[ours]
    if "due_date" in changes or "due_time" in changes:
        day = changes["due_date"] if "due_date" in changes else _due_day(current)
        if not day:
            body["dueDatetime"] = None
        else:
            typed = "due_time" in changes
            clock = changes["due_time"] if typed else due_time_of(current)
            body["dueDatetime"] = f"{str(_plain(day))[:10]} {clock or '00:00'}:00"
            if typed:
                body["timeSpecific"] = bool(changes["due_time"])
    return body


def due_time_of(item: Mapping[str, Any]) -> str | None:
    """ "HH:MM" when the task read carries a time (``taskDateTime`` by its name is one, though
    the sample shows a day, L6689), else None: read tolerantly, never guessed."""
    for key in ("taskDateTime", "dueDate"):
        text = item.get(key)
        if isinstance(text, str) and len(text) >= 16 and text[10] in " T" and text[13] == ":":
            return text[11:16]
    return None


def _due_day(item: Mapping[str, Any]) -> str | None:
    text = item.get("dueDate") or item.get("taskDateTime")
    return str(text)[:10] if text else None


def lead_tag_ids(item: Mapping[str, Any]) -> list[int]:
    """Lead tags as read: integer ids (sample ``[1]``, L3884)."""
    return [t for t in item.get("tagNames") or [] if isinstance(t, int)]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
