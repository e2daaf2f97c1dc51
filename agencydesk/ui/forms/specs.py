"""The fields of each record kind's new/edit form, with the parser that validates each."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar

from agencydesk.domain import (
    Channel,
    LeadStatus,
    PolicyStatus,
    RecordKind,
    TaskKind,
    TaskStatus,
)
from agencydesk.domain.validation import (
    FieldError,
    format_phone,
    parse_date,
    parse_email,
    parse_money_cents,
    parse_phone,
    parse_required,
    parse_state,
    parse_zip,
)
from agencydesk.ui.detail_html import text as show_text
from agencydesk.ui.forms.record_dialog import CrossCheck, FieldSpec

E = TypeVar("E", bound=StrEnum)


def _show_money(cents: int | None) -> str:
    return "" if cents is None else f"{cents / 100:.2f}"


def _money(label: str, *, required: bool = False) -> FieldSpec:
    name = {"Quoted premium": "quoted_premium_cents"}.get(label, "premium_cents")
    if required:
        # A required amount is never None, which the record's int field needs.
        def parse(text: str) -> int:
            return parse_money_cents(text, label, required=True) or 0

        return FieldSpec(name, label, parse, _show_money)
    return FieldSpec(name, label, partial(parse_money_cents, field=label), _show_money)


def _date(name: str, label: str) -> FieldSpec:
    return FieldSpec(name, label, partial(parse_date, field=label), show_text)


def _required(name: str, label: str) -> FieldSpec:
    return FieldSpec(name, label, partial(parse_required, field=label))


def _choice(name: str, label: str, enum: type[E]) -> FieldSpec:
    def parse(text: str) -> E:
        return enum(text.lower())

    return FieldSpec(
        name,
        label,
        parse,
        lambda value: str(value).capitalize(),
        tuple(member.value.capitalize() for member in enum),
    )


def _id_of(kind: RecordKind, label: str) -> Callable[[str], int | None]:
    """A linked record: the id the picker chose, which the picker says is in the book (its
    ``problem``, read off the GUI thread); the form never looks a number up itself."""

    def parse(text: str) -> int | None:
        value = text.strip().lstrip("#")
        if not value:
            return None
        if not value.isdigit():
            raise FieldError(
                label,
                f"choose a {kind.value} from the list ('{text.strip()}' is not one yet)",
                text,
            )
        return int(value)

    return parse


def _show_id(value: Any) -> str:
    return "" if value is None else str(value)


def _link(kind: RecordKind) -> FieldSpec:
    """A task's, thread's or policy's customer or lead: picked by name, email, phone…"""
    label = kind.value.capitalize()
    return FieldSpec(f"{kind.value}_id", label, _id_of(kind, label), _show_id, link=kind)


def _value(name: str, label: str, values: str = "", *, required: bool = False) -> FieldSpec:
    """One of the book's values (producer, stage, carrier…): an editable combo of them."""
    spec = _required(name, label) if required else FieldSpec(name, label)
    return replace(spec, values=values or name)


_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _parse_time(text: str) -> str:
    value = text.strip()
    if value and not _TIME.match(value):
        raise FieldError("Due time", f"'{value}' is not a time (use HH:MM, 24-hour)", text)
    return value.zfill(5) if value else ""


def _tags(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _person(kind: RecordKind) -> list[FieldSpec]:
    return [
        FieldSpec("first_name", "First name"),
        FieldSpec("last_name", "Last name"),
        FieldSpec("business_name", "Business name"),
        FieldSpec("email", "Email", partial(parse_email, field="Email")),
        FieldSpec("phone", "Phone", partial(parse_phone, field="Phone"), format_phone),
        FieldSpec("street", "Street"),
        FieldSpec("city", "City"),
        FieldSpec("state", "State", partial(parse_state, field="State")),
        FieldSpec("zip_code", "ZIP", partial(parse_zip, field="ZIP")),
    ]


def _name_check(values: dict[str, Any]) -> FieldError | None:
    if not (values.get("last_name") or values.get("business_name") or values.get("first_name")):
        return FieldError("Last name", "enter a name or a business name")
    return None


def _term_check(values: dict[str, Any]) -> FieldError | None:
    start: date | None = values.get("effective_date")
    end: date | None = values.get("expiration_date")
    if start and end and end < start:
        return FieldError("Expiration", "is before the effective date")
    return None


# As the Threads tab names the channels ("Text", never "Sms").
CHANNEL_NAMES = {Channel.EMAIL: "Email", Channel.SMS: "Text", Channel.CALL: "Call"}


def _channel() -> FieldSpec:
    by_name = {name.casefold(): channel for channel, name in CHANNEL_NAMES.items()}

    def parse(text: str) -> Channel:
        key = text.strip().casefold()
        return by_name[key] if key in by_name else Channel(key)

    def show(value: object) -> str:
        return CHANNEL_NAMES.get(Channel(str(value)), str(value).capitalize())

    return FieldSpec("channel", "Channel", parse, show, tuple(CHANNEL_NAMES.values()))


def _parse_counterpart(text: str) -> str:
    """An email address as typed, or a phone number (stored in E.164, as texts come)."""
    value = text.strip()
    if not value or "@" in value or not any(c.isdigit() for c in value):
        return value
    return parse_phone(value, "With")


def _show_counterpart(value: object) -> str:
    text = str(value or "")
    return format_phone(text) if text.startswith("+") else text


def _thread_check(values: dict[str, Any]) -> FieldError | None:
    """An email needs a subject; a text conversation has none."""
    subject = str(values.get("subject") or "").strip()
    if values.get("channel") is Channel.EMAIL and not subject:
        return FieldError("Subject", "is required for an email")
    return None


def form_for(kind: RecordKind) -> tuple[list[FieldSpec], CrossCheck | None]:
    """The form fields of ``kind`` and the check across them."""
    tags = FieldSpec("tags", "Tags (comma separated)", _tags, show_text)
    if kind == RecordKind.LEAD:
        return [
            *_person(kind),
            _choice("status", "Status", LeadStatus),
            _value("pipeline", "Pipeline"),
            _value("stage", "Stage"),
            _value("source", "Source"),
            _value("producer", "Producer"),
            _date("x_date", "X-date"),
            _money("Quoted premium"),
            tags,
        ], _name_check
    if kind == RecordKind.CUSTOMER:
        return [
            *_person(kind),
            _date("birth_date", "Birth date"),
            FieldSpec("household", "Household"),
            _value("producer", "Producer"),
            _date("customer_since", "Customer since"),
            tags,
        ], _name_check
    if kind == RecordKind.POLICY:
        return [
            _required("policy_number", "Policy number"),
            _link(RecordKind.CUSTOMER),
            FieldSpec("insured_name", "Insured name"),
            _value("carrier", "Carrier", required=True),
            _value("line_of_business", "Line of business", required=True),
            _money("Premium", required=True),
            _date("effective_date", "Effective"),
            _date("expiration_date", "Expiration"),
            _choice("status", "Status", PolicyStatus),
            _value("producer", "Producer"),
        ], _term_check
    if kind == RecordKind.THREAD:
        return [
            FieldSpec("subject", "Subject"),  # a text conversation has none (_thread_check)
            _channel(),
            FieldSpec("counterpart", "With", _parse_counterpart, _show_counterpart),
            _link(RecordKind.CUSTOMER),
            _link(RecordKind.LEAD),
            _value("producer", "Producer"),
        ], _thread_check
    if kind == RecordKind.TASK:
        return [
            _required("title", "Title"),
            _choice("task_kind", "Kind", TaskKind),
            _choice("status", "Status", TaskStatus),
            _date("due_date", "Due date"),
            FieldSpec("due_time", "Due time", _parse_time),
            _value("assignee", "Assigned to", "producer"),
            _link(RecordKind.CUSTOMER),
            _link(RecordKind.LEAD),
            FieldSpec("comments", "Comments", multiline=True),
        ], None
    raise ValueError(f"no form for {kind}")
