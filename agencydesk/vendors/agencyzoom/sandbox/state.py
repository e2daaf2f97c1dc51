"""The AgencyZoom sandbox's in-memory state: typed tables, id counters and the lookups."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from agencydesk.vendors.agencyzoom.sandbox.records import (
    Contact,
    Customer,
    Driver,
    Employee,
    File,
    Lead,
    LifeLead,
    Note,
    Opportunity,
    Policy,
    ServiceTicket,
    Task,
    Thread,
    Vehicle,
)


@dataclass(frozen=True, slots=True)
class Stage:
    id: int
    pipeline_id: int
    name: str
    seq: int


@dataclass(frozen=True, slots=True)
class Pipeline:
    id: int
    name: str
    type: str
    seq: int
    stages: tuple[Stage, ...]


@dataclass(frozen=True, slots=True)
class NamedItem:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class LeadSource:
    id: int
    name: str
    category_id: int
    exclude_as_sales: bool


@dataclass(frozen=True, slots=True)
class CarrierRow:
    id: int
    name: str
    code: str  # standardCarrierCode


@dataclass(frozen=True, slots=True)
class ProductLine:
    id: int
    name: str
    category_id: int
    code: str  # standardProductLineCode


@dataclass(slots=True)
class Lookups:
    pipelines: list[Pipeline] = field(default_factory=list)
    end_stages: list[NamedItem] = field(default_factory=list)
    lead_sources: list[LeadSource] = field(default_factory=list)
    lead_source_categories: list[NamedItem] = field(default_factory=list)
    carriers: list[CarrierRow] = field(default_factory=list)
    product_categories: list[NamedItem] = field(default_factory=list)
    product_lines: list[ProductLine] = field(default_factory=list)
    assign_groups: list[NamedItem] = field(default_factory=list)
    loss_reasons: list[NamedItem] = field(default_factory=list)
    locations: list[tuple[str, str]] = field(default_factory=list)  # (agencyNumber, name)
    departments: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    groups: list[tuple[str, str]] = field(default_factory=list)
    custom_fields: list[dict[str, Any]] = field(default_factory=list)
    classifications: list[tuple[int, int, str]] = field(default_factory=list)  # id, code, text
    life_professionals: list[Employee] = field(default_factory=list)
    x_date_types: list[str] = field(default_factory=list)

    def stage(self, stage_id: int | None) -> Stage | None:
        for pipeline in self.pipelines:
            for stage in pipeline.stages:
                if stage.id == stage_id:
                    return stage
        return None

    def pipeline(self, pipeline_id: int | None) -> Pipeline | None:
        return next((p for p in self.pipelines if p.id == pipeline_id), None)

    def carrier(self, carrier_id: int | None) -> CarrierRow | None:
        return next((c for c in self.carriers if c.id == carrier_id), None)

    def carrier_by_code(self, code: str | None) -> CarrierRow | None:
        return next((c for c in self.carriers if code and c.code == code), None)

    def product_line(self, line_id: int | None) -> ProductLine | None:
        return next((p for p in self.product_lines if p.id == line_id), None)

    def product_line_by_code(self, code: str | None) -> ProductLine | None:
        return next((p for p in self.product_lines if code and p.code == code), None)

    def lead_source(self, source_id: int | None) -> LeadSource | None:
        return next((s for s in self.lead_sources if s.id == source_id), None)


@dataclass(slots=True)
class AgencyZoomState:
    lookups: Lookups = field(default_factory=Lookups)
    employees: dict[int, Employee] = field(default_factory=dict)
    leads: dict[int, Lead] = field(default_factory=dict)
    customers: dict[int, Customer] = field(default_factory=dict)
    policies: dict[int, Policy] = field(default_factory=dict)
    notes: dict[int, Note] = field(default_factory=dict)
    tasks: dict[int, Task] = field(default_factory=dict)
    threads: dict[str, Thread] = field(default_factory=dict)
    opportunities: dict[int, Opportunity] = field(default_factory=dict)
    drivers: dict[int, Driver] = field(default_factory=dict)
    vehicles: dict[int, Vehicle] = field(default_factory=dict)
    files: dict[int, File] = field(default_factory=dict)
    life_leads: dict[int, LifeLead] = field(default_factory=dict)
    tickets: dict[int, ServiceTicket] = field(default_factory=dict)
    contacts: dict[int, Contact] = field(default_factory=dict)
    # children indexes (ids in insertion order)
    notes_of: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    files_of: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    opportunities_of: dict[int, list[int]] = field(default_factory=dict)
    policies_of: dict[int, list[int]] = field(default_factory=dict)
    tags: dict[str, int] = field(default_factory=dict)  # tag name -> id (lead tagNames read)
    api_token: str = ""  # the X-Api-Token POST /v1/api/policies/create wants (L1129)
    version: int = 0  # bumped on every write (cache key for sorted lead lists)
    _ids: dict[str, Iterator[int]] = field(default_factory=dict)
    _task_index: dict[tuple[str, int], list[Task]] = field(default_factory=dict)
    _task_index_version: int = -1

    def next_id(self, table: str) -> int:
        if table not in self._ids:
            self._ids[table] = itertools.count(1)
        return next(self._ids[table])

    def start_ids(self, table: str, first: int) -> None:
        self._ids[table] = itertools.count(first)

    def tag_id(self, name: str) -> int:
        if name not in self.tags:
            self.tags[name] = len(self.tags) + 1
        return self.tags[name]

    def touch(self) -> None:
        self.version += 1

    # -- children --------------------------------------------------------------------------------
    def add_note(self, note: Note) -> None:
        self.notes[note.id] = note
        self.notes_of.setdefault((note.owner, note.owner_id), []).append(note.id)

    def add_file(self, file: File) -> None:
        self.files[file.id] = file
        self.files_of.setdefault((file.owner, file.owner_id), []).append(file.id)

    def add_opportunity(self, opp: Opportunity) -> None:
        self.opportunities[opp.id] = opp
        self.opportunities_of.setdefault(opp.lead_id, []).append(opp.id)

    def add_policy(self, policy: Policy) -> None:
        self.policies[policy.id] = policy
        self.policies_of.setdefault(policy.customer_id, []).append(policy.id)

    def notes_for(self, owner: str, owner_id: int) -> list[Note]:
        return [self.notes[i] for i in self.notes_of.get((owner, owner_id), ()) if i in self.notes]

    def files_for(self, owner: str, owner_id: int) -> list[File]:
        return [self.files[i] for i in self.files_of.get((owner, owner_id), ()) if i in self.files]

    def opportunities_for(self, lead_id: int, *, quotes: bool) -> list[Opportunity]:
        return [
            o
            for i in self.opportunities_of.get(lead_id, ())
            if (o := self.opportunities.get(i)) is not None and o.is_quote == quotes
        ]

    def policies_for(self, customer_id: int, *, ams: bool) -> list[Policy]:
        return [
            p
            for i in self.policies_of.get(customer_id, ())
            if (p := self.policies.get(i)) is not None and p.ams == ams
        ]

    def tasks_for(
        self, *, lead_id: int | None = None, customer_id: int | None = None
    ) -> list[Task]:
        """A lead's or a customer's tasks, from an index rebuilt after any write (``touch``)."""
        if self._task_index_version != self.version:
            index: dict[tuple[str, int], list[Task]] = {}
            for t in self.tasks.values():
                if t.data.leadId is not None:
                    index.setdefault(("lead", t.data.leadId), []).append(t)
                if t.data.customerId is not None:
                    index.setdefault(("customer", t.data.customerId), []).append(t)
            self._task_index, self._task_index_version = index, self.version
        found: list[Task] = []
        if lead_id is not None:
            found += self._task_index.get(("lead", lead_id), [])
        if customer_id is not None:
            found += [
                t for t in self._task_index.get(("customer", customer_id), []) if t not in found
            ]
        return found

    def employee_name(self, employee_id: int | None) -> tuple[str | None, str | None]:
        employee = self.employees.get(employee_id) if employee_id is not None else None
        return (employee.firstname, employee.lastname) if employee else (None, None)
