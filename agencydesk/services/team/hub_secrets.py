"""Where the hub keeps vendor secrets on a server without a desktop keyring: a JSON file that
only the service's user can read (``--secrets-file``), or the same file handed over by systemd
as a credential (``LoadCredential=agencydesk-secrets:…``, read from ``$CREDENTIALS_DIRECTORY``).
Without either, the OS keyring is used, as on a desk. Never the team database.

The file is a keyring backend, so the account code reads and writes secrets the same way
whichever store holds them.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError, PasswordSetError

CREDENTIAL_NAME = "agencydesk-secrets"


class SecretsFileError(Exception):
    """The secrets file cannot be used (the message says why and what to do)."""


class SecretsFileKeyring(KeyringBackend):
    """``{service: {username: secret}}`` in one file, mode 0600, replaced atomically."""

    priority = 0  # never picked by keyring's own discovery

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.path = path
        self.read_only = read_only
        check_private(path)

    def _load(self) -> dict[str, dict[str, str]]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError) as exc:
            raise SecretsFileError(f"{self.path}: cannot be read ({exc})") from exc
        return data if isinstance(data, dict) else {}

    def _store(self, data: dict[str, dict[str, str]]) -> None:
        if self.read_only:
            raise PasswordSetError(f"{self.path} is a systemd credential (read-only)")
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".secrets-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data.setdefault(service, {})[username] = password
        self._store(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if username not in data.get(service, {}):
            raise PasswordDeleteError(f"no secret for {username}")
        del data[service][username]
        self._store(data)


def check_private(path: Path) -> None:
    """Refuse a file (or its folder) that others could read or replace."""
    if path.exists():
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SecretsFileError(
                f"{path} can be read by other users (mode {stat.filemode(mode)}): "
                f"run `chmod 600 {path}` first"
            )
    elif not path.parent.is_dir():
        raise SecretsFileError(f"{path.parent} is not a folder")


def use_hub_secrets(path: Path | str | None) -> str:
    """Point this process's keyring at the hub's secrets; returns where they are, to show."""
    if path:
        keyring.set_keyring(SecretsFileKeyring(Path(path)))
        return str(path)
    directory = os.environ.get("CREDENTIALS_DIRECTORY")
    if directory and (Path(directory) / CREDENTIAL_NAME).exists():
        credential = Path(directory) / CREDENTIAL_NAME
        keyring.set_keyring(SecretsFileKeyring(credential, read_only=True))
        return f"systemd credential {CREDENTIAL_NAME}"
    return "the OS keyring"
