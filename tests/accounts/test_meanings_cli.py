"""``agencydesk meanings``: the user maps an account's own statuses once, headless; the mapping
is stored with the account (issue 15: enumerations map by meaning, never by guess)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agencydesk.cli import main
from agencydesk.profile import prepare_profile
from agencydesk.services.value_mappings import read_value_map
from agencydesk.store.book import Book
from tests.conftest import MemoryKeyring


def test_map_list_and_forget_an_agencybloc_status(
    profile_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = str(profile_dir)
    assert main(["account", "add", "--profile", profile, "--vendor", "agencybloc",
                 "--name", "Bloc", "--sid", "S1", "--key", "K1"]) == 0  # fmt: skip
    assert main(["meanings", "--profile", profile, "Bloc", "Terminated", "expired"]) == 0
    assert main(["meanings", "--profile", profile, "Bloc", "Declined", "cancelled"]) == 0
    assert main(["meanings", "--profile", profile, "Bloc", "Declined", "--forget"]) == 0
    capsys.readouterr()
    assert main(["meanings", "--profile", profile, "Bloc"]) == 0
    assert capsys.readouterr().out == "Terminated\texpired\n"
    book = Book.open(prepare_profile(profile_dir).cache_path)
    try:  # stored with the account, where its connector reads it
        stored = read_value_map(book, "Bloc")
    finally:
        book.close()
    assert stored.meaning("policy_status", "terminated") == "expired"
    assert stored.meaning("policy_status", "Declined") is None


def test_a_meaning_that_is_not_ours_or_an_unknown_account_is_refused(
    profile_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = str(profile_dir)
    assert main(["account", "add", "--profile", profile, "--vendor", "lofty",
                 "--name", "Lofty", "--token", "tok"]) == 0  # fmt: skip
    assert main(["meanings", "--profile", profile, "Lofty", "Quote Sent", "maybe"]) == 1
    assert "won" in capsys.readouterr().err  # the meanings a stage can have are listed
    assert main(["meanings", "--profile", profile, "Nope", "Quote Sent", "quoted"]) == 1
    assert "no such account" in capsys.readouterr().err
    assert main(["meanings", "--profile", profile, "Lofty", "Quote Sent"]) == 1
