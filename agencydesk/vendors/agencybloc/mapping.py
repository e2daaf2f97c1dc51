"""AgencyBloc policies <-> our ``Policy`` records
(../shared/vendor-docs/agencybloc-policies-api.txt).

A policy is read from its detail object (PascalCase, L117-L129), kept whole in ``raw``. Writes
use the create/update parameter names (camelCase, L10-L69, L135-L171) and dates as 01/01/2013
(L38). Dropdown fields (policyStatus, policyCoverageType, projectCode) are user-defined and "any
new values that did not previously exist will be automatically added" (L3): a value is sent only
when it is one the vendor gave us (``Dropdowns``), spelled exactly as the vendor spells it, so a
typo never becomes a new status at the agency.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from agencydesk.domain import Customer, Policy, PolicyStatus, Provenance, RecordKind, SyncState
from agencydesk.vendors.client_kit.values import Unreadable, as_str, bad, need_id
from agencydesk.vendors.value_maps import ValueMap, exact_meaning, first_known

VENDOR = "agencybloc"
HOLDER_TYPES = ("Group", "Individual")  # L13

# Policy statuses are the agency's own dropdown values (L15, L140) and the document enumerates
# none: a name means one of ours only when it IS our word ("Active", "Cancelled"), or when the
# user mapped it for the account (``value_maps``). Anything else ("Terminated", "Declined") is
# the vendor's own status, kept and shown as such (PolicyStatus.OTHER), never guessed.
STATUS_FIELD = "policy_status"
OWN_STATUS_WORDS: dict[str, str] = {
    "active": "active",
    "in force": "active",
    "pending": "pending",
    "renewed": "renewed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "expired": "expired",
}

# Our field -> (update parameter, detail key). Only these can be edited through the API.
EDITS: dict[str, tuple[str, str]] = {
    "policy_number": ("policyNumber", "PolicyNumber"),
    "carrier": ("carrier", "CarrierName"),
    "line_of_business": ("policyCoverageType", "CoverageTypeDescript"),
    "premium_cents": ("premium", "Premium"),
    "effective_date": ("effectiveDate", "EffectiveDate"),
    "expiration_date": ("renewalDate", "RenewalDate"),
    "status": ("policyStatus", "StatusDescript"),
}
DROPDOWN_PARAMS = {"status": "policyStatus", "line_of_business": "policyCoverageType"}


def status_of(text: str, values: ValueMap | None = None) -> PolicyStatus:
    """Our status for an agency-defined status name: the user's mapping first, then our own
    word; OTHER (the vendor's own status) for any other name."""
    meaning = (values or ValueMap()).meaning(STATUS_FIELD, text) or exact_meaning(
        text, OWN_STATUS_WORDS
    )
    return PolicyStatus(meaning) if meaning else PolicyStatus.OTHER


def _date(item: dict[str, Any], key: str) -> date | None:
    """``"2019-02-02T00:00:00"`` (L129). The document's placeholder year 1111 reads as no date."""
    value = item.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad(key, value, "is not a date")
    try:
        day = datetime.fromisoformat(value.strip()[:19]).date()
    except ValueError:
        raise bad(key, value, "is not a date") from None
    return None if day.year < 1800 else day


def _cents(item: dict[str, Any], key: str) -> int | None:
    """Premium in dollars (L129 ``"Premium": 1000``) as integer cents."""
    value = item.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad(key, value, "is not a number")
    return round(float(value) * 100)


def holder_remote_id(item: dict[str, Any]) -> str | None:
    """ "Individual:200012" / "Group:300001": the policy's holder (HolderType + HolderID, L117),
    the ``entityTypeID`` + ``entityID`` a new policy is tied to (L12-L13)."""
    kind = as_str(item.get("HolderType"))
    if kind not in HOLDER_TYPES or item.get("HolderID") in (None, ""):
        return None
    return f"{kind}:{need_id(item, 'HolderID')}"


def holder_from(item: dict[str, Any], account: str) -> Customer | None:
    """The Group or Individual a policy detail names, as a customer: AgencyBloc's Policies API
    has no customer calls, so this is all it tells about them (HolderName only)."""
    remote_id = holder_remote_id(item)
    if remote_id is None:
        return None
    name = as_str(item.get("HolderName"))
    first = last = business = ""
    if remote_id.startswith("Individual:"):
        first, _, last = name.rpartition(" ")
    else:
        business = name
    return Customer(
        provenance=Provenance(vendor=VENDOR, account=account, remote_id=remote_id),
        sync_state=SyncState.SYNCED,
        raw={k: item.get(k) for k in ("HolderID", "HolderType", "HolderName")},
        first_name=first,
        last_name=last,
        business_name=business,
    )


def holder_link(item: dict[str, Any]) -> tuple[RecordKind, str] | None:
    remote_id = holder_remote_id(item)
    return (RecordKind.CUSTOMER, remote_id) if remote_id else None


def policy_from(item: dict[str, Any], account: str, values: ValueMap | None = None) -> Policy:
    """A detail object (L117-L129). Raises ``Unreadable`` naming the first unreadable field."""
    remote_id = need_id(item, "PolicyID")  # an integer (L117); a numeric string is accepted
    status_text = as_str(item.get("StatusDescript"))
    policy = Policy(
        provenance=Provenance(vendor=VENDOR, account=account, remote_id=remote_id),
        sync_state=SyncState.SYNCED,
        raw=item,
        insured_name=as_str(item.get("HolderName")),
        policy_number=as_str(item.get("PolicyNumber")),
        carrier=as_str(item.get("CarrierName")),
        line_of_business=as_str(item.get("CoverageTypeDescript")),
        premium_cents=_cents(item, "Premium") or 0,
        effective_date=_date(item, "EffectiveDate"),
        # The renewal date, which is what an edit of it writes back (TermDate stays in raw).
        expiration_date=_date(item, "RenewalDate"),
        status=status_of(status_text, values),
        producer=as_str(item.get("AgentName")),
    )
    made = _made(item)
    return replace(policy, created_at=made, updated_at=made) if made else policy


def _made(item: dict[str, Any]) -> datetime | None:
    """Neither search nor detail carries a change time; the issue/submit date stands in for the
    creation time so lists sort sensibly."""
    made = _date(item, "IssueDate") or _date(item, "AppSubmitDate")
    return datetime(made.year, made.month, made.day, tzinfo=UTC) if made else None


def form_date(value: Any) -> str:
    """Dates go out as 01/01/2013 (L38)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if not isinstance(value, date):
        raise Unreadable(f"{value!r} is not a date")
    return value.strftime("%m/%d/%Y")


def form_premium(cents: Any) -> str:
    if cents is None or cents == "":
        return ""
    return f"{int(cents) / 100:.2f}"


@dataclass(slots=True)
class Dropdowns:
    """The account's dropdown values as the vendor gave them (search rows and details): the only
    values we ever send (L3 would create any other)."""

    values: dict[str, dict[str, str]] = field(
        default_factory=lambda: {"policyStatus": {}, "policyCoverageType": {}, "carrier": {}}
    )
    meanings: ValueMap = field(default_factory=ValueMap)  # the user's, from account settings

    def learn(self, param: str, text: Any) -> None:
        if isinstance(text, str) and text.strip():
            self.values[param].setdefault(text.strip().casefold(), text.strip())

    def learn_row(self, row: dict[str, Any]) -> None:
        """A search row (L106) or a detail object (L128-L129)."""
        self.learn("policyStatus", row.get("policyStatus") or row.get("StatusDescript"))
        self.learn(
            "policyCoverageType", row.get("policyCoverageType") or row.get("CoverageTypeDescript")
        )
        self.learn("carrier", row.get("carrier") or row.get("CarrierName"))

    @property
    def known(self) -> bool:
        return any(self.values.values())

    def exact(self, param: str, text: str) -> str | None:
        return self.values[param].get(text.strip().casefold())

    def status_for(self, status: PolicyStatus, current: str) -> str | None:
        """The vendor's name for ``status``: the policy's own when it already means that, else
        the first name the user mapped to it, else the account's name that is our own word.
        None when no name of this account means it (never a name that merely might)."""
        if status is PolicyStatus.OTHER:
            return None
        if current and status_of(current, self.meanings) is status:
            return current
        known = self.values["policyStatus"].values()
        mapped = first_known(self.meanings.vendor_values(STATUS_FIELD, status.value), known)
        if mapped is not None:
            return mapped
        return next((t for t in known if exact_meaning(t, OWN_STATUS_WORDS) == status.value), None)


def write_params(
    changes: dict[str, Any], dropdowns: Dropdowns, current: dict[str, Any]
) -> tuple[dict[str, str], dict[str, str]]:
    """Update/create parameters for ``changes`` (our field names), and per-field refusals."""
    params: dict[str, str] = {}
    refused: dict[str, str] = {}
    for ours, value in changes.items():
        if ours not in EDITS:
            refused[ours] = "cannot be changed through AgencyBloc's Policies API"
            continue
        param = EDITS[ours][0]
        if ours == "status":
            text = dropdowns.status_for(PolicyStatus(value), as_str(current.get("StatusDescript")))
            if text is None:
                refused[ours] = (
                    f"no AgencyBloc policy status of this account is known to mean '{value}': "
                    "map the account's statuses in Settings"
                )
            else:
                params[param] = text
        elif ours == "line_of_business":
            text = dropdowns.exact(param, str(value or ""))
            if text is None:
                refused[ours] = (
                    f"'{value}' is not one of the agency's AgencyBloc coverage types "
                    "(a new one would be created)"
                )
            else:
                params[param] = text
        elif ours in ("effective_date", "expiration_date"):
            params[param] = form_date(value)
        elif ours == "premium_cents":
            params[param] = form_premium(value)
        elif ours == "carrier":
            # "The full Carrier Name" (L16): the vendor's own spelling when we know it.
            params[param] = dropdowns.exact(param, str(value or "")) or str(value or "").strip()
        else:
            params[param] = str(value or "")
    return params, refused
