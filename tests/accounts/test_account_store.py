"""AccountStore: what is saved where, input checks naming the field, and the sign-in check
against an AgencyZoom sandbox over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from agencydesk.services.accounts import (
    AccountDraft,
    AccountInputError,
    AccountStore,
    AccountStoreError,
)
from agencydesk.store.book import Book
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer
from tests.conftest import MemoryKeyring

SECRET = "s3cr3t-Pa55word"
T = TypeVar("T")


def _run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def test_add_keeps_secrets_only_in_the_keyring(
    book: Book, memory_keyring: MemoryKeyring, profile_dir: Path
) -> None:
    store = AccountStore(book)
    draft = AccountDraft(
        "agencyzoom", "  AZ   main ", "", {"username": "jane@agency.test", "password": SECRET}
    )
    row = _run(store.add(draft))
    assert row.label == "AZ main"  # spaces tidied
    assert row.base_url == "https://api.agencyzoom.com"  # the vendor's real host by default
    assert row.settings == {"username": "jane@agency.test"}
    assert [a.label for a in store.accounts()] == ["AZ main"]
    assert SECRET in memory_keyring.only("AZ main")
    assert _run(store.credentials("AZ main")) == {
        "username": "jane@agency.test",
        "password": SECRET,
    }
    book.close()
    for path in profile_dir.iterdir():
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path.name


@pytest.mark.parametrize(
    ("draft", "field", "words"),
    [
        (AccountDraft("agencyzoom", "", "", {"username": "a", "password": "b"}), "label", "name"),
        (AccountDraft("agencyzoom", "X", "", {"username": "a"}), "password", "Password"),
        (AccountDraft("lofty", "X", "ftp://h", {"token": "t"}), "base_url", "ftp://h"),
        (AccountDraft("lofty", "X", "http://h:port", {"token": "t"}), "base_url", "port"),
        (AccountDraft("nope", "X", "", {}), "vendor", "nope"),
        (AccountDraft("conecrm", "X", "", {"token": "t", "sid": "1"}), "sid", "sid"),
        (AccountDraft("leadexec", "X", "", {"client_secret": "s"}), "client_id", "Client ID"),
    ],
)
def test_bad_input_names_the_field(
    book: Book, memory_keyring: MemoryKeyring, draft: AccountDraft, field: str, words: str
) -> None:
    store = AccountStore(book)
    with pytest.raises(AccountInputError) as caught:
        _run(store.add(draft))
    assert caught.value.field == field
    assert words in caught.value.message
    assert store.accounts() == []
    assert memory_keyring.secrets == {}


def test_a_label_is_used_once(book: Book) -> None:
    store = AccountStore(book)
    _run(store.add(AccountDraft("conecrm", "Cone", "", {"token": "t1"})))
    with pytest.raises(AccountInputError, match="already used") as caught:
        _run(store.add(AccountDraft("lofty", "Cone", "", {"token": "t2"})))
    assert caught.value.field == "label"


def test_edit_keeps_a_blank_secret_and_remove_forgets_everything(
    book: Book, memory_keyring: MemoryKeyring
) -> None:
    store = AccountStore(book)
    _run(store.add(AccountDraft("agencybloc", "Bloc", "", {"sid": "S1", "key": SECRET})))
    edited = AccountDraft("agencybloc", "Bloc", "http://127.0.0.1:9/", {"sid": "S2"})
    _run(store.edit("Bloc", edited))
    row = store.account("Bloc")
    assert (row.base_url, row.settings) == ("http://127.0.0.1:9", {"sid": "S2"})
    assert _run(store.credentials("Bloc"))["key"] == SECRET
    _run(store.remove("Bloc"))
    assert store.accounts() == []
    assert memory_keyring.secrets == {}
    with pytest.raises(AccountStoreError, match="no account called 'Bloc'"):
        _run(store.remove("Bloc"))


def test_check_signs_in_through_the_connector(
    book: Book, agencyzoom_served: tuple[Sandbox, RunningServer]
) -> None:
    sandbox, server = agencyzoom_served
    store = AccountStore(book)
    draft = AccountDraft("agencyzoom", "AZ", server.base_url, dict(sandbox.credentials))
    result = _run(store.test(draft))
    assert result.ok, result.message
    assert result.message.startswith("AZ: Signed in as")
    assert store.accounts() == []  # testing a draft saves nothing


def test_wrong_password_is_the_documented_failure_naming_the_account(
    book: Book, agencyzoom_served: tuple[Sandbox, RunningServer]
) -> None:
    sandbox, server = agencyzoom_served
    store = AccountStore(book)
    creds = {**sandbox.credentials, "password": "wrong"}
    _run(store.add(AccountDraft("agencyzoom", "AZ office", server.base_url, creds)))
    result = _run(store.test("AZ office"))
    assert not result.ok
    assert result.message.startswith("AZ office: AgencyZoom refused these credentials")
    assert "Invalid user name and/or password" in result.message  # agencyzoom-api.txt L136
    assert "wrong" not in result.message


def test_unreachable_host_is_reported_at_once_naming_the_account(book: Book) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = AccountStore(book)
    url = f"http://127.0.0.1:{port}"
    _run(store.add(AccountDraft("leadexec", "LX", url, {"client_id": "i", "client_secret": "s"})))
    result = _run(store.test("LX"))
    assert not result.ok
    assert result.message.startswith(f"LX: cannot reach LeadExec at {url} (no connection")
    assert result.message.endswith("Check the address and your network connection.")


class LockedKeyring(KeyringBackend):
    """A system keyring that refuses (locked, no D-Bus…)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("the keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("the keyring is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("the keyring is locked")


def test_no_keyring_means_no_account_and_no_plaintext(
    book: Book, memory_keyring: MemoryKeyring, profile_dir: Path
) -> None:
    keyring.set_keyring(LockedKeyring())
    store = AccountStore(book)
    draft = AccountDraft("conecrm", "Cone", "", {"token": SECRET})
    with pytest.raises(AccountStoreError, match="system keyring is not available for 'Cone'"):
        _run(store.add(draft))
    assert store.accounts() == []
    book.close()
    for path in profile_dir.iterdir():
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path.name
