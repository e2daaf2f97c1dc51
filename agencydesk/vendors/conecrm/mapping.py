"""ConeCRM payloads <-> our records (conecrm-api.txt, "L…").

Customers are of two kinds (vendor-notes conecrm.md §5.1-5.2): contacts (people, read-only: no
contact create/update/delete endpoint) and accounts (create, update, delete). Their remote ids
carry the kind, ``contact:<uuid>`` / ``account:<uuid>``, so a push knows which one it is. Ids are
UUID strings (L11766+); a record whose ``id`` is anything else is set aside (the document's
integer ids are path parameters only: L4818, L8980). ``raw`` is the payload as received.

Leads (L12743) point at their contact, account, stage, status and source by ``{"id"}``; names
come from the stage list (L9307) and the lead filter options (L6453). Tasks (L17928) cannot be
listed: they are mapped only from the answers to our own creates and updates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from agencydesk.domain import (
    Customer,
    Lead,
    LeadStatus,
    Provenance,
    SyncState,
)
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.values import bad
from agencydesk.vendors.conecrm.client import VENDOR
from agencydesk.vendors.value_maps import ValueMap, exact_meaning

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
PHONES = ("mobilePhone", "workPhone", "homePhone")
TEXT_FIELDS = (
    "primaryEmail",
    "secondaryEmail",
    "homePhone",
    "workPhone",
    "mobilePhone",
    "address",
    "city",
    "province",
    "postalCode",
    "firstName",
    "lastName",
    "companyName",
    "name",
)
# Our customer fields -> the Account fields an account PATCH takes (L2562, same as POST L1089).
ACCOUNT_EDITS = {
    "business_name": "name",
    "email": "primaryEmail",
    "street": "address",
    "city": "city",
    "state": "province",
    "zip_code": "postalCode",
}


@dataclass(slots=True)
class Lookups:
    """Names for the ``{"id"}`` references a lead carries."""

    stages: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    meanings: ValueMap = field(default_factory=ValueMap)  # the user's, from account settings
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)


def need_uuid(item: dict[str, Any], name: str) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not UUID.match(value.strip()):
        raise bad(name, value, "is not a UUID")
    return value.strip()


def ref_id(item: dict[str, Any], name: str) -> str:
    """The id of a ``{"id": uuid}`` reference (or a bare uuid); "" when absent."""
    value = item.get(name)
    if value is None or value == "":
        return ""
    if isinstance(value, dict):
        value = value.get("id")
    if value is None:
        return ""
    if not isinstance(value, str) or not UUID.match(value.strip()):
        raise bad(f"{name}.id", value, "is not a UUID")
    return value.strip()


def _texts(item: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            raise bad(name, value, "is not text")
        out[name] = (value or "").strip()
    active = item.get("isActive")
    if active is not None and not isinstance(active, bool):
        raise bad("isActive", active, "is not true/false")
    return out


def when(item: dict[str, Any], name: str) -> datetime | None:
    """An ISO 8601 date-time, UTC with Z (vendor-notes §3.3)."""
    value = item.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad(name, value, "is not a date-time")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise bad(name, value, "is not a date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def phone_field(item: dict[str, Any]) -> str:
    """Which phone our single ``phone`` is: the first one filled in."""
    return next((p for p in PHONES if isinstance(item.get(p), str) and item[p].strip()), "")


def _customer(
    item: dict[str, Any], account: str, remote_id: str, household: str, names: tuple[str, str, str]
) -> Customer:
    texts = _texts(item)
    which = phone_field(item)
    return Customer(
        provenance=Provenance(vendor=VENDOR, account=account, remote_id=remote_id),
        sync_state=SyncState.SYNCED,
        raw=dict(item),
        email=texts["primaryEmail"],
        phone=texts[which] if which else "",
        street=texts["address"],
        city=texts["city"],
        state=texts["province"],
        zip_code=texts["postalCode"],
        household=household,
        first_name=names[0],
        last_name=names[1],
        business_name=names[2],
    )


def contact_from(item: dict[str, Any], account: str) -> Customer:
    """Contact (L12529): a person; its first account is its household."""
    uid = need_uuid(item, "id")
    texts = _texts(item)
    accounts = item.get("accounts") or []
    first = accounts[0] if isinstance(accounts, list) and accounts else None
    household = ref_id({"a": first}, "a") if isinstance(first, dict) else ""
    return _customer(
        item,
        account,
        f"contact:{uid}",
        f"account:{household}" if household else "",
        (texts["firstName"], texts["lastName"], texts["companyName"]),
    )


def account_from(item: dict[str, Any], account: str) -> Customer:
    """Account (L12018): a household or business; its primary contact gives the person."""
    uid = need_uuid(item, "id")
    texts = _texts(item)
    person = item.get("primaryContact")
    first = last = ""
    if isinstance(person, dict):
        first = str(person.get("firstName") or "")
        last = str(person.get("lastName") or "")
    return _customer(
        item,
        account,
        f"account:{uid}",
        f"account:{uid}",
        (first, last, texts["name"]),
    )


def split_customer_id(remote_id: str) -> tuple[str, str]:
    kind, _, uid = remote_id.partition(":")
    if kind not in ("contact", "account") or not uid:
        raise errors.ValidationFailed(VENDOR, f"'{remote_id}' is not a ConeCRM contact or account")
    return kind, uid


def account_body(changes: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """The PATCH body of an account edit: only what changed (no field is required, L2562);
    a phone goes to the phone field it was read from."""
    allowed = set(ACCOUNT_EDITS) | {"phone"}
    extra = sorted(set(changes) - allowed)
    if extra:
        raise errors.ValidationFailed(
            VENDOR,
            f"ConeCRM's API cannot change {', '.join(extra)} of an account",
            field_errors={f: "cannot be changed through ConeCRM's API" for f in extra},
            status=None,
        )
    body = {ACCOUNT_EDITS[k]: v for k, v in changes.items() if k in ACCOUNT_EDITS}
    if "phone" in changes:
        body[phone_field(base) or "workPhone"] = changes["phone"]
    return body


def new_account_body(customer: Customer) -> dict[str, Any]:
    """POST /api/account (L1089): no field required; the person becomes a new primary contact."""
    body: dict[str, Any] = {
        "name": customer.business_name or customer.display_name,
        "primaryEmail": customer.email or None,
        "workPhone": customer.phone or None,
        "address": customer.street or None,
        "city": customer.city or None,
        "province": customer.state or None,
        "postalCode": customer.zip_code or None,
    }
    if customer.first_name or customer.last_name:
        body["primaryContact"] = {
            "firstName": customer.first_name,
            "lastName": customer.last_name,
            "primaryEmail": customer.email or None,
            "mobilePhone": customer.phone or None,
        }
    return {k: v for k, v in body.items() if v is not None}


# Lead statuses are tenant entities the document never lists (vendor-notes §7 #22): a status
# means one of ours only when its name IS our word or the user mapped it; any other name is the
# vendor's own (LeadStatus.OTHER), never guessed. Leads are read-only here, so this only reads.
LEAD_STATUS_FIELD = "lead_status"
OWN_STATUS_WORDS = {"open": "new", "new": "new", "won": "won", "sold": "won", "lost": "lost"}


def lead_status(label: str, item: dict[str, Any], values: ValueMap | None = None) -> LeadStatus:
    text = label.strip()
    meaning = (values or ValueMap()).meaning(LEAD_STATUS_FIELD, text) if text else None
    meaning = meaning or exact_meaning(text, OWN_STATUS_WORDS)
    if text and meaning is None:
        return LeadStatus.OTHER
    if meaning == "won" or (not text and item.get("soldDate")):
        return LeadStatus.WON
    if meaning == "lost" or (not text and item.get("lostDate")):
        return LeadStatus.LOST
    if meaning not in (None, "new"):
        return LeadStatus(meaning)
    if item.get("isQualified") is True:  # documented Lead.isQualified: an open, qualified lead
        return LeadStatus.CONTACTED
    return LeadStatus.NEW


def lead_from(item: dict[str, Any], account: str, names: Lookups) -> Lead:
    """Lead (L12743); the person comes from its contact, the business from its account."""
    uid = need_uuid(item, "id")
    created = when(item, "dateCreated")
    modified = when(item, "dateModified")
    for flag in ("customerInitiated", "isQualified"):
        if item.get(flag) is not None and not isinstance(item.get(flag), bool):
            raise bad(flag, item.get(flag), "is not true/false")
    contact = names.contacts.get(ref_id(item, "contact"), {})
    company = names.accounts.get(ref_id(item, "account"), {})
    person = contact if isinstance(contact, dict) else {}
    which = phone_field(person)
    stamp = created or datetime.now(UTC)
    return Lead(
        provenance=Provenance(vendor=VENDOR, account=account, remote_id=uid),
        created_at=stamp,
        updated_at=modified or stamp,
        sync_state=SyncState.SYNCED,
        raw=dict(item),
        first_name=str(person.get("firstName") or ""),
        last_name=str(person.get("lastName") or ""),
        business_name=str(company.get("name") or person.get("companyName") or ""),
        email=str(person.get("primaryEmail") or ""),
        phone=str(person.get(which) or "") if which else "",
        street=str(person.get("address") or ""),
        city=str(person.get("city") or ""),
        state=str(person.get("province") or ""),
        zip_code=str(person.get("postalCode") or ""),
        status=lead_status(names.statuses.get(ref_id(item, "status"), ""), item, names.meanings),
        stage=names.stages.get(ref_id(item, "stage"), ""),
        source=names.sources.get(ref_id(item, "source"), ""),
    )
