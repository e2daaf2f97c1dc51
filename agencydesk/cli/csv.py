"""``agencydesk import`` and ``agencydesk export``: CSV in and out of a profile's book, headless.

    agencydesk import --profile DIR --tab leads|customers|policies|tasks FILE [--preset NAME]
                      [--on-duplicate create|update|skip] [--match email|phone|policy_number]
                      [--skip-invalid] [--dry-run]
    agencydesk export --profile DIR --tab TAB [--filter TEXT] --out FILE

Import prints the counts and every error with its row (the header is row 1) and column. A file
with invalid rows imports nothing and exits 1; with --skip-invalid the valid rows go in and it
exits 0.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from agencydesk.domain import RecordKind

if TYPE_CHECKING:
    from agencydesk.profile import Profile
    from agencydesk.store.book import Book

TABS = {
    "leads": RecordKind.LEAD,
    "customers": RecordKind.CUSTOMER,
    "policies": RecordKind.POLICY,
    "tasks": RecordKind.TASK,
}
EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = subparsers.add_parser(
        "import",
        help="import a CSV file into a tab of the local book",
        description="Import a CSV file. Nothing is written if any row is invalid, unless "
        "--skip-invalid is given.",
    )
    _profile_argument(importer)
    importer.add_argument("--tab", required=True, choices=sorted(TABS))
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
    importer.set_defaults(run=run_import)

    exporter = subparsers.add_parser("export", help="export a tab of the local book as CSV")
    _profile_argument(exporter)
    exporter.add_argument("--tab", required=True, choices=sorted(TABS))
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
    from agencydesk.store.book import CacheError

    kind = TABS[args.tab]
    path: Path = args.file
    if not path.is_file():
        _err(f"{path}: no such file")
        return EXIT_UNREADABLE
    try:
        profile, book = _open_book(args)
    except (ProfileError, CacheError) as error:
        _err(error)
        return EXIT_UNREADABLE
    try:
        preset = None
        if args.preset:
            preset = PresetStore.in_profile(profile.root).get(kind, args.preset)
            if preset is None:
                _err(f"no {args.tab} preset named '{args.preset}'")
                return EXIT_UNREADABLE
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
    counts = report.counts
    refused = bool(report.errors) and not args.skip_invalid and not args.dry_run
    if refused:
        counts = {**counts, "created": 0, "updated": 0}
    for row_error in report.errors:
        _out(f"{path.name}: {row_error}")
    _out(
        f"created {counts['created']}, updated {counts['updated']}, "
        f"skipped {counts['skipped']}, errors {counts['errors']}"
        + (" (dry run: nothing written)" if args.dry_run else "")
    )
    if report.errors and not args.skip_invalid:
        _err(
            f"Nothing was imported: {len({e.row for e in report.errors})} row(s) are invalid. "
            "Fix them, or use --skip-invalid to import the valid rows."
        )
        return EXIT_INVALID
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from agencydesk.profile import ProfileError
    from agencydesk.services.csv_io import ExportOptions, export_view
    from agencydesk.services.csv_io.export import exportable_columns
    from agencydesk.store.book import CacheError
    from agencydesk.store.queries import ListQuery

    kind = TABS[args.tab]
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
