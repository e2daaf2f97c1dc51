"""The LeadExec sandbox's lead-side records: lead types and fields, leads and what happens to
them (sends, scan logs, automation), lead sources and campaigns, distribution lists, zips.
Field names are ours; the routes modules turn them into the vendor's JSON names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agencydesk.vendors.leadexec.sandbox.records import FieldEnum


@dataclass(slots=True)
class LeadType:
    uid: int
    descriptor: str
    status: bool = True
    in_qc: bool = False
    default_dup_sets: str = "Email|PrimaryPhone"
    type_uid: int = 1


@dataclass(slots=True)
class LeadField:
    uid: int
    lead_type_uid: int
    descriptor: str
    data_type: str
    special_bit: str
    required: bool = False
    validation: str = ""
    format_error: str = ""
    is_state: bool = False
    description: str = ""
    enums: list[FieldEnum] = field(default_factory=list)


@dataclass(slots=True)
class LeadCategory:
    uid: int
    lead_type_uid: int
    caption: str


@dataclass(slots=True)
class Visit:
    tracking_uid: int
    visit_uid: str  # a string in the record, an integer in the path (L3460, L3449)
    enter: datetime
    exit: datetime
    user_agent: str
    ip: str
    url: str
    enter_page: str
    exit_page: str
    referrer: str
    search_engine: str
    search_term: str
    browser: str
    os: str
    page_views: int
    first_visit: bool


@dataclass(slots=True)
class Attachment:
    file_name: str
    description: str
    size: int
    at: datetime


@dataclass(slots=True)
class Lead:
    uid: int
    lead_type_uid: int
    vendor_uid: int  # lead source (VID)
    campaign_uid: int  # AID
    values: dict[str, str]  # lead field descriptor -> value
    received: datetime
    price: float
    person_id: int | None = None  # the shared Population person, for cross-vendor linking
    is_valid_post: bool = True
    response_type: str = "No_Error"
    response_details: str = "Lead accepted"
    pending_qc: bool = False
    delete_at: datetime | None = None  # scheduled deletion (L3533)
    removed: bool = False  # contact information stripped (L3558)
    attachments: list[Attachment] = field(default_factory=list)
    cache_refreshes: int = 0
    visit: Visit | None = None


@dataclass(slots=True)
class Send:
    lead_uid: int
    client_uid: int
    account_uid: int
    delivery_uid: int
    date_sent: datetime
    is_valid: bool
    response: str
    price: float
    notes: str = ""
    order_uid: int = 0
    order_item_uid: int = 0
    post_string: str = ""
    confirmed: bool = False
    logged_only: bool = False  # PUT /v1/delivery/log (L1229)


@dataclass(slots=True)
class ScanLog:
    lead_uid: int
    at: datetime
    text: str


@dataclass(slots=True)
class AutomationJob:
    lead_uid: int
    due: datetime
    done: bool = False


@dataclass(slots=True)
class LeadSource:
    uid: int
    username: str
    status: int
    fields: dict[str, Any]  # every other documented LeadSource field, by its JSON name (L3599)


@dataclass(slots=True)
class Campaign:
    uid: int
    vendor_uid: int
    lead_type_uid: int
    account_name: str
    status: int
    max_sell: int
    lead_cat_uid: int = 0
    rules: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)  # the remaining documented fields


@dataclass(slots=True)
class ListItem:
    uid: int
    list_uid: int
    description: str
    tag1: str = ""
    tag2: str = ""
    value: str = ""
    assigned: list[int] = field(default_factory=list)  # client UIDs


@dataclass(slots=True)
class DistributionList:
    uid: int
    lead_type_uid: int
    lead_field_uid: int
    description: str
    field_name: str
    default_client: int = 0
    status: int = 1
    depend_field: int = 0
    value: str = ""
    link_field_text: str = ""
    items: dict[int, ListItem] = field(default_factory=dict)


@dataclass(slots=True)
class ZipCode:
    uid: int
    zip: str
    city: str
    state: str
    fips: str
    county: str
    time_zone: str
    lat: float
    long: float
