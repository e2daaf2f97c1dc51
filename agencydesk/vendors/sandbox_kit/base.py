"""The shape every vendor sandbox has. CONTRACT written first; the kit work may add, not change.

A vendor's sandbox lives in ``agencydesk/vendors/<vendor>/sandbox/`` and exposes
``create_sandbox(options: SandboxOptions) -> Sandbox``. Tests use ``sandbox.app`` through
``httpx.ASGITransport`` or serve it on 127.0.0.1 with ``sandbox_kit.server.serve``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from agencydesk.vendors.sandbox_kit.clock import SandboxClock
    from agencydesk.vendors.sandbox_kit.faults import FaultController
    from agencydesk.vendors.sandbox_kit.people import Population

# "tiny": a book that syncs in a blink, for tests that need records but not pages of them.
Size = Literal["tiny", "small", "large"]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One endpoint of the vendor's document and whether this sandbox really serves it.

    ``served`` is True only when the route behaves: reads or changes sandbox state, checks required
    fields and auth as documented, and answers in the documented shape. A canned answer is False.
    """

    method: str
    path: str  # exactly as the document writes it, e.g. "/v1/api/leads/{leadId}"
    doc_line: int  # line in ../shared/vendor-docs/<vendor doc>.txt
    served: bool
    summary: str = ""


@dataclass(slots=True, kw_only=True)
class SandboxOptions:
    seed: int = 7
    size: Size = "small"
    # Rate-limit windows are divided by this: 10.0 keeps "30 calls per minute" but per 6 s.
    rate_scale: float = 1.0
    # Limit for vendors whose document states none (an assumption; see each vendor's ASSUMPTIONS).
    default_rate_per_minute: int = 600
    clock: SandboxClock | None = None  # None: a clock following real time
    population: Population | None = None  # None: Population(seed, size), shared across vendors
    token_ttl_seconds: int | None = None  # None: the documented lifetime (LeadExec 3600)


@dataclass(slots=True)
class Sandbox:
    """A running-in-process emulator of one vendor's API."""

    vendor: str  # "agencyzoom" | "lofty" | "agencybloc" | "conecrm" | "leadexec"
    app: ASGIApp  # already wrapped in the fault middleware
    credentials: dict[str, str]  # what works against it: username/password, token, sid/key…
    endpoints: list[Endpoint]
    faults: FaultController
    clock: SandboxClock
    state: Any  # the vendor's in-memory data; tests may read it to check effects
    # "Someone edits this record at the vendor" (conflict tests): kind is the vendor's own noun
    # ("lead", "customer", "task"...), changes are vendor field names -> values.
    edit_at_vendor: Any = None  # Callable[[str, str, dict[str, Any]], None]
    expire_tokens: Any = None  # Callable[[], None]: every issued token expires now
    # The whole stored record, as the sandbox-only inspector answers it (sandbox_kit.inspector):
    # Callable[[str, str], dict | None], (vendor's plural kind, id) -> record or None. None here
    # means this vendor's sandbox does not offer the inspector yet.
    inspect: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
