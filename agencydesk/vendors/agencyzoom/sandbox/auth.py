"""Sign-in: password login and SSO login (L141, L188) issue a real JWT (HS256, PyJWT); logout
(L218) revokes it; the V4SSO code flow (L241, L266) hands out an ``authUrl`` whose sandbox
"identity provider" page issues single-use codes."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import jwt
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from agencydesk.vendors.agencyzoom.sandbox.common import error, fail, std
from agencydesk.vendors.agencyzoom.sandbox.records import Employee
from agencydesk.vendors.agencyzoom.sandbox.routing import Ctx, route
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.http import RespondWith, bearer_token, json_response

BAD_LOGIN = "Invalid user name and/or password"  # the documented 400 text (L136)
DEFAULT_TOKEN_TTL = 24 * 3600  # ASSUMPTIONS: the document states no lifetime
SSO_CODE_TTL = 300


@dataclass(slots=True)
class TokenBook:
    secret: str
    clock: SandboxClock
    ttl_seconds: int
    issued: dict[str, int] = field(default_factory=dict)  # jti -> employee id
    dead: set[str] = field(default_factory=set)  # logged out or expired on demand
    sso_codes: dict[str, tuple[int, datetime]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, employee: Employee) -> str:
        now = self.clock.now()
        jti = secrets.token_hex(12)
        claims = {
            "sub": employee.email,
            "uid": employee.user_id,
            "eid": employee.id,
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=self.ttl_seconds)).timestamp()),
            "jti": jti,
            "iss": "agencyzoom-sandbox",
        }
        with self._lock:
            self.issued[jti] = employee.id
        return jwt.encode(claims, self.secret, algorithm="HS256")

    def employee_id(self, token: str) -> int:
        """The employee behind a live token; RespondWith 401 otherwise (ASSUMPTIONS: 401)."""
        try:
            claims = jwt.decode(
                token, self.secret, algorithms=["HS256"], options={"verify_exp": False}
            )
        except jwt.PyJWTError as exc:
            raise RespondWith(error(401, "Unauthorized: invalid token")) from exc
        jti = claims.get("jti", "")
        if jti in self.dead or jti not in self.issued:
            raise RespondWith(error(401, "Unauthorized: token is no longer valid"))
        if claims.get("exp", 0) <= self.clock.now().timestamp():
            raise RespondWith(error(401, "Unauthorized: token expired"))
        return self.issued[jti]

    def revoke(self, token: str) -> None:
        claims = jwt.decode(token, self.secret, algorithms=["HS256"], options={"verify_exp": False})
        with self._lock:
            self.dead.add(claims["jti"])

    def expire_all(self) -> None:
        with self._lock:
            self.dead.update(self.issued)

    def new_sso_code(self, employee: Employee) -> str:
        code = secrets.token_urlsafe(16)
        with self._lock:
            self.sso_codes[code] = (employee.id, self.clock.now())
        return code

    def take_sso_code(self, code: str) -> int | None:
        with self._lock:
            entry = self.sso_codes.pop(code, None)
        if entry is None:
            return None
        employee_id, issued = entry
        if (self.clock.now() - issued).total_seconds() > SSO_CODE_TTL:
            return None
        return employee_id


def _login_answer(ctx: Ctx, employee: Employee) -> Response:
    token = ctx.services.tokens.issue(employee)
    return json_response({"jwt": token, "ownerAgent": employee.is_owner})


async def _password_login(ctx: Ctx) -> Response:
    body = await ctx.body()
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username:
        raise RespondWith(error(400, BAD_LOGIN))
    employee = next(
        (e for e in ctx.state.employees.values() if e.email.lower() == username.lower()), None
    )
    if (
        employee is None
        or not employee.active
        or not secrets.compare_digest(employee.password, password)
    ):
        raise RespondWith(error(400, BAD_LOGIN))
    return _login_answer(ctx, employee)


@route("POST", "/v1/api/auth/login", 141, auth=False)  # L141
async def login(ctx: Ctx) -> Response:
    return await _password_login(ctx)


@route("POST", "/v1/api/auth/ssologin", 188, auth=False)  # L188
async def sso_login(ctx: Ctx) -> Response:
    """Same body and answer as the password login (L160-L188)."""
    return await _password_login(ctx)


@route("POST", "/v1/api/auth/logout", 218)  # L218
async def logout(ctx: Ctx) -> Response:
    """Invalidates the JWT sent with it (the document names no other input, L218)."""
    assert ctx.token is not None
    ctx.services.tokens.revoke(ctx.token)
    return std("Logged out", ctx.me.id)


@route("POST", "/v1/api/v4sso/get-auth-params", 241, auth=False)  # L241
async def v4sso_auth_params(ctx: Ctx) -> Response:
    """``{"authUrl"}``: the sandbox's own stand-in identity provider page (ASSUMPTIONS: V4SSO)."""
    base = str(ctx.request.base_url).rstrip("/")
    state = secrets.token_urlsafe(8)
    return json_response(
        {"authUrl": f"{base}/sandbox/v4sso/authorize?{urlencode({'state': state})}"}
    )


@route("POST", "/v1/api/v4sso/sso-login", 266, auth=False)  # L266
async def v4sso_login(ctx: Ctx) -> Response:
    body = await ctx.body()
    code = body.get("code")
    if not isinstance(code, str) or not code:
        raise fail("code is required")
    employee_id = ctx.services.tokens.take_sso_code(code)
    if employee_id is None or employee_id not in ctx.state.employees:
        raise RespondWith(error(400, BAD_LOGIN))
    return _login_answer(ctx, ctx.state.employees[employee_id])


async def identity_provider_page(request: Request) -> Response:
    """Not an AgencyZoom endpoint: the stand-in for the SSO provider the ``authUrl`` leads to.
    ``?username=`` picks the user (default: the agency owner); with ``redirect_uri`` it redirects
    there with ``code`` and ``state`` like an OAuth provider, otherwise it answers the code."""
    sandbox: Any = request.app.state.sandbox
    st = sandbox.state
    username = request.query_params.get("username")
    employee = next(
        (e for e in st.employees.values() if (e.email == username if username else e.is_owner)),
        None,
    )
    if employee is None:
        return json_response({"message": BAD_LOGIN}, 400)
    code = sandbox.tokens.new_sso_code(employee)
    state = request.query_params.get("state", "")
    redirect = request.query_params.get("redirect_uri")
    if redirect:
        sep = "&" if "?" in redirect else "?"
        return RedirectResponse(f"{redirect}{sep}{urlencode({'code': code, 'state': state})}", 302)
    return json_response({"code": code, "state": state})


def authenticate(
    request: Request, tokens: TokenBook, employees: dict[int, Employee]
) -> tuple[Employee, str]:
    token = bearer_token(request)
    if token is None:
        raise RespondWith(error(401, "Unauthorized: missing bearer token"))
    employee = employees.get(tokens.employee_id(token))
    if employee is None or not employee.active:
        raise RespondWith(error(401, "Unauthorized: user no longer exists"))
    return employee, token
