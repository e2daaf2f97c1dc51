"""The records of an agency's book.

Every record carries its provenance (which vendor account it came from and the vendor's own id, or
``local``), its local id once stored, created/updated times, whether it is synced, and the vendor's
raw payload so a later update can send back everything the vendor gave us.

Money is integer cents; calendar dates are ``date``; instants are timezone-aware UTC ``datetime``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from agencydesk.domain.values import (
    Channel,
    Direction,
    LeadStatus,
    PolicyStatus,
    RecordKind,
    SyncState,
    TaskKind,
    TaskStatus,
)

LOCAL_VENDOR = "local"

#: A JSON object as a vendor sent it (kept verbatim, unknown fields included).
RawPayload = dict[str, Any]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    """Where a record comes from: a vendor account and that vendor's id, or local."""

    vendor: str = LOCAL_VENDOR
    account: str = ""
    remote_id: str = ""

    @property
    def is_local(self) -> bool:
        return self.vendor == LOCAL_VENDOR


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """Fields every record has. ``id`` is the local cache id, ``None`` until stored."""

    kind: ClassVar[RecordKind]

    id: int | None = None
    provenance: Provenance = field(default_factory=Provenance)
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)
    sync_state: SyncState = SyncState.LOCAL_ONLY
    raw: RawPayload = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Lead(Record):
    kind: ClassVar[RecordKind] = RecordKind.LEAD

    first_name: str = ""
    last_name: str = ""
    business_name: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    city: str = ""
    state: str = ""
    zip_code: str = ""
    status: LeadStatus = LeadStatus.NEW
    pipeline: str = ""
    stage: str = ""
    source: str = ""
    producer: str = ""
    x_date: date | None = None  # the prospect's current policy expiration: when to call back
    quoted_premium_cents: int | None = None
    tags: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        person = f"{self.first_name} {self.last_name}".strip()
        return person or self.business_name


@dataclass(frozen=True, slots=True, kw_only=True)
class Customer(Record):
    kind: ClassVar[RecordKind] = RecordKind.CUSTOMER

    first_name: str = ""
    last_name: str = ""
    business_name: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    city: str = ""
    state: str = ""
    zip_code: str = ""
    birth_date: date | None = None
    household: str = ""  # household key: members of one household share it
    producer: str = ""
    customer_since: date | None = None
    tags: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        person = f"{self.first_name} {self.last_name}".strip()
        return person or self.business_name


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy(Record):
    kind: ClassVar[RecordKind] = RecordKind.POLICY

    customer_id: int | None = None  # local id of the insured customer
    insured_name: str = ""
    policy_number: str = ""
    carrier: str = ""
    line_of_business: str = ""
    premium_cents: int = 0
    effective_date: date | None = None
    expiration_date: date | None = None
    status: PolicyStatus = PolicyStatus.ACTIVE
    producer: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Thread(Record):
    """An email or text conversation, usually with a customer or lead."""

    kind: ClassVar[RecordKind] = RecordKind.THREAD

    channel: Channel = Channel.EMAIL
    subject: str = ""
    customer_id: int | None = None
    lead_id: int | None = None
    counterpart: str = ""  # the other party: a name, email address or phone number
    last_message_at: datetime | None = None
    unread: bool = False
    message_count: int = 0
    producer: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Message(Record):
    kind: ClassVar[RecordKind] = RecordKind.MESSAGE

    thread_id: int | None = None
    direction: Direction = Direction.INBOUND
    sender: str = ""
    body: str = ""
    sent_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True, kw_only=True)
class Task(Record):
    kind: ClassVar[RecordKind] = RecordKind.TASK

    title: str = ""
    task_kind: TaskKind = TaskKind.TODO
    status: TaskStatus = TaskStatus.OPEN
    due_date: date | None = None
    due_time: str = ""  # "HH:MM" when the task is time-specific, else empty
    assignee: str = ""
    customer_id: int | None = None
    lead_id: int | None = None
    comments: str = ""
    completed_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Note(Record):
    """A note on a lead or customer (vendors give notes no ids of their own in most cases)."""

    kind: ClassVar[RecordKind] = RecordKind.NOTE

    parent_kind: RecordKind = RecordKind.CUSTOMER
    parent_id: int | None = None
    title: str = ""
    body: str = ""
    author: str = ""
