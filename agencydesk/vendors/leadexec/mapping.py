"""LeadExec payloads <-> our records (leadexec-api.txt, "L…").

A LeadExec "client" is a lead BUYER; it fills the Customers tab. Its list row (L143) has no name,
email or phone: those are client fields (GET /v1/clients/fields/[ClientUID], L553) found by their
``SpecialBit`` (L590-L608). A customer's ``raw`` is the list row plus ``ClientFields``, the field
list as received, so nothing the vendor sent is lost. An update sends the client's current
``Info`` and EVERY field value with the user's edits applied (the document does not say whether
FieldData left out is kept, so nothing is left out).

Dates: ``DateAdded`` is Pacific Time although written with a ``Z`` (L62, L153; vendor-notes §7.13).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from agencydesk.domain import Customer, Lead, LeadStatus, Provenance, SyncState
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.values import Unreadable, as_str, bad, need_id
from agencydesk.vendors.leadexec.client import CLIENT_STATUSES, VENDOR

PACIFIC = ZoneInfo("America/Los_Angeles")
FIELDS_KEY = "ClientFields"  # where the client's field list is kept inside ``raw``
# Our customer fields -> the client field SpecialBit that holds them (L590-L608).
CUSTOMER_BITS = {
    "business_name": "Company",
    "first_name": "FirstName",
    "last_name": "LastName",
    "email": "Email",
    "phone": "PrimaryPhone",
    "street": "Address",
    "city": "City",
    "state": "State",
    "zip_code": "Zip",
}
# Info fields of the write model (L61-L90) and the list row field each is read back from.
INFO_FROM_ROW = {
    "UserUID": "UserUID",
    "TimeOffset": "TimeOffset",
    "TimeZoneName": "TimeZoneName",
    "Notes": "Notes",
    "ResellerUID": "ResellerUID",
    "GroupUID": "GroupUID",
    "Username": "Username",
    "OverrideReassign": "OverrideReassign",
    "DeliveryAccountAutomationType": "AutomationType",
}


def pacific_time(item: dict[str, Any], field: str) -> datetime | None:
    """A Pacific wall time written with ``Z`` (L153) as an aware UTC instant."""
    value = item.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad(field, value, "is not a date")
    text = value.strip().removesuffix("Z")
    try:
        wall = datetime.fromisoformat(text)
    except ValueError:
        raise bad(field, value, "is not a date") from None
    return wall.replace(tzinfo=PACIFIC).astimezone(UTC)


def utc_time(item: dict[str, Any], field: str) -> datetime | None:
    value = item.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad(field, value, "is not a date")
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise bad(field, value, "is not a date") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def status_name(value: Any) -> str:
    """ClientStatus as a name: the list sends the ordinal (L196), login the name (L803)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(CLIENT_STATUSES):
        return CLIENT_STATUSES[value]
    if isinstance(value, str) and value.strip() in CLIENT_STATUSES:
        return value.strip()
    raise bad("Status", value, "is not a ClientStatus")


def field_values(fields: list[Any]) -> dict[str, str]:
    """SpecialBit -> FieldValue of a client's field list; a field that cannot be read names
    its position and property."""
    values: dict[str, str] = {}
    for i, item in enumerate(fields):
        if not isinstance(item, dict):
            raise Unreadable(f"{FIELDS_KEY}[{i}]: not an object")
        need_id(item, "ClientFieldUID")
        bit = item.get("SpecialBit")
        if not isinstance(bit, str):
            raise bad(f"{FIELDS_KEY}[{i}].SpecialBit", bit, "is not text")
        value = item.get("FieldValue")
        if value is not None and not isinstance(value, str):
            raise bad(f"{FIELDS_KEY}[{i}].FieldValue", value, "is not text")
        if bit != "NoSpecialBit":
            values.setdefault(bit, (value or "").strip())
    return values


def customer_from(row: dict[str, Any], fields: list[Any], account: str) -> Customer:
    """A client list row (L143) and its fields (L553) as a Customer; raw keeps both."""
    remote_id = need_id(row, "ClientUID")
    added = pacific_time(row, "DateAdded")
    status_name(row.get("Status"))  # unreadable status: set aside, not guessed
    username = row.get("Username")
    if username is not None and not isinstance(username, str):
        raise bad("Username", username, "is not text")
    values = field_values(fields)
    stamp = added or datetime.now(UTC)
    return Customer(
        provenance=Provenance(vendor=VENDOR, account=account, remote_id=remote_id),
        created_at=stamp,
        updated_at=stamp,
        sync_state=SyncState.SYNCED,
        raw={**row, FIELDS_KEY: fields},
        business_name=values.get("Company", ""),
        first_name=values.get("FirstName", ""),
        last_name=values.get("LastName", ""),
        email=values.get("Email", ""),
        phone=values.get("PrimaryPhone", ""),
        street=values.get("Address", ""),
        city=values.get("City", ""),
        state=values.get("State", ""),
        zip_code=values.get("Zip", ""),
        customer_since=added.astimezone(PACIFIC).date() if added else None,
    )


def _definitions_by_bit(definitions: list[Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for item in definitions:
        if isinstance(item, dict) and isinstance(item.get("SpecialBit"), str):
            found.setdefault(item["SpecialBit"], item)
    return found


def national_digits(phone: str) -> str:
    """A phone as LeadExec stores it: the bare digits of the national number (its PrimaryPhone
    regex, L586), so ``+15125550142`` and ``(512) 555-0142`` both become ``5125550142``."""
    digits = re.sub(r"\D", "", phone)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def checked_value(definition: dict[str, Any], ours: str, value: str) -> str:
    """A value the field's own ``Validation`` regex accepts (L586); a phone typed with
    punctuation is sent as its digits when only those pass."""
    pattern = as_str(definition.get("Validation"))
    if not value or not pattern:
        return value
    if re.match(pattern, value):
        return value
    digits = national_digits(value) if ours == "phone" else re.sub(r"\D", "", value)
    if ours == "phone" and re.match(pattern, digits):
        return digits
    message = as_str(definition.get("FormatError")) or "is not in the format LeadExec wants"
    raise errors.ValidationFailed(VENDOR, f"{ours}: {message}", field_errors={ours: message})


def field_data(
    current: list[Any], edits: dict[str, Any], definitions: list[Any]
) -> list[dict[str, Any]]:
    """FieldData (L91-L93, example L115): every current value, the edited ones replaced,
    fields the client has no value for yet added from the definitions (L656)."""
    by_bit = _definitions_by_bit(definitions)
    wanted: dict[str, tuple[str, str]] = {}  # SpecialBit -> (our field, value)
    for ours, value in edits.items():
        bit = CUSTOMER_BITS[ours]
        definition = by_bit.get(bit)
        if definition is None:
            raise errors.ValidationFailed(
                VENDOR,
                f"this LeadExec account has no client field for {ours} ({bit})",
                field_errors={ours: "no such client field in LeadExec"},
            )
        wanted[bit] = (ours, checked_value(definition, ours, as_str(value)))
    data: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in current:
        if not isinstance(item, dict):
            continue
        its_bit = item.get("SpecialBit")
        value = as_str(item.get("FieldValue"))
        if isinstance(its_bit, str) and its_bit in wanted and its_bit not in seen:
            value = wanted[its_bit][1]
            seen.add(its_bit)
        data.append({"ClientFieldUID": item.get("ClientFieldUID"), "Value": value})
    for bit, (_ours, value) in wanted.items():
        if bit not in seen:
            data.append({"ClientFieldUID": by_bit[bit].get("ClientFieldUID"), "Value": value})
    return data


def missing_required(data: list[dict[str, Any]], definitions: list[Any]) -> list[str]:
    """Descriptors of Required fields (L573) left empty."""
    given = {str(d["ClientFieldUID"]): d["Value"] for d in data}
    return [
        str(d.get("Descriptor") or d.get("SpecialBit"))
        for d in definitions
        if isinstance(d, dict)
        and d.get("Required") is True
        and d.get("Status", True) is not False
        and not given.get(str(d.get("ClientFieldUID")))
    ]


def info_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The write model's ``Info`` (L61-L90) from a list row: its ``Status`` by name (the write
    takes the enum, L63), ``DateAdded`` sent back exactly as read (Pacific, L62)."""
    info: dict[str, Any] = {
        "ClientUID": int(need_id(row, "ClientUID")),
        "DateAdded": row.get("DateAdded"),
        "Status": status_name(row.get("Status")),
    }
    for name, source in INFO_FROM_ROW.items():
        if source in row and row[source] is not None:
            info[name] = row[source]
    return info


def new_client_info(username: str, password: str, now: datetime) -> dict[str, Any]:
    """``Info`` of a new client: ClientUID 0 (L54), DateAdded now in Pacific Time (L62);
    Username and Password are required for a new client (L82-L83)."""
    wall = now.astimezone(PACIFIC).replace(tzinfo=None)
    return {
        "ClientUID": 0,
        "DateAdded": wall.isoformat(timespec="milliseconds") + "Z",
        "Status": "New",
        "Username": username,
        "Password": password,
    }


def lead_from_search(item: dict[str, Any], account: str, query: dict[str, str]) -> Lead:
    """A lead search result (L3325-L3350): receipt data only, no field values; the contact
    details it was found by fill the lead's email/phone/address."""
    remote_id = need_id(item, "LeadIdentifier")
    received = utc_time(item, "DateReceived")
    valid = item.get("IsValidPost")
    if valid is not None and not isinstance(valid, bool):
        raise bad("IsValidPost", valid, "is not true/false")
    stamp = received or datetime.now(UTC)
    return Lead(
        provenance=Provenance(vendor=VENDOR, account=account, remote_id=remote_id),
        created_at=stamp,
        updated_at=stamp,
        sync_state=SyncState.SYNCED,
        raw=dict(item),
        email=query.get("Email", ""),
        phone=query.get("PrimaryPhone", ""),
        street=query.get("Address", ""),
        status=LeadStatus.NEW if valid is not False else LeadStatus.LOST,
    )
