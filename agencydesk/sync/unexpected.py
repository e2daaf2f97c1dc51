"""Words for an error nobody foresaw (a bug, or a vendor answer the code cannot handle) while
reading an account or sending one change. The team hub survives one (issue 14, Faults): the
account or the change is marked with these words, and the traceback goes to the log only, since
a driver's text holds SQL and the record's values, which are no help to a user."""

from __future__ import annotations

import logging

from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError

from agencydesk.sync.outbox_reconcile import MAY_HAVE_BEEN_MADE
from agencydesk.vendors.catalog import VENDOR_INFO

log = logging.getLogger(__name__)


def vendor_name(vendor: str) -> str:
    info = VENDOR_INFO.get(vendor)
    return info.display_name if info else vendor


def about_the_record(exc: BaseException) -> bool:
    """Whether ``exc`` may come from the record being read or sent: not the database gone away
    (that is everyone's problem, waited out by the hub's restart, never one record's mark)."""
    return not isinstance(exc, OperationalError | InterfaceError | DisconnectionError)


def what_failed(vendor: str, exc: BaseException) -> str:
    """ "could not store what AgencyZoom sent (DataError)" and the like."""
    verb = "store" if isinstance(exc, SQLAlchemyError) else "handle"
    return f"AgencyDesk could not {verb} what {vendor_name(vendor)} sent ({type(exc).__name__})"


def account_problem(vendor: str, exc: BaseException) -> str:
    """An account's read stopped by ``exc``: the account's last error."""
    return (
        f"{what_failed(vendor, exc)}; reading this account stopped there and is tried again "
        "later. The log has the details; if it keeps failing, send the log to support."
    )


def change_problem(vendor: str, exc: BaseException, *, may_be_made: bool) -> str:
    """A change whose sending was stopped by ``exc``: its outbox entry's error."""
    said = f"{what_failed(vendor, exc)} for this change."
    if may_be_made:  # the Outbox offers its check-then-retry choice on these words
        return f"{said} {MAY_HAVE_BEEN_MADE}"
    return f"{said} It was not sent: retry or discard it."


def log_unexpected(what: str, exc: BaseException) -> None:
    """The traceback for whoever reads the log (no vendor secret is ever in one: they live in
    the keyring, and requests' headers are not part of an exception)."""
    log.error("%s: unexpected %s", what, type(exc).__name__, exc_info=exc)
