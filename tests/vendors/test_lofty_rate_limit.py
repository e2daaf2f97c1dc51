"""Lofty's ten calls a minute without a vendorKey (L43), on a sandbox whose minute is scaled
down: the account limiter from the catalog, taught by X-RateLimit-* (L50-L59), never provokes a
429 and still uses the allowed rate."""

from __future__ import annotations

import time

import httpx
import pytest

from agencydesk.vendors.catalog import limiter_for
from agencydesk.vendors.lofty.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.vendors.test_lofty_support import BASE, keyed, wire

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]
SCALE = 120.0  # "a minute" is half a second


@pytest.mark.slow  # several seconds
async def test_unkeyed_calls_stay_within_ten_a_minute_without_a_single_429() -> None:
    sandbox = create_sandbox(SandboxOptions(rate_scale=SCALE, clock=SandboxClock(frozen=False)))
    limiter = limiter_for("lofty", rate_scale=SCALE)
    transport = httpx.ASGITransport(app=sandbox.app)
    async with httpx.AsyncClient(transport=transport) as http:
        rig = wire(sandbox, http, BASE, {"token": sandbox.credentials["token"]}, limiter)
        started = time.perf_counter()
        for _ in range(21):
            await rig.connector.check()
        elapsed = time.perf_counter() - started
    stats = rig.connector.client.http.stats
    assert stats.rate_limited == 0
    assert stats.requests == 21
    assert elapsed >= 2 * limiter.window_s  # 21 calls need a third window
    assert elapsed < 16 * limiter.window_s  # …and not many more (a busy CI machine)


async def test_with_a_vendor_key_the_headers_set_the_limit_not_the_unkeyed_ten() -> None:
    """L43's ten a minute is for calls without a vendorKey; with one, the limit is the one the
    X-RateLimit-* headers report (L50-L55): 30 calls go within one window."""
    scale = 20.0  # "a minute" is 3 s: at ten a minute 30 calls would need 6 s or more
    sandbox = create_sandbox(SandboxOptions(rate_scale=scale, clock=SandboxClock(frozen=False)))
    limiter = limiter_for("lofty", rate_scale=scale)
    transport = httpx.ASGITransport(app=sandbox.app)
    async with httpx.AsyncClient(transport=transport) as http:
        rig = wire(sandbox, http, BASE, keyed(sandbox), limiter)
        started = time.perf_counter()
        for _ in range(30):
            await rig.connector.check()
        elapsed = time.perf_counter() - started
    stats = rig.connector.client.http.stats
    assert stats.rate_limited == 0
    assert limiter.limit_now() == 600  # the sandbox's keyed limit, as its headers say
    assert elapsed < 2 * limiter.window_s


async def test_without_a_vendor_key_headers_above_ten_do_not_raise_the_limit() -> None:
    sandbox = create_sandbox(SandboxOptions(rate_scale=SCALE, clock=SandboxClock(frozen=False)))
    limiter = limiter_for("lofty", rate_scale=SCALE)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app)) as http:
        wire(sandbox, http, BASE, {"token": sandbox.credentials["token"]}, limiter)
    limiter.observe({"X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "599"})
    assert limiter.limit_now() == 10
