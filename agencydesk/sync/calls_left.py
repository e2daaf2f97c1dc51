"""The per-record calls an account still has ahead, as last known, kept in the book so a
restarted app shows them at once (issue 13), before any sync has planned them again.

The count is what the last per-record pass knew when it planned, every minute while it ran, and
when it stopped; it is shown with that time ("as of 14:05"), because listings and changes at the
vendor since may add calls. The time they take is worked out again from the documented rate
whenever it is read: the rate is the vendor's, the count is the book's."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from agencydesk.sync.eta import CallsAhead, RateOutlook
from agencydesk.vendors.client_kit.limiter import AccountLimiter

if TYPE_CHECKING:
    from agencydesk.store.book import Book
    from agencydesk.store.ledger_types import AccountRow

log = logging.getLogger(__name__)

#: The bookmark holding it (beside the account's stream bookmarks, like a job's round).
BOOKMARK = "per-record:calls-left"


@dataclass(frozen=True, slots=True)
class KnownCalls:
    """Per-record calls left when last known, and how many of them waited for the night rate."""

    calls_left: int
    waiting_for_night: int
    known_at: datetime
    eta_s: float | None = None  # worked out when read (``at_rest``), never kept


def remember(book: Book, account: str, calls_left: int, waiting_for_night: int) -> None:
    """Keep the count the pass knows now (a worker thread's call: one short write)."""
    value = {
        "calls_left": calls_left,
        "waiting_for_night": waiting_for_night,
        "known_at": datetime.now(UTC).isoformat(),
    }
    book.ledgers.store_page(account, BOOKMARK, [], bookmark=json.dumps(value))


def known(book: Book, account: str) -> KnownCalls | None:
    """The count as last kept; None when no pass ever ran (or what is kept cannot be read)."""
    stored = book.ledgers.bookmark(account, BOOKMARK)
    if not stored:
        return None
    try:
        value = json.loads(stored)
        return KnownCalls(
            int(value["calls_left"]),
            int(value["waiting_for_night"]),
            datetime.fromisoformat(value["known_at"]),
        )
    except (ValueError, KeyError, TypeError):
        log.warning("%s: unreadable calls-left bookmark %r", account, stored)
        return None


def eta(limiter: AccountLimiter, calls: int, *, at_night: bool) -> float | None:
    """Seconds ``calls`` take from now on ``limiter`` (the bulk only at the faster rate when
    ``at_night``); None beyond a month."""
    outlook = RateOutlook(limiter)
    if at_night and outlook.has_fast_rate:
        return outlook.seconds_for(CallsAhead(0, calls))
    return outlook.seconds_for(CallsAhead(calls))


def at_rest(
    book: Book, row: AccountRow, limiter: AccountLimiter | None = None
) -> KnownCalls | None:
    """The account's calls left as last kept, with the time they take from now: on
    ``limiter`` (the account's, with the calls just made) or, when none is alive in this
    process, at the vendor's documented rate with none of its window used (nothing was sent
    since the start). None when none are left, or no pass ever counted them."""
    from agencydesk.sync.per_record_pass import night_wait_of  # (which imports this module)
    from agencydesk.vendors.catalog import limiter_for

    kept = known(book, row.label)
    if kept is None or not kept.calls_left:
        return None
    if limiter is None:
        scale = float(str(row.settings.get("rate_scale") or 1.0))  # a sandbox account's
        try:
            limiter = limiter_for(row.vendor, rate_scale=scale)
        except ValueError:  # a vendor this build does not know: the count alone
            return kept
    return replace(kept, eta_s=eta(limiter, kept.calls_left, at_night=night_wait_of(row.settings)))
