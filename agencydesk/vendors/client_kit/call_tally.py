"""Who made a vendor call, when one connector serves several tasks at once: the team hub reads
an account and sends desks' edits to it side by side through one connector (one sign-in, one
limiter), so the client's running total cannot say which of them made a call. A tally opened
with ``tallied`` counts the requests of the code inside it, in its task and the tasks it
starts (they inherit the context), and nothing of another task's; an inner tally takes its
calls from the outer one (a sync's sending of its outbox, apart from its reading)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass


@dataclass(slots=True)
class CallTally:
    requests: int = 0  # HTTP requests sent (every attempt, as ``CallStats`` counts them)


_CURRENT: ContextVar[CallTally | None] = ContextVar("agencydesk_call_tally", default=None)


@contextmanager
def tallied(tally: CallTally | None = None) -> Iterator[CallTally]:
    """Count the calls made inside into ``tally`` (a new one when None)."""
    tally, token = opened(tally)
    try:
        yield tally
    finally:
        _CURRENT.reset(token)


def opened(tally: CallTally | None = None) -> tuple[CallTally, Token[CallTally | None]]:
    """``tallied`` without a block: close it with ``closed(token)`` in the same task."""
    tally = tally if tally is not None else CallTally()
    return tally, _CURRENT.set(tally)


def closed(token: Token[CallTally | None]) -> None:
    _CURRENT.reset(token)


def note_request() -> None:
    """One request sent (``VendorHttp`` calls this beside its own total)."""
    tally = _CURRENT.get()
    if tally is not None:
        tally.requests += 1
