"""The keyring side of vendor accounts: one entry per account of this profile.

Entries are filed under the service ``AgencyDesk/<profile id>`` with the account's label as the
user name, so two profiles with an account of the same label never read, overwrite or delete each
other's secrets. Entries made before the profile id existed (service ``AgencyDesk``, keyed by the
label alone) are moved under the profile's service the first time the profile reads them.

A keyring that does not keep what it is given (keyring's null backend, or one whose read-back
differs) is refused when the secrets are saved, with the reason: an account whose secrets were
silently thrown away would only fail later, at its first sync.

Every call here blocks (D-Bus, an unlock prompt): callers run it in a worker thread.
"""

from __future__ import annotations

import json
import logging

import keyring
from keyring.backends import chainer, null
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "AgencyDesk"


class SecretsUnavailable(Exception):
    """The keyring cannot keep or give the secrets; ``str()`` is the message for the user."""


class AccountSecrets:
    def __init__(self, base_service: str, profile_id: str) -> None:
        self.legacy_service = base_service  # before the profile id: keyed by the label alone
        self.service = f"{base_service}/{profile_id}"

    def read(self, label: str) -> dict[str, str]:
        """The account's secrets ({} when none are stored). A legacy entry of that label is moved
        under this profile's service first."""
        text = self._get(self.service, label)
        if text is None:
            text = self._claim_legacy(label)
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError:
            raise SecretsUnavailable(
                f"The keyring entry of '{label}' cannot be read: edit the account and enter "
                "its credentials again."
            ) from None
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

    def write(self, label: str, secrets: dict[str, str]) -> None:
        """Store and read back; SecretsUnavailable when the keyring did not keep them."""
        backend = keyring.get_keyring()
        if _discards(backend):
            raise SecretsUnavailable(
                f"'{label}' was not saved: no system keyring is in use (only the "
                f"'{_name(backend)}', which throws secrets away). AgencyDesk keeps credentials "
                "only in the system keyring: install or unlock one (e.g. GNOME Keyring, "
                "KWallet) and try again."
            )
        text = json.dumps(secrets)
        try:
            keyring.set_password(self.service, label, text)
            kept = keyring.get_password(self.service, label)
        except KeyringError as exc:
            raise SecretsUnavailable(_keyring_problem(label, exc)) from exc
        if kept != text:
            raise SecretsUnavailable(
                f"'{label}' was not saved: the keyring in use ({_name(backend)}) did not keep "
                "its credentials (reading them back gave something else). Check the system "
                "keyring and try again."
            )

    def delete(self, label: str) -> None:
        """Forget this profile's entry of ``label`` (never another profile's, nor the legacy
        entry, which may be another profile's not yet claimed)."""
        try:
            keyring.delete_password(self.service, label)
        except PasswordDeleteError:
            pass  # nothing was stored (an account without secrets)
        except KeyringError as exc:
            raise SecretsUnavailable(
                f"'{label}' was removed, but its secrets could not be deleted from the system "
                f"keyring ({exc}). Remove the '{self.service}' entry for it there."
            ) from exc

    # -- one profile's first start ----------------------------------------------------------------
    def _claim_legacy(self, label: str) -> str | None:
        """Copy a legacy entry under this profile's service, then delete it. Keyed by the label
        alone it may hold another profile's secret (the last one written under that label won),
        so the first profile to read it claims it; a second one finds none and asks the user."""
        text = self._get(self.legacy_service, label)
        if text is None:
            return None
        try:
            keyring.set_password(self.service, label, text)
            if keyring.get_password(self.service, label) != text:
                return text  # not kept: go on using the legacy entry, try again next time
            keyring.delete_password(self.legacy_service, label)
        except (KeyringError, NotImplementedError) as exc:  # a read-only keyring
            log.warning("keyring entry of %s not moved to this profile: %s", label, exc)
            return text
        log.info("keyring entry of %s moved to this profile's service", label)
        return text

    def _get(self, service: str, label: str) -> str | None:
        try:
            return keyring.get_password(service, label)
        except KeyringError as exc:
            raise SecretsUnavailable(_keyring_problem(label, exc)) from exc


def _discards(backend: object) -> bool:
    if isinstance(backend, chainer.ChainerBackend):
        return not backend.backends or all(_discards(b) for b in backend.backends)
    return isinstance(backend, null.Keyring)


def _name(backend: object) -> str:
    """keyring's own name for it: "null Keyring", "SecretService Keyring"."""
    return str(getattr(backend, "name", "") or type(backend).__name__)


def _keyring_problem(label: str, exc: Exception) -> str:
    return (
        f"The system keyring is not available for '{label}' ({exc}). AgencyDesk keeps "
        "credentials only there: unlock or install a keyring and try again."
    )
