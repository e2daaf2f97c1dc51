"""What the sync engine and the UI know of a vendor: a ``Connector`` per account (streams to
pull, changes to push, a credentials check) and its ``Capabilities`` (what each tab can do).

Every vendor folder has the same shape: ``client.py`` (typed async calls), ``mapping.py``
(payload <-> records, unknown fields kept in ``raw``), ``capabilities.py`` (``CAPABILITIES``),
``connector.py`` (``create_connector(...)``) and ``sandbox/``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from agencydesk.domain import Channel, Record, RecordKind, Thread

if TYPE_CHECKING:  # types only: the window's first paint need not load httpx nor asyncio
    import httpx

    from agencydesk.vendors.client_kit.limiter import AccountLimiter


@dataclass(frozen=True, slots=True)
class TabCapability:
    list: bool
    show: bool
    create: bool
    update: bool
    delete: bool
    why_not: str = ""  # tooltip text for what it cannot do ("AgencyZoom's API cannot send email")
    # Tasks only: whether a write may change the status (mark done / reopen). Lofty and ConeCRM
    # can change a task's other fields but not its status; ``why_not`` says so.
    complete: bool = True

    def allows(self, op: Literal["list", "show", "create", "update", "delete"]) -> bool:
        return bool(getattr(self, op))


NOTHING = TabCapability(False, False, False, False, False)

Capabilities = Mapping[RecordKind, TabCapability]


class Paging(StrEnum):
    """How a stream's list is walked (client_kit/paging.py has one paginator for each)."""

    PAGE_NUMBER = "page"  # page = 0, 1, 2…
    OFFSET = "offset"  # offset = 0, n, 2n…
    CURSOR = "cursor"  # the vendor hands the next position (keyset, next-link)
    ID_BATCHES = "ids"  # one listing of ids, then the records read a batch at a time
    WHOLE = "whole"  # one call answers everything


class BookmarkType(StrEnum):
    """What a stream's change filter reads from the bookmark."""

    DAY = "day"  # a date, "changed on or after" (vendors whose filters take days)
    MOMENT = "moment"  # a date and time
    NONE = "none"  # no change filter: every run lists everything
    # The vendor's own position (an id) per list, kept from run to run: each run reads only
    # what is newer, and never lists everything (so it never says what was deleted).
    KEYSET = "keyset"


@dataclass(frozen=True, slots=True)
class Stream:
    """One thing pulled on its own bookmark, declared by its connector: what it holds, how it is
    paged, what its bookmark's change filter is, and how often it is listed in full (to notice
    deletions, and edits a change filter misses). ``client_kit/streams.py`` runs it."""

    name: str
    kind: RecordKind
    incremental: bool
    paging: Paging = Paging.WHOLE
    bookmark: BookmarkType = BookmarkType.NONE
    # A full listing at least this often; timedelta(0): every run is one.
    full_scan_every: timedelta = timedelta(0)
    page_size: int = 0  # what the paginator expects a full page to hold
    # The next run's change filter starts this long before this run began: the vendor's clock
    # and the zone of its dates are not ours to trust.
    lookback: timedelta = timedelta(0)


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A vendor payload that could not be mapped: set aside with the reason (naming the field)."""

    remote_id: str
    payload: str
    reason: str
    # Read, but the book cannot store it (sync/unstorable.py): the sync summary says which kind.
    unstorable: bool = False


@dataclass(slots=True)
class PulledPage:
    records: list[Record] = field(default_factory=list)
    # record index -> (parent kind, parent remote id): a policy's customer, a task's lead…
    links: dict[int, tuple[RecordKind, str]] = field(default_factory=dict)
    unreadable: list[Unreadable] = field(default_factory=list)
    deleted: list[tuple[RecordKind, str]] = field(default_factory=list)
    # Stored with the page, in the same transaction; None keeps the previous bookmark (a page in
    # the middle of a full scan that cannot be resumed from).
    bookmark: str | None = None
    # A full listing of the stream's kind starts with this page / ends with it. When the sync
    # saw both in one run, every cached record of that kind it did not see is gone at the vendor
    # (after ``confirm_deleted``, when the connector has it, agrees).
    scan_begins: bool = False
    scan_ends: bool = False


@dataclass(frozen=True, slots=True)
class PushRequest:
    op: Literal["create", "update", "delete"]
    kind: RecordKind
    record: Record | None  # the record as it is now here (None for a delete)
    remote_id: str  # "" for a create
    changes: dict[str, Any]  # our field names -> new values
    base: dict[str, Any]  # the vendor payload the edit was made on
    # Remote ids of the records this one points to, by our field name: a new task's
    # {"customer_id": "123"}, a note's {"parent_id": "55"}, a policy's {"customer_id": …}.
    parents: dict[str, str] = field(default_factory=dict)


class Connector(Protocol):
    vendor: str
    account: str
    capabilities: Capabilities

    def streams(self) -> list[Stream]: ...

    def pull(self, stream: Stream, bookmark: str | None) -> AsyncIterator[PulledPage]: ...

    async def push(self, request: PushRequest) -> Record | None:
        """Send one change; the vendor's record as it now is (None when it says nothing).
        Raises ``Conflict`` when the vendor's record changed since ``base``."""
        ...

    async def check(self) -> str:
        """Verify the credentials; a line for the user: "Signed in as Jane Doe"."""
        ...

    async def aclose(self) -> None: ...


class ConfirmsDeletions(Protocol):
    """Optional: a connector that can check, cheaply, that records missing from a full listing
    are really gone (a listing that shifted while being paged could have skipped them)."""

    async def confirm_deleted(self, kind: RecordKind, remote_ids: list[str]) -> list[str]: ...


class ReadsPayloads(Protocol):
    """Optional: turn a stored vendor payload (``Record.raw``) back into a record, e.g. to show
    "theirs" in a conflict. Raises ``PayloadNotReadable`` for a kind it cannot read back."""

    def read_payload(self, kind: RecordKind, raw: dict[str, Any]) -> Record: ...


@runtime_checkable
class ChecksWrites(Protocol):
    """Optional: what a change may already have done at the vendor, for an outbox entry whose
    request went out but whose answer was never stored (the sender was killed). Each vendor's
    ``reconcile.py`` implements it with its documented read and search endpoints; a kind it
    cannot read back raises ``CannotReadBack``."""

    async def read_back(self, kind: RecordKind, remote_id: str) -> Record | None:
        """The vendor's record as it is now; None when the vendor provably has no such record."""
        ...

    async def find_created(self, request: PushRequest) -> list[Record]:
        """The vendor's records that match the create's natural key (email, phone, policy
        number…), found through its search or list endpoints; [] when it provably has none."""
        ...


class CannotReadBack(ValueError):
    """The vendor offers no way to read this back (no detail or search endpoint for the kind,
    or the record has no natural key to search by): the user decides."""


class PayloadNotReadable(ValueError):
    """A payload of this kind cannot be turned back into a record (its vendor gives no way to
    read one such record, or the payload lacks what the record needs)."""


# What the user is told when "theirs" cannot be shown field by field.
CANNOT_READ_THEIRS = "the vendor's current values can't be read; keep mine / discard mine"


class ConnectorFactory(Protocol):
    def __call__(
        self,
        account: str,
        base_url: str,
        secrets: dict[str, str],
        http: httpx.AsyncClient,
        limiter: AccountLimiter,
    ) -> Connector: ...


# A key of an update's ``changes`` (and so of ``PushRequest.changes``): the labels of the fields
# the user agreed the vendor may clear on this record ("Address line 2", "DBA"…). Set only by the
# user's explicit confirmation (the edit dialog) or an explicit headless flag; connectors send an
# update that would clear fields only when every one of them is listed here.
CONFIRMED_LOSS = "confirmed_loss"


class ChecksWriteRisk(Protocol):
    """Optional, per vendor (``agencydesk.vendors.<vendor>.write_risk.fields_at_risk``, and the
    connector's method of the same name): which fields the vendor would clear, without AgencyDesk
    being able to read them first, if this change were sent. Called before an edit is queued:
    ``record`` is the record as stored here (its ``raw`` is the vendor's payload), ``changes``
    our field names -> new values. Answers labels a user understands ("Address line 2"), [] when
    the change is safe. Pure: no network, no store."""

    def fields_at_risk(
        self, kind: RecordKind, record: Record | None, changes: Mapping[str, Any]
    ) -> list[str]: ...


# A key of a logged call's create ``changes``: its outcome (``CallOutcome`` value), for a vendor
# that stores one (Lofty's ``callingOutcome``). The Message record has no field for it.
CALL_OUTCOME = "call_outcome"


@dataclass(frozen=True, slots=True)
class ActivityRoute:
    """How a vendor takes an activity the user logs on one of its leads or customers
    (``ACTIVITY_ROUTES`` in the vendor's capabilities, by the record's kind): as a note (every
    kind; a call's outcome and length written into its text), and, with ``logs``, calls, emails
    and texts as logged entries of their own (a Message on the lead's call/email/text thread)."""

    notes: bool
    logs: bool = False
    # With ``logs``: the vendor's call/email/text thread of a lead (account, the lead's remote
    # id, channel), for when the book holds none yet.
    log_thread: Callable[[str, str, Channel], Thread] | None = None
