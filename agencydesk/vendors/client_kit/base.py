"""The HTTP base every vendor client is built on (the anthropic-sdk-python pattern): one place
owns timeouts, retries with exponential backoff and jitter on 408/429/5xx and connection errors
(honouring ``Retry-After``), the mapping of statuses to the error tree, the per-account rate
limiter, one re-authentication on a 401, and logging of method, path, status and duration (never
headers, bodies or query strings, where secrets travel)."""

from __future__ import annotations

import asyncio
import json as jsonlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from agencydesk.vendors.client_kit import call_tally, errors
from agencydesk.vendors.client_kit.auth import BearerAuth
from agencydesk.vendors.client_kit.limiter import AccountLimiter

log = logging.getLogger("agencydesk.vendors.http")

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# A vendor's own reading of an answer the generic mapping would get wrong (AgencyZoom answers a
# bad login with 400, agencyzoom-api.txt L137): an error to raise, or None for the generic one.
Classifier = Callable[[httpx.Response], errors.VendorError | None]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 5  # tries in all, the first included
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0
    # A Retry-After longer than this is not slept through here: the error goes up so the sync
    # can say what it waits for (and a user request is not stuck for minutes).
    max_retry_after_s: float = 120.0

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Exponential with "equal jitter": between half and all of base * 2**retry, capped."""
        ceiling = min(self.max_delay_s, self.base_delay_s * (2**retry))
        return float(ceiling / 2 + rng.uniform(0, ceiling / 2))


@dataclass(slots=True)
class CallStats:
    requests: int = 0  # HTTP requests sent (every attempt)
    rate_limited: int = 0  # 429 answers received
    retries: int = 0
    reauths: int = 0


DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEFAULT_RETRY = RetryPolicy()


class VendorHttp:
    def __init__(
        self,
        vendor: str,
        base_url: str,
        http: httpx.AsyncClient,
        auth: httpx.Auth | None = None,
        limiter: AccountLimiter | None = None,
        *,
        display_name: str = "",
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy = DEFAULT_RETRY,
        classify: Classifier | None = None,
        default_headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.vendor = vendor
        self.display_name = display_name or vendor
        self.base_url = base_url.rstrip("/")
        self.http = http
        self.auth = auth
        self.limiter = limiter
        self.timeout = timeout
        self.retry = retry
        self.classify = classify
        self.default_headers = dict(default_headers or {})
        self.stats = CallStats()
        self._sleep = sleep
        self._rng = rng or random.Random()

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path  # a next-link the vendor gave us
        return f"{self.base_url}/{path.lstrip('/')}"

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        foreground: bool = False,
        authenticated: bool = True,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send one logical request; returns the 2xx response or raises a ``VendorError``.

        ``idempotent`` (default: GET, PUT, DELETE, HEAD): may it be sent again after the vendor
        may have acted on it? A create is retried only when it surely did not arrive (no
        connection, 429 refusal), never after a lost answer, so it is never made twice."""
        if idempotent is None:
            idempotent = method.upper() in IDEMPOTENT_METHODS
        retry = 0
        reauthed = False
        while True:
            granted = 0.0
            if self.limiter is not None:
                granted = await self.limiter.acquire(foreground, until_answered=True)
            try:
                response = await self._send(
                    method, path, params, json, data, headers, authenticated
                )
            except errors.RetryableError as failed:
                if self.limiter is not None:
                    self.limiter.finished(granted)
                if not idempotent and not _surely_not_sent(failed):
                    raise errors.OutcomeUnknown(
                        self.vendor, f"{method} {path}: sent, but the answer was lost"
                    ) from failed
                retry = await self._before_retry(failed, retry)
                continue
            except BaseException:
                if self.limiter is not None:
                    self.limiter.finished(granted)
                raise
            if self.limiter is not None:
                self.limiter.finished(granted)
            if response.is_success:
                return response
            error = self._error_for(response)
            if isinstance(error, errors.RateLimited):
                self.stats.rate_limited += 1
            if (
                isinstance(error, errors.AuthenticationFailed)
                and not reauthed
                and authenticated
                and isinstance(self.auth, BearerAuth)
                and self.auth.can_renew
            ):
                # Expired or revoked: sign in again, once, and retry (behind the limiter too).
                reauthed = True
                self.stats.reauths += 1
                await self.auth.renew(stale=self.auth.token_in(response.request))
                continue
            if isinstance(error, errors.RetryableError) and (
                idempotent or isinstance(error, errors.RateLimited)
            ):
                retry = await self._before_retry(error, retry)
                continue
            if isinstance(error, errors.ServerError | errors.VendorTimeout) and not idempotent:
                # A 5xx or 408 to a create: it may have been made before the failure.
                raise errors.OutcomeUnknown(
                    self.vendor, f"{method} {path}: {error.message}", status=error.status
                ) from error
            raise error

    async def request_json(
        self, method: str, path: str, *, idempotent: bool | None = None, **kwargs: Any
    ) -> Any:
        """``request`` plus JSON decoding. A body cut short (a dropped connection that still
        looked complete) is retried like a connection error; if it never parses: BadPayload."""
        retry = 0
        while True:
            response = await self.request(method, path, idempotent=idempotent, **kwargs)
            try:
                return jsonlib.loads(response.content) if response.content else None
            except ValueError as exc:
                error = errors.BadPayload(self.vendor, "", f"{method} {path}: not JSON ({exc})")
                if idempotent is None:
                    idempotent = method.upper() in IDEMPOTENT_METHODS
                if not idempotent or retry + 1 >= self.retry.attempts:
                    raise error from exc
                retry += 1
                self.stats.retries += 1
                await self._sleep(self.retry.backoff(retry - 1, self._rng))

    async def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Any,
        data: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        authenticated: bool,
    ) -> httpx.Response:
        started = time.perf_counter()
        self.stats.requests += 1
        call_tally.note_request()
        status: int | str = "-"
        try:
            response = await self.http.request(
                method,
                self.url(path),
                params=params,
                json=json,
                data=data,
                headers={**self.default_headers, **(headers or {})},
                auth=self.auth if authenticated else None,
                timeout=self.timeout,
            )
            status = response.status_code
            if self.limiter is not None:
                self.limiter.observe(response.headers)
            return response
        except httpx.TimeoutException as exc:
            status = "timeout"
            raise errors.VendorTimeout(self.vendor, f"{method} {path}: no answer in time") from exc
        except httpx.TransportError as exc:
            status = type(exc).__name__
            raise errors.VendorConnectionError(
                self.vendor, f"{method} {path}: connection failed ({type(exc).__name__})"
            ) from exc
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            log.info("%s %s %s -> %s in %.0f ms", self.vendor, method, path, status, elapsed)

    async def _before_retry(self, error: errors.RetryableError, retry: int) -> int:
        """Wait before the next try, or raise ``error`` when no try is left."""
        if retry + 1 >= self.retry.attempts:
            raise error
        wait = self.retry.backoff(retry, self._rng)
        if isinstance(error, errors.RateLimited):
            if error.retry_after_s is not None:
                if error.retry_after_s > self.retry.max_retry_after_s:
                    raise error
                wait = error.retry_after_s
            if self.limiter is not None:
                # Everyone on this account waits, and the status bar can say for how long.
                self.limiter.block_for(wait)
                wait = 0.0
        self.stats.retries += 1
        if wait > 0:
            await self._sleep(wait)
        return retry + 1

    def _error_for(self, response: httpx.Response) -> errors.VendorError:
        if self.classify is not None:
            special = self.classify(response)
            if special is not None:
                return special
        return error_for_status(self.vendor, response)


def _surely_not_sent(error: errors.RetryableError) -> bool:
    """The request never reached the vendor: the connection could not even be opened."""
    cause = error.__cause__
    return isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def error_for_status(vendor: str, response: httpx.Response) -> errors.VendorError:
    status = response.status_code
    message = (
        f"{response.request.method} {response.request.url.path}: {status} {_message(response)}"
    )
    if status == 429:
        errors_ = errors.RateLimited(vendor, message, retry_after_s=retry_after(response))
        return errors_
    if status == 408:
        return errors.VendorTimeout(vendor, message, status=status)
    if status >= 500:
        return errors.ServerError(vendor, message, status=status)
    if status == 401:
        return errors.AuthenticationFailed(vendor, message, status=status)
    if status == 403:
        return errors.PermissionDenied(vendor, message, status=status)
    if status == 404:
        return errors.NotFound(vendor, message, status=status)
    if status in (409, 412):
        return errors.Conflict(vendor, message, status=status)
    return errors.ValidationFailed(
        vendor, message, field_errors=field_errors(response), status=status
    )


def retry_after(response: httpx.Response) -> float | None:
    """``Retry-After`` as seconds (a number or an HTTP date), None when absent or unreadable."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    date_header = response.headers.get("date")
    now = parsedate_to_datetime(date_header) if date_header else None
    if now is None:
        from datetime import UTC, datetime

        now = datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _message(response: httpx.Response) -> str:
    body = _body(response)
    if isinstance(body, dict):
        for key in ("message", "error_description", "error", "msg", "Message", "detail"):
            if isinstance(body.get(key), str) and body[key]:
                return str(body[key])[:300]
    return response.reason_phrase or ""


def field_errors(response: httpx.Response) -> dict[str, str]:
    """Per-field messages in the common shapes: ``{"errors": {field: msg | [msg]}}``,
    ``{"errors": [{"field": f, "message": m}]}`` or ``{"fieldErrors": …}``."""
    body = _body(response)
    if not isinstance(body, dict):
        return {}
    found: dict[str, str] = {}
    for key in ("errors", "fieldErrors", "field_errors", "validationErrors"):
        value = body.get(key)
        if isinstance(value, dict):
            for name, msg in value.items():
                found[str(name)] = "; ".join(map(str, msg)) if isinstance(msg, list) else str(msg)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    name = item.get("field") or item.get("name") or item.get("property")
                    msg = item.get("message") or item.get("error") or item.get("msg")
                    if name:
                        found[str(name)] = str(msg or "invalid")
    return found
