"""Editing a person held by several systems (issue 11): which of the linked records an edit can
go to, and saving it to the ones the user chose, each through its own save (so each vendor
record gets its own outbox entry, sent and conflict-checked on its own).

Only the person's own fields travel to the other records (name, email, phone, address, birth
date): a lead's stage or a customer's household mean something only in the record they were
set on. The record the user edited is always saved; the others only when chosen. The GUI asks
``edit_targets`` off its thread and offers each target checked when it holds a changed field
and its vendor lets us change it (the default the issue asks for)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

from agencydesk.domain import Customer, Lead, Record, RecordKind
from agencydesk.domain.holders import holder_name

if TYPE_CHECKING:
    from agencydesk.services.record_edits import RecordEditor
    from agencydesk.store.book import Book

#: The fields that describe the person, whoever holds the record.
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "business_name",
    "email",
    "phone",
    "street",
    "city",
    "state",
    "zip_code",
    "birth_date",
)
_LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "business_name": "business name",
    "zip_code": "ZIP",
    "birth_date": "birth date",
}

Ref = tuple[RecordKind, int]


@dataclass(frozen=True, slots=True)
class EditTarget:
    """One record of the person's group, as the "Update which systems?" question lists it."""

    kind: RecordKind
    id: int
    label: str  # "Lofty lead · Lofty demo"
    fields: tuple[str, ...]  # the changed person fields it holds with another value
    why_not: str  # '' when its vendor lets us change it, else why not
    warning: str  # '' or what its vendor would clear (the user must agree to choose it)
    edited: bool  # the record the user edited (always saved)

    @property
    def ref(self) -> Ref:
        return (self.kind, self.id)

    @property
    def choosable(self) -> bool:
        return not self.edited and not self.why_not and bool(self.fields)

    @property
    def chosen_by_default(self) -> bool:
        """All that hold the field and allow the edit; one whose vendor would clear other
        fields waits for the user's own tick."""
        return self.choosable and not self.warning

    def fields_text(self) -> str:
        return ", ".join(_LABELS.get(f, f) for f in self.fields)


@dataclass(frozen=True, slots=True)
class LinkedEdit:
    """The user's edit of one record and the other records of its group to carry it to.
    ``confirmed_loss``: records whose vendor's warning the user accepted."""

    record: Record  # as edited
    targets: tuple[Ref, ...] = ()
    confirmed_loss: tuple[Ref, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkedEditResult:
    saved: tuple[Record, ...]  # the edited record first
    refused: tuple[tuple[str, str], ...] = ()  # (which record, why) for targets not saved


def person_changes(before: Record, after: Record) -> dict[str, object]:
    return {
        name: getattr(after, name)
        for name in PERSON_FIELDS
        if hasattr(after, name) and getattr(after, name) != getattr(before, name, None)
    }


def _carried(member: Record, changes: dict[str, object]) -> dict[str, object]:
    """The changes ``member`` holds the field for and does not already have."""
    names = {f.name for f in fields(member)}
    return {k: v for k, v in changes.items() if k in names and getattr(member, k) != v}


def _label(record: Record) -> str:
    holder = holder_name(record.provenance.vendor)
    account = record.provenance.account
    return f"{holder} {record.kind.value}" + (f" · {account}" if account else "")


def edit_targets(book: Book, editor: RecordEditor, after: Record) -> list[EditTarget]:
    """Every record of ``after``'s group (itself first) and what the edit would change there;
    [] when the record is not linked with another person record."""
    if after.id is None or not isinstance(after, Lead | Customer):
        return []
    before = book.get(after.kind, after.id)
    group = book.links.group(after.kind, after.id)
    others = [m for m in group if m.kind in (RecordKind.LEAD, RecordKind.CUSTOMER)]
    if before is None or len(others) < 2:
        return []
    changes = person_changes(before, after)
    own_warning = editor.write_warning(after)
    targets = [
        EditTarget(after.kind, after.id, _label(after), tuple(changes), "", own_warning, True)
    ]
    for member in others:
        if (member.kind, member.id) == (after.kind, after.id):
            continue
        record = book.get(member.kind, member.id)
        if record is None:
            continue
        carried = _carried(record, changes)
        why_not = editor.why_not_editable(record)
        warning = ""
        if carried and not why_not:
            warning = editor.write_warning(replace(record, **carried))  # type: ignore[arg-type]
        targets.append(
            EditTarget(
                member.kind, member.id, _label(record), tuple(carried), why_not, warning, False
            )
        )
    return targets


def save_linked(book: Book, editor: RecordEditor, edit: LinkedEdit) -> LinkedEditResult:
    """Save the edited record, then carry its person changes to each chosen record (each its
    own save: a vendor record's own outbox entry). A target that cannot take it is reported,
    the others are saved. The edited record's own refusal (``LossNotConfirmed``) is raised
    before anything is saved."""
    record = edit.record
    before = book.get(record.kind, record.id) if record.id is not None else None
    changes = person_changes(before, record) if before is not None else {}
    mine = (record.kind, record.id)
    saved = [editor.save(record, confirmed_loss=mine in edit.confirmed_loss)]
    refused: list[tuple[str, str]] = []
    for ref in edit.targets:
        if ref == mine:
            continue
        member = book.get(*ref)
        if member is None:
            refused.append((f"The {ref[0].value} you also chose", "it was deleted meanwhile"))
            continue
        carried = _carried(member, changes)
        if not carried:
            continue  # it already holds the new values
        why_not = editor.why_not_editable(member)
        if why_not:
            refused.append((_label(member), why_not))
            continue
        try:
            saved.append(
                editor.save(
                    replace(member, **carried),  # type: ignore[arg-type]
                    confirmed_loss=ref in edit.confirmed_loss,
                )
            )
        except ValueError as error:  # LossNotConfirmed, or the vendor's own refusal
            refused.append((_label(member), str(error)))
    return LinkedEditResult(tuple(saved), tuple(refused))
