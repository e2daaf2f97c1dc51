"""The team book from the command line, as an agency's admin and a CSR would set it up: a seat,
a vendor account on the hub (secret in an owner-only file), one hub round, a desk joining and
syncing."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from agencydesk.cli import main
from agencydesk.vendors.agencybloc.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.server import serve
from tests.hub.pg_server import PgServer

SEAT_PASSWORD = "correct horse battery"


def _seat_url(pg_server: PgServer, team_url: str, seat: str) -> str:
    """The seat signs in over TCP with its password, as a desk on another machine does."""
    return f"postgresql+psycopg://{seat}@127.0.0.1:{pg_server.port}/{make_url(team_url).database}"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_an_agency_sets_up_the_hub_and_a_desk_joins(
    team_url: str,
    pg_server: PgServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox = create_sandbox(SandboxOptions(size="tiny"))  # records, not pages of them
    secrets = tmp_path / "hub" / "secrets.json"
    secrets.parent.mkdir(mode=0o700)
    with serve(sandbox.app) as server:
        _stdin(monkeypatch, sandbox.credentials["key"] + "\n")
        added = main(["hub", "account", "add", "--database", team_url, "--secrets-file",
                      str(secrets), "--vendor", "agencybloc", "--name", "Bloc", "--base-url",
                      server.base_url, "--sid", sandbox.credentials["sid"],
                      "--key", "-"])  # fmt: skip
        assert added == 0, capsys.readouterr().err
        assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
        assert sandbox.credentials["key"] in secrets.read_text()
        listed = main(["hub", "account", "list", "--database", team_url])
        assert listed == 0
        assert "Bloc" in capsys.readouterr().out

        assert main(["hub", "--database", team_url, "--secrets-file", str(secrets), "--once"]) == 0
        out = capsys.readouterr().out
        assert "Bloc" in out

    _stdin(monkeypatch, SEAT_PASSWORD + "\n")
    assert main(["hub", "seat", "add", "desk_ana", "--database", team_url, "--password", "-"]) == 0
    seat_url = _seat_url(pg_server, team_url, "desk_ana")
    profile = tmp_path / "desk"
    _stdin(monkeypatch, SEAT_PASSWORD + "\n")
    assert main(["team", "join", seat_url, "--profile", str(profile), "--password", "-"]) == 0
    joined = capsys.readouterr().out
    assert "records copied" in joined
    assert int(joined.split(": ")[1].split(" ")[0].replace(",", "")) > 0
    # The seat password went to the keyring, not the profile.
    assert SEAT_PASSWORD.encode() not in b"".join(
        p.read_bytes() for p in profile.rglob("*") if p.is_file()
    )
    assert main(["team", "sync", "--profile", str(profile)]) == 0
    assert "Shipped 0 edit(s)" in capsys.readouterr().out


def test_a_wrong_seat_password_is_said_and_nothing_is_joined(
    team_url: str,
    pg_server: PgServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _stdin(monkeypatch, SEAT_PASSWORD + "\n")
    assert main(["hub", "seat", "add", "desk_bo", "--database", team_url, "--password", "-"]) == 0
    seat_url = (
        f"postgresql+psycopg://desk_bo@127.0.0.1:{pg_server.port}/{make_url(team_url).database}"
    )
    _stdin(monkeypatch, "not the password\n")
    assert (
        main(["team", "join", seat_url, "--profile", str(tmp_path / "d"), "--password", "-"]) == 1
    )
    headline, details = capsys.readouterr().err.splitlines()[:2]
    # The window's plain words (join_problems), then the driver's own for support.
    assert headline.endswith(
        "The seat's password was not accepted. Check the password (and the seat's name in the "
        "address) with your administrator."
    ), headline
    assert details.startswith("Details: ")
    assert "password authentication failed" in details
    assert "not the password" not in headline + details
    assert main(["team", "sync", "--profile", str(tmp_path / "d")]) == 2
    assert "has not joined a team book" in capsys.readouterr().err


def test_the_hub_refuses_a_secrets_file_others_can_read(
    team_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secrets = tmp_path / "secrets.json"
    secrets.write_text("{}")
    secrets.chmod(0o644)
    assert main(["hub", "--database", team_url, "--secrets-file", str(secrets), "--once"]) == 2
    assert "chmod 600" in capsys.readouterr().err


@pytest.mark.slow  # several seconds
def test_a_second_hub_on_the_same_team_database_sends_nothing_and_says_why(
    team_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from agencydesk.services.team.hub_lock import TeamSendLock
    from agencydesk.store.book import Book

    first = Book.open_team(team_url)
    running = TeamSendLock(first)
    assert running.try_acquire()  # the first hub, sending
    try:
        secrets = tmp_path / "secrets.json"
        assert main(["hub", "--database", team_url, "--secrets-file", str(secrets), "--once"]) == 2
        err = capsys.readouterr().err
        assert "another hub is already sending for this team database" in err
        assert "nothing was sent" in err
    finally:
        running.release()
        first.close()
