"""``agencydesk account add --vendor agencyzoom --login-method password|sso|v4sso`` against the
AgencyZoom sandbox: SSO signs in, V4SSO signs in with the code the sandbox's sign-in page gives
(read from stdin, as a user pastes it), and the method is a stored setting, not a secret."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import httpx
import pytest

from agencydesk.cli import main
from agencydesk.store.book import Book
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer
from tests.conftest import MemoryKeyring


def _stored(profile_dir: Path, label: str) -> dict[str, object]:
    book = Book.open(next(profile_dir.rglob("*.sqlite3")))
    try:
        return next(a for a in book.ledgers.accounts() if a.label == label).settings
    finally:
        book.close()


def _code_from_the_sign_in_page(base_url: str) -> str:
    """What the user's browser does: the documented auth URL (L241), then its page's code."""
    auth_url = httpx.post(f"{base_url}/v1/api/v4sso/get-auth-params").json()["authUrl"]
    return str(httpx.get(auth_url).json()["code"])


def test_sso_login_method_signs_in_and_is_a_setting(
    profile_dir: Path,
    agencyzoom_served: tuple[Sandbox, RunningServer],
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, server = agencyzoom_served
    code = main(
        ["account", "add", "--profile", str(profile_dir), "--vendor", "agencyzoom",
         "--name", "AZ sso", "--base-url", server.base_url, "--login-method", "sso",
         "--username", sandbox.credentials["username"],
         "--password", sandbox.credentials["password"], "--check"]
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "AZ sso: Signed in as" in out.out
    assert _stored(profile_dir, "AZ sso")["login_method"] == "sso"
    secrets = json.loads(memory_keyring.only("AZ sso"))
    assert "login_method" not in secrets


def test_v4sso_reads_the_pasted_code_and_keeps_the_token_in_the_keyring(
    profile_dir: Path,
    agencyzoom_served: tuple[Sandbox, RunningServer],
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _sandbox, server = agencyzoom_served
    pasted = _code_from_the_sign_in_page(server.base_url)
    monkeypatch.setattr(sys, "stdin", io.StringIO(pasted + "\n"))
    code = main(
        ["account", "add", "--profile", str(profile_dir), "--vendor", "agencyzoom",
         "--name", "AZ v4", "--base-url", server.base_url, "--login-method", "v4sso"]
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "/sandbox/v4sso/authorize" in out.err  # the sign-in page the user is sent to
    settings = _stored(profile_dir, "AZ v4")
    assert settings["login_method"] == "v4sso"
    assert "jwt" not in settings
    secrets = json.loads(memory_keyring.only("AZ v4"))
    assert secrets["jwt"]
    assert "login_method" not in secrets
    assert main(["account", "test", "AZ v4", "--profile", str(profile_dir)]) == 0
    assert "AZ v4: Signed in as" in capsys.readouterr().out


def test_an_unknown_login_method_names_the_flag(
    profile_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(
        ["account", "add", "--profile", str(profile_dir), "--vendor", "agencyzoom",
         "--name", "AZ", "--login-method", "oauth", "--username", "u", "--password", "p"]
    )  # fmt: skip
    assert code == 1
    assert "--login-method: Sign in with: 'oauth' is not password | sso | v4sso." in (
        capsys.readouterr().err
    )
