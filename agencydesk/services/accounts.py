"""Vendor accounts: add, test, edit and remove them.

Non-secret settings (label, vendor, base URL, user name, site id…) live in ``Book.ledgers``
(``AccountRow``); secrets live only in the OS keyring, one entry per account of this profile
(``account_secrets.py``: filed under the profile's id and the account's label).
Every keyring and SQLite call runs in a worker thread (keyring backends can block on a D-Bus or
unlock prompt), so the GUI never freezes. Nothing here logs or returns a secret in a message.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx

from agencydesk.services.account_secrets import KEYRING_SERVICE, AccountSecrets, SecretsUnavailable
from agencydesk.services.value_mappings import save_meanings
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.store.profile_facts import profile_id
from agencydesk.sync.outbox_counts import OutboxCounts, account_counts
from agencydesk.sync.per_record_pass import NIGHT_SETTING
from agencydesk.vendors.catalog import (
    AGENCYZOOM_LOGIN_METHODS,
    NOT_FOR_V4SSO,
    VENDOR_INFO,
    VendorInfo,
    limiter_for,
    vendor_info,
)
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.connector import Connector

log = logging.getLogger(__name__)


MAX_LABEL = 80


class AccountInputError(ValueError):
    """What the user typed cannot be used; ``field`` is "vendor", "label", "base_url" or a
    credential's name, so a form can put the message beside that field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class AccountStoreError(Exception):
    """The account cannot be saved or read (keyring unavailable, unknown label…)."""


@dataclass(frozen=True, slots=True)
class AccountDraft:
    """What the Accounts dialog or ``agencydesk account add`` hands in."""

    vendor: str
    label: str
    base_url: str = ""  # "" means the vendor's real host
    credentials: dict[str, str] = field(default_factory=dict)  # by CredentialField.name
    # Other non-secret settings kept with the account, e.g. a sandbox's "rate_scale" (demo).
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckResult:
    label: str
    ok: bool
    message: str  # "Signed in as Jane Doe" or what went wrong, naming the account


class AccountStore:
    def __init__(self, book: Book, keyring_service: str = KEYRING_SERVICE) -> None:
        self._book = book
        self._base_service = keyring_service
        self._keyring: AccountSecrets | None = None

    @property
    def keyring(self) -> AccountSecrets:
        """This profile's keyring entries (the first use reads the profile id: a worker
        thread's call, like every keyring call)."""
        if self._keyring is None:
            self._keyring = AccountSecrets(self._base_service, profile_id(self._book))
        return self._keyring

    # -- reading -------------------------------------------------------------------------------
    def save_meanings(self, label: str, field: str, changes: dict[str, str | None]) -> int:
        """What the account's own names (stages, statuses) mean here (Settings' Meanings);
        how many cached records now mean something else."""
        return save_meanings(self._book, label, field, changes)

    def accounts(self) -> list[AccountRow]:
        return self._book.ledgers.accounts()

    def account(self, label: str) -> AccountRow:
        found = next((a for a in self.accounts() if a.label == label), None)
        if found is None:
            raise AccountStoreError(f"There is no account called '{label}'.")
        return found

    def outbox(self, label: str) -> OutboxCounts:
        """The account's changes not yet sent, by state (sync.outbox_counts)."""
        return account_counts(self._book, label)

    async def secrets(self, label: str) -> dict[str, str]:
        """The account's secrets from the keyring (``AccountRegistry`` takes this)."""
        return await asyncio.to_thread(self._read_secrets, label)

    async def credentials(self, label: str) -> dict[str, str]:
        """Settings and secrets together: what a vendor's ``create_connector`` takes."""
        row = await asyncio.to_thread(self.account, label)
        secrets = await asyncio.to_thread(self._read_secrets, label)
        names = info_names(vendor_info(row.vendor))
        return {**{k: str(v) for k, v in row.settings.items() if k in names}, **secrets}

    # -- changing ------------------------------------------------------------------------------
    def validate(self, draft: AccountDraft, *, editing: str | None = None) -> AccountDraft:
        """The draft cleaned up (defaults filled in), or AccountInputError naming the field.
        ``editing``: the label of the account being edited (its secrets may be left blank to
        keep the stored ones)."""
        if draft.vendor not in VENDOR_INFO:
            known = ", ".join(sorted(VENDOR_INFO))
            raise AccountInputError("vendor", f"Unknown vendor '{draft.vendor}' (known: {known}).")
        info = vendor_info(draft.vendor)
        label = " ".join(draft.label.split())
        if not label:
            raise AccountInputError("label", "Account name: give the account a name.")
        if len(label) > MAX_LABEL:
            raise AccountInputError("label", f"Account name: at most {MAX_LABEL} characters.")
        if editing is None and any(a.label == label for a in self.accounts()):
            raise AccountInputError("label", f"Account name: '{label}' is already used.")
        base_url = _check_url(draft.base_url.strip() or info.base_url)
        credentials = {k: v.strip() for k, v in draft.credentials.items() if v and v.strip()}
        method = credentials.get("login_method")
        if method is not None and method not in AGENCYZOOM_LOGIN_METHODS:
            choices = " | ".join(AGENCYZOOM_LOGIN_METHODS)
            raise AccountInputError("login_method", f"Sign in with: '{method}' is not {choices}.")
        not_needed = NOT_FOR_V4SSO if method == "v4sso" else frozenset()
        for cred in info.credentials:
            if cred.name in not_needed:
                continue
            if cred.required and cred.name not in credentials and not (editing and cred.secret):
                message = f"{cred.label}: required for {info.display_name}."
                raise AccountInputError(cred.name, message)
        unknown = set(credentials) - {c.name for c in info.credentials}
        if unknown:
            name = sorted(unknown)[0]
            raise AccountInputError(name, f"{info.display_name} does not use '{name}'.")
        return AccountDraft(info.vendor, label, base_url, credentials, dict(draft.options))

    async def add(self, draft: AccountDraft) -> AccountRow:
        clean = self.validate(draft)
        return await asyncio.to_thread(self._save, clean, None)

    async def edit(self, label: str, draft: AccountDraft) -> AccountRow:
        """Change an account's base URL and credentials (a blank secret keeps the stored one).
        The label stays: records remember the account they came from by it."""
        row = await asyncio.to_thread(self.account, label)
        clean = self.validate(
            AccountDraft(row.vendor, label, draft.base_url, draft.credentials), editing=label
        )
        return await asyncio.to_thread(self._save, clean, row)

    async def set_night_wait(self, label: str, on: bool) -> AccountRow:
        """The account's "per-record calls wait for the night rate" setting (not a secret)."""

        def save() -> AccountRow:
            row = self.account(label)
            settings = {**row.settings, NIGHT_SETTING: bool(on)}
            changed = replace(row, settings=settings)
            self._book.ledgers.save_account(changed)
            return changed

        return await asyncio.to_thread(save)

    async def remove(self, label: str, *, drop_records: bool = True) -> None:
        """Forget the account, its secrets and (by default) the records it brought."""
        await asyncio.to_thread(self._remove, label, drop_records)

    # -- testing -------------------------------------------------------------------------------
    async def test(
        self,
        what: str | AccountDraft,
        http: httpx.AsyncClient | None = None,
        limiter: AccountLimiter | None = None,
    ) -> CheckResult:
        """Sign in once through the vendor's connector (``check()``). ``what``: a saved account's
        label, or a draft (nothing is saved). Never raises for what the vendor says."""
        if isinstance(what, str):
            row = await asyncio.to_thread(self.account, what)
            label, vendor, base_url = row.label, row.vendor, row.base_url
            creds = await self.credentials(what)
        else:
            draft = what
            try:
                stored = await asyncio.to_thread(self._read_secrets, draft.label)
            except AccountStoreError:
                stored = {}
            editing = draft.label if stored else None
            clean = self.validate(draft, editing=editing)
            label, vendor, base_url = clean.label, clean.vendor, clean.base_url
            creds = {**stored, **clean.credentials}
        # ``limiter``: a saved account's own (the process's AccountRegistry), so a test waits
        # its turn behind the sync's calls to the same account.
        info = vendor_info(vendor)
        own = http is None
        client = http or new_http_client()
        try:
            unreachable = await _unreachable(client, base_url)
            if unreachable:
                return CheckResult(
                    label,
                    False,
                    f"{label}: cannot reach {info.display_name} at {base_url} ({unreachable}). "
                    "Check the address and your network connection.",
                )
            connector = self.connect(label, vendor, base_url, creds, client, limiter)
            try:
                who = await connector.check()
            finally:
                await connector.aclose()
            return CheckResult(label, True, f"{label}: {who}.")
        except errors.VendorError as exc:
            return CheckResult(label, False, explain(label, info, base_url, exc))
        except httpx.HTTPError as exc:  # e.g. a malformed URL the HTTP base did not map
            return CheckResult(label, False, f"{label}: cannot reach {base_url} ({exc}).")
        finally:
            if own:
                await client.aclose()

    def connect(
        self,
        label: str,
        vendor: str,
        base_url: str,
        credentials: dict[str, str],
        http: httpx.AsyncClient,
        limiter: AccountLimiter | None = None,
    ) -> Connector:
        """A connector for one account (the sync engine and the check use this)."""
        factory = vendor_info(vendor).connector_factory()
        return factory(label, base_url, credentials, http, limiter or limiter_for(vendor))

    async def connector(
        self, label: str, http: httpx.AsyncClient, limiter: AccountLimiter | None = None
    ) -> Connector:
        row = await asyncio.to_thread(self.account, label)
        creds = await self.credentials(label)
        return self.connect(label, row.vendor, row.base_url, creds, http, limiter)

    # -- in the worker thread ------------------------------------------------------------------
    def _save(self, draft: AccountDraft, previous: AccountRow | None) -> AccountRow:
        info = vendor_info(draft.vendor)
        secret_names = {c.name for c in info.credentials if c.secret}
        secrets = {k: v for k, v in draft.credentials.items() if k in secret_names}
        settings = {k: v for k, v in draft.credentials.items() if k not in secret_names}
        settings = {**draft.options, **settings}
        if previous is not None:
            kept = {k: v for k, v in previous.settings.items() if k not in info_names(info)}
            settings = {**kept, **settings}
            secrets = {**self._read_secrets(draft.label), **secrets}
        row = AccountRow(
            label=draft.label,
            vendor=draft.vendor,
            base_url=draft.base_url,
            settings=settings,
            last_synced_at=previous.last_synced_at if previous else None,
            last_error="",
        )
        self._write_secrets(draft.label, secrets)  # first: no account row without its secrets
        self._book.ledgers.save_account(row)
        log.info("account %s (%s) saved", draft.label, draft.vendor)
        return row

    def _remove(self, label: str, drop_records: bool) -> None:
        self.account(label)
        self._book.ledgers.remove_account(label, drop_records=drop_records)
        try:
            self.keyring.delete(label)
        except SecretsUnavailable as exc:
            raise AccountStoreError(str(exc)) from exc
        log.info("account %s removed", label)

    def _read_secrets(self, label: str) -> dict[str, str]:
        try:
            return self.keyring.read(label)
        except SecretsUnavailable as exc:
            raise AccountStoreError(str(exc)) from exc

    def _write_secrets(self, label: str, secrets: dict[str, str]) -> None:
        try:
            self.keyring.write(label, secrets)
        except SecretsUnavailable as exc:
            raise AccountStoreError(str(exc)) from exc


def faster_rate_note(vendor: str) -> str:
    """The vendor's documented faster hours ("30 calls/min by day, 60/min 10 PM-4 AM US
    Central (L82)"), or "" when its limit is the same all day."""
    info = VENDOR_INFO.get(vendor)
    if info is None or not callable(info.rate_limit_per_minute):
        return ""
    day = datetime(2026, 1, 5, tzinfo=UTC)  # any day: the schedule is by hour of day
    limits = {info.limit_at(day + timedelta(minutes=30 * i)) for i in range(48)}
    # The note's document line is for us, not for the user.
    return re.sub(r"\s*\(L\d+\)", "", info.rate_limit_note) if len(limits) > 1 else ""


def explain(label: str, info: VendorInfo, base_url: str, exc: errors.VendorError) -> str:
    """What went wrong, for the user: names the account and says what to do."""
    name = info.display_name
    said = exc.message
    if isinstance(exc, errors.AuthenticationFailed):
        return f"{label}: {name} refused these credentials ({said}). Check them and try again."
    if isinstance(exc, errors.PermissionDenied):
        return f"{label}: {name} signed you in but refuses access ({said}). Ask your admin."
    if isinstance(exc, errors.VendorTimeout):
        return f"{label}: {name} at {base_url} did not answer in time. Try again later."
    if isinstance(exc, errors.VendorConnectionError):
        return (
            f"{label}: cannot reach {name} at {base_url} ({said}). "
            "Check the address and your network connection."
        )
    if isinstance(exc, errors.RateLimited):
        wait = f" for {exc.retry_after_s:.0f} s" if exc.retry_after_s else ""
        return f"{label}: {name} asks us to wait{wait} (rate limit). Try again then."
    if isinstance(exc, errors.ServerError):
        return f"{label}: {name} had a server error (HTTP {exc.status}). Try again later."
    return f"{label}: {name} answered: {said}"


def info_names(info: VendorInfo) -> set[str]:
    return {c.name for c in info.credentials}


async def _unreachable(http: httpx.AsyncClient, base_url: str) -> str:
    """One plain request to the host before signing in, so a wrong address or no network is
    reported at once instead of after the HTTP base's retries. Any answer, even 404, is fine."""
    try:
        await http.head(base_url, timeout=httpx.Timeout(10.0, connect=5.0))
    except httpx.ConnectError as exc:
        return f"no connection: {_first_line(exc)}"
    except httpx.TimeoutException:
        return "no answer in time"
    except httpx.HTTPError:
        return ""  # something answered; the sign-in says the rest
    return ""


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text and text[0] else type(exc).__name__


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AccountInputError(
            "base_url", f"Address: '{url}' is not a web address (https://host[:port])."
        )
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise AccountInputError("base_url", f"Address: '{url}' has an invalid port.") from None
    return url.rstrip("/")
