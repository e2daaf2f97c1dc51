"""Why a team join failed, in words a desk's user can act on: a plain sentence naming what to
check (the password, the server's address, its certificate, the database's name, the seat), and
the database driver's own text kept for the "Details" a support person asks for. Neither ever
holds the password the user typed.

The driver says what went wrong in two ways: a SQLSTATE code when the server answered (PostgreSQL
manual, appendix A "Error codes": 28P01 bad password, 3D000 no such database, 42501 no
permission), and only an English sentence from libpq when it never reached one (refused, unknown
host, timeout, TLS), so those are told apart by libpq's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agencydesk.services.team.desk import SchemaMismatch
from agencydesk.services.team.membership import TeamSetupError

HIDDEN = "••••••"


@dataclass(frozen=True, slots=True)
class JoinProblem:
    headline: str  # what to check, in a sentence
    details: str  # the driver's words, for "Details" (password removed)


_BY_SQLSTATE = {
    "28P01": "The seat's password was not accepted. Check the password (and the seat's name in "
    "the address) with your administrator.",
    "28000": "The team database does not let this seat sign in from this computer. Check the "
    "seat's name in the address, or ask your administrator to allow this computer.",
    "3D000": "There is no team database by that name on the server. Check the database name at "
    "the end of the address.",
    "42501": "This sign-in is not a seat of the team book: it may not read the book. Ask your "
    "administrator to add it as a seat (agencydesk team seat add).",
    "53300": "The team database has too many desks signed in right now. Try again in a minute, "
    "or ask your administrator to allow more connections.",
}

# libpq's own sentences when no server answered (its fe-connect.c, fe-secure-openssl.c).
_BY_WORDING = (
    (("password authentication failed", "no password supplied"), _BY_SQLSTATE["28P01"]),
    (("ssl", "certificate", "tls"), "The secure connection to the team database failed. Check "
     "the server's certificate (and the sslmode in the address) with your administrator."),
    (("could not translate host name", "name or service not known", "nodename nor servname",
      "failed to resolve host", "temporary failure in name resolution"),
     "No server by that name could be found. Check the server's name in the address, and that "
     "this computer is online."),
    (("connection refused",), "The server refused the connection: nothing answers at that "
     "address and port. Check the server's name and port in the address, and that the team "
     "database is running."),
    (("timeout expired", "timed out", "no route to host", "network is unreachable"),
     "The server did not answer. Check that this computer is online and can reach the team "
     "database's server (a VPN or firewall may be in the way)."),
    (("permission denied",), _BY_SQLSTATE["42501"]),
)  # fmt: skip


def explain(error: BaseException, password: str | None = None) -> JoinProblem:
    """The plain sentence and the driver's details for a failed join (``password``: what the
    user typed, removed from anything shown)."""
    details = _scrub(_driver_text(error), password)
    if isinstance(error, SchemaMismatch):
        headline = f"This desk and the team book run different AgencyDesk versions: {error}."
        return JoinProblem(_scrub(headline, password), details)
    if isinstance(error, TeamSetupError):
        return JoinProblem(_scrub(f"Could not join: {error}.", password), "")
    code = _sqlstate(error)
    headline = _BY_SQLSTATE.get(code or "", "")
    lowered = details.lower()
    if not headline and 'database "' in lowered and "does not exist" in lowered:
        headline = _BY_SQLSTATE["3D000"]
    if not headline:
        for words, sentence in _BY_WORDING:
            if any(word in lowered for word in words):
                headline = sentence
                break
    if not headline:
        headline = "Could not join the team book. Check the address with your administrator."
    return JoinProblem(headline, details)


def _chain(error: BaseException) -> list[BaseException]:
    """The error, what caused it, and the driver's error SQLAlchemy wrapped (``orig``)."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return seen


def _sqlstate(error: BaseException) -> str | None:
    for link in _chain(error):
        code = getattr(link, "sqlstate", None)
        if isinstance(code, str) and code:
            return code
    return None


def _driver_text(error: BaseException) -> str:
    """The innermost error's own words (the driver's), whole."""
    innermost = _chain(error)[-1]
    return str(innermost).strip() or type(innermost).__name__


_URL_SECRET = re.compile(r"(://[^:/@\s]*):[^@/]*@")


def _scrub(text: str, password: str | None) -> str:
    text = _URL_SECRET.sub(rf"\1:{HIDDEN}@", text)
    if password:
        text = text.replace(password, HIDDEN)
    return text
