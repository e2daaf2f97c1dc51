"""From checked rows to what will happen: duplicates found (by email, phone or policy number),
each match created, updated or skipped, the counts shown, and then one all-or-nothing commit.

``ImportTarget`` says where the records go: the local book (``commit_plan``) or a vendor account
(``into_account``: each record queued in that account's outbox, after the vendor's own checks).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from agencydesk.domain import Record, RecordKind
from agencydesk.services.csv_io.problems import ImportCancelled, RowError
from agencydesk.services.csv_io.same_person import difference
from agencydesk.services.csv_io.validate import ParsedRow, Progress, Validation
from agencydesk.store import fast_rows
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


def _key_of(match_on: MatchOn) -> Callable[[Record], str]:
    """How to read a record's match key: the email lower-cased, the phone without its extension
    (one line, many desks), the policy number upper-cased, trimmed; '' when it has none. Bound
    once per scan (100,000 rows)."""
    if match_on is MatchOn.NOTHING:
        return lambda _record: ""
    name = match_on.value
    fold = str.upper if match_on is MatchOn.POLICY_NUMBER else str.lower

    def key(record: Record) -> str:
        value = getattr(record, name, "")
        return fold(value.strip()) if value and type(value) is str else ""

    if match_on is MatchOn.PHONE:
        return lambda record: key(record).partition(" x")[0]
    return key


@dataclass(slots=True)
class Match:
    """A file row that shares its key with a record already in the book (or an earlier row of the
    file). ``differs`` set: the key is shared but the names differ (spouses sharing one email) or
    the policy term does, so the row is added as a new record unless the user chooses otherwise
    for it."""

    row: int
    key: str  # the email / phone / policy number both share
    existing: Record | None  # None: it repeats ``earlier_row`` of the same file
    earlier_row: int = 0
    action: OnDuplicate = OnDuplicate.UPDATE
    differs: str = ""  # same_person.ANOTHER_NAME / ANOTHER_TERM, or "" for the same party
    incoming: Record | None = None  # the file row's record, to show beside the existing one

    @property
    def names_agree(self) -> bool:
        return not self.differs

    @property
    def existing_name(self) -> str:
        if self.existing is None:
            return f"row {self.earlier_row} of this file"
        return _name_of(self.existing)

    @property
    def incoming_name(self) -> str:
        return "" if self.incoming is None else _name_of(self.incoming)


def _name_of(record: Record) -> str:
    name = (
        getattr(record, "display_name", "")
        or getattr(record, "insured_name", "")
        or getattr(record, "policy_number", "")
        or getattr(record, "title", "")
    )
    return str(name)


@dataclass
class ImportPlan:
    kind: RecordKind
    source: str
    creates: list[Record] = field(default_factory=list)
    updates: list[Record] = field(default_factory=list)
    merged: int = 0  # rows folded into another row's create or update (the same party again)
    skipped: int = 0  # duplicates skipped plus invalid rows skipped
    errors: list[RowError] = field(default_factory=list)  # the invalid rows being skipped

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "merged": self.merged,
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
    account: str | None = None,
) -> list[Match]:
    """``account``: look only among that account's records (an import into it; None: the whole
    book). Every row whose key is already in the book or earlier in the file. A match needs the key
    and names that agree, and for policies the same term (``same_person``); a shared key with
    different names or terms is listed too, with the action "add as new" whatever ``default``
    is. One scan of the tab, keeping only the
    records whose key the file has."""
    if match_on is MatchOn.NOTHING:
        return []
    with fast_rows.collector_paused(len(validation.rows) >= _PAUSE_GC_FROM):
        return _find_matches(book, validation, match_on, default, progress, cancel, account)


_PAUSE_GC_FROM = 2000  # rows: from there the collector's walks over the rows cost more than
# the matching itself (0.5 s of 0.6 on 100,000 rows)


def _find_matches(
    book: Book,
    validation: Validation,
    match_on: MatchOn,
    default: OnDuplicate,
    progress: Progress | None,
    cancel: threading.Event | None,
    account: str | None = None,
) -> list[Match]:
    key_of = _key_of(match_on)
    keyed = [(parsed, key_of(parsed.record)) for parsed in validation.rows]
    wanted = {key for _parsed, key in keyed if key}
    in_book: dict[str, list[Record]] = {}
    for index, item in enumerate(book.iter_rows(validation.kind, ListQuery(every_record=True))):
        if index % 2000 == 0:
            if cancel is not None and cancel.is_set():
                raise ImportCancelled
            if progress is not None:
                progress(index, 0)
        key = key_of(item.record)
        if account is not None and item.record.provenance.account != account:
            continue
        if key and key in wanted:
            in_book.setdefault(key, []).append(item.record)
    earlier: dict[str, list[ParsedRow]] = {}
    taken: set[int] = set()  # book records a row of the file already updates
    matches: list[Match] = []
    for parsed, key in keyed:
        if not key:
            continue
        records = in_book.get(key, [])
        rows = earlier.get(key)
        if rows is None:  # the first row with this key
            earlier[key] = [parsed]
            if not records:
                continue  # the usual case: a key seen nowhere else
            rows = []
        incoming = parsed.record
        same = _closest([r for r in records if not difference(r, incoming)], parsed, taken)
        if same is not None:
            if same.id is not None:
                taken.add(same.id)
            matches.append(Match(parsed.row, key, same, 0, default, "", incoming))
        else:
            twin = next((e for e in rows if not difference(e.record, incoming)), None)
            if twin is not None:
                matches.append(Match(parsed.row, key, None, twin.row, default, "", incoming))
            elif records or rows:
                other = records[0] if records else None
                first = 0 if records else rows[0].row
                why = difference(other if other is not None else rows[0].record, incoming)
                matches.append(
                    Match(parsed.row, key, other, first, OnDuplicate.CREATE, why, incoming)
                )
        if rows is earlier[key]:  # (the first row with the key is in it already)
            rows.append(parsed)
    return matches


def _closest(candidates: list[Record], parsed: ParsedRow, taken: set[int]) -> Record | None:
    """Of the book's records that can be this row's party, the one most like it: not one an
    earlier row already updates, then the most fields equal (two leads of one business at two
    addresses each get their own row back)."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    incoming = parsed.record

    def likeness(record: Record) -> tuple[bool, int]:
        equal = sum(1 for name in parsed.filled if getattr(record, name) == getattr(incoming, name))
        return record.id not in taken, equal

    return max(candidates, key=likeness)


def _merged(target: Record, parsed: ParsedRow) -> Record:
    changes: dict[str, Any] = {name: getattr(parsed.record, name) for name in parsed.filled}
    return dataclasses.replace(target, **changes)


class Route(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    MERGE = "merge"  # into the create or update of another row (the same party again)
    SKIP = "skip"


#: Where a row's record goes: ("create", file row) or ("update", local id).
_Destination = tuple[Route, int]


def route_rows(
    validation: Validation, matches: Iterable[Match]
) -> Iterator[tuple[ParsedRow, Route, _Destination | None]]:
    """Each valid row's fate, decided once for the plan and for the counts the dialog shows, so
    the two can never disagree. A row that repeats an earlier row follows it (into its create or
    its update; skipped if it was skipped)."""
    by_row = {match.row: match for match in matches}
    destination: dict[int, _Destination | None] = {}
    updated: set[int] = set()
    for parsed in validation.rows:
        match = by_row.get(parsed.row)
        if match is None or match.action is OnDuplicate.CREATE:
            destination[parsed.row] = (Route.CREATE, parsed.row)
            yield parsed, Route.CREATE, (Route.CREATE, parsed.row)
            continue
        if match.action is OnDuplicate.SKIP:
            destination[parsed.row] = None
            yield parsed, Route.SKIP, None
            continue
        if match.existing is not None and match.existing.id is not None:
            target: _Destination | None = (Route.UPDATE, match.existing.id)
        else:
            target = destination.get(match.earlier_row)
        destination[parsed.row] = target
        if target is None:
            yield parsed, Route.SKIP, None
        elif target[0] is Route.UPDATE and target[1] not in updated:
            updated.add(target[1])
            yield parsed, Route.UPDATE, target
        else:
            yield parsed, Route.MERGE, target


def build_plan(
    validation: Validation, matches: Iterable[Match], *, skip_invalid: bool = False
) -> ImportPlan:
    """Decide every row. Invalid rows must be skipped (in the dialog, or ``skip_invalid``)."""
    with fast_rows.collector_paused(len(validation.rows) >= _PAUSE_GC_FROM):
        return _build_plan(validation, list(matches), skip_invalid)


def _build_plan(validation: Validation, matches: list[Match], skip_invalid: bool) -> ImportPlan:
    plan = ImportPlan(validation.kind, validation.source.name)
    if skip_invalid:
        validation.skip_all_invalid()
    plan.errors = [e for e in validation.errors if e.row in validation.skipped_rows]
    plan.skipped = len(validation.skipped_rows)
    existing = {m.existing.id: m.existing for m in matches if m.existing is not None}
    created_at: dict[int, int] = {}  # file row -> index in plan.creates
    updated_at: dict[int, int] = {}  # local id -> index in plan.updates
    for parsed, route, target in route_rows(validation, matches):
        if route is Route.CREATE:
            created_at[parsed.row] = len(plan.creates)
            plan.creates.append(parsed.record)
        elif route is Route.SKIP:
            plan.skipped += 1
        elif route is Route.UPDATE:
            assert target is not None
            updated_at[target[1]] = len(plan.updates)
            plan.updates.append(_merged(existing[target[1]], parsed))
        else:
            assert target is not None
            plan.merged += 1
            if target[0] is Route.CREATE:
                index = created_at[target[1]]
                plan.creates[index] = _merged(plan.creates[index], parsed)
            else:
                index = updated_at[target[1]]
                plan.updates[index] = _merged(plan.updates[index], parsed)
    return plan


def plan_counts(validation: Validation, matches: Iterable[Match]) -> dict[str, int]:
    """``build_plan(...).counts`` without building a record: cheap enough for the dialog to
    recount on every change of a match's action."""
    counts = {route: 0 for route in Route}
    for _parsed, route, _target in route_rows(validation, matches):
        counts[route] += 1
    errors = sum(1 for e in validation.errors if e.row in validation.skipped_rows)
    return {
        "created": counts[Route.CREATE],
        "updated": counts[Route.UPDATE],
        "merged": counts[Route.MERGE],
        "skipped": counts[Route.SKIP] + len(validation.skipped_rows),
        "errors": errors,
    }


@dataclass(frozen=True, slots=True)
class ImportTarget:
    """Where the records go. ``account`` "" is the local book, else a vendor account's label
    (imported through ``into_account``, never ``commit_plan``)."""

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
        raise ValueError("an import into a vendor account goes through into_account")
    batch = book.ledgers.apply_import(plan.kind, plan.source, plan.creates, plan.updates)
    relink_after_import(book)
    return batch


def relink_after_import(book: Book) -> None:
    """Imported people may already be held by a vendor: a linking pass over what the import
    changed (this runs in the import's worker thread). The import stands even if linking
    fails; the next pass retries (what it changed stays logged until a pass links it)."""
    try:
        book.links.relink_changed()
    except Exception:
        log.exception("linking after the import failed")


def describe_counts(counts: dict[str, int], *, done: bool = False) -> str:
    """'3 added, 1 updated, 1 repeated row merged, 2 skipped' (or 'to add…' before the import):
    every row of the file is in exactly one of these numbers."""
    parts = (
        f"{counts['created']:,} {'added' if done else 'to add'}",
        f"{counts['updated']:,} {'updated' if done else 'to update'}",
        *(
            [f"{counts['merged']:,} repeated row{'s' if counts['merged'] != 1 else ''} merged"]
            if counts.get("merged")
            else []
        ),
        f"{counts['skipped']:,} {'skipped' if done else 'to skip'}",
    )
    return ", ".join(parts)
