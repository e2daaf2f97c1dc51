"""Lofty auth (L32-43) and rate limiting (L49-61) over HTTP."""

from __future__ import annotations

import math

import httpx
import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.lofty_fixtures import BASE, client, make_lofty

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


@pytest.fixture
def lofty(frozen_clock: SandboxClock) -> Sandbox:
    return make_lofty(frozen_clock)


async def test_bearer_token_from_credentials_reads_me(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        r = await c.get("/v1.0/me")
    assert r.status_code == 200
    assert r.json()["email"] == lofty.state.owner["email"]
    assert {"token", "vendor_key"} <= set(lofty.credentials)


@pytest.mark.parametrize(
    "header", [None, "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer ", "token nonsense"]
)
async def test_missing_or_wrong_credentials_get_401_with_no_content(
    lofty: Sandbox, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    async with client(lofty, authed=False) as c:
        r = await c.get("/v1.0/leads", headers=headers)
    assert r.status_code == 401
    assert r.content == b""  # L90 "No Content"


async def test_token_is_a_jwt_shaped_like_the_documented_example(lofty: Sandbox) -> None:
    import jwt

    claims = jwt.decode(lofty.credentials["token"], options={"verify_signature": False})
    assert jwt.get_unverified_header(lofty.credentials["token"]) == {"alg": "HS256"}
    assert claims["scope"] == "5"
    assert claims["ext"] > claims["iat"] > 10**12  # epoch milliseconds (L51 example)


async def test_expired_tokens_are_rejected_and_a_new_one_works(lofty: Sandbox) -> None:
    lofty.expire_tokens()
    async with client(lofty) as c:
        assert (await c.get("/v1.0/me")).status_code == 401
        fresh = lofty.extra["issue_token"]()
        r = await c.get("/v1.0/me", headers={"Authorization": f"Bearer {fresh}"})
    assert r.status_code == 200


async def test_token_expires_on_the_sandbox_clock(frozen_clock: SandboxClock) -> None:
    lofty = make_lofty(frozen_clock, token_ttl_seconds=60)
    async with client(lofty) as c:
        assert (await c.get("/v1.0/me")).status_code == 200
        frozen_clock.advance(61)
        assert (await c.get("/v1.0/me")).status_code == 401


async def test_old_api_key_exchanges_for_an_oauth_token(lofty: Sandbox) -> None:
    api_key = lofty.credentials["api_key"]
    async with client(lofty, authed=False) as c:
        assert (await c.get("/v1.0/me", headers={"Authorization": f"token {api_key}"})).is_success
        r = await c.get(
            "/v1.0/vendor/oauth/token-info/byold", headers={"Authorization": f"Bearer {api_key}"}
        )
        assert r.status_code == 200
        info = r.json()
        assert set(info) == {"token", "tokenExpireTime", "refreshToken", "refreshTokenExpireTime"}
        me = await c.get("/v1.0/me", headers={"Authorization": f"Bearer {info['token']}"})
    assert me.status_code == 200


async def test_ten_calls_a_minute_without_vendor_key_then_documented_429(
    lofty: Sandbox, frozen_clock: SandboxClock
) -> None:
    async with client(lofty, keyed=False) as c:
        answers = [await c.get("/v1.0/me") for _ in range(10)]
        refused = await c.get("/v1.0/me")
    assert [r.status_code for r in answers] == [200] * 10
    assert [int(r.headers["X-RateLimit-Remaining"]) for r in answers] == list(range(9, -1, -1))
    assert all(r.headers["X-RateLimit-Limit"] == "10" for r in answers)
    assert refused.status_code == 429
    assert refused.content == b'{"message":"Too Many Requests"}'  # L61, byte for byte
    assert refused.headers["Status"] == "429 Too Many Requests"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.headers["X-RateLimit-Limit"] == "10"
    assert "Retry-After" not in refused.headers  # the document shows none


async def test_reset_header_is_epoch_seconds_of_the_window_end(
    lofty: Sandbox, frozen_clock: SandboxClock
) -> None:
    async with client(lofty, keyed=False) as c:
        first = await c.get("/v1.0/me")
        frozen_clock.advance(20)
        later = await c.get("/v1.0/me")
    window_end = math.ceil(frozen_clock.now().timestamp() - 20 + 60)
    assert int(first.headers["X-RateLimit-Reset"]) == window_end  # L59 "UTC epoch seconds"
    assert int(later.headers["X-RateLimit-Reset"]) == window_end


async def test_calls_are_allowed_again_after_one_minute(
    lofty: Sandbox, frozen_clock: SandboxClock
) -> None:
    async with client(lofty, keyed=False) as c:
        for _ in range(10):
            await c.get("/v1.0/me")
        assert (await c.get("/v1.0/me")).status_code == 429
        frozen_clock.advance(60)  # L43 "can be called again after one minute"
        again = await c.get("/v1.0/me")
    assert again.status_code == 200
    assert again.headers["X-RateLimit-Remaining"] == "9"


async def test_vendor_key_lifts_the_limit(lofty: Sandbox) -> None:
    async with client(lofty, keyed=True) as c:
        answers = [await c.get("/v1.0/me") for _ in range(25)]
        by_query = await c.get(
            "/v1.0/me",
            params={"vendorKey": lofty.credentials["vendor_key"]},
            headers={"vendorKey": ""},
        )
    assert all(r.status_code == 200 for r in answers)
    assert answers[0].headers["X-RateLimit-Limit"] == "600"  # options.default_rate_per_minute
    # Only the header form our client sends counts (undocumented, assumptions.py).
    assert by_query.headers["X-RateLimit-Limit"] == "10"


async def test_a_wrong_vendor_key_counts_as_none(lofty: Sandbox) -> None:
    async with client(lofty, keyed=False) as c:
        r = await c.get("/v1.0/me", headers={"vendorKey": "not-the-key"})
    assert r.headers["X-RateLimit-Limit"] == "10"


async def test_rate_scale_shortens_the_window(frozen_clock: SandboxClock) -> None:
    lofty = make_lofty(frozen_clock, rate_scale=10.0)
    async with client(lofty, keyed=False) as c:
        for _ in range(10):
            await c.get("/v1.0/me")
        assert (await c.get("/v1.0/me")).status_code == 429
        frozen_clock.advance(6)  # 60 s / 10
        assert (await c.get("/v1.0/me")).status_code == 200


async def test_every_answer_carries_rate_headers_even_errors(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        missing = await c.get("/v1.0/leads/1")
        bad = await c.get("/v1.0/leads", params={"limit": 0})
    for r in (missing, bad):
        assert all(
            h in r.headers
            for h in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
        )
    assert missing.status_code == 404
    assert missing.content == b""


async def test_unknown_path_is_404_no_content(lofty: Sandbox) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=lofty.app), base_url=BASE) as c:
        r = await c.get(
            "/v1.0/nothing-here", headers={"Authorization": f"Bearer {lofty.credentials['token']}"}
        )
    assert r.status_code == 404
    assert r.content == b""
