"""From checked rows to what will happen: duplicates found (by email, phone or policy number),
each match created, updated or skipped, the counts shown, and then one all-or-nothing commit.

``ImportTarget`` is the seam for importing into a connected vendor account: today only the local
book exists; a vendor target will also queue each record in that account's outbox.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from agencydesk.domain import Record, RecordKind
from agencydesk.services.csv_io.problems import ImportCancelled, RowError
from agencydesk.services.csv_io.validate import ParsedRow, Progress, Validation
from agencydesk.store.book import Book
from agencydesk.store.ledgers import ImportBatch
from agencydesk.store.queries import ListQuery

log = logging.getLogger(__name__)


class MatchOn(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    POLICY_NUMBER = "policy_number"
    NOTHING = "nothing"


MATCH_LABELS = {
    MatchOn.EMAIL: "Email",
    MatchOn.PHONE: "Phone",
    MatchOn.POLICY_NUMBER: "Policy number",
    MatchOn.NOTHING: "Don't look for duplicates",
}


class OnDuplicate(StrEnum):
    CREATE = "create"  # add it anyway, as a second record
    UPDATE = "update"  # fill the existing record with the file's non-empty cells
    SKIP = "skip"


def match_choices(kind: RecordKind) -> list[MatchOn]:
    if kind is RecordKind.POLICY:
        return [MatchOn.POLICY_NUMBER, MatchOn.NOTHING]
    if kind is RecordKind.TASK:
        return [MatchOn.NOTHING]
    return [MatchOn.EMAIL, MatchOn.PHONE, MatchOn.NOTHING]


def _key(record: Record, match_on: MatchOn) -> str:
    if match_on is MatchOn.NOTHING:
        return ""
    value = getattr(record, match_on.value, "")
    if not isinstance(value, str):
        return ""
    return value.strip().upper() if match_on is MatchOn.POLICY_NUMBER else value.strip().lower()


@dataclass(slots=True)
class Match:
    """A file row that names a record already in the book (or an earlier row of the file)."""

    row: int
    key: str  # the email / phone / policy number both share
    existing: Record | None  # None: it repeats ``earlier_row`` of the same file
    earlier_row: int = 0
    action: OnDuplicate = OnDuplicate.UPDATE

    @property
    def existing_name(self) -> str:
        if self.existing is None:
            return f"row {self.earlier_row} of this file"
        name = (
            getattr(self.existing, "display_name", "")
            or getattr(self.existing, "policy_number", "")
            or getattr(self.existing, "title", "")
        )
        return str(name)


@dataclass
class ImportPlan:
    kind: RecordKind
    source: str
    creates: list[Record] = field(default_factory=list)
    updates: list[Record] = field(default_factory=list)
    skipped: int = 0  # duplicates skipped plus invalid rows skipped
    errors: list[RowError] = field(default_factory=list)  # the invalid rows being skipped

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "skipped": self.skipped,
            "errors": len(self.errors),
        }


def find_matches(
    book: Book,
    validation: Validation,
    match_on: MatchOn,
    default: OnDuplicate,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[Match]:
    """Every row whose key is already in the book or earlier in the file. One scan of the tab,
    keeping only the records whose key the file has."""
    if match_on is MatchOn.NOTHING:
        return []
    first_row: dict[str, int] = {}
    matches: list[Match] = []
    for parsed in validation.rows:
        key = _key(parsed.record, match_on)
        if not key:
            continue
        if key in first_row:
            matches.append(Match(parsed.row, key, None, first_row[key], default))
        else:
            first_row[key] = parsed.row
    existing: dict[str, Record] = {}
    for index, item in enumerate(book.iter_rows(validation.kind, ListQuery())):
        if index % 2000 == 0:
            if cancel is not None and cancel.is_set():
                raise ImportCancelled
            if progress is not None:
                progress(index, 0)
        key = _key(item.record, match_on)
        if key and key in first_row and key not in existing:
            existing[key] = item.record
    matches.extend(
        Match(row, key, existing[key], 0, default)
        for key, row in first_row.items()
        if key in existing
    )
    matches.sort(key=lambda match: match.row)
    return matches


def _merged(target: Record, parsed: ParsedRow) -> Record:
    changes: dict[str, Any] = {name: getattr(parsed.record, name) for name in parsed.filled}
    return dataclasses.replace(target, **changes)


def build_plan(
    validation: Validation, matches: Iterable[Match], *, skip_invalid: bool = False
) -> ImportPlan:
    """Decide every row. Invalid rows must be skipped (in the dialog, or ``skip_invalid``)."""
    plan = ImportPlan(validation.kind, validation.source.name)
    if skip_invalid:
        validation.skip_all_invalid()
    plan.errors = [e for e in validation.errors if e.row in validation.skipped_rows]
    plan.skipped = len(validation.skipped_rows)
    by_row = {match.row: match for match in matches}
    created_at: dict[int, int] = {}  # file row -> index in plan.creates
    updated_at: dict[int, int] = {}  # local id -> index in plan.updates
    for parsed in validation.rows:
        match = by_row.get(parsed.row)
        if match is None or match.action is OnDuplicate.CREATE:
            created_at[parsed.row] = len(plan.creates)
            plan.creates.append(parsed.record)
            continue
        if match.action is OnDuplicate.SKIP:
            plan.skipped += 1
            continue
        if match.existing is not None and match.existing.id is not None:
            index = updated_at.get(match.existing.id)
            if index is None:
                updated_at[match.existing.id] = len(plan.updates)
                plan.updates.append(_merged(match.existing, parsed))
            else:
                plan.updates[index] = _merged(plan.updates[index], parsed)
        elif match.earlier_row in created_at:  # the file repeats itself: merge into the first
            index = created_at[match.earlier_row]
            plan.creates[index] = _merged(plan.creates[index], parsed)
        else:  # the earlier row was itself skipped or merged into the book: follow it
            plan.skipped += 1
    return plan


def plan_counts(validation: Validation, matches: Iterable[Match]) -> dict[str, int]:
    """``build_plan(...).counts`` without building a record: cheap enough for the dialog to
    recount on every change of a match's action."""
    by_row = {match.row: match for match in matches}
    created_rows: set[int] = set()
    updated_ids: set[int] = set()
    skipped = len(validation.skipped_rows)
    for parsed in validation.rows:
        match = by_row.get(parsed.row)
        if match is None or match.action is OnDuplicate.CREATE:
            created_rows.add(parsed.row)
        elif match.action is OnDuplicate.SKIP:
            skipped += 1
        elif match.existing is not None and match.existing.id is not None:
            updated_ids.add(match.existing.id)
        elif match.earlier_row not in created_rows:
            skipped += 1
    errors = sum(1 for e in validation.errors if e.row in validation.skipped_rows)
    return {
        "created": len(created_rows),
        "updated": len(updated_ids),
        "skipped": skipped,
        "errors": errors,
    }


@dataclass(frozen=True, slots=True)
class ImportTarget:
    """Where the records go. ``account`` "" is the local book. A vendor account (its label) is
    the seam for sending imported records through the outbox once accounts exist."""

    account: str = ""

    @property
    def is_local(self) -> bool:
        return not self.account


LOCAL_BOOK = ImportTarget()


def commit_plan(
    book: Book,
    plan: ImportPlan,
    *,
    target: ImportTarget = LOCAL_BOOK,
    cancel: threading.Event | None = None,
) -> ImportBatch:
    """One transaction (``apply_import``): every create and update, or nothing."""
    if cancel is not None and cancel.is_set():
        raise ImportCancelled
    if not target.is_local:
        raise NotImplementedError(
            "Importing into a vendor account is not available yet: import into the local book."
        )
    batch = book.ledgers.apply_import(plan.kind, plan.source, plan.creates, plan.updates)
    relink_after_import(book)
    return batch


def relink_after_import(book: Book) -> None:
    """Imported people may already be held by a vendor: a linking pass (this runs in the
    import's worker thread). The import stands even if linking fails; the next pass retries."""
    try:
        book.links.relink()
    except Exception:
        log.exception("linking after the import failed")
