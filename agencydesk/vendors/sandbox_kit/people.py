"""The shared, seeded cast every sandbox serves: households, people, producers, carriers,
lines of business, policies and leads, and which people each vendor knows.

The same people appear at several vendors where that is natural (a Lofty lead who is an
AgencyZoom customer, AgencyBloc life/health policies of AgencyZoom customers, LeadExec leads that
became AgencyZoom leads, ConeCRM contacts among them), so linking can be tested.

Speed: Faker (seeded) fills small pools of names and streets once; records are then combined
with ``random.Random(seed)``. ``small`` builds in ~0.1 s, ``large`` (20,000 AgencyZoom leads,
10,000 customers, 23,000 policies, 36,000 people) in ~0.8 s on one core.
``Population.shared`` caches per (seed, size) so five sandboxes in one process build it once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from agencydesk.vendors.sandbox_kit.base import Size

LineKind = Literal["personal", "commercial", "life", "health"]
Role = Literal["customer", "lead", "contact", "client"]

LEAD_STATUSES = ("new", "contacted", "quoted", "sold", "lost")
LEAD_SOURCES = (
    "Website",
    "Referral",
    "LeadExec",
    "EverQuote",
    "Facebook Ads",
    "Walk-in",
    "Zillow",
    "Cross-sell",
)
PIPELINE_STAGES = ("New Lead", "Contacted", "Quote Sent", "Negotiation", "Won", "Lost")


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    city: str
    state: str
    zip: str


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    household_id: int
    first_name: str
    last_name: str
    email: str
    phone: str  # E.164, +1XXXXXXXXXX
    birth_date: date
    gender: Literal["M", "F"]
    address: Address

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class Household:
    id: int
    name: str  # "The Garcia Household"
    address: Address
    member_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Producer:
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    title: str


@dataclass(frozen=True, slots=True)
class Carrier:
    id: int
    name: str
    kind: Literal["pc", "life_health"]


@dataclass(frozen=True, slots=True)
class LineOfBusiness:
    id: int
    name: str
    kind: LineKind


@dataclass(frozen=True, slots=True)
class Customer:
    id: int
    person_id: int
    household_id: int
    producer_id: int
    customer_since: date
    active: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Policy:
    id: int
    customer_id: int
    number: str
    carrier_id: int
    line_id: int
    premium: float
    effective: date
    expiration: date
    status: Literal["active", "pending", "cancelled", "expired"]
    system: Literal["agencyzoom", "agencybloc"]  # P&C in AgencyZoom, life/health in AgencyBloc


@dataclass(frozen=True, slots=True)
class Lead:
    id: int
    person_id: int
    producer_id: int
    status: str  # one of LEAD_STATUSES
    source: str  # one of LEAD_SOURCES
    stage: str  # one of PIPELINE_STAGES
    line_id: int  # what they asked about
    quoted_premium: float | None
    created_at: datetime
    last_activity_at: datetime


@dataclass(slots=True, init=False)
class Population:
    seed: int
    size: Size
    people: list[Person] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    producers: list[Producer] = field(default_factory=list)
    carriers: list[Carrier] = field(default_factory=list)
    lines: list[LineOfBusiness] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    # vendor -> person id -> role there ("customer", "lead", "contact", "client")
    presence: dict[str, dict[int, Role]] = field(default_factory=dict)
    epoch: datetime = datetime(2026, 1, 1, tzinfo=UTC)  # "now" of the generated history
    _policies_by_customer: dict[int, list[Policy]] = field(default_factory=dict)

    def __init__(self, seed: int = 7, size: Size = "small") -> None:
        self.seed, self.size = seed, size
        self.epoch = datetime(2026, 1, 1, tzinfo=UTC)
        self.people, self.households, self.producers = [], [], []
        self.carriers, self.lines, self.customers, self.policies, self.leads = [], [], [], [], []
        self.presence = {}
        self._policies_by_customer: dict[int, list[Policy]] = {}
        # Imported here: people_build needs these records, so it cannot be imported at the top.
        from agencydesk.vendors.sandbox_kit.people_build import build

        build(self)

    @staticmethod
    def shared(seed: int = 7, size: Size = "small") -> Population:
        """One population per (seed, size) per process, shared by all sandboxes."""
        return _shared(seed, size)

    # -- look-ups --------------------------------------------------------------------------------
    def person(self, person_id: int) -> Person:
        return self.people[person_id - 1]

    def carrier(self, carrier_id: int) -> Carrier:
        return self.carriers[carrier_id - 1]

    def line(self, line_id: int) -> LineOfBusiness:
        return self.lines[line_id - 1]

    def people_at(self, vendor: str, role: Role | None = None) -> list[Person]:
        roles = self.presence.get(vendor, {})
        return [self.person(pid) for pid, r in roles.items() if role is None or r == role]

    def vendors_of(self, person_id: int) -> dict[str, Role]:
        return {v: roles[person_id] for v, roles in self.presence.items() if person_id in roles}

    def policies_of(self, customer_id: int) -> list[Policy]:
        if not self._policies_by_customer:
            for policy in self.policies:
                self._policies_by_customer.setdefault(policy.customer_id, []).append(policy)
        return list(self._policies_by_customer.get(customer_id, ()))


@functools.lru_cache(maxsize=8)
def _shared(seed: int, size: Size) -> Population:
    return Population(seed, size)
