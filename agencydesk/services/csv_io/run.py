"""A whole import in one call, as the command line runs it: sniff, map (optionally with a named
preset), validate, find duplicates, plan and (unless a dry run) commit."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from agencydesk.domain import RecordKind
from agencydesk.services.csv_io.into_account import AccountImport, plan_into_account
from agencydesk.services.csv_io.links import LinkReport, link_to_parties
from agencydesk.services.csv_io.mapping import auto_map
from agencydesk.services.csv_io.plan import (
    ImportPlan,
    ImportTarget,
    Match,
    MatchOn,
    OnDuplicate,
    build_plan,
    commit_plan,
    find_matches,
    match_choices,
)
from agencydesk.services.csv_io.problems import RowError
from agencydesk.services.csv_io.sniff import Dialect, sniff
from agencydesk.services.csv_io.synonyms import known_headers
from agencydesk.services.csv_io.validate import Progress, header_of, validate_file
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow


@dataclass
class ImportReport:
    plan: ImportPlan
    errors: list[RowError] = field(default_factory=list)  # every invalid row's errors
    matches: list[Match] = field(default_factory=list)
    links: LinkReport = field(default_factory=LinkReport)
    committed: bool = False
    batch_id: int | None = None

    @property
    def counts(self) -> dict[str, int]:
        counts = self.plan.counts
        counts["errors"] = len(self.errors)
        return counts


def default_match(kind: RecordKind) -> MatchOn:
    return match_choices(kind)[0]


def import_file(
    book: Book,
    path: Path,
    kind: RecordKind,
    *,
    preset: dict[str, str] | None = None,
    dialect: Dialect | None = None,
    match_on: MatchOn | None = None,
    on_duplicate: OnDuplicate = OnDuplicate.UPDATE,
    skip_invalid: bool = False,
    dry_run: bool = False,
    target: ImportTarget | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportReport:
    """Raises CsvProblem when the file cannot be read at all. Invalid rows make it write nothing
    unless ``skip_invalid``."""
    sniffed = sniff(path, known_headers(), dialect)
    mapping = auto_map(kind, header_of(path, sniffed.dialect), preset)
    validation = validate_file(
        path, kind, sniffed.dialect, mapping, progress=progress, cancel=cancel
    )
    errors = validation.errors
    links = link_to_parties(book, validation, cancel=cancel)
    matches = find_matches(
        book, validation, match_on or default_match(kind), on_duplicate, cancel=cancel
    )
    plan = build_plan(validation, matches, skip_invalid=skip_invalid)
    report = ImportReport(plan, errors, matches, links)
    if dry_run or (errors and not skip_invalid):
        return report
    if target is None:
        batch = commit_plan(book, plan, cancel=cancel)
    else:
        batch = commit_plan(book, plan, target=target, cancel=cancel)
    report.committed = True
    report.batch_id = batch.id
    return report


@dataclass
class AccountImportReport:
    """A file checked for an import into a vendor account (nothing queued yet)."""

    plan: AccountImport
    errors: list[RowError] = field(default_factory=list)  # every invalid row's errors
    matches: list[Match] = field(default_factory=list)
    links: LinkReport = field(default_factory=LinkReport)


def plan_file_into_account(
    book: Book,
    path: Path,
    kind: RecordKind,
    account: AccountRow,
    *,
    preset: dict[str, str] | None = None,
    dialect: Dialect | None = None,
    match_on: MatchOn | None = None,
    on_duplicate: OnDuplicate = OnDuplicate.UPDATE,
    skip_invalid: bool = False,
    cancel: threading.Event | None = None,
) -> AccountImportReport:
    """``import_file`` for a vendor account, up to the plan: duplicates are looked for among the
    account's own records and every row is checked against the vendor's rules. The caller
    queues it (``queue_import``) when it holds no invalid row (or ``skip_invalid``)."""
    sniffed = sniff(path, known_headers(), dialect)
    mapping = auto_map(kind, header_of(path, sniffed.dialect), preset)
    validation = validate_file(path, kind, sniffed.dialect, mapping, cancel=cancel)
    errors = validation.errors
    if skip_invalid:
        validation.skip_all_invalid()
    links = link_to_parties(book, validation, cancel=cancel, account=account.label)
    matches = find_matches(
        book,
        validation,
        match_on or default_match(kind),
        on_duplicate,
        cancel=cancel,
        account=account.label,
    )
    plan = plan_into_account(book, validation, matches, account, cancel=cancel)
    return AccountImportReport(plan, errors, matches, links)
