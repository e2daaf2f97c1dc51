"""The team hub's log (``agencydesk hub``): plain lines on stderr, where systemd's journal (or
whoever runs the hub) collects them. Under the journal (``JOURNAL_STREAM`` set) each line starts
with its syslog priority (``<3>``), which journald reads as the entry's level, and carries no
time of its own (the journal stamps it); elsewhere the line starts with the time and the level.

Every line is scrubbed of secrets (``log_scrub``: tokens, passwords, JWTs) and holds no record
value from a database error (``db_error_words``: table, column, constraint instead). The level
is ``--log-level``, else ``AGENCYDESK_LOG_LEVEL``, else INFO.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import TextIO

from agencydesk.services.log_scrub import SecretScrubber, scrub
from agencydesk.store.db_error_words import is_database_error, said_without_values

LEVEL_ENV = "AGENCYDESK_LOG_LEVEL"
LEVELS = ("debug", "info", "warning", "error")
_PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3}
_CHATTY = ("httpx", "httpcore", "agencydesk.vendors.http")


class BadLogLevel(ValueError):
    pass


def hub_log_level(flag: str | None) -> int:
    """The level asked for by the flag, else the environment, else INFO."""
    asked = (flag or os.environ.get(LEVEL_ENV) or "info").strip().lower()
    if asked not in LEVELS:
        where = "--log-level" if flag else LEVEL_ENV
        raise BadLogLevel(f"{where} {asked!r} is not one of {', '.join(LEVELS)}")
    return int(getattr(logging, asked.upper()))


class HubLineFormatter(logging.Formatter):
    """One plain line per record; a traceback follows it, indented, its database errors told
    without their values."""

    def __init__(self, *, journal: bool) -> None:
        form = (
            "%(name)s: %(message)s"
            if journal
            else "%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        super().__init__(form, datefmt="%Y-%m-%d %H:%M:%S")
        self._journal = journal

    def format(self, record: logging.LogRecord) -> str:
        cached, record.exc_text = record.exc_text, None  # told our way, not another handler's
        try:
            text = scrub(super().format(record))
        finally:
            record.exc_text = cached
        if not self._journal:
            return text
        priority = _PRIORITY.get(record.levelno, 3 if record.levelno > logging.ERROR else 6)
        return "\n".join(f"<{priority}>{line}" for line in text.splitlines())

    def formatException(self, ei: object) -> str:
        exc = ei[1] if isinstance(ei, tuple) and len(ei) == 3 else None
        if not isinstance(exc, BaseException):
            return super().formatException(ei)  # type: ignore[arg-type]
        return "\n".join("    " + line for line in _told(exc))


def _told(exc: BaseException) -> Iterator[str]:
    """The traceback as Python prints it (causes first), each exception's own words replaced
    by ``said_without_values`` when it is a database error."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, "The above exception was the direct cause of:"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, "During handling of the above exception:"
        else:
            current = None
    for number, (each, _link) in enumerate(reversed(chain)):
        if number:
            yield chain[len(chain) - number][1]
        yield "Traceback (most recent call last):"
        for line in traceback.format_tb(each.__traceback__):
            yield from line.rstrip("\n").splitlines()
        yield _words(each)


def _words(exc: BaseException) -> str:
    kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
    if is_database_error(exc):
        return said_without_values(exc)
    words = str(exc).splitlines()
    return f"{kind}: {words[0]}" if words else kind


class _DatabaseErrorsInArgs(logging.Filter):
    """A database error passed as a %s argument is told without its values, like a traceback's."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, BaseException) and is_database_error(record.msg):
            record.msg = said_without_values(record.msg)
        if isinstance(record.args, tuple) and any(
            isinstance(a, BaseException) and is_database_error(a) for a in record.args
        ):
            record.args = tuple(
                said_without_values(a) if isinstance(a, BaseException) and is_database_error(a)
                else a
                for a in record.args
            )  # fmt: skip
        return True


def setup_hub_logging(level: int, stream: TextIO | None = None) -> Callable[[], None]:
    """The root logger to ``stream`` (stderr) at ``level``; returns what undoes it."""
    journal = bool(os.environ.get("JOURNAL_STREAM"))
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(HubLineFormatter(journal=journal))
    handler.addFilter(_DatabaseErrorsInArgs())
    handler.addFilter(SecretScrubber())
    root = logging.getLogger()
    # httpx and our vendor client log every request at INFO (a query string can carry a key;
    # a busy hub makes 600 calls a minute), which would drown the hub's own lines: their
    # warnings still come through, and --log-level debug shows every call.
    chatty = [logging.getLogger(name) for name in _CHATTY]
    before = [(logger, logger.level) for logger in (root, *chatty)]
    root.addHandler(handler)
    root.setLevel(level)
    for logger in chatty:
        logger.setLevel(logging.WARNING if level > logging.DEBUG else logging.DEBUG)

    def undo() -> None:
        root.removeHandler(handler)
        for logger, was in before:
            logger.setLevel(was)

    return undo
