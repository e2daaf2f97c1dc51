"""VendorHttp: retries, Retry-After, backoff bounds, error mapping, re-auth once, logging."""

from __future__ import annotations

import logging
import random

import httpx
import pytest

from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.auth import BearerAuth, Token
from agencydesk.vendors.client_kit.base import RetryPolicy, VendorHttp, retry_after
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.sandbox_kit.faults import FaultController, FaultMiddleware
from agencydesk.vendors.sandbox_kit.server import serve
from tests.vendors.test_client_kit_support import Script, build_app, status


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def vendor_http(script: Script, **kwargs: object) -> tuple[VendorHttp, Sleeps]:
    sleeps = Sleeps()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(script)))
    http = VendorHttp("acme", "http://acme.test/api", client, sleep=sleeps, **kwargs)  # type: ignore[arg-type]
    return http, sleeps


@pytest.mark.asyncio
async def test_5xx_is_retried_until_it_works() -> None:
    script = Script([status(503), status(502), status(200, {"ok": True})])
    http, sleeps = vendor_http(script)
    assert await http.request_json("GET", "/things") == {"ok": True}
    assert http.stats.requests == 3
    assert len(sleeps.calls) == 2
    assert [p for _m, p, _a in script.seen] == ["/api/things"] * 3


@pytest.mark.asyncio
async def test_5xx_gives_up_after_the_policy_s_attempts_with_server_error() -> None:
    http, _ = vendor_http(Script([status(500)]), retry=RetryPolicy(attempts=3))
    with pytest.raises(errors.ServerError) as caught:
        await http.request("GET", "/things")
    assert caught.value.status == 500
    assert isinstance(caught.value, errors.RetryableError)
    assert http.stats.requests == 3


@pytest.mark.asyncio
async def test_429_waits_exactly_retry_after_without_a_limiter() -> None:
    script = Script([status(429, headers={"Retry-After": "7"}), status(200, {})])
    http, sleeps = vendor_http(script)
    await http.request("GET", "/x")
    assert sleeps.calls == [7.0]


@pytest.mark.asyncio
async def test_429_blocks_the_whole_account_through_its_limiter() -> None:
    limiter = AccountLimiter(100, window_s=60)
    waits: list[float] = []
    limiter.add_listener(waits.append)
    script = Script([status(429, headers={"Retry-After": "0.2"}), status(200, {})])
    http, sleeps = vendor_http(script, limiter=limiter)
    await http.request("GET", "/x")
    assert sleeps.calls == []  # the limiter did the waiting, and said so
    assert waits[0] == pytest.approx(0.2, abs=0.05)
    assert waits[-1] == 0.0


@pytest.mark.asyncio
async def test_a_retry_after_too_long_to_sit_through_goes_up_as_rate_limited() -> None:
    http, _ = vendor_http(Script([status(429, headers={"Retry-After": "900"})]))
    with pytest.raises(errors.RateLimited) as caught:
        await http.request("GET", "/x")
    assert caught.value.retry_after_s == 900


def test_retry_after_as_an_http_date() -> None:
    response = httpx.Response(
        429,
        headers={
            "Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT",
            "Date": "Wed, 21 Oct 2015 07:28:00 GMT",
        },
    )
    assert retry_after(response) == 30.0


def test_backoff_is_exponential_with_jitter_within_bounds() -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=8.0)
    rng = random.Random(1)
    for retry in range(8):
        ceiling = min(8.0, 0.5 * 2**retry)
        values = [policy.backoff(retry, rng) for _ in range(200)]
        assert all(ceiling / 2 <= v <= ceiling for v in values)
        assert len(set(values)) > 100  # jittered, not a fixed delay


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("code", "error"),
    [
        (401, errors.AuthenticationFailed),
        (403, errors.PermissionDenied),
        (404, errors.NotFound),
        (409, errors.Conflict),
        (422, errors.ValidationFailed),
    ],
)
async def test_statuses_map_to_the_error_tree_without_retrying(code: int, error: type) -> None:
    http, sleeps = vendor_http(Script([status(code)]))
    with pytest.raises(error):
        await http.request("GET", "/x")
    assert http.stats.requests == 1
    assert sleeps.calls == []


@pytest.mark.asyncio
async def test_validation_errors_name_the_fields() -> None:
    body = {"message": "invalid", "errors": [{"field": "email", "message": "not an email"}]}
    http, _ = vendor_http(Script([status(400, body)]))
    with pytest.raises(errors.ValidationFailed) as caught:
        await http.request("POST", "/x", json={})
    assert caught.value.field_errors == {"email": "not an email"}
    assert "invalid" in caught.value.message


@pytest.mark.asyncio
async def test_a_vendor_classifier_overrides_the_generic_mapping() -> None:
    def classify(response: httpx.Response) -> errors.VendorError | None:
        if response.status_code == 400 and "password" in response.text:
            return errors.AuthenticationFailed("acme", "bad login", status=400)
        return None

    http, _ = vendor_http(Script([status(400, {"message": "bad password"})]), classify=classify)
    with pytest.raises(errors.AuthenticationFailed):
        await http.request("POST", "/login")


@pytest.mark.asyncio
async def test_a_401_renews_the_token_once_and_retries() -> None:
    tokens = iter(["t1", "t2", "t3"])

    async def fetch() -> Token:
        return Token(next(tokens))

    def only_t2(request):  # type: ignore[no-untyped-def]
        ok = request.headers.get("authorization") == "Bearer t2"
        return status(200 if ok else 401, {"ok": ok})(request)

    script = Script([only_t2])
    auth = BearerAuth(fetch=fetch)
    http, _ = vendor_http(script, auth=auth)
    assert await http.request_json("GET", "/me") == {"ok": True}
    assert [a for _m, _p, a in script.seen] == ["Bearer t1", "Bearer t2"]
    assert http.stats.reauths == 1


@pytest.mark.asyncio
async def test_a_second_401_after_renewal_is_authentication_failed() -> None:
    async def fetch() -> Token:
        return Token("always-refused")

    http, _ = vendor_http(Script([status(401)]), auth=BearerAuth(fetch=fetch))
    with pytest.raises(errors.AuthenticationFailed):
        await http.request("GET", "/me")
    assert http.stats.requests == 2  # the first try and exactly one retry


@pytest.mark.asyncio
async def test_a_token_is_renewed_before_it_expires() -> None:
    now = [0.0]
    issued: list[str] = []

    async def fetch() -> Token:
        issued.append(f"t{len(issued) + 1}")
        return Token(issued[-1], expires_at=now[0] + 3600)

    auth = BearerAuth(fetch=fetch, renew_before_s=60, clock=lambda: now[0])
    script = Script([status(200, {})])
    http, _ = vendor_http(script, auth=auth)
    await http.request("GET", "/a")
    now[0] = 3550.0  # within a minute of expiry
    await http.request("GET", "/b")
    assert [a for _m, _p, a in script.seen] == ["Bearer t1", "Bearer t2"]


@pytest.mark.asyncio
async def test_unauthenticated_calls_carry_no_token() -> None:
    auth = BearerAuth("secret-token")
    script = Script([status(200, {})])
    http, _ = vendor_http(script, auth=auth)
    await http.request("POST", "/login", authenticated=False)
    await http.request("GET", "/me")
    assert [a for _m, _p, a in script.seen] == ["", "Bearer secret-token"]


@pytest.mark.asyncio
async def test_logs_method_path_and_status_but_never_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    auth = BearerAuth("tok-SECRET")
    http, _ = vendor_http(Script([status(200, {})]), auth=auth)
    with caplog.at_level(logging.INFO, logger="agencydesk.vendors.http"):
        await http.request("POST", "/login", params={"key": "KEY-SECRET"}, json={"pw": "PW"})
    text = caplog.text
    assert "acme POST /login -> 200" in text
    assert "SECRET" not in text
    assert "PW" not in text


@pytest.mark.asyncio
async def test_dropped_connections_on_a_real_loopback_server_are_retried() -> None:
    faults = FaultController(seed=3)
    script = Script([status(200, {"items": list(range(50))})])
    app = FaultMiddleware(build_app(script), faults)
    faults.drop_rate = 1.0
    sleeps = Sleeps()
    with serve(app) as server:
        async with new_http_client() as client:
            http = VendorHttp(
                "acme", server.base_url, client, retry=RetryPolicy(attempts=3), sleep=sleeps
            )
            with pytest.raises(errors.VendorConnectionError):
                await http.request_json("GET", "/list")
            assert http.stats.requests == 3
            faults.drop_rate = 0.0
            assert await http.request_json("GET", "/list") == {"items": list(range(50))}


@pytest.mark.asyncio
async def test_a_truncated_json_body_is_retried_then_read() -> None:
    faults = FaultController(seed=3)
    app = FaultMiddleware(build_app(Script([status(200, {"items": [1, 2, 3]})])), faults)
    faults.malformed_rate = 1.0
    sleeps = Sleeps()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
    http = VendorHttp(
        "acme", "http://acme.test", client, retry=RetryPolicy(attempts=2), sleep=sleeps
    )
    with pytest.raises(errors.BadPayload):
        await http.request_json("GET", "/list")
    faults.malformed_rate = 0.0
    assert await http.request_json("GET", "/list") == {"items": [1, 2, 3]}


@pytest.mark.asyncio
async def test_connection_refused_is_a_connection_error() -> None:
    async with new_http_client() as client:
        http = VendorHttp(
            "acme", "http://127.0.0.1:9", client, retry=RetryPolicy(attempts=2), sleep=Sleeps()
        )
        with pytest.raises(errors.VendorConnectionError) as caught:
            await http.request("GET", "/x")
    assert isinstance(caught.value, errors.RetryableError)


@pytest.mark.asyncio
async def test_a_create_whose_answer_was_lost_is_not_sent_twice() -> None:
    faults = FaultController(seed=3)
    script = Script([status(200, {"id": 1})])
    app = FaultMiddleware(build_app(script), faults)
    faults.drop_rate = 1.0
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
    http = VendorHttp("acme", "http://acme.test", client, sleep=Sleeps())
    with pytest.raises(errors.OutcomeUnknown):
        await http.request("POST", "/leads/create", json={"name": "x"})
    assert len(script.seen) == 1  # the vendor acted once; we did not ask again
    with pytest.raises(errors.VendorConnectionError):
        await http.request("POST", "/leads/search", json={}, idempotent=True)
    assert len(script.seen) == 1 + 5  # a search is safe to repeat


@pytest.mark.asyncio
async def test_a_create_refused_with_429_is_retried() -> None:
    script = Script([status(429, headers={"Retry-After": "0"}), status(200, {"id": 1})])
    http, _ = vendor_http(script)
    await http.request("POST", "/leads/create", json={})
    assert len(script.seen) == 2
