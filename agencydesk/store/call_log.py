"""When each account's recent vendor calls were made, kept beside the cache so a sync started
again (after a crash, a kill or a quit) goes on with the rate window its predecessor used instead
of starting a fresh one and drawing 429s from a vendor that still counts the earlier calls.

A file, not a table: a line is appended as each call is let through (before it is sent), which
must cost microseconds on the event loop and never wait for the cache's write lock. An append
with ``O_APPEND`` survives a SIGKILL of the process (it is in the OS's hands once written).
Old lines are dropped when the file is read (each sync's start) and every few thousand calls,
so it stays small.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from pathlib import Path

log = logging.getLogger(__name__)

# Vendors count per minute at most (catalog.py): five minutes of history cover any window.
KEEP_S = 300.0
# A long session compacts the file after this many appends (Lofty with a vendor key may call
# 600 times a minute), so the next start reads little.
COMPACT_EVERY = 5000
FILE_MODE = 0o600


class CallLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._appended = 0

    @classmethod
    def beside(cls, cache: Path) -> CallLog:
        """The log of the cache at ``cache`` (``book.sqlite3`` -> ``book.calls.jsonl``)."""
        return cls(cache.with_name(f"{cache.stem}.calls.jsonl"))

    def record(self, account: str, at: float) -> None:
        """One call of ``account`` let through at ``at`` (epoch seconds). Never raises: a log
        that cannot be written only costs the memory of this call."""
        line = (json.dumps([account, round(at, 3)]) + "\n").encode()
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        except OSError as exc:
            log.debug("call log %s not written: %s", self.path, exc)
            return
        try:
            os.write(fd, line)
        except OSError as exc:
            log.debug("call log %s not written: %s", self.path, exc)
        finally:
            os.close(fd)
        self._appended += 1
        if self._appended % COMPACT_EVERY == 0:
            self.recent(account, 0.0, now=at)  # drops what is older than KEEP_S

    def recent(self, account: str, within_s: float, now: float | None = None) -> list[float]:
        """When ``account``'s calls of the last ``within_s`` seconds were made, oldest first.
        Drops what is older than ``KEEP_S`` from the file."""
        now = time.time() if now is None else now
        kept: list[tuple[str, float]] = []
        dropped = 0
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        for line in text.splitlines():
            try:
                label, at = json.loads(line)
                entry = (str(label), float(at))
            except (ValueError, TypeError):
                dropped += 1  # a line cut short by a crash mid-write
                continue
            if now - entry[1] > KEEP_S:
                dropped += 1
            else:
                kept.append(entry)
        if dropped:
            self._rewrite(kept)
        return sorted(at for label, at in kept if label == account and now - at <= within_s)

    def _rewrite(self, kept: list[tuple[str, float]]) -> None:
        """Replace the file with the lines still worth keeping (a line another process appends
        meanwhile may be lost: one call forgotten, the vendor's 429 handling covers it)."""
        temporary = self.path.with_name(self.path.name + ".new")
        body = "".join(json.dumps([label, at]) + "\n" for label, at in kept).encode()
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            try:
                os.write(fd, body)
            finally:
                os.close(fd)
            os.replace(temporary, self.path)
        except OSError as exc:
            log.debug("call log %s not compacted: %s", self.path, exc)
            with contextlib.suppress(OSError):
                temporary.unlink()
