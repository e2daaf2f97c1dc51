"""The profile directory: all state of one user (the cache, settings, logs) in one owner-only place.

Default under the platform's user data directory (platformdirs); ``--profile DIR`` picks another.
The directory is created 0700 and the files we create in it 0600, because the cache holds a whole
book of customers' personal data.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from agencydesk import APP_NAME, ORG_NAME

CACHE_FILE = "book.sqlite3"
SETTINGS_FILE = "settings.ini"
LOGS_DIR = "logs"


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
    """A fresh throwaway directory for ``--demo`` (mkdtemp creates it 0700)."""
    return Path(tempfile.mkdtemp(prefix="agencydesk-demo-"))


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
