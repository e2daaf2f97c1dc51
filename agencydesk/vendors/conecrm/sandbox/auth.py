"""Bearer JWT as the document declares (L7-L8: "HTTP Authentication, scheme: bearer").

There is no token endpoint: the user pastes a JWT. The sandbox mints one per user at start with
PyJWT (HS256) and reports the owner's as credential ``token``. Expiry is checked against the
sandbox clock; ``expire_all`` makes every token issued so far expired.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

import jwt
from starlette.requests import Request

from agencydesk.vendors.conecrm.sandbox.responses import jwt_error, rate_limited
from agencydesk.vendors.conecrm.sandbox.state import ConeState, User
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.http import RespondWith, bearer_token
from agencydesk.vendors.sandbox_kit.ratelimit import RateLimiter

DEFAULT_TTL_SECONDS = 30 * 24 * 3600  # a pasted token lives long; the document says nothing


@dataclass(slots=True)
class TokenService:
    state: ConeState
    clock: SandboxClock
    limiter: RateLimiter
    secret: str
    ttl_seconds: int = DEFAULT_TTL_SECONDS
    revoked_up_to: int = 0  # tokens with a serial (jti) up to this one count as expired
    _serial: int = field(default=0)

    @staticmethod
    def secret_for(seed: int) -> str:
        return hashlib.sha256(f"conecrm-sandbox:{seed}".encode()).hexdigest()

    def issue(self, user: User, ttl_seconds: int | None = None) -> str:
        now = self.clock.now()
        self._serial += 1
        claims = {
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=ttl_seconds or self.ttl_seconds)).timestamp()),
            "sub": user.id,
            "username": user.username,
            "roles": [f"ROLE_{user.user_type}"],
            "tenant": self.state.tenant_id,
            "jti": f"{self._serial}",
        }
        return jwt.encode(claims, self.secret, algorithm="HS256")

    def expire_all(self) -> None:
        self.revoked_up_to = self._serial

    def user_of(self, request: Request) -> User:
        """The authenticated, rate-allowed user of ``request``, else the 401/429 answer."""
        token = bearer_token(request)
        if token is None:
            raise RespondWith(jwt_error("JWT Token not found"))
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                options={"verify_exp": False, "verify_iat": False},
            )
        except jwt.PyJWTError as exc:
            raise RespondWith(jwt_error("Invalid JWT Token")) from exc
        now = self.clock.now().timestamp()
        serial = str(claims.get("jti", "0"))
        revoked = not serial.isdigit() or int(serial) <= self.revoked_up_to
        if not isinstance(claims.get("exp"), int) or claims["exp"] <= now or revoked:
            raise RespondWith(jwt_error("Expired JWT Token"))
        user = self.state.users.get(str(claims.get("sub")))
        if user is None:
            raise RespondWith(jwt_error("Invalid JWT Token"))
        decision = self.limiter.check(user.id)
        if not decision.allowed:
            raise RespondWith(rate_limited(decision.retry_after_seconds))
        return user
