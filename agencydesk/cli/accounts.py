"""``agencydesk account add|list|remove|test``: vendor accounts, headless.

    agencydesk account add --vendor agencyzoom --name "AZ main" --username me@x.com --password -
    agencydesk account add --vendor lofty --name Lofty --token T [--vendor-key K] [--api-key K]
    agencydesk account add --vendor agencybloc --name Bloc --sid S --key K
    agencydesk account add --vendor conecrm --name Cone --token JWT [--user-id ID]
    agencydesk account add --vendor leadexec --name LX --client-id ID --client-secret S
    agencydesk account list
    agencydesk account remove LABEL [--keep-records]
    agencydesk account test LABEL

Each takes ``--profile DIR``. A secret given as ``-`` is read from standard input (one line),
and a missing required secret is asked for without echo when a terminal is attached, so it
need not appear in the shell history. Secrets are never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from agencydesk.cli import add_profile_argument

if TYPE_CHECKING:
    from agencydesk.services.accounts import AccountStore
    from agencydesk.store.book import Book
    from agencydesk.store.ledger_types import Quarantined

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2
SHOWN = 3  # set-aside records named in an account's line
VENDORS = ("agencyzoom", "lofty", "agencybloc", "conecrm", "leadexec")
# flag -> (credential name in the vendor catalog, help)
CREDENTIAL_FLAGS = {
    "--username": ("username", "AgencyZoom: the email you sign in with"),
    "--password": ("password", "AgencyZoom: the password ('-' reads it from stdin)"),
    "--api-token": ("api_token", "AgencyZoom: X-Api-Token, only needed to create policies"),
    "--login-method": (
        "login_method",
        "AgencyZoom: password (default) | sso | v4sso (prints the sign-in page, reads the code)",
    ),
    "--jwt": ("jwt", "AgencyZoom: a JWT from a V4SSO sign-in (--login-method v4sso gets one)"),
    "--token": ("token", "Lofty: access token; ConeCRM: API token (JWT)"),
    "--vendor-key": ("vendor_key", "Lofty: vendor key (raises its rate limit)"),
    "--api-key": ("api_key", "Lofty: the old API key (renews an expired access token)"),
    "--sid": ("sid", "AgencyBloc: site id"),
    "--key": ("key", "AgencyBloc: API key"),
    "--user-id": ("user_id", "ConeCRM: the user new tasks are assigned to"),
    "--client-id": ("client_id", "LeadExec: client id"),
    "--client-secret": ("client_secret", "LeadExec: client secret"),
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    account = subparsers.add_parser("account", help="add, list, test and remove vendor accounts")
    add_account_commands(account, add_profile_argument)


def add_account_commands(
    account: argparse.ArgumentParser, where: Callable[[argparse.ArgumentParser], None]
) -> None:
    """The add/list/remove/test commands under ``account``; ``where`` adds the option naming
    the book they act on (``--profile`` here, ``--database`` for the team hub's accounts)."""
    commands = account.add_subparsers(title="account commands", metavar="ACTION", required=True)

    add = commands.add_parser("add", help="connect a vendor account (secrets go to the keyring)")
    where(add)
    add.add_argument("--vendor", required=True, choices=VENDORS)
    add.add_argument("--name", required=True, metavar="LABEL", help="a name for the account")
    add.add_argument("--base-url", default="", metavar="URL", help="default: the vendor's host")
    for flag, (_name, text) in CREDENTIAL_FLAGS.items():
        add.add_argument(flag, default="", metavar="VALUE", help=text)
    add.add_argument("--check", action="store_true", help="sign in once after adding")
    add.set_defaults(run=run_add)

    listing = commands.add_parser("list", help="the connected accounts (no secrets)")
    where(listing)
    listing.set_defaults(run=run_list)

    remove = commands.add_parser("remove", help="forget an account and its secrets")
    where(remove)
    remove.add_argument("label", metavar="LABEL")
    remove.add_argument(
        "--keep-records", action="store_true", help="keep the records it brought in the cache"
    )
    remove.set_defaults(run=run_remove)

    night = commands.add_parser(
        "night", help="let an account's per-record calls wait for the vendor's night rate"
    )
    where(night)
    night.add_argument("label", metavar="LABEL")
    night.add_argument("state", choices=("on", "off"))
    night.set_defaults(run=run_night)

    test = commands.add_parser("test", help="sign in to a saved account once")
    where(test)
    test.add_argument("label", metavar="LABEL")
    test.set_defaults(run=run_test)


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: object) -> None:
    sys.stderr.write(f"{text}\n")


def _open(args: argparse.Namespace) -> tuple[Book, AccountStore]:
    from agencydesk.profile import prepare_profile
    from agencydesk.services.accounts import AccountStore
    from agencydesk.store.book import Book

    database = getattr(args, "database", None)
    if database:  # the team hub's accounts (``agencydesk hub account``)
        from agencydesk.services.team.hub_secrets import use_hub_secrets

        use_hub_secrets(getattr(args, "secrets_file", None))
        book = Book.open_team(database)
        return book, AccountStore(book)
    profile = prepare_profile(getattr(args, "profile", None))
    book = Book.open(profile.cache_path, progress=_err)  # a big cache: why it takes a moment
    return book, AccountStore(book)


def _credentials(args: argparse.Namespace) -> dict[str, str]:
    """The vendor's credentials from the flags; '-' reads stdin; a missing required secret is
    prompted for (no echo) on a terminal."""
    from agencydesk.services.vendor_catalog import vendor_info

    info = vendor_info(args.vendor)
    wanted = {c.name: c for c in info.credentials}
    given: dict[str, str] = {}
    for flag, (name, _text) in CREDENTIAL_FLAGS.items():
        value = str(getattr(args, flag[2:].replace("-", "_")) or "")
        if not value:
            continue
        if name not in wanted:
            raise ValueError(f"{flag}: {info.display_name} does not use it")
        given[name] = sys.stdin.readline().rstrip("\r\n") if value == "-" else value
    v4sso = given.get("login_method") == "v4sso"
    for cred in info.credentials:
        if v4sso and cred.name in ("username", "password"):
            continue  # signs in at the vendor's page (agencyzoom-api.txt L241)
        if cred.required and cred.secret and not given.get(cred.name) and sys.stdin.isatty():
            given[cred.name] = getpass.getpass(f"{cred.label} for {args.name}: ")
    return given


def run_add(args: argparse.Namespace) -> int:
    import httpx

    from agencydesk.profile import ProfileError
    from agencydesk.services.accounts import AccountDraft, AccountInputError, AccountStoreError
    from agencydesk.services.vendor_catalog import vendor_errors
    from agencydesk.store.book import CacheError

    try:
        credentials = _credentials(args)
    except ValueError as error:
        _err(error)
        return EXIT_INVALID
    try:
        book, store = _open(args)
    except (ProfileError, CacheError) as error:
        _err(error)
        return EXIT_UNUSABLE
    try:
        draft = store.validate(AccountDraft(args.vendor, args.name, args.base_url, credentials))
        if credentials.get("login_method") == "v4sso":
            jwt = asyncio.run(_v4sso_jwt(draft.label, draft.base_url))
            draft = replace(draft, credentials={**draft.credentials, "jwt": jwt})
        row = asyncio.run(store.add(draft))
        _out(f"added {row.label} ({_vendor_name(row.vendor)}, {row.base_url})")
        if args.check:
            result = asyncio.run(store.test(row.label))
            (_out if result.ok else _err)(result.message)
            return EXIT_OK if result.ok else EXIT_INVALID
    except AccountInputError as error:
        flag = _flag_for(error.field)
        _err(f"{flag}: {error.message}" if flag else error.message)
        return EXIT_INVALID
    except AccountStoreError as error:
        _err(error)
        return EXIT_UNUSABLE
    except vendor_errors.VendorError as error:
        _err(f"{args.name}: single sign-on failed ({error.message})")
        return EXIT_INVALID
    except httpx.HTTPError as error:
        _err(f"{args.name}: cannot reach {args.base_url or 'AgencyZoom'} ({error})")
        return EXIT_UNUSABLE
    finally:
        book.close()
    return EXIT_OK


async def _v4sso_jwt(label: str, base_url: str) -> str:
    """AgencyZoom's V4SSO code flow on a terminal (services.agencyzoom_sign_in, as the form
    runs it): print the sign-in page, read the code the user pastes after signing in; the JWT
    it gives is kept in the keyring."""
    import httpx

    from agencydesk.services.agencyzoom_sign_in import v4sso_sign_in

    async def ask(sign_in_page: str) -> str:
        sys.stderr.write(f"Sign in to AgencyZoom at {sign_in_page}\nthen paste the code it shows: ")
        sys.stderr.flush()
        return str(await asyncio.to_thread(sys.stdin.readline)).strip()

    async with httpx.AsyncClient() as http:
        session = await v4sso_sign_in(label, base_url, http, None, ask, verify=False)
        return session.jwt


def run_list(args: argparse.Namespace) -> int:
    from agencydesk.profile import ProfileError
    from agencydesk.services.set_aside import SetAside
    from agencydesk.store.book import CacheError
    from agencydesk.sync.outbox_counts import OutboxCounts, outbox_counts

    try:
        book, store = _open(args)
    except (ProfileError, CacheError) as error:
        _err(error)
        return EXIT_UNUSABLE
    try:
        rows = store.accounts()
        counts = outbox_counts(book)
        set_aside = SetAside(book).records()
    finally:
        book.close()
    if not rows:
        _out("no accounts (add one with: agencydesk account add --vendor NAME --name LABEL …)")
    for row in rows:
        when = row.last_synced_at
        synced = when.strftime("%Y-%m-%d %H:%M UTC") if when else "never"
        user = _who(row.vendor, row.settings)
        parts = [row.label, _vendor_name(row.vendor), row.base_url]
        parts += [user] if user else []
        parts += [f"last synced {synced}", counts.get(row.label, OutboxCounts()).describe()]
        parts += [f"error: {row.last_error}"] if row.last_error else []
        held_back = [q for q in set_aside if q.account == row.label]
        parts += [_set_aside_said(held_back)] if held_back else []
        _out("\t".join(parts))
    return EXIT_OK


def _set_aside_said(items: list[Quarantined]) -> str:
    """The records the account's reads set aside, each by its vendor id and why (the first
    few: the rest are counted)."""
    shown = [f"{q.stream} {q.remote_id or '(no id)'} ({q.reason})" for q in items[:SHOWN]]
    more = f"; and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return f"set aside {len(items)}: " + "; ".join(shown) + more


def run_remove(args: argparse.Namespace) -> int:
    from agencydesk.profile import ProfileError
    from agencydesk.services.accounts import AccountStoreError
    from agencydesk.store.book import CacheError

    try:
        book, store = _open(args)
    except (ProfileError, CacheError) as error:
        _err(error)
        return EXIT_UNUSABLE
    try:
        asyncio.run(store.remove(args.label, drop_records=not args.keep_records))
    except AccountStoreError as error:
        _err(error)
        return EXIT_INVALID
    finally:
        book.close()
    _out(f"removed {args.label}")
    return EXIT_OK


def run_night(args: argparse.Namespace) -> int:
    """AgencyZoom's policies, notes and messages (a call per record) wait for its 10 PM-4 AM
    rate, except what the user opens; the setting is the account's, read at each sync."""
    from agencydesk.profile import ProfileError
    from agencydesk.services.accounts import AccountStoreError, faster_rate_note
    from agencydesk.store.book import CacheError

    try:
        book, store = _open(args)
    except (ProfileError, CacheError) as error:
        _err(error)
        return EXIT_UNUSABLE
    try:
        row = store.account(args.label)
        note = faster_rate_note(row.vendor)
        if not note:
            _err(f"{args.label}: {_vendor_name(row.vendor)} has one rate all day")
            return EXIT_INVALID
        asyncio.run(store.set_night_wait(args.label, args.state == "on"))
    except AccountStoreError as error:
        _err(error)
        return EXIT_INVALID
    finally:
        book.close()
    if args.state == "on":
        _out(f"{args.label}: per-record calls wait for the night rate ({note})")
    else:
        _out(f"{args.label}: per-record calls go at any hour ({note})")
    return EXIT_OK


def run_test(args: argparse.Namespace) -> int:
    from agencydesk.profile import ProfileError
    from agencydesk.services.accounts import AccountStoreError
    from agencydesk.store.book import CacheError

    try:
        book, store = _open(args)
    except (ProfileError, CacheError) as error:
        _err(error)
        return EXIT_UNUSABLE
    try:
        result = asyncio.run(store.test(args.label))
    except AccountStoreError as error:
        _err(error)
        return EXIT_INVALID
    finally:
        book.close()
    (_out if result.ok else _err)(result.message)
    return EXIT_OK if result.ok else EXIT_INVALID


def _vendor_name(vendor: str) -> str:
    from agencydesk.services.vendor_catalog import VENDOR_INFO

    info = VENDOR_INFO.get(vendor)
    return info.display_name if info else vendor


def _who(vendor: str, settings: dict[str, object]) -> str:
    """The non-secret credential that says who signs in (user name, site id, client id)."""
    from agencydesk.services.vendor_catalog import VENDOR_INFO

    info = VENDOR_INFO.get(vendor)
    names = [c.name for c in info.credentials if not c.secret] if info else []
    return next((str(settings[n]) for n in names if settings.get(n)), "")


def _flag_for(field: str) -> str:
    if field == "label":
        return "--name"
    if field in ("vendor", "base_url"):
        return "--" + field.replace("_", "-")
    return next((f for f, (name, _t) in CREDENTIAL_FLAGS.items() if name == field), "")
