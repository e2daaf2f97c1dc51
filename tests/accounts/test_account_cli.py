"""``agencydesk account add|list|remove|test`` with ``--profile`` a temporary directory."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from agencydesk.cli import main
from agencydesk.cli.accounts import CREDENTIAL_FLAGS
from agencydesk.vendors.catalog import VENDOR_INFO
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer
from tests.conftest import MemoryKeyring

SECRET = "cl13nt-S3cret"


def test_add_list_remove(
    profile_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = str(profile_dir)
    code = main(
        ["account", "add", "--profile", profile, "--vendor", "leadexec", "--name", "LX",
         "--client-id", "ID-1", "--client-secret", SECRET]
    )  # fmt: skip
    assert code == 0
    code = main(
        ["account", "add", "--profile", profile, "--vendor", "lofty", "--name", "Lofty team",
         "--token", "tok", "--vendor-key", "vk", "--base-url", "http://127.0.0.1:9"]
    )  # fmt: skip
    assert code == 0
    assert main(["account", "list", "--profile", profile]) == 0
    out = capsys.readouterr().out
    assert "added LX (LeadExec, https://api.leadexec.net)" in out
    listed = [line.split("\t") for line in out.splitlines() if "\t" in line]
    assert [row[0] for row in listed] == ["LX", "Lofty team"]
    assert listed[0][1:4] == ["LeadExec", "https://api.leadexec.net", "ID-1"]
    assert "last synced never" in listed[0]
    assert SECRET not in out
    assert "tok" not in out
    assert memory_keyring.only("LX") == '{"client_secret": "' + SECRET + '"}'
    for path in profile_dir.iterdir():
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path.name

    assert main(["account", "remove", "LX", "--profile", profile]) == 0
    assert main(["--profile", profile, "account", "list"]) == 0
    out = capsys.readouterr().out
    assert "removed LX" in out
    assert "LX\t" not in out
    assert "Lofty team\t" in out
    assert memory_keyring.by_label("LX") == {}


def test_bad_input_names_the_flag(
    profile_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: no prompt
    profile = str(profile_dir)
    assert main(["account", "add", "--profile", profile, "--vendor", "agencyzoom",
                 "--name", "AZ", "--username", "me@x.test"]) == 1  # fmt: skip
    assert "--password: Password: required for AgencyZoom" in capsys.readouterr().err
    assert main(["account", "add", "--profile", profile, "--vendor", "conecrm",
                 "--name", "C", "--token", "t", "--sid", "9"]) == 1  # fmt: skip
    assert "--sid: ConeCRM does not use it" in capsys.readouterr().err
    assert main(["account", "remove", "nobody", "--profile", profile]) == 1
    assert "no account called 'nobody'" in capsys.readouterr().err


def test_password_from_stdin_and_check(
    profile_dir: Path,
    agencyzoom_served: tuple[Sandbox, RunningServer],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox, server = agencyzoom_served
    monkeypatch.setattr(sys, "stdin", io.StringIO(sandbox.credentials["password"] + "\n"))
    code = main(
        ["account", "add", "--profile", str(profile_dir), "--vendor", "agencyzoom",
         "--name", "AZ", "--base-url", server.base_url,
         "--username", sandbox.credentials["username"], "--password", "-", "--check"]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "AZ: Signed in as" in captured.out
    assert sandbox.credentials["password"] not in captured.out + captured.err


def test_every_catalog_credential_has_a_flag() -> None:
    flags = {name for name, _help in CREDENTIAL_FLAGS.values()}
    for info in VENDOR_INFO.values():
        assert {c.name for c in info.credentials} <= flags, info.vendor


def test_the_night_rate_setting_from_the_command_line(
    profile_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    from agencydesk.profile import prepare_profile
    from agencydesk.store.book import Book
    from agencydesk.sync.per_record_pass import NIGHT_SETTING

    profile = str(profile_dir)
    assert main(["account", "add", "--profile", profile, "--vendor", "agencyzoom", "--name",
                 "AZ", "--username", "me@agency.com", "--password", SECRET]) == 0  # fmt: skip
    assert main(["account", "add", "--profile", profile, "--vendor", "leadexec", "--name",
                 "LX", "--client-id", "ID-1", "--client-secret", SECRET]) == 0  # fmt: skip

    assert main(["account", "night", "AZ", "on", "--profile", profile]) == 0
    assert main(["account", "night", "LX", "on", "--profile", profile]) == 1
    assert main(["account", "night", "nobody", "on", "--profile", profile]) == 1
    captured = capsys.readouterr()
    assert "AZ: per-record calls wait for the night rate (30 calls a minute by day, 60 from" in (
        captured.out
    )
    assert "LX: LeadExec has one rate all day" in captured.err
    assert "There is no account called 'nobody'." in captured.err
    book = Book.open(prepare_profile(profile_dir).cache_path)
    try:
        settings = {a.label: a.settings for a in book.ledgers.accounts()}
    finally:
        book.close()
    assert settings["AZ"][NIGHT_SETTING] is True
    assert NIGHT_SETTING not in settings["LX"]
