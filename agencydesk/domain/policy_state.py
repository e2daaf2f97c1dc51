"""A policy's honest state: in force means effective today and not expired by date, whatever
the vendor's status says (AgencyBloc keeps "Active" on terms that ended long ago, issue 11).

A cancelled policy is not in force whatever its dates say (cancellation is an event the dates
do not show), and a renewed term has been replaced by its renewal; every other vendor status
(active, pending, expired) is judged by the dates."""

from __future__ import annotations

from datetime import date

from agencydesk.domain.formats import format_date
from agencydesk.domain.records import Policy
from agencydesk.domain.values import PolicyStatus

#: Vendor statuses whose dates decide whether the policy is in force.
DATED_STATUSES: tuple[str, ...] = (
    PolicyStatus.ACTIVE.value,
    PolicyStatus.PENDING.value,
    PolicyStatus.EXPIRED.value,
)
#: The others: never in force, whatever the dates.
UNDATED_STATUSES: tuple[str, ...] = tuple(s.value for s in PolicyStatus if s not in DATED_STATUSES)


def in_force(policy: Policy, today: date) -> bool:
    """Effective on or before ``today`` and expiring on or after it (open ends count as open)."""
    if policy.status.value not in DATED_STATUSES:
        return False
    started = policy.effective_date is None or policy.effective_date <= today
    running = policy.expiration_date is None or policy.expiration_date >= today
    return started and running


def _us(day: date) -> str:
    return format_date(day)


def state_text(policy: Policy, today: date, holder: str = "") -> str:
    """What a list or the detail pane says about the policy's state: the honest state, and the
    vendor's own status beside it when the two disagree ("Active at AgencyBloc, expired
    03/01/2025"). ``holder`` names the system the status comes from."""
    status = policy.status.value.capitalize()
    at = f" at {holder}" if holder else ""
    if in_force(policy, today):
        if policy.status is PolicyStatus.EXPIRED:
            until = f", runs to {_us(policy.expiration_date)}" if policy.expiration_date else ""
            return f"In force ({status}{at}{until})"
        return "In force"
    if policy.status.value in DATED_STATUSES:
        if policy.expiration_date is not None and policy.expiration_date < today:
            if policy.status is PolicyStatus.EXPIRED:
                return "Expired"
            return f"{status}{at}, expired {_us(policy.expiration_date)}"
        if policy.effective_date is not None and policy.effective_date > today:
            return f"Starts {_us(policy.effective_date)}" + (
                f" ({status}{at})" if policy.status is not PolicyStatus.PENDING else ""
            )
    return status
