"""AgencyBloc AMS+ sandbox state: policies, their holders, agents, users, carriers and the
account's user-defined dropdown tables.

Field names follow the vendor's *input* names (``policyStatus``, ``carrier``…); ``serialize``
turns a policy into the search row (camelCase) or the detail object (PascalCase) the document
shows (L106-L107, L117-L129).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime

DROPDOWNS = ("policyStatus", "policyCoverageType", "projectCode")


@dataclass(slots=True)
class Holder:
    """A Group or an Individual a policy is tied to (``entityID`` + ``entityTypeID``, L11-L12)."""

    id: int
    type: str  # "Group" | "Individual"
    name: str
    person_key: str = ""  # the shared Population's id, so other vendors' people can be linked


@dataclass(slots=True)
class Person:
    """An agent (``/agents/######/detail``) or a user (Account Manager)."""

    id: int
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(slots=True)
class Carrier:
    id: int
    name: str
    products: dict[str, int] = field(default_factory=dict)  # product name -> product id


@dataclass(slots=True)
class Coverage:
    id: int
    carrier_product: str


@dataclass(slots=True)
class CustomFieldDef:
    name: str
    checkbox_list: bool = False
    options: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Policy:
    id: int
    holder: Holder
    carrier: Carrier
    status_id: int
    coverage_type_id: int
    updated: datetime  # the sandbox clock at the last change (search filter ``updatedDTM``)
    policy_number: str | None = None
    project_code_id: int | None = None
    app_submit_date: date | None = None
    effective_date: date | None = None
    renewal_date: date | None = None
    renewal_increase: float | None = None
    term_date: date | None = None
    issue_date: date | None = None
    premium: float | None = None
    pay_frequency: int | None = None
    lives: int | None = None
    waiting_period: str | None = None
    classifications: str | None = None
    notes: str | None = None
    servicing_agent: Person | None = None
    signed_by_agent: Person | None = None
    account_manager: Person | None = None
    coverages: list[Coverage] = field(default_factory=list)
    custom: dict[str, str] = field(default_factory=dict)  # field name -> "a||b"
    active: int = 1
    deleted: int = 0


class Lookups:
    """User-defined dropdown values. Unknown values are *added*, never refused (L3)."""

    def __init__(self, first_id: int = 3000) -> None:
        self._by_kind: dict[str, dict[int, str]] = {kind: {} for kind in DROPDOWNS}
        self._next = first_id

    def id_for(self, kind: str, value: str) -> int:
        """The lookup id of ``value``, creating it when it does not exist yet."""
        table = self._by_kind[kind]
        wanted = value.strip().casefold()
        for lookup_id, existing in table.items():
            if existing.casefold() == wanted:
                return lookup_id
        self._next += 1
        table[self._next] = value.strip()
        return self._next

    def text(self, kind: str, lookup_id: int | None) -> str | None:
        return None if lookup_id is None else self._by_kind[kind].get(lookup_id)

    def values(self, kind: str) -> list[str]:
        return list(self._by_kind[kind].values())

    def rename(self, kind: str, old: str, new: str) -> None:
        """The agency renames a dropdown value in AMS+ (Settings): its policies keep its id."""
        table = self._by_kind[kind]
        lookup_id = next(i for i, text in table.items() if text == old)
        table[lookup_id] = new


@dataclass(slots=True)
class AgencyBlocState:
    sid: str
    key: str
    holders: dict[tuple[str, int], Holder] = field(default_factory=dict)
    agents: dict[int, Person] = field(default_factory=dict)
    users: dict[int, Person] = field(default_factory=dict)
    carriers: dict[str, Carrier] = field(default_factory=dict)  # casefolded full name -> carrier
    custom_fields: dict[str, CustomFieldDef] = field(default_factory=dict)
    policies: dict[int, Policy] = field(default_factory=dict)
    lookups: Lookups = field(default_factory=Lookups)
    next_policy_id: int = 100000
    next_coverage_id: int = 500000
    next_product_id: int = 9000
    lock: threading.Lock = field(default_factory=threading.Lock)

    def new_policy_id(self) -> int:
        self.next_policy_id += 1
        return self.next_policy_id

    def new_coverage_id(self) -> int:
        self.next_coverage_id += 1
        return self.next_coverage_id

    def carrier(self, name: str) -> Carrier | None:
        return self.carriers.get(name.strip().casefold())

    def product_for(self, carrier: Carrier, product: str) -> None:
        """A carrier product that does not exist for the carrier is created (L36)."""
        if product not in carrier.products:
            self.next_product_id += 1
            carrier.products[product] = self.next_product_id

    def agent_by_name(self, first: str, last: str) -> Person | None:
        """Names must match exactly as in AMS+, else nobody is assigned (L53)."""
        for agent in self.agents.values():
            if agent.first_name == first and agent.last_name == last:
                return agent
        return None

    def user_by_name(self, text: str) -> Person | None:
        """ "FirstName LastName" or "LastName, FirstName" (L58), matched exactly."""
        if "," in text:
            last, _, first = text.partition(",")
            first, last = first.strip(), last.strip()
            return next(
                (u for u in self.users.values() if (u.first_name, u.last_name) == (first, last)),
                None,
            )
        return next((u for u in self.users.values() if u.full_name == text.strip()), None)
