"""Throwaway ``--demo`` profiles never pile up: the app removes its own on exit, and a start
removes those whose AgencyDesk was killed or crashed (a real process, killed here)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from agencydesk.profile import (
    DEMO_OWNER_FILE,
    LEGACY_DEMO_AGE_S,
    demo_profile_dir,
    sweep_stale_demo_profiles,
)

OWNER = (
    "import sys, time\n"
    "from agencydesk.profile import demo_profile_dir\n"
    "print(demo_profile_dir(), flush=True)\n"
    "time.sleep(120)\n"
)


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temp folder the demo profiles go to (never the machine's shared /tmp)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _start_owner(temp_folder: Path) -> tuple[subprocess.Popen[str], Path]:
    owner = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed script)
        [sys.executable, "-c", OWNER],
        env={**os.environ, "TMPDIR": str(temp_folder)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert owner.stdout is not None
    return owner, Path(owner.stdout.readline().strip())


def _kill(owner: subprocess.Popen[str]) -> None:
    owner.send_signal(signal.SIGKILL)
    owner.wait(10)
    assert owner.stdout is not None
    owner.stdout.close()


@pytest.mark.system  # kills a real process
def test_a_killed_demo_leaves_a_profile_the_next_start_removes(temp_folder: Path) -> None:
    owner, profile = _start_owner(temp_folder)
    try:
        assert profile.parent == temp_folder
        assert (profile / DEMO_OWNER_FILE).is_file()
        (profile / "book.sqlite3").write_bytes(b"demo data")
        assert sweep_stale_demo_profiles(temp_folder) == []  # its AgencyDesk still runs
        assert profile.is_dir()
    finally:
        _kill(owner)  # as a crash would: no clean-up runs
    assert profile.is_dir()  # left behind

    mine = demo_profile_dir()  # the next demo start
    assert not profile.exists()
    assert sorted(temp_folder.glob("agencydesk-demo-*")) == [mine]
    assert sweep_stale_demo_profiles(temp_folder) == []  # ours: this process is alive


@pytest.mark.system  # kills a real process
def test_a_running_demo_of_another_process_is_left_alone(temp_folder: Path) -> None:
    owners = [_start_owner(temp_folder) for _ in range(2)]
    try:
        demo_profile_dir()
        assert all(profile.is_dir() for _owner, profile in owners)
    finally:
        for owner, _profile in owners:
            _kill(owner)


def test_a_new_process_that_got_the_dead_owners_pid_is_not_taken_for_it(
    temp_folder: Path,
) -> None:
    profile = demo_profile_dir()
    (profile / DEMO_OWNER_FILE).write_text(f"{os.getpid()} 1", encoding="ascii")  # other start
    if sys.platform.startswith("linux"):
        assert sweep_stale_demo_profiles(temp_folder) == [profile]


def test_profiles_from_before_owner_files_go_once_a_day_old(temp_folder: Path) -> None:
    old, recent = temp_folder / "agencydesk-demo-old", temp_folder / "agencydesk-demo-recent"
    for folder in (old, recent):
        folder.mkdir()
        (folder / "book.sqlite3").write_bytes(b"x")
    stamp = time.time() - LEGACY_DEMO_AGE_S - 60
    os.utime(old, (stamp, stamp))
    assert sweep_stale_demo_profiles(temp_folder) == [old]
    assert recent.is_dir()
    unrelated = temp_folder / "agencydesk-other"
    unrelated.mkdir()
    os.utime(unrelated, (stamp, stamp))
    sweep_stale_demo_profiles(temp_folder)
    assert unrelated.is_dir()
