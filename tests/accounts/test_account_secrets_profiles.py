"""Keyring entries per profile and account: two profiles with an account of the same label keep
separate secrets, removing one never touches the other, entries made before profiles had an id
are moved on first read, and a keyring that does not keep secrets is refused at ``account add``
(the store, the CLI) with the reason."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import null

from agencydesk.cli import main
from agencydesk.services.accounts import AccountDraft, AccountStore, AccountStoreError
from agencydesk.services.demo_sandboxes import DemoMemoryKeyring
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from tests.book_files import fresh_book
from tests.conftest import MemoryKeyring


def _lx(secret: str) -> AccountDraft:
    return AccountDraft("leadexec", "LX main", "", {"client_id": "ID", "client_secret": secret})


def _open(tmp_path: Path, name: str, empty_cache: Path) -> Book:
    """A profile's book, fresh from the migrated empty cache (no profile id in it yet)."""
    return fresh_book(empty_cache, tmp_path / name / "book.sqlite3")


def test_two_profiles_with_the_same_label_keep_separate_secrets_and_removal_is_isolated(
    tmp_path: Path, memory_keyring: MemoryKeyring, empty_cache: Path
) -> None:
    office, home = _open(tmp_path, "office", empty_cache), _open(tmp_path, "home", empty_cache)
    try:
        first, second = AccountStore(office), AccountStore(home)
        asyncio.run(first.add(_lx("office-secret")))
        asyncio.run(second.add(_lx("home-secret")))  # the same label in another profile
        assert asyncio.run(first.secrets("LX main")) == {"client_secret": "office-secret"}
        assert asyncio.run(second.secrets("LX main")) == {"client_secret": "home-secret"}
        assert len(memory_keyring.by_label("LX main")) == 2
        assert first.keyring.service != second.keyring.service

        asyncio.run(second.remove("LX main"))
        assert asyncio.run(first.secrets("LX main")) == {"client_secret": "office-secret"}
        assert list(memory_keyring.by_label("LX main")) == [first.keyring.service]
    finally:
        office.close()
        home.close()


def test_the_profile_id_survives_reopening(tmp_path: Path, empty_cache: Path) -> None:
    book = _open(tmp_path, "p", empty_cache)
    service = AccountStore(book).keyring.service
    book.close()
    again = Book.open(tmp_path / "p" / "book.sqlite3")
    try:
        assert AccountStore(again).keyring.service == service
    finally:
        again.close()


def test_an_entry_keyed_by_the_label_alone_is_moved_to_the_profile_on_first_read(
    book: Book, memory_keyring: MemoryKeyring
) -> None:
    # What AgencyDesk stored before profiles had an id: service "AgencyDesk", user = label.
    book.ledgers.save_account(AccountRow("LX main", "leadexec", "https://api.leadexec.net"))
    keyring.set_password("AgencyDesk", "LX main", json.dumps({"client_secret": "old"}))
    store = AccountStore(book)
    assert asyncio.run(store.credentials("LX main"))["client_secret"] == "old"
    assert memory_keyring.by_label("LX main") == {
        store.keyring.service: json.dumps({"client_secret": "old"})
    }
    # Removing it now deletes the moved entry; nothing is left behind under the old key.
    asyncio.run(store.remove("LX main"))
    assert memory_keyring.secrets == {}


def test_a_keyring_that_throws_secrets_away_is_refused_with_the_reason(book: Book) -> None:
    keyring.set_keyring(null.Keyring())
    with pytest.raises(AccountStoreError, match="throws secrets away") as caught:
        asyncio.run(AccountStore(book).add(_lx("s")))
    assert "LX main" in str(caught.value)
    assert book.ledgers.accounts() == []  # no account without its secrets


class ForgetfulKeyring(MemoryKeyring):
    """Says it stored the secret, but gives back something else (a broken Secret Service)."""

    def get_password(self, service: str, username: str) -> str | None:
        return (
            None if (service, username) in self.secrets else super().get_password(service, username)
        )


def test_a_keyring_whose_read_back_differs_is_refused(book: Book) -> None:
    keyring.set_keyring(ForgetfulKeyring())
    with pytest.raises(AccountStoreError, match="did not keep"):
        asyncio.run(AccountStore(book).add(_lx("s")))
    assert book.ledgers.accounts() == []


def test_account_add_on_the_null_keyring_exits_non_zero_and_says_why(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyring.set_keyring(null.Keyring())
    code = main(
        ["account", "add", "--profile", str(profile_dir), "--vendor", "leadexec",
         "--name", "LX", "--client-id", "I", "--client-secret", "S"]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code != 0
    assert "added" not in captured.out
    assert "'LX' was not saved" in captured.err
    assert "keyring" in captured.err
    assert main(["account", "list", "--profile", str(profile_dir)]) == 0
    assert "LX\t" not in capsys.readouterr().out


def test_the_demo_memory_keyring_refuses_a_real_account(book: Book) -> None:
    memory = DemoMemoryKeyring()
    memory.allow("Lofty (demo)")
    keyring.set_keyring(memory)
    store = AccountStore(book)
    sandbox = AccountDraft("lofty", "Lofty (demo)", "http://127.0.0.1:9", {"token": "t"})
    asyncio.run(store.add(sandbox))
    with pytest.raises(AccountStoreError, match="only its sandbox accounts"):
        asyncio.run(store.add(_lx("real-secret")))
    assert [a.label for a in book.ledgers.accounts()] == ["Lofty (demo)"]
