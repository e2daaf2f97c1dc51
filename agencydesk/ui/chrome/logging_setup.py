"""Logging into the profile: a rotating file in ``logs/``, owner-only, with secrets scrubbed.

Secrets belong in the keyring only (team rules), but an exception message or a debug line can
still carry one: an ``Authorization`` header, a JWT, a ``password=`` form field, a LeadExec
``client_secret``. ``SecretScrubber`` (``services/log_scrub.py``, shared with the team hub's log)
rewrites every record before any handler writes it.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from agencydesk.services.log_scrub import MASK as MASK
from agencydesk.services.log_scrub import SecretScrubber as SecretScrubber
from agencydesk.services.log_scrub import scrub as scrub

LOG_FILE_NAME = "agencydesk.log"
MAX_BYTES = 2_000_000  # about a week of normal use; five old files kept besides the live one
BACKUP_COUNT = 5
LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"


def _owner_only_opener(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files are created 0600 (the log names the agency's clients)."""

    def _open(self):  # type: ignore[no-untyped-def]
        return open(self.baseFilename, self.mode, encoding=self.encoding, opener=_owner_only_opener)


def _writes_to(handler: logging.Handler, log_path: Path) -> bool:
    return (
        isinstance(handler, PrivateRotatingFileHandler) and Path(handler.baseFilename) == log_path
    )


def setup_logging(logs_dir: Path, level: int = logging.INFO) -> Path:
    """Send the root logger to ``logs_dir/agencydesk.log`` (rotating, scrubbed); return its path.

    Idempotent: calling it again for the same folder does not add a second handler.
    """
    logs_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    log_path = logs_dir / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in root.handlers:
        if (
            isinstance(handler, PrivateRotatingFileHandler)
            and Path(handler.baseFilename) == log_path
        ):
            return log_path
    handler = PrivateRotatingFileHandler(
        log_path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(SecretScrubber())
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO; URLs can carry AgencyBloc sid/key in a query string,
    # and the volume drowns everything else. Warnings and errors still come through.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return log_path


def teardown_logging(logs_dir: Path) -> None:
    """Remove and close the handler ``setup_logging`` added for ``logs_dir`` (tests, shutdown)."""
    log_path = logs_dir / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if (
            isinstance(handler, PrivateRotatingFileHandler)
            and Path(handler.baseFilename) == log_path
        ):
            root.removeHandler(handler)
            handler.close()
