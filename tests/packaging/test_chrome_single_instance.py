"""Single instance per profile: a second start tells the first to raise its window, exits 0."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtWidgets import QMainWindow

from agencydesk.ui.chrome.single_instance import SingleInstance, bring_to_front, server_name

# A second AgencyDesk start, reduced to what decides whether it goes on: the real code path.
SECOND_START = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from agencydesk.ui.chrome.single_instance import SingleInstance
app = QCoreApplication([])
sys.exit(0 if SingleInstance(Path(sys.argv[1])).hand_over() else 3)
"""


def _start_second(profile_dir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", SECOND_START, str(profile_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_second_start_raises_the_first_window_and_exits_zero(qtbot, profile_dir: Path) -> None:
    first = SingleInstance(profile_dir)
    assert first.hand_over() is False  # nobody else has this profile: we own it
    assert first.listening
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    window.showMinimized()
    first.raise_requested.connect(lambda: bring_to_front(window))
    try:
        with qtbot.waitSignal(first.raise_requested, timeout=10_000):
            second = _start_second(profile_dir)
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=10_000)
        _out, err = second.communicate()
        assert second.returncode == 0, err.decode()
        assert err == b""
        assert not window.isMinimized()
    finally:
        first.close()


def test_other_profiles_are_not_affected(qtbot, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    first = SingleInstance(one)
    assert first.hand_over() is False
    try:
        other = SingleInstance(two)
        assert other.hand_over() is False  # a second profile runs side by side
        other.close()
    finally:
        first.close()


def test_the_name_depends_on_the_resolved_profile_path(tmp_path: Path) -> None:
    assert server_name(tmp_path / "p") == server_name(tmp_path / "x" / ".." / "p")
    assert server_name(tmp_path / "p") != server_name(tmp_path / "q")
    assert len(server_name(tmp_path / "p")) < 40  # fits in a Unix socket path


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no stale file behind")
def test_a_socket_left_by_a_crashed_instance_is_taken_over(qapp, profile_dir: Path) -> None:
    name = server_name(profile_dir)
    stale_path = Path(QDir.tempPath()) / name
    # A bound but dead Unix socket, as a killed AgencyDesk leaves it.
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(stale_path))
    dead.close()
    assert stale_path.exists()
    instance = SingleInstance(profile_dir)
    try:
        assert instance.hand_over() is False
        assert instance.listening
    finally:
        instance.close()


def test_a_lock_left_by_a_crashed_instance_is_taken_over(qapp, profile_dir: Path) -> None:
    from PySide6.QtCore import QSysInfo

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid now belongs to no process, like a killed AgencyDesk's
    (profile_dir / "agencydesk.lock").write_text(
        f"{gone.pid}\nagencydesk\n{QSysInfo.machineHostName()}\n"
    )
    instance = SingleInstance(profile_dir)
    try:
        assert instance.hand_over() is False
        assert instance.listening
    finally:
        instance.close()


def test_the_owner_holds_the_profile_lock_until_it_closes(qapp, profile_dir: Path) -> None:
    from PySide6.QtCore import QLockFile

    first = SingleInstance(profile_dir)
    assert first.hand_over() is False
    try:
        lock = profile_dir / "agencydesk.lock"
        assert lock.exists()
        assert QLockFile(str(lock)).tryLock(0) is False  # nobody else can own the profile
    finally:
        first.close()
    assert not lock.exists()  # released on close
