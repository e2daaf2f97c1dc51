"""Secrets scrubbed out of log lines: the desk's log file (``ui/chrome/logging_setup.py``) and
the team hub's stderr (``services/team/hub_logging.py``) both pass every record through
``SecretScrubber``.

Secrets belong in the keyring only (team rules), but an exception message or a debug line can
still carry one: an ``Authorization`` header, a JWT, a ``password=`` form field, a LeadExec
``client_secret``.
"""

from __future__ import annotations

import logging
import re

MASK = "***"

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
