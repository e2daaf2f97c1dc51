"""Lead transactions (LeadTransaction, L4431): the nearest thing Lofty has to a policy."""

from __future__ import annotations

from typing import Any

from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record
from agencydesk.vendors.lofty.sandbox.wire import (
    body_int,
    body_str,
    invalid,
)

TX_TYPES = ("Purchase", "Listing")  # L4504
TX_DATES = (
    "agreementSignedDate",
    "appointmentDate",
    "appraisalDate",
    "closeDate",
    "contractDate",
    "escrowDate",
    "expectedCloseDate",
    "expiration",
    "homeInspectionDate",
    "offerDate",
)
TX_NUMBERS = ("agentRevenue", "commissionRate", "gci", "homePrice", "teamRevenue")
ADDRESS_FIELDS = ("city", "county", "label", "state", "streetAddress", "unit", "zipCode")


def apply_transaction(state: LoftyState, tx: Record, body: dict[str, Any]) -> None:
    """LeadTransaction (L4431); ``assignedAgent``, ``leadName``, ``created``, ``updated`` are
    read-only ("not support updating")."""
    kind = body_str(body, "transactionType")
    if kind is not None and kind not in TX_TYPES:
        raise invalid("transactionType", "must be Purchase or Listing")
    for name in ("transactionName", "transactionType", "transactionStatus"):
        if name in body:
            tx[name] = body_str(body, name)
    for name in TX_DATES:
        if name in body:
            tx[name] = body_int(body, name)  # int64 epoch ms
    for name in TX_NUMBERS:
        if name in body:
            value = body[name]
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise invalid(name, "must be a number")
            tx[name] = value
    if isinstance(body.get("commissions"), dict):
        tx["commissions"] = body["commissions"]
    fields = body.get("customFields")
    if isinstance(fields, list):  # L4465 "full coverage update or insertion"
        known = {f["id"] for f in state.tx_custom_fields}
        current = {f["id"]: f for f in tx["customFields"]}
        for item in fields:
            fid = body_int(item, "id", required=True) if isinstance(item, dict) else None
            if fid not in known:
                raise invalid("customFields", f"unknown custom field id {fid}")
            current[fid] = {"id": fid, "value": item.get("value")}
        tx["customFields"] = list(current.values())
    tx["_updated"] = state.now()


def create_transaction(state: LoftyState, lead: Record, body: dict[str, Any]) -> Record:
    tx_id = state.next_id()
    now = state.now()
    tx: Record = {
        "transactionId": tx_id,
        "transactionName": None,
        "transactionType": "Purchase",
        "transactionStatus": "Active",
        "commissions": None,
        "customFields": [],
        "_leadId": lead["leadId"],
        "_created": now,
        "_updated": now,
    }
    tx.update(dict.fromkeys(TX_DATES + TX_NUMBERS))
    apply_transaction(state, tx, body)
    state.transactions[tx_id] = tx
    return tx
