"""One sender per profile: an OS file lock (``send.lock`` beside the cache) held while a sync runs,
whether it is the window's or ``agencydesk sync``'s. Two senders on one profile would both send
the same queued create (and one would find its entry gone under it).

The lock is the operating system's (``flock`` on POSIX, ``msvcrt.locking`` on Windows; no
library needed), so it is released when its process dies, even by SIGKILL: a killed sync never
leaves the profile locked. Byte 0 is the locked byte; the holder's pid follows it, so a second
sender can say who holds the profile.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path
from types import TracebackType

SEND_LOCK_FILE = "send.lock"
DEFAULT_WAIT_S = 10.0  # a second sender waits this long for the first one before giving up
_POLL_S = 0.1


class SendLockBusy(Exception):
    """Another process holds the profile's send lock (``pid`` when it could be read)."""

    def __init__(self, path: Path, pid: int | None, waited_s: float) -> None:
        who = f"process {pid}" if pid else "another process"
        super().__init__(
            f"{who} is already syncing this profile (lock {path}); waited {waited_s:.0f} s. "
            "Nothing was sent; sync again when it has finished."
        )
        self.path = path
        self.pid = pid


class SendLock:
    def __init__(self, path: Path, *, wait_s: float = DEFAULT_WAIT_S) -> None:
        self.path = Path(path)
        self.wait_s = wait_s
        self._fd: int | None = None

    @classmethod
    def beside(cls, cache_path: Path, *, wait_s: float = DEFAULT_WAIT_S) -> SendLock:
        return cls(Path(cache_path).with_name(SEND_LOCK_FILE), wait_s=wait_s)

    @property
    def held(self) -> bool:
        return self._fd is not None

    async def acquire(self) -> None:
        """Take the lock, waiting up to ``wait_s`` without blocking the event loop."""
        deadline = time.monotonic() + self.wait_s
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                raise SendLockBusy(self.path, self.holder(), self.wait_s)
            await asyncio.sleep(_POLL_S)

    def try_acquire(self) -> bool:
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already held by this sender")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _lock(fd):
            os.close(fd)
            return False
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f" {os.getpid()}\n".encode())
        os.ftruncate(fd, len(f" {os.getpid()}\n"))
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 1)  # no holder's pid left behind
            _unlock(fd)
        finally:
            os.close(fd)

    def holder(self) -> int | None:
        """The pid written by whoever holds the lock (None if unreadable)."""
        try:
            with self.path.open("rb") as f:
                f.seek(1)  # byte 0 is the locked one (Windows refuses to read it)
                text = f.read(32).decode("ascii", "replace").strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    async def __aenter__(self) -> SendLock:
        await self.acquire()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> bool:
        try:
            # flock: held per open file, so even two senders in one process exclude each other.
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
