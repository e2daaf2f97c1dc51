"""What every LeadExec route reaches through ``request.app.state.ctx``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agencydesk.vendors.leadexec.sandbox.auth import TokenStore
    from agencydesk.vendors.leadexec.sandbox.state import LeadExecState
    from agencydesk.vendors.sandbox_kit.clock import SandboxClock
    from agencydesk.vendors.sandbox_kit.faults import FaultController
    from agencydesk.vendors.sandbox_kit.ratelimit import RateLimiter


@dataclass(slots=True)
class Context:
    state: LeadExecState
    clock: SandboxClock
    faults: FaultController
    tokens: TokenStore
    limiter: RateLimiter
    client_credentials: tuple[str, str]  # (client_id, client_secret)
