"""Per-profile window state, and the dialogs for a cache or profile that cannot be used."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from agencydesk import app as composition
from agencydesk.domain import RecordKind
from agencydesk.profile import Profile, ProfileError, prepare_profile
from agencydesk.store.book import Book, CacheCorrupt, CacheError, CacheLocked
from tests.ui.conftest import UiBook, settle


def test_layout_and_last_tab_are_remembered_per_profile(
    qtbot: QtBot, small: UiBook, profile: Profile
) -> None:
    first = composition.build_main_window(small.book, profile)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 560)  # within the offscreen 800x800 screen
    first.tabs.setCurrentIndex(2)
    header = first.tab_for(RecordKind.POLICY).view.horizontalHeader()
    header.resizeSection(1, 222)
    header.moveSection(3, 0)  # drag "Line" to the front
    order = [header.logicalIndex(v) for v in range(header.count())]
    first.close()  # saves
    assert stat.S_IMODE(profile.settings_path.stat().st_mode) == 0o600

    second = composition.build_main_window(small.book, profile)
    qtbot.addWidget(second)
    second.show()
    settle(qtbot, second)
    assert second.tabs.currentIndex() == 2
    assert second.current_tab().model.rowCount() == 3  # loaded: the policies in force
    header = second.tab_for(RecordKind.POLICY).view.horizontalHeader()
    assert header.sectionSize(1) == 222
    assert [header.logicalIndex(v) for v in range(header.count())] == order
    assert (second.width(), second.height()) == (760, 560)

    other = prepare_profile(profile.root.parent / "other-profile")
    fresh = composition.build_main_window(small.book, other)
    qtbot.addWidget(fresh)
    assert fresh.tabs.currentIndex() == 0  # another profile has its own layout


def test_a_layout_saved_for_other_columns_is_ignored(
    qtbot: QtBot, small: UiBook, profile: Profile
) -> None:
    first = composition.build_main_window(small.book, profile)
    qtbot.addWidget(first)
    header = first.tab_for(RecordKind.POLICY).view.horizontalHeader()
    header.resizeSection(1, 333)
    first.close()
    first.settings.setValue("tabs/policy/columns", "Policy #|Insured|Something else")
    first.settings.sync()
    second = composition.build_main_window(small.book, profile)
    qtbot.addWidget(second)
    assert second.tab_for(RecordKind.POLICY).view.horizontalHeader().sectionSize(1) != 333


def test_user_name_is_kept_in_the_profile(qtbot: QtBot, small: UiBook, profile: Profile) -> None:
    first = composition.build_main_window(small.book, profile)
    qtbot.addWidget(first)
    first.set_user_name("Quinn")
    first.close()
    second = composition.build_main_window(small.book, profile)
    qtbot.addWidget(second)
    assert second.tab_for(RecordKind.TASK).mine_box.isEnabled()
    assert second.user_name() == "Quinn"


def _corrupt_cache(profile: Profile) -> CacheError:
    profile.cache_path.write_bytes(b"this is not a database, just some text" * 100)
    with pytest.raises(CacheError) as caught:
        Book.open(profile.cache_path)
    return caught.value


def test_corrupt_cache_dialog_names_the_file_and_the_advice(qtbot: QtBot, profile: Profile) -> None:
    error = _corrupt_cache(profile)
    assert isinstance(error, CacheCorrupt)
    box = composition.cache_error_box(error)
    qtbot.addWidget(box)
    assert str(profile.cache_path) in box.text()
    assert error.advice in box.text()
    assert profile.cache_path.read_bytes().startswith(b"this is not a database")  # not reset


def test_startup_reports_a_bad_cache_and_exits_non_zero(
    qtbot: QtBot, profile: Profile, capsys: pytest.CaptureFixture[str]
) -> None:
    error = _corrupt_cache(profile)
    shown: list[str] = []

    def close_the_dialog() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        shown.append(box.text())
        box.close()

    QTimer.singleShot(0, close_the_dialog)
    assert composition.report_startup_error(error) == composition.EXIT_CACHE_ERROR
    assert shown
    assert str(profile.cache_path) in shown[0]
    assert str(profile.cache_path) in capsys.readouterr().err


def test_locked_cache_is_reported_not_reset(qtbot: QtBot, profile: Profile) -> None:
    Book.open(profile.cache_path).close()
    holder = sqlite3.connect(profile.cache_path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(CacheLocked) as caught:
            Book.open(profile.cache_path, lock_timeout=0.2)
    finally:
        holder.rollback()
        holder.close()
    box = composition.cache_error_box(caught.value)
    qtbot.addWidget(box)
    assert str(profile.cache_path) in box.text()


def test_unwritable_profile_gets_a_clear_message(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(ProfileError) as caught:
        prepare_profile(blocker / "profile")
    box = composition.profile_error_box(caught.value)
    qtbot.addWidget(box)
    assert str(blocker / "profile") in box.text()
    assert "--profile DIR" in box.text()


SMOKE = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from agencydesk.app import run_gui

app = QApplication([])

def close_when_shown():
    shown = [w for w in app.topLevelWidgets() if w.objectName() == "main_window" and w.isVisible()]
    if not shown or shown[0].reader.busy or shown[0].current_tab().model.loading:
        QTimer.singleShot(20, close_when_shown)
        return
    print("rows", shown[0].current_tab().model.rowCount(), flush=True)
    shown[0].close()

QTimer.singleShot(0, close_when_shown)
if sys.argv[1] == "--demo":
    sys.exit(run_gui(None, demo=True))
sys.exit(run_gui(Path(sys.argv[1])))
"""


def test_the_composition_root_starts_shows_data_and_quits_cleanly(
    small: UiBook, profile: Profile
) -> None:
    import os
    import subprocess
    import sys

    small.book.close()  # the app opens the cache itself
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(  # noqa: S603 (our own interpreter, fixed script)
        [sys.executable, "-c", SMOKE, str(profile.root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "rows 2"  # the Leads tab of the small book
    unexpected = [
        line for line in done.stderr.splitlines() if "propagateSizeHints" not in line and line
    ]
    assert not unexpected, unexpected
    assert (profile.logs_dir / "agencydesk.log").read_text().count("closed") == 1


def test_the_next_start_of_a_profile_shows_the_same_rows_from_the_kept_statements(
    small: UiBook, profile: Profile
) -> None:
    """run_gui keeps the first question's statements when the window closes; the next start
    reads its first page with them (store/start_page.py) and shows the same rows."""
    import os
    import subprocess
    import sys

    from agencydesk.store.start_page import recipe_path

    small.book.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    outputs = []
    for _start in range(2):
        done = subprocess.run(  # noqa: S603 (our own interpreter, fixed script)
            [sys.executable, "-c", SMOKE, str(profile.root)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout.strip())
        assert recipe_path(profile.cache_path).is_file()
    assert outputs == ["rows 2", "rows 2"]
    log = (profile.logs_dir / "agencydesk.log").read_text()
    assert log.count(" closed") == 2
    assert log.count("first rows from the kept statements") == 1  # the second start


@pytest.mark.slow
def test_demo_opens_on_the_demo_book_and_leaves_nothing_behind(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),  # where the demo keeps today's book
    }
    done = subprocess.run(  # noqa: S603 (our own interpreter, fixed script)
        [sys.executable, "-c", SMOKE, "--demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    leads = int(done.stdout.split()[-1])
    assert leads >= 3000  # the demo book: at least 3,000 leads
    assert not list(tmp_path.glob("agencydesk-demo-*"))  # the throwaway profile is gone
