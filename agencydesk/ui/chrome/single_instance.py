"""One running AgencyDesk per profile: a second start brings the first window forward and exits.

The first instance locks ``agencydesk.lock`` in the profile and listens on a local socket (a Unix
socket or a Windows named pipe) whose name is derived from the profile's path, so two profiles can
run side by side while two windows on one profile (two writers of one cache) cannot. A second
start finds the lock taken, connects, sends ``raise`` and exits 0.

Usage in the composition root, before the window is built::

    instance = SingleInstance(profile_dir)
    if instance.hand_over():           # another instance has the profile: it was told to raise
        return 0
    instance.raise_requested.connect(lambda: bring_to_front(window))
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Qt, QThread, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

RAISE = b"raise"
ACK = b"ok"
CONNECT_TIMEOUT_MS = 1000
ACK_TIMEOUT_MS = 2000
LOCK_FILE_NAME = "agencydesk.lock"
# A second start waits up to ~10 s for a first one that is still starting (opening a big cache).
HAND_OVER_ATTEMPTS = 50
HAND_OVER_RETRY_MS = 200
_CONNECTED = QLocalSocket.LocalSocketState.ConnectedState


def server_name(profile_dir: Path) -> str:
    """A short name (Unix socket paths are limited to ~100 bytes) unique to the user and profile."""
    key = f"{getpass.getuser()}\0{profile_dir.expanduser().resolve()}".encode()
    return f"agencydesk-{hashlib.sha256(key).hexdigest()[:20]}"


class SingleInstance(QObject):
    """``raise_requested`` fires in the first instance each time a second one starts."""

    raise_requested = Signal()

    def __init__(self, profile_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(profile_dir)
        self.lock_path = profile_dir / LOCK_FILE_NAME
        self._lock = QLockFile(str(self.lock_path))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self._server: QLocalServer | None = None
        self._connections: list[QLocalSocket] = []

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def hand_over(self) -> bool:
        """True if another instance owns the profile (and was asked to raise its window);
        False if this process now owns it and listens for later starts.

        Ownership is a lock file in the profile (QLockFile: taken over automatically when the
        process that held it is gone), so two starts at the same moment cannot both win; the
        socket only carries the "raise" message."""
        if self._lock.tryLock(0):
            self._listen()
            return False
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            # Not "someone else has it" but "cannot make a lock file here" (read-only profile,
            # say): run unguarded rather than not at all.
            log.warning(
                "Cannot lock %s (%s): running unguarded", self.lock_path, self._lock.error()
            )
            self._listen()
            return False
        # Another process holds the profile. It may still be starting and not yet listening.
        for _attempt in range(HAND_OVER_ATTEMPTS):
            if self.notify_running():
                return True
            QThread.msleep(HAND_OVER_RETRY_MS)  # before the event loop: nothing else to run
        log.warning("%s is held but nobody answers: not starting a second one", self.lock_path)
        return True

    def notify_running(self) -> bool:
        """Send ``raise`` to a running instance; False when none is listening."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(RAISE + b"\n")
        socket.flush()
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        # The running instance may be busy (a long query); it still owns the profile, so this
        # start ends either way. The acknowledgement only tells us whether to log a warning.
        if not socket.waitForReadyRead(ACK_TIMEOUT_MS) or ACK not in bytes(socket.readAll().data()):
            log.warning("The running AgencyDesk did not acknowledge; it may be busy")
        socket.disconnectFromServer()
        return True

    def _listen(self) -> None:
        # We hold the lock, so a socket of this name can only be left over by a crashed run.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        # Owner only: another user on the machine must not be able to poke our window.
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # The profile is still ours (the lock); later starts just cannot raise this window.
            log.warning("Cannot listen on %s: %s", self.name, server.errorString())
            return
        server.newConnection.connect(self._on_new_connection)
        self._server = server

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while (connection := self._server.nextPendingConnection()) is not None:
            self._connections.append(connection)
            connection.readyRead.connect(self._read_messages)
            connection.disconnected.connect(self._forget_closed)

    def _forget_closed(self) -> None:
        for connection in [c for c in self._connections if c.state() != _CONNECTED]:
            self._connections.remove(connection)
            connection.deleteLater()

    def _read_messages(self) -> None:
        for connection in self._connections:
            self._read_lines(connection)

    def _read_lines(self, connection: QLocalSocket) -> None:
        while connection.canReadLine():
            line = bytes(connection.readLine().data()).strip()
            if line == RAISE:
                connection.write(ACK + b"\n")
                connection.flush()
                self.raise_requested.emit()
            else:
                log.warning("Ignored an unknown single-instance message %r", line[:40])

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` un-minimised, on top and focused (as far as the window manager allows)."""
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
