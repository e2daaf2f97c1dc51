"""Fixtures for the sandbox tests: a frozen clock and httpx clients bound to an ASGI app."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agencydesk.vendors.sandbox_kit.clock import SandboxClock

# A Tuesday, 15:00 UTC = 09:00 US Central (daytime limits).
DAYTIME = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def frozen_clock() -> SandboxClock:
    return SandboxClock(DAYTIME)
