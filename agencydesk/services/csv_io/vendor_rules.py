"""Would the vendor take this imported row? The checks an import into a vendor account makes on
each row before anything is queued, from each vendor's own rules (../shared/vendor-notes): what
its API can create or change at all (the capability table), the fields its create requires, the
fields an update can carry, the values it would silently replace or invent (AgencyZoom falls
back to the first pipeline for an unknown one; AgencyBloc creates any unknown dropdown value,
agencybloc.md §README), and the fields an update would clear unread (``write_risk``).

Each check returns '' when the row may be sent, else the reason as the user reads it. The send
itself checks again (the pushers refuse what they cannot send faithfully); this is what lets the
summary say, before anything leaves, which rows the vendor would refuse and why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agencydesk.domain import Customer, Lead, Policy, Record, RecordKind, Task, TaskStatus
from agencydesk.services.capabilities import load_capabilities
from agencydesk.vendors.agencybloc import mapping as agencybloc_map
from agencydesk.vendors.agencyzoom import mapping as agencyzoom_map
from agencydesk.vendors.catalog import VENDOR_INFO
from agencydesk.vendors.conecrm import mapping as conecrm_map
from agencydesk.vendors.conecrm.push import TASK_EDITS as CONECRM_TASK_EDITS
from agencydesk.vendors.leadexec import mapping as leadexec_map
from agencydesk.vendors.lofty import mapping as lofty_map
from agencydesk.vendors.lofty.push import TASK_EDITS as LOFTY_TASK_EDITS
from agencydesk.vendors.write_risk import join_labels, load_fields_at_risk

#: The fields an update can carry, per vendor and tab (what each pusher's ``_refuse`` allows).
UPDATABLE: dict[tuple[str, RecordKind], frozenset[str]] = {
    ("agencyzoom", RecordKind.LEAD): frozenset(
        set(agencyzoom_map.LEAD_EDITS) | {"status", "stage", "producer"}
    ),
    ("agencyzoom", RecordKind.CUSTOMER): frozenset(
        set(agencyzoom_map.CUSTOMER_EDITS) | {"producer"}
    ),
    ("agencyzoom", RecordKind.TASK): frozenset(
        {"title", "comments", "due_date", "due_time", "status"}
    ),
    ("lofty", RecordKind.LEAD): frozenset(
        set(lofty_map.LEAD_EDITS) | set(lofty_map.LEAD_LIST_EDITS) | {"tags", "producer"}
    ),
    ("lofty", RecordKind.TASK): frozenset(LOFTY_TASK_EDITS),
    ("conecrm", RecordKind.CUSTOMER): frozenset(set(conecrm_map.ACCOUNT_EDITS) | {"phone"}),
    ("conecrm", RecordKind.TASK): frozenset(CONECRM_TASK_EDITS),
    ("leadexec", RecordKind.CUSTOMER): frozenset(leadexec_map.CUSTOMER_BITS),
    ("agencybloc", RecordKind.POLICY): frozenset(agencybloc_map.EDITS),
}

_PERSON = frozenset(
    {"first_name", "last_name", "email", "phone", "street", "city", "state", "zip_code"}
)
#: The fields each vendor's create carries (each pusher's create body); a file's other fields
#: are not sent, and the summary says so.
CREATE_CARRIES: dict[tuple[str, RecordKind], frozenset[str]] = {
    # POST /v1/api/leads/create (or create-biz-lead for a business name), push._create_lead.
    ("agencyzoom", RecordKind.LEAD): _PERSON
    | {"business_name", "pipeline", "stage", "source", "producer", "x_date"},
    # POST /v1/api/customers/create, push._create_customer (a business name stands in for the
    # first name).
    ("agencyzoom", RecordKind.CUSTOMER): _PERSON | {"producer", "birth_date", "business_name"},
    # POST /v1.0/leads: LeadRequest (lofty mapping.lead_body).
    ("lofty", RecordKind.LEAD): _PERSON | {"stage", "source", "tags"},
    # POST /api/account (conecrm mapping.new_account_body).
    ("conecrm", RecordKind.CUSTOMER): _PERSON | {"business_name"},
    # PATCH /v1/clients with ClientUID 0 (leadexec CUSTOMER_BITS).
    ("leadexec", RecordKind.CUSTOMER): frozenset(leadexec_map.CUSTOMER_BITS),
}


def not_carried(vendor: str, record: Record, filled: frozenset[str]) -> list[str]:
    """The file's fields a create in ``vendor`` does not send (labels), [] when all go."""
    carries = CREATE_CARRIES.get((vendor, record.kind))
    if carries is None:
        return []
    return [label(name) for name in sorted(filled - carries) if name not in _BOOKKEEPING]


_BOOKKEEPING = frozenset({"customer_id", "lead_id"})  # links: checked as parents instead

#: Fields a create must have (label, test), from each vendor's document.
_REQUIRED: dict[tuple[str, RecordKind], tuple[tuple[str, str], ...]] = {
    # POST /v1/api/leads/create: firstname* and email* (agencyzoom.md #56).
    ("agencyzoom", RecordKind.LEAD): (("first_name", "First name"), ("email", "Email")),
    # POST /v1/api/customers/create: firstname* and email* (agencyzoom.md #17).
    ("agencyzoom", RecordKind.CUSTOMER): (("email", "Email"),),
    # POST /v1.0/leads: firstName is needed in practice (lofty.md #1, †).
    ("lofty", RecordKind.LEAD): (("first_name", "First name"),),
    # POST /api/task: title and assignee required (conecrm.md #41/#42); the assignee is the
    # account's user (settings user_id, conecrm push._assignee), whatever the file says.
    ("conecrm", RecordKind.TASK): (("title", "Title"),),  # assignee: the account's user (push)
    # POST /api/v1/policies/create: policyCoverageType*, policyStatus*, carrier* (agencybloc.md #1).
    ("agencybloc", RecordKind.POLICY): (("carrier", "Carrier"), ("line_of_business", "Line")),
}

_LABELS = {
    "first_name": "First name", "last_name": "Last name", "business_name": "Business name",
    "email": "Email", "phone": "Phone", "street": "Street", "city": "City", "state": "State",
    "zip_code": "ZIP", "status": "Status", "pipeline": "Pipeline", "stage": "Stage",
    "source": "Source", "producer": "Producer", "x_date": "X-date", "tags": "Tags",
    "quoted_premium_cents": "Quoted premium", "birth_date": "Birth date",
    "household": "Household", "customer_since": "Customer since", "insured_name": "Insured",
    "policy_number": "Policy number", "carrier": "Carrier", "line_of_business": "Line",
    "premium_cents": "Premium", "effective_date": "Effective", "expiration_date": "Expires",
    "title": "Title", "task_kind": "Type", "due_date": "Due", "due_time": "Due time",
    "assignee": "Assigned to", "comments": "Comments", "customer_id": "Customer",
    "lead_id": "Lead",
}  # fmt: skip


def label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " ").capitalize())


def vendor_name(vendor: str) -> str:
    info = VENDOR_INFO.get(vendor)
    return info.display_name if info else vendor


@dataclass
class KnownValues:
    """What the account's records in the book already use, for the values a vendor would
    silently replace or invent: AgencyZoom pipelines, stages and sources (its create takes ids,
    and our client picks the first one for a name it does not find), AgencyBloc carriers and
    lines (unknown dropdown values become new ones). Empty: the account was never read."""

    values: dict[str, set[str]] = field(default_factory=dict)
    parents: set[tuple[RecordKind, int]] = field(default_factory=set)  # the account's records

    def has(self, name: str, value: str) -> bool:
        return value.strip().casefold() in self.values.get(name, set())

    def learn(self, name: str, value: object) -> None:
        if isinstance(value, str) and value.strip():
            self.values.setdefault(name, set()).add(value.strip().casefold())


#: Values checked against the account's own (vendor, tab) -> field names.
CHECKED_VALUES: dict[tuple[str, RecordKind], tuple[str, ...]] = {
    ("agencyzoom", RecordKind.LEAD): ("pipeline", "stage", "source"),
    ("agencybloc", RecordKind.POLICY): ("carrier", "line_of_business"),
}


def why_not_create(vendor: str, record: Record, known: KnownValues) -> str:
    """'' when ``vendor`` would take ``record`` as a new record of the account."""
    name = vendor_name(vendor)
    table = load_capabilities(vendor)
    capability = table.get(record.kind) if table is not None else None
    if capability is None or not capability.create:
        why = capability.why_not if capability is not None and capability.why_not else ""
        return why or f"{name}'s API cannot create {record.kind.value}s"
    missing = [
        text for attr, text in _REQUIRED.get((vendor, record.kind), ()) if not _filled(record, attr)
    ]
    nameless = isinstance(record, Customer) and not (record.first_name or record.business_name)
    if vendor == "agencyzoom" and nameless:
        missing.insert(0, "First name")
    if missing:
        return f"{name} needs {join_labels(missing)} for a new {record.kind.value}"
    return _values_refused(vendor, record, known) or _parent_refused(vendor, record, known)


def why_not_update(
    vendor: str, before: Record, changes: Mapping[str, Any], known: KnownValues
) -> str:
    """'' when ``vendor`` would take ``changes`` to ``before`` (a record of the account)."""
    name = vendor_name(vendor)
    table = load_capabilities(vendor)
    capability = table.get(before.kind) if table is not None else None
    if capability is None or not capability.update:
        why = capability.why_not if capability is not None and capability.why_not else ""
        return why or f"{name}'s API cannot change {before.kind.value}s"
    allowed = UPDATABLE.get((vendor, before.kind), frozenset())
    extra = sorted(set(changes) - allowed)
    if extra:
        return f"{name}'s API cannot change {join_labels([label(n) for n in extra])}"
    if isinstance(before, Task) and vendor == "lofty" and "status" in changes:
        return "Lofty's API cannot mark a task done or reopen it"
    check = load_fields_at_risk(vendor)
    at_risk = check(before.kind, before, changes) if check is not None else []
    if at_risk:  # an import cannot ask for each record: never a silent loss
        return (
            f"{name}'s API would clear {join_labels(at_risk)} on this {before.kind.value}, "
            "and does not let AgencyDesk read them: change it in AgencyDesk to confirm"
        )
    after = _with(before, changes)
    return _values_refused(vendor, after, known)


def _values_refused(vendor: str, record: Record, known: KnownValues) -> str:
    name = vendor_name(vendor)
    for attr in CHECKED_VALUES.get((vendor, record.kind), ()):
        value = getattr(record, attr, "")
        if isinstance(value, str) and value.strip() and not known.has(attr, value):
            if not known.values.get(attr):
                return f"{label(attr)} '{value}' cannot be checked: sync the {name} account first"
            return f"{name} has no {label(attr).lower()} '{value}' in this account"
    if isinstance(record, Lead) and vendor == "lofty":
        if len(record.stage) >= 20:  # "stage" <20 chars (lofty.md #1)
            return f"Lofty takes a stage name shorter than 20 characters ('{record.stage}')"
        if len(record.phone) > 20:  # phones ≤20 chars (lofty.md #1)
            return f"Lofty takes phone numbers of at most 20 characters ('{record.phone}')"
    if isinstance(record, Task) and vendor == "lofty" and record.status is TaskStatus.DONE:
        return "Lofty's API cannot add a task that is already done"
    return ""


def _parent_refused(vendor: str, record: Record, known: KnownValues) -> str:
    """A task or policy points at the account's own customer or lead, never another's: a remote
    id means nothing (or something else) to another account."""
    name = vendor_name(vendor)
    parents: list[tuple[RecordKind, int]] = []
    if isinstance(record, Task | Policy) and record.customer_id is not None:
        parents.append((RecordKind.CUSTOMER, record.customer_id))
    if isinstance(record, Task) and record.lead_id is not None:
        parents.append((RecordKind.LEAD, record.lead_id))
    if any(parent not in known.parents for parent in parents):
        return f"its {parents[0][0].value} is not in this {name} account"
    if isinstance(record, Policy) and vendor == "agencybloc" and not parents:
        return "an AgencyBloc policy needs its customer (a group or individual of the account)"
    if isinstance(record, Task) and vendor == "lofty" and record.lead_id is None:
        return "a Lofty task belongs to a lead of the account"
    return ""


def _filled(record: Record, attr: str) -> bool:
    value = getattr(record, attr, None)
    return value not in (None, "", ())


def _with(record: Record, changes: Mapping[str, Any]) -> Record:
    """The record with the text fields the update sets (the values checked are all text)."""
    names = {f.name for f in dataclasses.fields(record)}
    plain: dict[str, Any] = {k: v for k, v in changes.items() if k in names and isinstance(v, str)}
    return dataclasses.replace(record, **plain) if plain else record
