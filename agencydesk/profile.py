"""The profile directory: all state of one user (the cache, settings, logs) in one owner-only place.

Default under the platform's user data directory (platformdirs); ``--profile DIR`` picks another.
The directory is created 0700 and the files we create in it 0600, because the cache holds a whole
book of customers' personal data.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from agencydesk import APP_NAME, ORG_NAME

CACHE_FILE = "book.sqlite3"
SETTINGS_FILE = "settings.ini"
LOGS_DIR = "logs"
DEMO_PREFIX = "agencydesk-demo-"
DEMO_OWNER_FILE = "owner.pid"  # "<pid> <process start>" of the AgencyDesk using the demo profile
LEGACY_DEMO_AGE_S = 24 * 3600  # a demo profile made before owner files: swept once this old


class ProfileError(Exception):
    """The profile directory cannot be used; ``str(error)`` is the message for the user."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"The profile directory {path} {message}.")
        self.path = path


@dataclass(frozen=True, slots=True)
class Profile:
    """Where one user's state lives."""

    root: Path

    @property
    def cache_path(self) -> Path:
        return self.root / CACHE_FILE

    @property
    def settings_path(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def logs_dir(self) -> Path:
        return self.root / LOGS_DIR


def default_profile_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, ORG_NAME, roaming=True))


def demo_profile_dir() -> Path:
    """A fresh throwaway directory for ``--demo`` (mkdtemp creates it 0700), marked with this
    process as its owner. The app removes it on exit; what a crash or a kill left behind is
    removed here first (``sweep_stale_demo_profiles``)."""
    sweep_stale_demo_profiles()
    root = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))
    owner = root / DEMO_OWNER_FILE
    owner.write_text(_owner_mark(os.getpid()), encoding="ascii")
    return root


def sweep_stale_demo_profiles(parent: Path | None = None) -> list[Path]:
    """Remove the throwaway demo profiles in ``parent`` (the temp folder) whose owner process
    has ended; returns what was removed. Another running demo's profile is left alone."""
    folder = Path(parent or tempfile.gettempdir())
    removed: list[Path] = []
    for candidate in folder.glob(f"{DEMO_PREFIX}*"):
        try:
            if candidate.is_symlink() or not candidate.is_dir():
                continue
            if not _ours(candidate) or not _is_stale(candidate):
                continue
        except OSError:
            continue  # vanished meanwhile, or not ours to look into
        shutil.rmtree(candidate, ignore_errors=True)
        removed.append(candidate)
    return removed


def _is_stale(root: Path) -> bool:
    try:
        pid_text, _, started = (root / DEMO_OWNER_FILE).read_text(encoding="ascii").partition(" ")
        pid = int(pid_text)
    except FileNotFoundError:
        # Made by an AgencyDesk before owner files (or an owner that died while making it):
        # nothing says whose it is, so only its age does.
        return time.time() - root.stat().st_mtime > LEGACY_DEMO_AGE_S
    except (OSError, ValueError):
        return False
    return _owner_mark(pid) != f"{pid} {started.strip()}".strip() or not _alive(pid)


def _ours(path: Path) -> bool:
    getuid = getattr(os, "getuid", None)  # not on Windows, where the temp folder is per user
    return getuid is None or path.stat().st_uid == getuid()


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        return _alive_on_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _alive_on_windows(pid: int) -> bool:
    """(os.kill would end the process there.) Whether ``pid`` runs, asked of the kernel."""
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _owner_mark(pid: int) -> str:
    """``pid`` and, where the OS tells, when that process started, so that a new process that
    happens to get the same pid is not taken for the owner."""
    if sys.platform.startswith("linux"):
        try:
            stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
        except OSError:
            return f"{pid} gone"
        # Field 22 (start time in clock ticks), counted after the ")" that ends the name.
        return f"{pid} {stat_line.rpartition(')')[2].split()[19]}"
    return str(pid)


def prepare_profile(path: Path | None) -> Profile:
    """Create (0700) and check the profile directory; raise ProfileError if unusable."""
    root = (path or default_profile_dir()).expanduser().resolve()
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise ProfileError(root, f"cannot be created ({error.strerror})") from error
    if not root.is_dir():
        raise ProfileError(root, "is not a directory")
    if not os.access(root, os.W_OK | os.X_OK):
        raise ProfileError(root, "is not writable: choose another with --profile DIR")
    try:
        # Tighten a directory made by someone else's umask; harmless when already 0700.
        if stat.S_IMODE(root.stat().st_mode) & 0o077:
            root.chmod(0o700)
        (root / LOGS_DIR).mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        raise ProfileError(root, f"cannot be prepared ({error.strerror})") from error
    return Profile(root)


def make_private(path: Path) -> None:
    """Make a file we created readable by its owner only (0600); missing files are skipped."""
    if path.exists():
        path.chmod(0o600)


def touch_private(path: Path) -> None:
    """Create ``path`` 0600 if missing (before SQLite or QSettings create it with the umask)."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    make_private(path)
