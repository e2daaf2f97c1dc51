"""``agencydesk meanings``: what an account's own statuses or stages mean here (issue 15).

    agencydesk meanings LABEL                      the account's mapping
    agencydesk meanings LABEL "Terminated" expired  "Terminated" means expired, read and written
    agencydesk meanings LABEL "Terminated" --forget back to the vendor's own (shown as other)

AgencyBloc policy statuses, Lofty stages and ConeCRM lead statuses are each agency's own names;
AgencyDesk never guesses their meaning. The mapping is stored with the account and used from the
next sync or send.
"""

from __future__ import annotations

import argparse
import sys

from agencydesk.cli import add_profile_argument

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = subparsers.add_parser(
        "meanings", help="what an account's own statuses or stages mean in AgencyDesk"
    )
    add_profile_argument(command)
    command.add_argument("label", metavar="LABEL", help="the account")
    command.add_argument("value", nargs="?", metavar="NAME", help="the vendor's status or stage")
    command.add_argument("means", nargs="?", metavar="MEANING", help="e.g. active, expired, won")
    command.add_argument("--forget", action="store_true", help="NAME has no meaning here")
    command.set_defaults(run=run_meanings)


def run_meanings(args: argparse.Namespace) -> int:
    from agencydesk.profile import ProfileError, prepare_profile
    from agencydesk.services.value_mappings import (
        MAPPED,
        UnknownAccount,
        read_value_map,
        reapply_meanings,
        save_meaning,
    )
    from agencydesk.services.vendor_catalog import ValueMapError
    from agencydesk.store.book import Book, CacheError

    try:
        book = Book.open(prepare_profile(getattr(args, "profile", None)).cache_path)
    except (ProfileError, CacheError) as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_UNUSABLE
    try:
        row = next((a for a in book.ledgers.accounts() if a.label == args.label), None)
        if row is None or row.vendor not in MAPPED:
            why = "no such account" if row is None else "nothing of this vendor needs a meaning"
            sys.stderr.write(f"{args.label}: {why}\n")
            return EXIT_INVALID
        field, noun, allowed = MAPPED[row.vendor]
        if args.value is None:
            for vendor_value, ours in (
                read_value_map(book, args.label).fields.get(field, {}).items()
            ):
                sys.stdout.write(f"{vendor_value}\t{ours}\n")
            return EXIT_OK
        if args.forget == (args.means is not None):
            sys.stderr.write("give a MEANING, or --forget\n")
            return EXIT_INVALID
        if args.means is not None and args.means not in allowed:
            sys.stderr.write(f"'{args.means}' is not a {noun} meaning: {', '.join(allowed)}\n")
            return EXIT_INVALID
        means = None if args.forget or args.means == "other" else args.means
        save_meaning(book, args.label, field, args.value, means)
        again = reapply_meanings(book, args.label)  # the cached records, not only the next sync
        sys.stdout.write(
            f"{args.label}: {noun} '{args.value}' "
            + (f"means {means}" if means else "is the vendor's own")
            + (f" ({again} cached records read again)\n" if again else "\n")
        )
        return EXIT_OK
    except (UnknownAccount, ValueMapError) as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_INVALID
    finally:
        book.close()
