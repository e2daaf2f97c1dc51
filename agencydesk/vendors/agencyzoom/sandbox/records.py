"""The sandbox's typed tables. Writable parts are dataclasses whose attribute names are the
document's own body field names (camelCase, typos included), so a write body maps onto them
field by field and a full-replace PUT (L3826-L4089) naturally erases what it leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class LeadWrite:
    """Body of POST /v1/api/leads/create and PUT /v1/api/leads/{leadId} (L4520-L4692, L3900-L4089);
    the commercial extras come after ``otherCsrs`` (L3440-L3458)."""

    firstname: str | None = None
    lastname: str | None = None
    email: str | None = None
    phone: str | None = None
    secondaryEmail: str | None = None
    secondaryPhone: str | None = None
    notes: str | None = None
    pipelineId: int | None = None
    stageId: int | None = None
    contactDate: str | None = None
    soldDate: str | None = None
    leadSourceId: int | None = None
    assignmentGroupId: int | None = None
    xDate: str | None = None
    quoteDate: str | None = None
    assignTo: int | None = None
    csrId: int | None = None
    streetAddress: str | None = None
    streetAddressLine2: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    zip: str | None = None
    agencyNumber: str | None = None
    departmentCode: str | None = None
    groupCode: str | None = None
    customFields: list[dict[str, Any]] | None = None
    birthday: str | None = None
    nickname: str | None = None
    maritalStatus: int | None = None
    tagNames: str | None = None
    middlename: str | None = None
    nextExpirationDate: str | None = None
    otherProducers: list[int] | None = None
    otherCsrs: list[int] | None = None
    # commercial only (create-biz-lead / update-biz-lead)
    name: str | None = None
    contactName: str | None = None
    fein: str | None = None
    businessEntity: str | None = None
    businessClassification: str | None = None
    businessClassificationId: int | None = None
    yearBusinessStarted: int | None = None
    numberOfEmployees: int | None = None
    annualRevenue: int | None = None
    payroll: int | None = None
    dba: str | None = None


BIZ_ONLY_FIELDS = (
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
)
LEAD_REQUIRED = (
    "firstname",
    "email",
    "pipelineId",
    "stageId",
    "leadSourceId",
    "assignTo",
    "country",
)


@dataclass(slots=True)
class Lead:
    id: int
    lead_type: str  # "personal" | "commercial" (ASSUMPTIONS: leadType values)
    data: LeadWrite
    status: int  # 0 NEW, 1 QUOTED, 2 WON, 3 LOST, 4 CONTACTED, 5 EXPIRED (L2320)
    creator: int
    created: datetime
    last_activity: datetime
    enter_stage: datetime
    person_id: int | None = None  # link into the shared Population (not sent)
    loss_reason_id: int | None = None
    x_date_type: str | None = None
    converted_household_id: int | None = None
    sold_at: datetime | None = None
    external_id: str | None = None


@dataclass(slots=True)
class CustomerWrite:
    """Body of POST /v1/api/customers/create (L1075) and PUT /v1/api/customers/{customerId}
    (L643)."""

    firstname: str | None = None
    lastname: str | None = None
    email: str | None = None
    phone: str | None = None
    secondaryEmail: str | None = None
    secondaryPhone: str | None = None
    streetAddress: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    zip: str | None = None
    createDate: str | None = None
    bizCustomer: int | None = None
    contactFirstname: str | None = None
    contactLastname: str | None = None
    contactMiddlename: str | None = None
    numberOfEmployees: int | None = None
    annualRevenue: float | None = None
    totalPayroll: int | None = None
    tagNames: str | None = None
    birthday: str | None = None
    csrId: int | None = None
    agentId: int | None = None
    customFields: list[dict[str, Any]] | None = None


@dataclass(slots=True)
class Customer:
    id: int
    data: CustomerWrite
    active: bool
    created: datetime
    as_customer: datetime
    updated: datetime
    lead_source_id: int | None = None
    middlename: str | None = None
    person_id: int | None = None
    external_id: str | None = None
    business_name: str | None = None  # read-only ``businessName`` (set when a biz lead is sold)


@dataclass(slots=True)
class PolicyWrite:
    """Body of POST /v1/api/policies/create (L1250) and PUT /v1/api/policies/{policyId} (L1412)."""

    insuredName: str | None = None
    carrierId: int | None = None
    soldDate: str | None = None
    agentId: int | None = None
    policyType: int | None = None
    policyNumber: str | None = None
    premium: int | None = None  # cents
    brokerFee: int | None = None  # cents
    items: int | None = None
    leadSourceId: int | None = None
    agencyNumber: str | None = None
    effectiveDate: str | None = None
    expiryDate: str | None = None
    priorCarrierName: str | None = None
    priorPolicyNumber: str | None = None
    priorExpiryDate: str | None = None
    departmentCode: str | None = None
    groupCode: str | None = None
    csrId: int | None = None
    tagNames: str | None = None
    standardProductLineCode: str | None = None
    standardCarrierCode: str | None = None


POLICY_REQUIRED = (
    "carrierId",
    "soldDate",
    "agentId",
    "policyType",
    "premium",
    "items",
    "leadSourceId",
    "agencyNumber",
    "effectiveDate",
    "expiryDate",
)


@dataclass(slots=True)
class Policy:
    id: int
    customer_id: int
    data: PolicyWrite  # dates kept as MM/dd/yyyy, as written (L1412 sample)
    status: int  # 0 Cancelled, 1 Active, 10-13 Active-* (L1530); not in the read shape
    ams: bool = False  # an AMS-downloaded policy (GET .../ams-policies, L890)
    external_system: str | None = None
    external_id: str | None = None
    meta: dict[str, Any] | None = None
    endorsements: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Note:
    id: int
    owner: str  # "lead" | "customer"
    owner_id: int
    body: str
    created: datetime
    created_by: str
    type: str = "note"


@dataclass(slots=True)
class TaskWrite:
    """Body of POST /v1/api/tasks (L6623) and PUT /v1/api/tasks/{taskId} (L6776)."""

    title: str | None = None
    dueDatetime: str | None = None  # "2020-12-12 00:00:00"
    comments: str | None = None
    assigneeId: int | None = None
    lifeProfessionalId: int | None = None
    contactEmail: str | None = None
    customerId: int | None = None
    leadId: int | None = None
    duration: int | None = None
    type: str | None = None  # todo | email | call | meeting
    invitees: list[str] | None = None
    timeSpecific: bool | None = None


@dataclass(slots=True)
class Task:
    id: int
    data: TaskWrite
    status: int  # 0 open, 1 completed
    created: datetime
    assigned: datetime
    completed: datetime | None = None
    completed_by_employee: bool = False
    kind: str = "sales"  # task search "type": sales | onboarding (L6537)


@dataclass(slots=True)
class Message:
    id: str
    thread_id: str
    sender: str
    recipient: str
    body: str
    sent: datetime
    inbound: bool
    trashed: bool = False


@dataclass(slots=True)
class Thread:
    id: str
    channel: str  # "email" | "text"
    subject: str
    contact_name: str
    contact: str  # email address or phone
    agent_id: int
    account_id: str
    customer_id: int | None
    lead_id: int | None
    unread: bool
    deleted: bool = False
    messages: list[Message] = field(default_factory=list)

    def live_messages(self) -> list[Message]:
        return [m for m in self.messages if not m.trashed]


@dataclass(slots=True)
class Opportunity:
    """Lead opportunities and quotes share this shape (L2590, L3018)."""

    id: int
    lead_id: int
    carrierId: int | None
    productLineId: int | None
    premium: int | None
    items: int
    status: int = 0
    expiryDate: str | None = None
    assignTo: int | None = None
    customFields: list[dict[str, Any]] = field(default_factory=list)
    property: dict[str, Any] | None = None
    driver_ids: list[int] = field(default_factory=list)
    vehicle_ids: list[int] = field(default_factory=list)
    is_quote: bool = False
    sold: bool = False
    effectiveDate: str | None = None


@dataclass(slots=True)
class DriverWrite:
    """POST /v1/api/opportunities/{opportunityId}/driver (L5050)."""

    firstName: str | None = None
    middleName: str | None = None
    lastName: str | None = None
    birthday: str | None = None
    relationship: str | None = None
    gender: str | None = None
    maritalStatus: int | None = None
    stateLicensed: str | None = None
    licenseNumber: str | None = None


@dataclass(slots=True)
class VehicleWrite:
    """POST /v1/api/opportunities/{opportunityId}/vehicle (L5273)."""

    vin: str | None = None
    make: str | None = None
    year: int | None = None
    model: str | None = None
    ownership: str | None = None


@dataclass(slots=True)
class Driver:
    id: int
    data: DriverWrite


@dataclass(slots=True)
class Vehicle:
    id: int
    data: VehicleWrite


@dataclass(slots=True)
class File:
    id: int
    owner: str  # "lead" | "customer"
    owner_id: int
    title: str
    media_type: str
    size: int
    created: datetime
    created_by: str
    doc_type: int  # 1 = quote (lead files fileType 1 "quotes only", L2844)
    comments: str = ""
    modified: datetime | None = None
    modified_by: str | None = None


@dataclass(slots=True)
class Employee:
    id: int
    firstname: str
    lastname: str
    email: str
    phone: str
    is_producer: bool
    is_owner: bool
    is_csr: bool
    user_id: int
    password: str
    active: bool = True


@dataclass(slots=True)
class LifeLead:
    id: int
    firstname: str
    lastname: str
    email: str
    phone: str
    status: int  # 0-8 (L4937)
    agent_id: int
    efs_id: int
    location_id: str
    created: datetime
    appointment: datetime
    sold: datetime | None
    kept: bool
    set_by_agent: bool
    product: str
    premium: int


@dataclass(slots=True)
class ServiceTicket:
    id: int
    customer_id: int
    household_name: str
    subject: str
    status: int  # remove 0, active 1, completed 2 (L7068)
    category: int
    priority: int
    resolution: str | None
    created: datetime
    completed: datetime | None
    workflow_id: int
    workflow_stage_id: int
    tags: list[int]
    policy_type: int | None
    carrier_id: int | None
    assignee_id: int


@dataclass(slots=True)
class Contact:
    id: int
    firstname: str
    lastname: str | None
    email: str | None
    phone: str | None
    customer_id: int | None
    lead_id: int | None
