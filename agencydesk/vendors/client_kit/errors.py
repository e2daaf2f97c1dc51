"""The errors a vendor call can end in, grouped by what the user should see.

- ``RetryableError``: wait and try again ("waiting for AgencyZoom, 40 s"); the HTTP base already
  retried a few times before raising one.
- ``NeedsUserError``: nothing changes until the user acts (sign in again, ask for permission).
- ``NotFound`` / ``ValidationFailed`` / ``Conflict``: this one change cannot go as it is.
- ``BadPayload``: the vendor sent something we cannot read; set aside with its reason.
"""

from __future__ import annotations


class VendorError(Exception):
    """Anything that went wrong talking to a vendor. ``status`` is the HTTP status when there
    was an answer."""

    def __init__(self, vendor: str, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{vendor}: {message}")
        self.vendor = vendor
        self.message = message
        self.status = status


class RetryableError(VendorError):
    """Temporary: the same request may work later."""


class RateLimited(RetryableError):
    def __init__(
        self, vendor: str, message: str, *, retry_after_s: float | None = None, status: int = 429
    ) -> None:
        super().__init__(vendor, message, status=status)
        self.retry_after_s = retry_after_s


class ServerError(RetryableError):
    def __init__(self, vendor: str, message: str, *, status: int) -> None:
        super().__init__(vendor, message, status=status)


class VendorConnectionError(RetryableError):
    """No answer: refused, reset, dropped half-way, DNS… (also what "offline" looks like)."""


class VendorTimeout(RetryableError):
    """The vendor did not answer in time."""


class OutcomeUnknown(VendorConnectionError):
    """A change (a create) went out but its answer was lost: it may or may not have been made.
    Sending it again could make it twice, so it is not retried on its own."""


class MadeNotLinked(VendorError):
    """The vendor made the record but answered no usable id (``0``, none, not a number where its
    ids are numbers): the id is never used to read or link anything, and the create is never
    sent again; the next listing (or a natural-key lookup) links it."""


class NeedsUserError(VendorError):
    """The user has to do something (credentials, permissions) before this account works."""


class AuthenticationFailed(NeedsUserError):
    pass


class PermissionDenied(NeedsUserError):
    pass


class NotFound(VendorError):
    pass


class ValidationFailed(VendorError):
    """The vendor refused the data; ``field_errors`` maps vendor field names to its messages."""

    def __init__(
        self,
        vendor: str,
        message: str,
        *,
        field_errors: dict[str, str] | None = None,
        status: int | None = 400,
    ) -> None:
        super().__init__(vendor, message, status=status)
        self.field_errors = dict(field_errors or {})


class Conflict(VendorError):
    """The vendor's record changed since the edit was made on it."""

    def __init__(
        self,
        vendor: str,
        message: str,
        *,
        theirs: dict[str, object] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(vendor, message, status=status)
        self.theirs = dict(theirs or {})  # the vendor's current payload, when known


class BadPayload(VendorError):
    """A payload (a record, or a whole answer) that cannot be read."""

    def __init__(self, vendor: str, remote_id: str, reason: str) -> None:
        super().__init__(vendor, f"unreadable payload {remote_id or '(no id)'}: {reason}")
        self.remote_id = remote_id
        self.reason = reason


class PagingLoop(BadPayload):
    """The vendor handed back a page or cursor we already read: following it would never end."""
