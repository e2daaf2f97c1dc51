"""Logging into the profile: a rotating file in ``logs/``, owner-only, with secrets scrubbed.

Secrets belong in the keyring only (team rules), but an exception message or a debug line can
still carry one: an ``Authorization`` header, a JWT, a ``password=`` form field, a LeadExec
``client_secret``. ``SecretScrubber`` rewrites every record before any handler writes it.
"""

from __future__ import annotations

import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE_NAME = "agencydesk.log"
MAX_BYTES = 2_000_000  # about a week of normal use; five old files kept besides the live one
BACKUP_COUNT = 5
MASK = "***"
LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"

# Names of fields whose values are secrets, as the five vendors' documents spell them
# (AgencyZoom password/jwt, Lofty token/vendorKey, AgencyBloc sid/key, LeadExec client_secret...).
_SENSITIVE_FIELDS = (
    r"password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|id_token|jwt"
    r"|api_?key|vendor_?key|key|sid|authorization|cookie|set-cookie"
)
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # HTTP headers as printed by httpx/h11 or by hand: "Authorization: Bearer abc", "Basic abc".
    (re.compile(r"(?i)\b(authorization|proxy-authorization)(['\"]?\s*[:=,]\s*['\"]?)"
                r"(?:(bearer|basic|token)\s+)?[^\s'\",;]+"), r"\1\2\3 " + MASK),
    # JSON / dict / repr style: "password": "x", 'token': 'x', password='x'.
    (re.compile(rf"(?i)(?<![\w-])(['\"]?(?:{_SENSITIVE_FIELDS})['\"]?\s*[:=]\s*)(['\"])(.*?)(\2)"),
     r"\1\2" + MASK + r"\4"),
    # Query strings and form bodies: ?token=x&sid=y, password=x.
    (re.compile(rf"(?i)(?<![\w-])((?:{_SENSITIVE_FIELDS})=)([^&\s'\",;]+)"), r"\1" + MASK),
    # An OAuth authorization code in a redirect URL (AgencyZoom SSO code flow).
    (re.compile(r"([?&]code=)([^&\s'\",;]+)"), r"\1" + MASK),
    # A bare JWT anywhere (three base64url parts, the first one a JSON header "eyJ").
    (re.compile(r"\beyJ[\w-]+\.[\w-]+\.[\w-]+"), MASK),
)  # fmt: skip


def scrub(text: str) -> str:
    """``text`` with every secret value replaced by ``***``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text.replace("Bearer  ***", "Bearer ***").replace("  ***", " ***")


class SecretScrubber(logging.Filter):
    """Scrubs the formatted message, the traceback and the stack of each record in place."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = scrub(record.getMessage())
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


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
