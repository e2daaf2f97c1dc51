"""A keyring backend for the subprocess tests: secrets come from the environment variable
AGENCYDESK_TEST_KEYRING (a JSON object, label -> the stored text), never from the real OS
keyring. Selected with PYTHON_KEYRING_BACKEND=tests.sync.env_keyring.EnvKeyring."""

from __future__ import annotations

import json
import os

from keyring.backend import KeyringBackend


class EnvKeyring(KeyringBackend):
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        stored = json.loads(os.environ.get("AGENCYDESK_TEST_KEYRING", "{}"))
        value = stored.get(username)
        return None if value is None else str(value)

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError("read-only test keyring")

    def delete_password(self, service: str, username: str) -> None:
        raise NotImplementedError("read-only test keyring")
