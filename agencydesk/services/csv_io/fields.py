"""Which fields of each tab a CSV can carry, how a cell becomes a stored value, and back.

One ``FieldSpec`` per importable field: its label (also the export header, so an exported file
maps itself on import), how to parse a cell (the shared parsers of ``agencydesk.domain.validation``)
and how to write the stored value to a cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import partial
from typing import Any

from agencydesk.domain import Customer, Lead, Policy, Record, RecordKind, Task
from agencydesk.domain.validation import (
    FieldError,
    format_phone,
    parse_date,
    parse_email,
    parse_money_cents,
    parse_phone,
    parse_state,
    parse_zip,
)
from agencydesk.domain.values import LeadStatus, PolicyStatus, TaskKind, TaskStatus

#: The tabs a CSV can be imported into (threads and messages come only from vendors).
IMPORTABLE: dict[RecordKind, type[Record]] = {
    RecordKind.LEAD: Lead,
    RecordKind.CUSTOMER: Customer,
    RecordKind.POLICY: Policy,
    RecordKind.TASK: Task,
}


class FieldType(StrEnum):
    TEXT = "text"
    EMAIL = "email"
    PHONE = "phone"
    DATE = "date"
    MONEY = "money"
    ENUM = "enum"
    TAGS = "tags"
    TIME = "time"
    ZIP = "zip"
    STATE = "state"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str  # the record's attribute
    label: str  # what people see; the export header
    value_type: FieldType = FieldType.TEXT
    enum: type[StrEnum] | None = None
    required: bool = False  # a row without it is invalid


# Words people (and vendors) use for our enumeration values; keys are lower-case.
_ENUM_WORDS: dict[type[StrEnum], dict[str, str]] = {
    LeadStatus: {
        "active": "new", "open": "new", "contacted": "contacted", "working": "contacted",
        "quoted": "quoted", "quote": "quoted", "sold": "won", "won": "won", "closed won": "won",
        "lost": "lost", "closed lost": "lost", "dead": "lost", "x-dated": "new", "xdated": "new",
        # AgencyZoom's numeric lead status: 0 ACTIVE, 2 WON, 3 LOST, 5 XDATED (agencyzoom.md L534)
        "0": "new", "2": "won", "3": "lost", "5": "new",
    },
    PolicyStatus: {
        "in force": "active", "inforce": "active", "issued": "active", "canceled": "cancelled",
        "cancel": "cancelled", "lapsed": "cancelled", "terminated": "cancelled",
        "expired": "expired", "pending": "pending", "submitted": "pending",
        "renewal": "renewed", "renewed": "renewed",
    },
    TaskStatus: {"completed": "done", "complete": "done", "closed": "done", "0": "open",
                 "1": "done"},  # AgencyZoom task status 0 open, 1 completed (agencyzoom.md L288)
    TaskKind: {"to-do": "todo", "to do": "todo", "task": "todo", "phone call": "call",
               "e-mail": "email", "appointment": "meeting"},
}  # fmt: skip


def parse_enum(text: str, enum: type[StrEnum], field: str) -> StrEnum | None:
    value = text.strip().lower()
    if not value:
        return None
    words = _ENUM_WORDS.get(enum, {})
    try:
        return enum(words.get(value, value))
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise FieldError(field, f"'{text.strip()}' is not one of {allowed}", text) from None


def parse_tags(text: str) -> tuple[str, ...]:
    """'a; b, c' -> ('a', 'b', 'c'). AgencyZoom's tagNames are ';'-separated (agencyzoom.md
    L344); other exports use commas. A tag in double quotes is taken as written, separators and
    spaces included ('"home, condo"; vip'): that is how ``format_tags`` writes such a tag."""
    if '"' not in text:
        parts = text.replace(",", ";").split(";")
        return tuple(part.strip() for part in parts if part.strip())
    tags: list[str] = []
    position, end = 0, len(text)
    while position < end:
        while position < end and text[position] in " ,;":
            position += 1
        if position >= end:
            break
        if text[position] == '"':
            position, tag = _quoted_tag(text, position + 1)
            tags.append(tag)
            position = _next_separator(text, position)
        else:
            stop = _next_separator(text, position)
            tag = text[position:stop].strip()
            if tag:
                tags.append(tag)
            position = stop
    return tuple(tags)


def _quoted_tag(text: str, position: int) -> tuple[int, str]:
    """(position after the closing quote, the tag) for a tag whose opening quote was before
    ``position``; "" inside it is one quote."""
    chunk: list[str] = []
    while True:
        close = text.find('"', position)
        if close < 0:  # never closed: the rest of the cell
            chunk.append(text[position:])
            return len(text), "".join(chunk)
        chunk.append(text[position:close])
        if text.startswith('"', close + 1):
            chunk.append('"')
            position = close + 2
            continue
        return close + 1, "".join(chunk)


def _next_separator(text: str, position: int) -> int:
    found = [i for i in (text.find(",", position), text.find(";", position)) if i >= 0]
    return min(found) if found else len(text)


def _needs_quotes(tag: str) -> bool:
    return not tag or tag != tag.strip() or any(ch in tag for ch in ',;"')


def format_tags(tags: tuple[str, ...]) -> str:
    """('auto', 'home, condo') -> 'auto; "home, condo"': a tag that holds a separator, a quote or
    edge spaces is quoted, so ``parse_tags`` gives back exactly these tags."""
    return "; ".join(
        '"' + tag.replace('"', '""') + '"' if _needs_quotes(tag) else tag for tag in tags
    )


def parse_time(text: str, field: str) -> str:
    value = text.strip()
    if not value:
        return ""
    hours, sep, minutes = value.partition(":")
    minutes = minutes[:2]
    if sep and hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60:
        return f"{int(hours):02d}:{minutes}"
    raise FieldError(field, f"'{value}' is not a time (use HH:MM)", text)


def direct_parser(spec: FieldSpec) -> Callable[[str], Any]:
    """``parse_cell`` for one column, bound once: the same parsers, without choosing among them
    for every cell (the import's inner loop)."""
    label, required = spec.label, spec.required
    match spec.value_type:
        case FieldType.TEXT:
            return lambda text: parse_cell(spec, text)
        case FieldType.EMAIL:
            return partial(parse_email, field=label, required=required)
        case FieldType.PHONE:
            return partial(parse_phone, field=label, required=required)
        case FieldType.DATE:
            return partial(parse_date, field=label, required=required)
        case FieldType.MONEY:
            return partial(parse_money_cents, field=label, required=required)
        case FieldType.ZIP:
            return partial(parse_zip, field=label, required=required)
        case FieldType.STATE:
            return partial(parse_state, field=label, required=required)
    return lambda text: parse_cell(spec, text)


def parse_cell(spec: FieldSpec, text: str) -> Any:
    """The stored value for one cell; raises FieldError naming the field's label."""
    label = spec.label
    match spec.value_type:
        case FieldType.TEXT:  # kept as written, spaces included: export then import is lossless
            if spec.required and not text.strip():
                raise FieldError(label, "is required", text)
            return text
        case FieldType.EMAIL:
            return parse_email(text, label, required=spec.required)
        case FieldType.PHONE:
            return parse_phone(text, label, required=spec.required)
        case FieldType.DATE:
            return parse_date(text, label, required=spec.required)
        case FieldType.MONEY:
            return parse_money_cents(text, label, required=spec.required)
        case FieldType.ENUM:
            assert spec.enum is not None
            return parse_enum(text, spec.enum, label)
        case FieldType.TAGS:
            return parse_tags(text)
        case FieldType.TIME:
            return parse_time(text, label)
        case FieldType.ZIP:
            return parse_zip(text, label, required=spec.required)
        case FieldType.STATE:
            return parse_state(text, label, required=spec.required)
    raise AssertionError(spec.value_type)


#: Not a field of the record: "Ann Lee" or "Lee, Ann" split into first and last name on import.
FULL_NAME = "full_name"
#: Not a field of the record either: the Customer column of a policy or task export, the name
#: (and, where two share it, the email) of the customer or lead it is linked to (links.py).
RELATED = "related_name"


def split_full_name(text: str) -> tuple[str, str]:
    """(first, last): 'Lee, Ann' -> ('Ann', 'Lee'); 'Mary Ann Lee' -> ('Mary Ann', 'Lee')."""
    if "," in text:
        last, _, first = text.partition(",")
        return first.strip(), last.strip()
    first, _, last = text.strip().rpartition(" ")
    return (first.strip(), last.strip()) if first else (last.strip(), "")


def _person(extra: tuple[FieldSpec, ...]) -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("first_name", "First Name"),
        FieldSpec("last_name", "Last Name"),
        FieldSpec("business_name", "Business Name"),
        FieldSpec(FULL_NAME, "Full Name"),
        FieldSpec("email", "Email", FieldType.EMAIL),
        FieldSpec("phone", "Phone", FieldType.PHONE),
        FieldSpec("street", "Street"),
        FieldSpec("city", "City"),
        FieldSpec("state", "State", FieldType.STATE),
        FieldSpec("zip_code", "ZIP", FieldType.ZIP),
        *extra,
        FieldSpec("producer", "Producer"),
        FieldSpec("tags", "Tags", FieldType.TAGS),
    )


FIELDS: dict[RecordKind, tuple[FieldSpec, ...]] = {
    RecordKind.LEAD: _person(
        (
            FieldSpec("status", "Status", FieldType.ENUM, LeadStatus),
            FieldSpec("pipeline", "Pipeline"),
            FieldSpec("stage", "Stage"),
            FieldSpec("source", "Lead Source"),
            FieldSpec("x_date", "X-Date", FieldType.DATE),
            FieldSpec("quoted_premium_cents", "Quoted Premium", FieldType.MONEY),
        )
    ),
    RecordKind.CUSTOMER: _person(
        (
            FieldSpec("birth_date", "Date of Birth", FieldType.DATE),
            FieldSpec("household", "Household"),
            FieldSpec("customer_since", "Customer Since", FieldType.DATE),
        )
    ),
    RecordKind.POLICY: (
        FieldSpec("policy_number", "Policy Number", required=True),
        FieldSpec("insured_name", "Insured Name"),
        FieldSpec("carrier", "Carrier"),
        FieldSpec("line_of_business", "Line of Business"),
        FieldSpec("premium_cents", "Premium", FieldType.MONEY),
        FieldSpec("effective_date", "Effective Date", FieldType.DATE),
        FieldSpec("expiration_date", "Expiration Date", FieldType.DATE),
        FieldSpec("status", "Status", FieldType.ENUM, PolicyStatus),
        FieldSpec("producer", "Producer"),
        FieldSpec(RELATED, "Customer"),
    ),
    RecordKind.TASK: (
        FieldSpec("title", "Title", required=True),
        FieldSpec("task_kind", "Type", FieldType.ENUM, TaskKind),
        FieldSpec("status", "Status", FieldType.ENUM, TaskStatus),
        FieldSpec("due_date", "Due Date", FieldType.DATE),
        FieldSpec("due_time", "Due Time", FieldType.TIME),
        FieldSpec("assignee", "Assignee"),
        FieldSpec("comments", "Comments"),
        FieldSpec(RELATED, "Customer"),
    ),
}

#: A lead or customer needs at least one of these to have a name the lists can show.
NAME_FIELDS = ("first_name", "last_name", "business_name", FULL_NAME)

#: Columns a ListItem adds beside the record (exportable, never imported).
LIST_EXTRAS: dict[str, str] = {
    "related_name": "Customer",
    "policy_count": "Policies",
    "total_premium_cents": "Total Premium",
    "held_in": "Held in",  # leads, customers, policies: the systems holding the row's group
}


TAB_NAMES: dict[RecordKind, str] = {
    RecordKind.LEAD: "leads",
    RecordKind.CUSTOMER: "customers",
    RecordKind.POLICY: "policies",
    RecordKind.THREAD: "threads",
    RecordKind.MESSAGE: "messages",
    RecordKind.TASK: "tasks",
    RecordKind.NOTE: "notes",
}


def plural(kind: RecordKind) -> str:
    return TAB_NAMES[kind]


def field_specs(kind: RecordKind) -> tuple[FieldSpec, ...]:
    try:
        return FIELDS[kind]
    except KeyError:
        raise ValueError(f"{kind.value} records cannot be imported from CSV") from None


def spec_by_name(kind: RecordKind) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in FIELDS.get(kind, ())}


def label_of(kind: RecordKind, name: str) -> str:
    spec = spec_by_name(kind).get(name)
    if spec is not None:
        return spec.label
    return LIST_EXTRAS.get(name, name.replace("_", " ").title())


def format_cell(name: str, value: Any, date_format: str) -> str:
    """A stored value as a cell: money as a plain decimal Excel reads as a number, phones the way
    people write them, dates in the chosen format, tags joined with '; '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime(date_format + " %H:%M")
    if isinstance(value, date):
        return value.strftime(date_format)
    if name.endswith("_cents") and isinstance(value, int):
        return f"{value / 100:.2f}"
    if name == "phone" and isinstance(value, str):
        return format_phone(value)
    if isinstance(value, tuple):
        return format_tags(tuple(str(part) for part in value))
    return str(value)
