"""Logs live in the profile, rotate, are owner-only, and never carry a secret."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from agencydesk.ui.chrome.logging_setup import (
    BACKUP_COUNT,
    LOG_FILE_NAME,
    PrivateRotatingFileHandler,
    scrub,
    setup_logging,
)

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbXkifQ.c2lnbmF0dXJl"


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        (f"GET /v1/api/leads Authorization: Bearer {JWT}", JWT),
        ("{'Authorization': 'Bearer abc123def'}", "abc123def"),
        ('POST /v1/api/auth/login {"username": "amy", "password": "hunter2"}', "hunter2"),
        ("GET /api/policies?sid=8812&key=0a1b2c3d&limit=0", "0a1b2c3d"),
        ("token request client_id=le-1&client_secret=s3cr3t-v4lue", "s3cr3t-v4lue"),
        ("headers={'vendorKey': 'vk-99887766'}", "vk-99887766"),
        (f"expired token {JWT} rejected", JWT),
        ("redirect https://app.example/cb?state=x&code=one-time-code-9", "one-time-code-9"),
    ],
)
def test_scrub_removes_the_secret(line: str, secret: str) -> None:
    cleaned = scrub(line)
    assert secret not in cleaned
    assert "***" in cleaned


def test_scrub_leaves_ordinary_lines_alone() -> None:
    line = "synced 250 leads for account 'Main office' (status_code=200, postcode=73301)"
    assert scrub(line) == line


def test_log_file_is_owner_only_scrubbed_and_includes_tracebacks(logs_dir: Path) -> None:
    path = setup_logging(logs_dir)
    assert path == logs_dir / LOG_FILE_NAME
    log = logging.getLogger("agencydesk.test")
    log.info("login with %s", {"username": "amy", "password": "hunter2"})
    try:
        raise PermissionError(f"401 for Authorization: Bearer {JWT}")
    except PermissionError:
        log.exception("request failed")
    for handler in logging.getLogger().handlers:
        handler.flush()

    text = path.read_text()
    assert "login with" in text
    assert "Traceback" in text
    assert "hunter2" not in text
    assert JWT not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_setting_up_twice_adds_one_handler(logs_dir: Path) -> None:
    setup_logging(logs_dir)
    setup_logging(logs_dir)
    ours = [h for h in logging.getLogger().handlers if isinstance(h, PrivateRotatingFileHandler)]
    assert len(ours) == 1


def test_the_log_rotates_and_keeps_a_bounded_number_of_files(logs_dir: Path) -> None:
    setup_logging(logs_dir)
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h, PrivateRotatingFileHandler)
    )
    handler.maxBytes = 2_000  # the real limit is 2 MB; the rotation logic is the same
    log = logging.getLogger("agencydesk.test")
    for i in range(400):
        log.info("line %d %s", i, "x" * 60)
    files = sorted(p.name for p in logs_dir.iterdir())
    assert LOG_FILE_NAME in files
    assert f"{LOG_FILE_NAME}.1" in files
    assert len(files) == BACKUP_COUNT + 1
    assert all(stat.S_IMODE((logs_dir / f).stat().st_mode) == 0o600 for f in files)


def test_qt_warnings_land_in_the_log(qapp, logs_dir: Path) -> None:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QFont

    from agencydesk.ui.chrome.qt_messages import route_qt_messages_to_log

    path = setup_logging(logs_dir)
    previous = qInstallMessageHandler(None)
    try:
        route_qt_messages_to_log()
        QFont().setPointSizeF(-1)  # Qt warns about this on its own
    finally:
        qInstallMessageHandler(previous)
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "WARNING  qt: QFont::setPointSizeF: Point size <= 0" in path.read_text()


@pytest.mark.qt_log_level_fail("CRITICAL")  # the warning below is made on purpose
def test_qt_warnings_still_reach_the_handler_that_was_there_before(qapp, qtlog) -> None:
    """In tests that is pytest-qt's: a Qt warning after the chrome is installed still fails."""
    from PySide6.QtGui import QFont

    from agencydesk.ui.chrome.qt_messages import route_qt_messages_to_log

    route_qt_messages_to_log()
    QFont().setPointSizeF(-1)
    assert any("Point size <= 0" in record.message for record in qtlog.records)
