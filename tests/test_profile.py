"""The profile directory: owner-only, and a clear error when it cannot be used."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from agencydesk import app
from agencydesk.profile import ProfileError, default_profile_dir, prepare_profile


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_profile_is_created_owner_only(tmp_path: Path) -> None:
    profile = prepare_profile(tmp_path / "deep" / "profile")
    assert profile.root.is_dir()
    assert _mode(profile.root) == 0o700
    assert _mode(profile.logs_dir) == 0o700
    assert profile.cache_path.parent == profile.root


def test_a_loose_profile_directory_is_tightened(tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    assert _mode(prepare_profile(loose).root) == 0o700


def test_cache_and_log_files_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        profile = prepare_profile(tmp_path / "profile")
        app.setup_logging(profile)
        logging.getLogger("agencydesk.test").info("hello")
        book = app.open_book(profile)
        book.close()
    finally:
        os.umask(previous)
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "baseFilename", "").startswith(str(profile.root)):
                logging.getLogger().removeHandler(handler)
                handler.close()
    assert _mode(profile.cache_path) == 0o600
    assert _mode(profile.logs_dir / "agencydesk.log") == 0o600


def test_a_path_that_cannot_be_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ProfileError, match="cannot be created") as caught:
        prepare_profile(blocker / "profile")
    assert caught.value.path == blocker / "profile"
    with pytest.raises(ProfileError, match=r"cannot be created|is not a directory"):
        prepare_profile(blocker)


def test_default_profile_is_under_the_user_data_directory() -> None:
    path = default_profile_dir()
    assert path.name == "AgencyDesk"
    assert path.is_absolute()


def test_a_read_only_profile_is_refused_with_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Permission bits do not stop root (these tests may run as root), so the check itself is
    # made to see a directory this user cannot write.
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda path, mode: False if Path(path) == read_only else real_access(path, mode),
    )
    with pytest.raises(ProfileError, match="is not writable: choose another with --profile DIR"):
        prepare_profile(read_only)
