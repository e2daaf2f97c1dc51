"""Reading a request the way AgencyBloc does: the form-encoded body only, ``sid``/``key`` in it.

L9/L134: "Parameters found in the querystring of the request will be ignored". The public
"Making API Requests" page adds that the body is ``application/x-www-form-urlencoded`` (never JSON)
and carries ``sid`` and ``key`` on every call. A JSON body therefore reads as an empty form, which
has no credentials.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from agencydesk.vendors.agencybloc.sandbox.responses import exception, rate_limited
from agencydesk.vendors.agencybloc.sandbox.state import AgencyBlocState
from agencydesk.vendors.sandbox_kit.http import RespondWith
from agencydesk.vendors.sandbox_kit.ratelimit import RateLimiter

FORM_TYPE = "application/x-www-form-urlencoded"


async def read_form(request: Request) -> dict[str, str]:
    """The body's parameters (first value wins); never the query string."""
    if FORM_TYPE not in request.headers.get("content-type", "").lower():
        return {}
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    form: dict[str, str] = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        form.setdefault(name, value)
    return form


async def authenticated_form(
    request: Request, state: AgencyBlocState, limiter: RateLimiter
) -> dict[str, str]:
    """The form of an authenticated, rate-allowed call; otherwise answers 401 / 429."""
    form = await read_form(request)
    sid, key = form.get("sid", ""), form.get("key", "")
    if not sid or not key:
        raise RespondWith(exception(401, "The sid and key parameters are required"))
    if sid != state.sid or key != state.key:
        raise RespondWith(exception(401, "Invalid sid or key"))
    decision = limiter.check(sid)
    if not decision.allowed:
        raise RespondWith(rate_limited(decision.retry_after_seconds))
    return form
