"""The composition root: the one place that builds AgencyDesk, in a fixed order.

profile directory -> logging (into the profile) -> QApplication -> claim the profile (one
AgencyDesk per profile) -> Book.open -> qasync loop -> shared httpx client -> services (the reads
and the writes the window makes, the record editor, the sync services with the process's one
account registry) -> main window (its one reader and one writer, both off the GUI thread) ->
sync UI (Sync menu, status bar) -> chrome (theme, icons, crash dialog, Settings/About, welcome)
-> show. Everything else receives its collaborators as arguments.
The QApplication comes before the cache because a second
start must hand over to the running window before touching the cache, and because a cache or
profile problem is reported in a dialog.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from agencydesk import APP_NAME, ORG_NAME, __version__
from agencydesk.profile import (
    Profile,
    ProfileError,
    demo_profile_dir,
    make_private,
    prepare_profile,
)
from agencydesk.store.pending_book import PendingBook, resolved

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QApplication, QMessageBox, QSplashScreen, QWidget

    from agencydesk.services.record_edits import RecordEditor
    from agencydesk.store.book import Book, CacheError
    from agencydesk.sync.per_record_queue import WantedRecords
    from agencydesk.ui.main_window import MainWindow

log = logging.getLogger("agencydesk")

EXIT_PROFILE_ERROR = 2
EXIT_CACHE_ERROR = 3
EXIT_NO_DISPLAY_LIBRARIES = 4  # Qt could not start: the message names what to install


def setup_logging(profile: Profile) -> Path:
    """Log to the profile's logs/ directory: rotating, files 0600, secrets scrubbed."""
    from agencydesk.ui.chrome.logging_setup import setup_logging as scrubbed_rotating_log

    return scrubbed_rotating_log(profile.logs_dir)


DEMO_SEED = 2026


def open_book(profile: Profile, demo: bool = False) -> Book:
    """Open the profile's cache; a demo profile starts from today's kept demo book, or is filled
    with the seeded demo book (and a copy kept for the next demo starts). Opening checks the file
    for damage unless it was closed cleanly: a big cache shows why it takes a moment."""
    from datetime import date

    from agencydesk.store.book import Book, CacheError

    today = date.today()
    placed = False
    if demo:
        from agencydesk.services import demo_template

        placed = demo_template.place_demo_book(profile.cache_path, DEMO_SEED, today)
    notice = CacheCheckNotice()
    try:
        book = Book.open(profile.cache_path, progress=notice.show)
    except CacheError:
        if not placed:
            raise
        demo_template.forget_demo_book(DEMO_SEED, today)  # damaged on disk: build it again
        for suffix in ("", "-wal", "-shm"):
            Path(f"{profile.cache_path}{suffix}").unlink(missing_ok=True)
        placed = False
        book = Book.open(profile.cache_path, progress=notice.show)
    finally:
        notice.close()
    for suffix in ("", "-wal", "-shm"):
        make_private(Path(f"{profile.cache_path}{suffix}"))
    if demo and not placed:
        from agencydesk.services.demo_book import fill_demo_book

        fill_demo_book(book, seed=DEMO_SEED, today=today)
        demo_template.keep_demo_book(book, DEMO_SEED, today)
    return book


class CacheCheckNotice:
    """A small splash saying the cache is being checked, shown only when ``Book.open`` reports
    a big file (a small one is checked before anything could be painted). The check runs before
    the event loop starts; QSplashScreen paints each message at once, without a loop."""

    def __init__(self) -> None:
        self._splash: QSplashScreen | None = None

    def show(self, message: str) -> None:
        log.info("%s", message)
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QPixmap
        from PySide6.QtWidgets import QApplication, QSplashScreen

        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        if self._splash is None:
            pixmap = QPixmap(520, 90)
            pixmap.fill(app.palette().window().color())
            self._splash = QSplashScreen(pixmap)
            self._splash.setObjectName("cache_check")
            self._splash.show()
        align = Qt.AlignmentFlag.AlignCenter
        self._splash.showMessage(f"{APP_NAME}\n{message}", align, app.palette().text().color())

    def close(self) -> None:
        if self._splash is not None:
            self._splash.close()
            self._splash = None


def _application() -> QApplication:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    return app


def cache_error_box(error: CacheError, parent: QWidget | None = None) -> QMessageBox:
    """The dialog for a cache that cannot be used: which file, what is wrong, what to do."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Critical,
        f"{APP_NAME} cannot open its cache",
        f"{error.message}\n\nFile: {error.path}\n\n{error.advice}",
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setObjectName("cache_error")
    box.setDetailedText(f"{type(error).__name__}: {error}")
    return box


def profile_error_box(error: ProfileError, parent: QWidget | None = None) -> QMessageBox:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Critical,
        f"{APP_NAME} cannot start",
        f"{error}\n\nStart AgencyDesk with --profile DIR to use another directory, "
        "or fix the directory's permissions.",
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setObjectName("profile_error")
    return box


def report_startup_error(error: CacheError | ProfileError) -> int:
    """Tell the user (stderr and a dialog) why AgencyDesk cannot start; returns the exit code.
    Nothing is reset or deleted: the user decides what to do with the file."""
    from agencydesk.store.book import CacheError

    sys.stderr.write(f"{APP_NAME}: {error}\n")
    _application()
    if isinstance(error, CacheError):
        log.error("cache unusable: %s (%s)", error, type(error).__name__)
        cache_error_box(error).exec()
        return EXIT_CACHE_ERROR
    profile_error_box(error).exec()
    return EXIT_PROFILE_ERROR


def build_main_window(
    book: Book | PendingBook,
    profile: Profile,
    editor: RecordEditor | None = None,
    *,
    open_about: Callable[[QWidget], object] | None = None,
    wanted: WantedRecords | None = None,
) -> MainWindow:
    """The main window over ``book`` with the profile's settings (tests call this directly):
    its reads (``BookReads``) and writes (``RecordWrites``, through ``editor``) run off the GUI
    thread. ``editor``: the syncing one queues vendor edits (default: local records only).
    ``wanted``: the account registry's list of records the user looks at (their per-record
    calls go first in a sync). ``book``: a pending one at start-up (``open_for_window``)."""
    from PySide6.QtCore import QSettings

    from agencydesk.services.book_reads import BookReads
    from agencydesk.services.record_edits import RecordEditor
    from agencydesk.services.record_writes import RecordWrites
    from agencydesk.ui.main_window import MainWindow
    from agencydesk.ui.theme import apply_theme

    apply_theme(_application())
    settings = QSettings(str(profile.settings_path), QSettings.Format.IniFormat)
    window = MainWindow(
        book,
        settings,
        reads=BookReads(book, wanted),
        writes=RecordWrites(book, editor or RecordEditor(book)),
        open_about=open_about,
    )
    if isinstance(book, PendingBook):
        from agencydesk.ui.first_paint import FirstRowsPainted

        # The store loads once the first rows are painted, not beside them.
        FirstRowsPainted(window, book.rows_shown)
    return window


def open_for_window(profile: Profile, demo: bool = False) -> Book | PendingBook:
    """The cache for the window: pending (checked with the standard library, opened as a
    ``Book`` once the first rows are shown: ``PendingBook.start``) when it can be, else opened
    now (``open_book``: the damage check, migrations, the demo book). Raises CacheError."""
    if not demo:
        pending = PendingBook.start(profile.cache_path)
        if pending is not None:
            log.info("first rows from the kept statements; the store loads after them")
            return pending
    return open_book(profile, demo=demo)


def close_after_window(window: MainWindow | None, book: Book | PendingBook) -> None:
    """Before the book closes: keep the window's first question as statements the next start
    runs with sqlite3 alone (``store/start_recipe.py``), then close the book (if it was ever
    opened: a pending one the window closed over before loading the store stays as it was)."""
    if isinstance(book, PendingBook) and not book.opened:
        from agencydesk.store.cache_file import mark_closed_cleanly

        # Only read since it was checked whole: the next start may skip the check too.
        mark_closed_cleanly(book.path)
        return
    opened = resolved(book)
    question = window.reader.reads.first_question if window is not None else None
    if question is not None and opened.engine.dialect.name == "sqlite":
        from agencydesk.store.start_recipe import keep

        keep(opened, *question)
    opened.close()


def after_start() -> None:
    """Once the window is up: move everything alive now out of the cyclic collector's sight.
    A full collection over the start-up heap (Qt wrappers, SQLAlchemy, the demo book) costs
    50-70 ms, and it used to land mid-scroll as a visible stall; later ones only walk what was
    made since (a few pages of rows)."""
    gc.collect()
    gc.freeze()


async def first_rows_shown(window: MainWindow, limit_s: float = 2.0) -> None:
    """Until the window's reader has answered its first reads and the rows are painted (at
    most ``limit_s``: a slow disk must not hold back the rest of the start for long)."""
    import asyncio

    answered = asyncio.Event()
    window.reader.settled.connect(answered.set)
    try:
        if window.reader.busy:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(answered.wait(), limit_s)
    finally:
        window.reader.settled.disconnect(answered.set)
    await asyncio.sleep(0.02)  # a turn of Qt's loop paints them


def _demo_user(book: Book, profile: Profile) -> None:
    """The demo opens as its first producer, so "Assigned to me" shows something."""
    from PySide6.QtCore import QSettings

    from agencydesk.domain import RecordKind
    from agencydesk.ui.window_state import USER_NAME

    settings = QSettings(str(profile.settings_path), QSettings.Format.IniFormat)
    if not settings.value(USER_NAME):
        producers = book.facet_values(RecordKind.TASK, "assignee")
        settings.setValue(USER_NAME, producers[0] if producers else "")
        settings.sync()


def run_gui(profile_dir: Path | None = None, demo: bool = False, team_url: str = "") -> int:
    from agencydesk.ui.chrome.xcb_check import check_xcb

    # Before anything makes a QApplication: without its xcb libraries Qt aborts with a generic
    # "could not load the Qt platform plugin" (and no dialog can be shown either).
    missing = check_xcb()
    if missing is not None:
        sys.stderr.write(missing + "\n")
        return EXIT_NO_DISPLAY_LIBRARIES
    os.umask(0o077)  # everything we create in a profile is owner-only
    try:
        profile = prepare_profile(demo_profile_dir() if demo else profile_dir)
    except ProfileError as error:
        return report_startup_error(error)
    setup_logging(profile)
    log.info("%s %s starting with profile %s", APP_NAME, __version__, profile.root)
    app = _application()

    from agencydesk.services.capabilities import CapabilityGate
    from agencydesk.services.record_edits import SyncingRecordEditor
    from agencydesk.sync.per_record_queue import WantedRecords
    from agencydesk.ui.chrome.about import open_about_dialog
    from agencydesk.ui.chrome.wiring import claim_profile

    instance = claim_profile(profile.root)
    if instance is None:
        return 0  # AgencyDesk already runs on this profile: its window was brought forward
    try:
        source = open_for_window(profile, demo=demo)
    except Exception as error:
        from agencydesk.store.book import CacheError

        if not isinstance(error, CacheError):
            raise
        return report_startup_error(error)

    # The window's close ends main(), which then closes the HTTP client on the still-running
    # loop; letting Qt quit on the last window would stop the loop under main()'s feet.
    app.setQuitOnLastWindowClosed(False)
    if demo:
        _demo_user(resolved(source), profile)
    # The window first, with the book's rows (read when the loop turns): asyncio and qasync,
    # the sync (and the vendors' clients behind it), the chrome and the team book are loaded
    # and wired once the first rows are on screen, so a start shows data without waiting for
    # what the first window never uses. What the user opens or searches for: its per-record
    # calls go first in any sync.
    wanted = WantedRecords()
    window = build_main_window(
        source,
        profile,
        SyncingRecordEditor(source, CapabilityGate()),
        open_about=open_about_dialog,
        wanted=wanted,
    )
    if demo:
        window.setWindowTitle(f"{APP_NAME} – demo book")
    # A second start while this one is still loading asks for the window before the chrome
    # (which brings it forward) is installed: the request is kept and answered then.
    raise_asked: list[bool] = []
    instance.raise_requested.connect(lambda: raise_asked.append(True))
    window.show()

    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    async def main() -> None:
        closed = asyncio.Event()
        app.aboutToQuit.connect(closed.set)
        window.closed.connect(closed.set)
        await first_rows_shown(window)
        # The store (SQLAlchemy, the models) loads now, off the GUI thread, if it has not yet
        # for a read the window made after its first rows.
        try:
            book = await asyncio.to_thread(resolved, source)
        except Exception as error:  # e.g. another program took the cache's lock meanwhile
            from agencydesk.store.book import CacheError

            if not isinstance(error, CacheError):
                raise
            log.error("cache unusable: %s (%s)", error, type(error).__name__)
            cache_error_box(error, window).exec()
            window.close()
            return

        from agencydesk.services.sync_services import build_sync_services
        from agencydesk.services.vendor_catalog import new_http_client
        from agencydesk.ui.chrome.wiring import install_chrome
        from agencydesk.ui.sync.wiring import install_sync
        from agencydesk.ui.team import install_team
        from agencydesk.ui.theme import apply_theme

        async with new_http_client(timeout=30) as http:
            # The process's one account registry (its sync serves ``wanted`` first).
            services = build_sync_services(book, http, wanted=wanted)
            sync = install_sync(window, services)  # Sync menu, status bar, refresh after sync
            chrome = install_chrome(
                app,
                window,
                profile_dir=profile.root,
                logs_dir=profile.logs_dir,
                instance=instance,
                loop=loop,
                light_look=apply_theme,
                demo=demo,
                add_account=sync.open_accounts,
            )
            if raise_asked:
                chrome.bring_forward()
            sync.follow_interval(chrome.preferences)  # the Settings dialog's sync interval
            # Settings > Team book; the window follows the hub when this desk has joined one.
            team = install_team(window, chrome, book, proposed_url=team_url)
            after_start()
            if demo:
                # The local demo book is already there (the window opens full); the five vendor
                # sandboxes now start on loopback and sync into it in view, through the real
                # clients, as a connected agency would. Their throwaway credentials go to the
                # OS keyring, or, when none is usable (a fresh Linux machine without a Secret
                # Service), to an in-process memory keyring installed for the demo only
                # (services/demo_sandboxes.use_demo_keyring).
                sync.start_demo()
            await closed.wait()
            await team.stop()

    try:
        with loop:
            loop.run_until_complete(main())
    except RuntimeError as error:  # QApplication.quit() from outside stopped the loop early
        log.warning("event loop stopped early: %s", error)
    finally:
        close_after_window(window, source)
        log.info("%s closed", APP_NAME)
        if demo:  # a throwaway profile: nothing of it should outlive the session
            from agencydesk.ui.chrome.logging_setup import teardown_logging

            teardown_logging(profile.logs_dir)
            shutil.rmtree(profile.root, ignore_errors=True)
    return 0
