"""``SendFence``: an account read and its outbox sent side by side (the team hub) without a
read's stale copy of a record ever overwriting what sending it stored.

A solo desk sends, then reads, so a page never straddles a send. The hub reads for hours (a
first sync) while people's edits go out at once: a page fetched before an edit reached the
vendor, stored after the vendor's answer, would put the old values back (and a deleted record
back, or a created one twice). The fence orders the two per record:

- a store of records (or of deletions) waits while one of them is being sent, and a create of
  their kind (its new id is unknown until the vendor answers); no store begins while an edit is
  being applied or sent (``first``);
- a send of a record waits for a store holding it to end, and from the moment it asks, new
  stores holding it wait for it (a busy read never starves a person's edit);
- a store drops the records, and the deletions, whose send ended after the fetch that read
  them began: what the send stored is the vendor's newer answer. The next read brings any
  later change.

Epochs count ended sends; a read notes the epoch before its request (``begin``) and lets go of
it after storing (``end``), so the record of ended sends is kept only as long as a read that
began before them is still going."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from agencydesk.domain import Record, RecordKind

Key = tuple[str, RecordKind, str]  # account, kind, remote id


@dataclass(frozen=True, slots=True)
class Fresh:
    """What a store may write: the records and deletions no send has overtaken."""

    since: int
    ended: dict[Key, int]

    def records(self, records: Sequence[Record], since: int | None = None) -> list[Record]:
        """``since``: the epoch their request began at, when not the store's."""
        began = self.since if since is None else since
        return [r for r in records if self.ended.get(_key(r), 0) <= began]

    def deleted(
        self, account: str, deleted: Sequence[tuple[RecordKind, str]], since: int | None = None
    ) -> list[tuple[RecordKind, str]]:
        """``since``: the epoch the deletions' evidence began at (a listing's first page)."""
        began = self.since if since is None else since
        return [(k, r) for k, r in deleted if self.ended.get((account, k, r), 0) <= began]


class SendFence:
    def __init__(self) -> None:
        self._epoch = 0
        self._ended: dict[Key, int] = {}  # the epoch at which the last send of a record ended
        self._reads: Counter[int] = Counter()  # epochs noted by reads still going
        self._sending: Counter[Key] = Counter()  # asked for or in flight
        self._creating: Counter[tuple[str, RecordKind]] = Counter()
        self._storing: Counter[Key] = Counter()
        self._storing_kinds: Counter[tuple[str, RecordKind]] = Counter()
        self._first = 0  # senders writing: a read's store waits to begin (see ``first``)
        self._changed: asyncio.Event | None = None

    # -- the read's side -----------------------------------------------------------------------
    def begin(self, *, at: int | None = None) -> int:
        """Before a read's request: the epoch its answer is compared with at ``storing``
        (``at``: an earlier one, still held, that a longer read began at)."""
        since = self._epoch if at is None else at
        self._reads[since] += 1
        return since

    def end(self, since: int) -> None:
        self._reads[since] -= 1
        if self._reads[since] <= 0:
            del self._reads[since]
        oldest = min(self._reads, default=self._epoch)
        self._ended = {k: e for k, e in self._ended.items() if e > oldest}

    @asynccontextmanager
    async def storing(
        self, account: str, since: int, records: Iterable[Record], deleted: Iterable[
            tuple[RecordKind, str]] = ()
    ) -> AsyncIterator[Fresh]:  # fmt: skip
        keys = {_key(r) for r in records} | {(account, k, r) for k, r in deleted}
        kinds = {(a, k) for a, k, _r in keys}
        while (
            self._first
            or any(self._sending[k] for k in keys)
            or any(self._creating[k] for k in kinds)
        ):
            await self._wait()
        self._storing.update(keys)
        self._storing_kinds.update(kinds)
        try:
            yield Fresh(since, dict(self._ended))
        finally:
            self._storing.subtract(keys)
            self._storing_kinds.subtract(kinds)
            self._storing += Counter()  # drop the zeros
            self._storing_kinds += Counter()
            self._wake()

    # -- the sender's side ---------------------------------------------------------------------
    @asynccontextmanager
    async def first(self) -> AsyncIterator[None]:
        """A person's edit is being applied or sent: no store of the read begins meanwhile. The
        database lets one writer at a time (``postgres_engine.take_writers_lock``): a read
        storing page after page would otherwise put the edit's every write behind its own."""
        self._first += 1
        try:
            yield
        finally:
            self._first -= 1
            self._wake()

    @asynccontextmanager
    async def sending(
        self, account: str, kind: RecordKind, remote_id: str | None
    ) -> AsyncIterator[Callable[[str], None]]:
        """Around one outbox entry's requests and what is stored of their answer. Yields a
        callable for the remote id a create was given (stores holding it are then fenced)."""
        key: Key | None = (account, kind, remote_id) if remote_id else None
        self._first += 1
        if key is not None:
            self._sending[key] += 1
        else:
            self._creating[(account, kind)] += 1
        made: list[Key] = []
        try:
            while (key is not None and self._storing[key]) or (
                key is None and self._storing_kinds[(account, kind)]
            ):
                await self._wait()
            yield lambda made_id: made.append((account, kind, made_id))
        finally:
            self._first -= 1
            if key is not None:
                self._sending[key] -= 1
                if self._sending[key] <= 0:
                    del self._sending[key]
            else:
                self._creating[(account, kind)] -= 1
                if self._creating[(account, kind)] <= 0:
                    del self._creating[(account, kind)]
            self._epoch += 1
            for ended in [key, *made] if key is not None else made:
                self._ended[ended] = self._epoch
            self._wake()

    # -- waiting ---------------------------------------------------------------------------------
    async def _wait(self) -> None:
        if self._changed is None:
            self._changed = asyncio.Event()
        await self._changed.wait()

    def _wake(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None


def _key(record: Record) -> Key:
    where = record.provenance
    return (where.account, record.kind, where.remote_id)
