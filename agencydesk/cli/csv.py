"""``agencydesk import`` and ``agencydesk export``: CSV in and out of a profile's book, headless.

    agencydesk import --profile DIR [--tab leads|customers|policies|tasks] FILE [--preset NAME]
                      [--on-duplicate create|update|skip] [--match email|phone|policy_number]
                      [--skip-invalid] [--dry-run] [--errors FILE] [--into LABEL]
    agencydesk export --profile DIR --tab TAB [--filter TEXT] --out FILE

Import prints the counts and the errors with their row (the header is row 1) and column: all of
them up to 50, else a summary and the first 50, with the full list written to a CSV (--errors, or
the profile's import-errors folder). A file with invalid rows imports nothing and exits 1; with
--skip-invalid the valid rows go in and it exits 0. Without --tab the tab is read from the file's
header when only one tab fits it (among those the --into account takes); otherwise it exits 2
naming the tabs that fit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from agencydesk.domain import RecordKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from agencydesk.profile import Profile
    from agencydesk.services.csv_io.problems import RowError
    from agencydesk.store.book import Book

TABS = {
    "leads": RecordKind.LEAD,
    "customers": RecordKind.CUSTOMER,
    "policies": RecordKind.POLICY,
    "tasks": RecordKind.TASK,
}
#: Every tab exports; threads only come from vendors, so they are not imported.
EXPORT_TABS = {**TABS, "threads": RecordKind.THREAD}
ERRORS_DIR = "import-errors"
EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = subparsers.add_parser(
        "import",
        help="import a CSV file into a tab of the local book, or into a vendor account",
        description="Import a CSV file. Nothing is written if any row is invalid, unless "
        "--skip-invalid is given.",
    )
    _profile_argument(importer)
    importer.add_argument(
        "--tab",
        choices=sorted(TABS),
        help="the tab the rows are for (default: the one tab the file's header fits)",
    )
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument("--preset", metavar="NAME", help="a column mapping saved in the dialog")
    importer.add_argument(
        "--on-duplicate",
        choices=("create", "update", "skip"),
        default="update",
        help="what to do with a row that matches a record already in the book (default: update)",
    )
    importer.add_argument(
        "--match",
        choices=("email", "phone", "policy_number", "nothing"),
        help="how duplicates are recognised (default: email; policy_number for policies)",
    )
    importer.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, report the others"
    )
    importer.add_argument(
        "--dry-run", action="store_true", help="check and count everything, write nothing"
    )
    importer.add_argument(
        "--errors",
        type=Path,
        metavar="FILE",
        help="write every error to this CSV (default: when there are more than 50, a file in "
        "the profile's import-errors folder)",
    )
    importer.add_argument(
        "--into",
        metavar="LABEL",
        help="create and update the records in this vendor account (checked against the "
        "vendor's rules, queued in its outbox and sent at once) instead of the local book",
    )
    importer.set_defaults(run=run_import)

    exporter = subparsers.add_parser("export", help="export a tab of the local book as CSV")
    _profile_argument(exporter)
    exporter.add_argument("--tab", required=True, choices=sorted(EXPORT_TABS))
    exporter.add_argument("--filter", default="", metavar="TEXT", help="the tab's filter text")
    exporter.add_argument("--out", required=True, type=Path, metavar="FILE")
    exporter.set_defaults(run=run_export)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: object) -> None:
    sys.stderr.write(f"{text}\n")


def _profile_argument(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: without it the subcommand's default would overwrite `agencydesk --profile DIR …`.
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", default=argparse.SUPPRESS,
        help="the profile directory (default: the platform's user data directory)",
    )  # fmt: skip


def _open_book(args: argparse.Namespace) -> tuple[Profile, Book]:
    from agencydesk.profile import prepare_profile
    from agencydesk.store.book import Book

    profile = prepare_profile(getattr(args, "profile", None))
    return profile, Book.open(profile.cache_path)


def run_import(args: argparse.Namespace) -> int:
    from agencydesk.profile import ProfileError
    from agencydesk.services.csv_io import CsvProblem, MatchOn, OnDuplicate, import_file
    from agencydesk.services.csv_io.presets import PresetStore
    from agencydesk.services.csv_io.sniff import require_file
    from agencydesk.store.book import CacheError

    path: Path = args.file
    try:
        require_file(path)  # a folder or a missing file says so before the profile is opened
    except CsvProblem as problem:
        _err(problem)
        return EXIT_UNREADABLE
    try:
        profile, book = _open_book(args)
    except (ProfileError, CacheError) as error:
        _err(error)
        return EXIT_UNREADABLE
    try:
        if args.tab is None:
            guessed = _tab_from_header(book, path, getattr(args, "into", None))
            if guessed is None:
                return EXIT_UNREADABLE
            args.tab = guessed
        kind = TABS[args.tab]
        preset = None
        if args.preset:
            preset = PresetStore.in_profile(profile.root).get(kind, args.preset)
            if preset is None:
                _err(f"no {args.tab} preset named '{args.preset}'")
                return EXIT_UNREADABLE
        if getattr(args, "into", None):
            from agencydesk.cli.csv_into import run_import_into

            return run_import_into(args, book, kind, preset)
        report = import_file(
            book,
            path,
            kind,
            preset=preset,
            match_on=MatchOn(args.match) if args.match else None,
            on_duplicate=OnDuplicate(args.on_duplicate),
            skip_invalid=args.skip_invalid,
            dry_run=args.dry_run,
        )
    except CsvProblem as problem:
        _err(f"{path.name}: {problem}")
        _err("Nothing was imported.")
        return EXIT_UNREADABLE
    finally:
        book.close()
    _print_errors(path, report.errors, args.errors, profile.root / ERRORS_DIR)
    counts = report.counts
    refused = bool(report.errors) and not args.skip_invalid and not args.dry_run
    if refused:
        counts = {**counts, "created": 0, "updated": 0, "merged": 0}
    _out(
        f"created {counts['created']}, updated {counts['updated']}, "
        + (f"merged {counts['merged']}, " if counts["merged"] else "")
        + f"skipped {counts['skipped']}, errors {counts['errors']}"
        + (" (dry run: nothing written)" if args.dry_run else "")
    )
    from agencydesk.services.csv_io.links import describe_links

    if note := describe_links(report.links):
        _out(note[0].upper() + note[1:])
    differ = sum(1 for match in report.matches if not match.names_agree)
    if differ and not refused:
        _out(
            f"{differ} row(s) share an email, phone or number with a record of another name and "
            "were added as new records, not merged."
        )
    if report.errors and not args.skip_invalid:
        _err(
            f"Nothing was imported: {len({e.row for e in report.errors}):,} row(s) are invalid. "
            "Fix them, or use --skip-invalid to import the valid rows."
        )
        return EXIT_INVALID
    return EXIT_OK


def _print_errors(
    path: Path, errors: Sequence[RowError], chosen: Path | None, folder: Path
) -> None:
    """Every error when there are few; else a summary, the first 50 and the file with them all."""
    from agencydesk.services.csv_io.error_list import (
        SHOWN_ERRORS,
        error_list_path,
        summarise,
        write_error_list,
    )

    for row_error in errors[:SHOWN_ERRORS]:
        _out(f"{path.name}: {row_error}")
    if chosen is None and len(errors) <= SHOWN_ERRORS:
        return
    target = chosen or error_list_path(folder, path)
    written: Path | None = target
    try:
        write_error_list(target, errors)
    except OSError as error:
        _err(f"{target}: cannot write the list of errors ({error.strerror or error})")
        written = None
    if len(errors) > SHOWN_ERRORS:
        _out(f"… and {len(errors) - SHOWN_ERRORS:,} more. {summarise(errors)}.")
    if written is not None:
        _out(f"All {len(errors):,} errors: {written}")


def _tab_from_header(book: Book, path: Path, into: str | None) -> str | None:
    """The one tab the file's header fits (among those the --into account takes), said on
    stdout; None, with the reason on stderr, when none or several fit."""
    from agencydesk.services.csv_io.into_account import account_choices
    from agencydesk.services.csv_io.kind_guess import IMPORTED, guess_kind

    among = list(IMPORTED)
    account = next((a for a in book.ledgers.accounts() if a.label == into), None)
    if account is not None:  # an unknown label is refused, by name, after the tab is known
        takes = [k for k in IMPORTED if not account_choices([account], k)[0].why_not]
        among = takes or among
    guess = guess_kind(path, among)
    name_of = {kind: name for name, kind in TABS.items()}
    shown = ", ".join(h for h in guess.headers[:8] if h) or "none"
    shown += ", …" if len(guess.headers) > 8 else ""
    if guess.kind is None:
        options = guess.fitting or tuple(among)
        tabs = " or ".join(f"--tab {name_of[kind]}" for kind in options)
        if guess.fitting:
            why = "fits " + " and ".join(name_of[k] for k in guess.fitting) + " equally"
        else:
            why = "has none of the columns a tab needs (a name, a policy number, a title)"
        _err(f"{path.name}: its header ({shown}) {why}: say which with {tabs}.")
        _err("Nothing was imported.")
        return None
    tab = name_of[guess.kind]
    _out(f"{path.name}: importing as {tab} (its header fills {guess.filled} {tab} fields)")
    return tab


def run_export(args: argparse.Namespace) -> int:
    from agencydesk.profile import ProfileError
    from agencydesk.services.csv_io import ExportOptions, export_view
    from agencydesk.services.csv_io.export import exportable_columns
    from agencydesk.store.book import CacheError
    from agencydesk.store.queries import ListQuery

    kind = EXPORT_TABS[args.tab]
    try:
        _profile, book = _open_book(args)
    except (ProfileError, CacheError) as error:
        _err(error)
        return EXIT_UNREADABLE
    try:
        result = export_view(
            book,
            kind,
            args.out,
            ExportOptions(columns=tuple(exportable_columns(kind))),
            query=ListQuery(text=args.filter),
        )
    except OSError as error:
        _err(f"{args.out}: cannot write ({error.strerror or error})")
        return EXIT_UNREADABLE
    finally:
        book.close()
    _out(f"exported {result.rows} {args.tab} to {result.path}")
    return EXIT_OK
