"""The order of an account's per-record calls: what the user opened or searched for first (the
latest request first), then the book's order of usefulness (``store.record_fetches``: nearest
renewal, latest activity).

``WantedRecords`` is the process's one list of such requests: the window (through services)
adds to it at any time, the running sync takes from it between two calls."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agencydesk.domain import RecordKind

if TYPE_CHECKING:  # the window makes the list before the sync (and httpx) is loaded
    from agencydesk.store.record_fetches import DueParent
    from agencydesk.vendors.per_record import PerRecordJob

# Requests beyond this many per account are the oldest, and dropped: a user scrolling through
# search results must not build a second queue behind the first.
MAX_WANTED = 200


class WantedRecords:
    """Records the user is looking at, per account and kind, newest last. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wanted: dict[tuple[str, RecordKind], OrderedDict[str, None]] = {}

    def want(self, account: str, kind: RecordKind, remote_id: str) -> None:
        with self._lock:
            wanted = self._wanted.setdefault((account, kind), OrderedDict())
            wanted.pop(remote_id, None)
            wanted[remote_id] = None
            while len(wanted) > MAX_WANTED:
                wanted.popitem(last=False)

    def newest_first(self, account: str, kind: RecordKind) -> list[str]:
        with self._lock:
            return list(reversed(self._wanted.get((account, kind), {})))

    def served(self, account: str, kind: RecordKind, remote_id: str) -> None:
        with self._lock:
            wanted = self._wanted.get((account, kind))
            if wanted is not None:
                wanted.pop(remote_id, None)


@dataclass(slots=True)
class _JobQueue:
    job: PerRecordJob
    order: list[DueParent]
    position: int = 0
    done: set[str] = field(default_factory=set)
    busy: set[str] = field(default_factory=set)  # being made (several calls go side by side)
    by_id: dict[str, DueParent] = field(default_factory=dict)

    def left(self) -> int:
        return len(self.by_id) - len(self.done)


@dataclass(frozen=True, slots=True)
class NextCall:
    job: PerRecordJob
    parent: DueParent
    wanted: bool  # the user asked for it (goes even while the bulk waits for the night)


class PerRecordQueue:
    """One account's due per-record calls, in order; ``next`` says which one goes now."""

    def __init__(self, account: str, wanted: WantedRecords) -> None:
        self.account = account
        self.wanted = wanted
        self._jobs: list[_JobQueue] = []

    def add(self, job: PerRecordJob, due: Sequence[DueParent]) -> None:
        self._jobs.append(_JobQueue(job, list(due), by_id={p.remote_id: p for p in due}))

    def next(self, *, bulk: bool = True) -> NextCall | None:
        """The user's latest request still due, else (``bulk``) the most useful one left."""
        for queue in self._jobs:
            for remote_id in self.wanted.newest_first(self.account, queue.job.parent):
                parent = queue.by_id.get(remote_id)
                if (
                    parent is not None
                    and remote_id not in queue.done
                    and remote_id not in queue.busy
                ):
                    return NextCall(queue.job, parent, True)
        if not bulk:
            return None
        for queue in self._jobs:
            while queue.position < len(queue.order):
                parent = queue.order[queue.position]
                if parent.remote_id not in queue.done:
                    break
                queue.position += 1
            at = queue.position
            while at < len(queue.order):  # past those being made (a few: one per worker)
                parent = queue.order[at]
                if parent.remote_id not in queue.done and parent.remote_id not in queue.busy:
                    return NextCall(queue.job, parent, False)
                at += 1
        return None

    def begin(self, call: NextCall) -> None:
        """The call is being made: ``next`` offers the one after it."""
        for queue in self._jobs:
            if queue.job is call.job:
                queue.busy.add(call.parent.remote_id)

    def done(self, call: NextCall) -> None:
        for queue in self._jobs:
            if queue.job is call.job:
                queue.done.add(call.parent.remote_id)
                queue.busy.discard(call.parent.remote_id)
        self.wanted.served(self.account, call.job.parent, call.parent.remote_id)

    def calls_left(self) -> int:
        return sum(q.left() * q.job.calls for q in self._jobs)

    def parents_left(self) -> int:
        return sum(q.left() for q in self._jobs)
