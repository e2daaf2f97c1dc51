"""`agencydesk sync` in-process: a summary line per account, exit 1 when any account failed,
2 for an unknown account, 0 with nothing to do."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest

from agencydesk.cli import main
from agencydesk.profile import prepare_profile
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.server import serve


def test_nothing_to_sync_is_fine(profile_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync", "--profile", str(profile_dir)]) == 0
    assert "No accounts to sync" in capsys.readouterr().out


def test_an_unknown_account_is_exit_2(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "--profile", str(profile_dir), "--account", "Nope"]) == 2
    assert "no account called 'Nope'" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.sandbox
def test_one_summary_per_account_and_exit_1_when_one_failed(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = create_sandbox(SandboxOptions(size="small"))
    sandbox.extra["sandbox"].rate_limit_enabled = False
    creds = sandbox.credentials
    with serve(sandbox.app) as server:
        book = Book.open(prepare_profile(profile_dir).cache_path)
        for label, password in (("AZ good", creds["password"]), ("AZ bad", "wrong")):
            settings = {"username": creds["username"], "rate_scale": 1000}
            book.ledgers.save_account(AccountRow(label, "agencyzoom", server.base_url, settings))
            keyring.set_password("AgencyDesk", label, json.dumps({"password": password}))
        book.close()
        code = main(["sync", "--profile", str(profile_dir)])
        out = capsys.readouterr().out
        assert code == 1
        assert "AZ good (agencyzoom): ok" in out
        assert "AZ bad (agencyzoom): FAILED" in out
        assert "Invalid user name and/or password" in out
        assert main(["sync", "--profile", str(profile_dir), "--account", "AZ good"]) == 0
