"""ConeCRM sandbox state: one tenant's customers (contacts, accounts), connections (leads),
tasks and configuration (stages, saved filters, custom fields and labels, automations).

Vendor field values are kept under the vendor's own names (``primaryEmail``, ``firstName``…) in
``fields`` dicts so PATCH, search and the query builder work on exactly what the document names.
Every record has a UUID7 ``id`` (schemas, L11766+) and, where the document types a path or query
parameter as an integer (L106, L4818, L8980), a ``number`` that such parameters also accept.
"""

from __future__ import annotations

import random
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# BaseCustomer (L12423) fields besides id/thirdPartyIds, in the document's order.
CUSTOMER_FIELDS = (
    "primaryEmail",
    "secondaryEmail",
    "homePhone",
    "workPhone",
    "workPhoneExtension",
    "mobilePhone",
    "address",
    "city",
    "province",
    "postalCode",
    "country",
    "language",
    "isActive",
)
CONTACT_FIELDS = ("firstName", "lastName", "companyName", "civility", "preferredMethodOfContact")
TASK_TYPES = (
    "CALL",
    "",
    "MEETING",
    "OTHER",
    "SMS",
    "FOLLOW_UP",
    "REMINDER",
    "LINKEDIN_MESSAGE",
    "DM",
)


def uuid7(ms: int, rng: random.Random) -> str:
    """A UUIDv7 (RFC 9562) from a millisecond timestamp and seeded random bits."""
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76 | rng.getrandbits(12) << 64
    value |= 0b10 << 62 | rng.getrandbits(62)
    return str(uuid.UUID(int=value))


@dataclass(slots=True)
class Audit:
    """BaseRecord (L13051): who and when, plus the soft-delete flags."""

    created: datetime
    created_by: str
    modified: datetime | None = None
    modified_by: str | None = None
    deleted: datetime | None = None
    deleted_by: str | None = None

    def touch(self, when: datetime, user: str) -> None:
        self.modified, self.modified_by = when, user


@dataclass(slots=True)
class User:
    """A user / SecurityObject (L15725, L15809): task assignees and token subjects."""

    id: str
    number: int
    username: str
    first_name: str
    last_name: str
    email: str
    user_type: str  # USER | ADMIN | MANAGER
    can_create_leads: bool = True  # a role without it gets 403 on lead create/copy (L6815)


@dataclass(slots=True)
class Named:
    """Franchise, department, source, status, pipeline: referenced as ``{"id": …}``."""

    id: str
    number: int
    name: str
    code: str = ""


@dataclass(slots=True)
class Customer:
    """A Contact (``kind="contact"``) or an Account (``kind="account"``)."""

    id: str
    number: int
    kind: str
    audit: Audit
    fields: dict[str, Any]
    franchise: str | None = None
    name: str | None = None  # accounts
    primary_contact: str | None = None  # accounts: contact id
    contact_ids: list[str] = field(default_factory=list)  # accounts
    third_party: list[dict[str, Any]] = field(default_factory=list)
    person_key: str = ""  # the shared Population's person id


@dataclass(slots=True)
class Lead:
    """A Connection of dtype ``lead`` (L12743, L12911)."""

    id: str
    number: int
    audit: Audit
    subject: str
    department: str
    contact: str
    source: str
    franchise: str
    status: str
    stage: str | None
    account: str | None = None
    assignees: list[str] = field(default_factory=list)
    description: str | None = None
    category: str | None = None
    utm_campaign: str | None = None
    utm_source: str | None = None
    customer_initiated: bool = False
    handling: str | None = None
    vehicle: dict[str, str | None] = field(default_factory=dict)  # makeStr… (not returned)
    custom_values: dict[str, str] = field(default_factory=dict)
    closed: datetime | None = None
    lost: datetime | None = None
    sold: datetime | None = None
    due: datetime | None = None
    priority: int | None = None
    is_qualified: bool = False


@dataclass(slots=True)
class Task:
    id: str
    audit: Audit
    title: str
    assignee: str
    type: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    note: str | None = None
    contact: str | None = None
    account: str | None = None
    connection: str | None = None
    done: bool = False
    edited: bool | None = None


@dataclass(slots=True)
class SavedFilter:
    id: str
    number: int
    name: str
    module: str
    value: str
    owner: str
    private: bool


@dataclass(slots=True)
class CustomFieldDef:
    id: str
    entity: str
    field_name: str
    field_type: str
    options: str


@dataclass(slots=True)
class CustomLabel:
    id: str
    audit: Audit
    value: dict[str, Any]


@dataclass(slots=True)
class Automation:
    id: str
    name: str
    trigger: str
    nodes: list[Any]
    edges: list[Any]
    delayed_count: int


@dataclass(slots=True)
class ConeState:
    tenant_id: str
    tenant_name: str
    rng: random.Random
    users: dict[str, User] = field(default_factory=dict)
    franchises: dict[str, Named] = field(default_factory=dict)
    departments: dict[str, Named] = field(default_factory=dict)
    pipelines: dict[str, Named] = field(default_factory=dict)
    sources: dict[str, Named] = field(default_factory=dict)
    statuses: dict[str, Named] = field(default_factory=dict)  # "open", "won", "lost" by name
    stages: dict[str, Named] = field(default_factory=dict)
    contacts: dict[str, Customer] = field(default_factory=dict)
    accounts: dict[str, Customer] = field(default_factory=dict)
    leads: dict[str, Lead] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    saved_filters: dict[str, SavedFilter] = field(default_factory=dict)
    custom_fields: dict[str, CustomFieldDef] = field(default_factory=dict)
    custom_labels: dict[str, CustomLabel] = field(default_factory=dict)
    automations: dict[str, Automation] = field(default_factory=dict)
    next_number: int = 1000
    round_robin: int = 0  # new leads without assignees go to the next user in turn (L6630)
    lock: threading.RLock = field(default_factory=threading.RLock)
    accounts_version: int = 0  # bumped whenever an account's contacts or deletion change
    _account_index: dict[str, list[Customer]] = field(default_factory=dict)
    _index_key: tuple[int, int] = (-1, -1)

    def accounts_of(self, contact_id: str) -> list[Customer]:
        """The live accounts a contact belongs to (an index rebuilt only after changes)."""
        key = (len(self.accounts), self.accounts_version)
        if key != self._index_key:
            index: dict[str, list[Customer]] = {}
            for account in self.accounts.values():
                if account.audit.deleted is None:
                    for member in account.contact_ids:
                        index.setdefault(member, []).append(account)
            self._account_index, self._index_key = index, key
        return list(self._account_index.get(contact_id, ()))

    def new_id(self, when: datetime) -> str:
        return uuid7(int(when.timestamp() * 1000), self.rng)

    def new_number(self) -> int:
        self.next_number += 1
        return self.next_number

    def status_id(self, name: str) -> str:
        return next(s.id for s in self.statuses.values() if s.name == name)

    @staticmethod
    def find(table: dict[str, Any], key: str) -> Any:
        """A record by its UUID, or by its integer ``number`` where the document says integer."""
        if key in table:
            return table[key]
        if key.isdigit():
            number = int(key)
            return next((r for r in table.values() if getattr(r, "number", None) == number), None)
        return None
