"""A lead-source campaign as the API shows it, and ``PUT /v1/leadsources/campaigns``
(L4071). Every field but the two revenue shares is required (L4022-L4070); the maxes
take ``null`` for "no max" (L4032-L4034); ``LeadTypeUID`` is typed string but sent as an integer
(L4028, L4081); a rule's ``Value`` is typed integer but sent as ``""`` (L4056, L4105)."""

from __future__ import annotations

from typing import Any

from agencydesk.vendors.leadexec.sandbox.delivery_views import OPERATORS
from agencydesk.vendors.leadexec.sandbox.records_leads import Campaign
from agencydesk.vendors.leadexec.sandbox.seed_sources import VALIDATION
from agencydesk.vendors.leadexec.sandbox.state import LeadExecState
from agencydesk.vendors.leadexec.sandbox.wire import (
    as_int,
    fail,
    not_found,
    req_bool,
    req_enum,
    req_float,
    req_int,
    req_str,
)

CHANNELS = (0, 1, 2, 3)  # Web, PING/POST, Phone, Chat (L4026)
CAMPAIGN_STATUSES = (1, 2, 3, 4, 5, 6)  # L4031
BOOLS = (
    "Flagged",
    "OrderSystem",
    "ShowOnCherryPick",
    "ClientDataVendor",
    "countReturns",
    "useQCBin",
    "EmailVerify",
    "AppendCityStateFromPostalCode",
    "AllowSendResponse",
    "UseDeliveryQueue",
)
INTS = ("ReturnDayCount", "DupDayMax", "ExclusiveClientUID")
ORDER = (
    "MonthMax",
    "DayMax",
    "HourMax",
    "Flagged",
    "OrderSystem",
    "ReturnDayCount",
    "ShowOnCherryPick",
    "ClientDataVendor",
    "countReturns",
    "LeadPrice",
    "useQCBin",
)
ORDER_2 = ("DupDayMax", "ExclusiveClientUID")
ORDER_3 = ("EmailVerify", "AppendCityStateFromPostalCode")
ORDER_4 = (
    "AllowSendResponse",
    "UseDeliveryQueue",
    "RevenueSharePercentage",
    "RevenueShareFlatRate",
)


def campaign_view(c: Campaign) -> dict[str, Any]:
    """In the example's order (L3913-L3962)."""
    f = c.fields
    view: dict[str, Any] = {
        "Channel": f["Channel"],
        "VendorUID": c.vendor_uid,
        "VendorAccountUID": c.uid,
        "AccountName": c.account_name,
        "LeadTypeUID": c.lead_type_uid,
        "Status": c.status,
    }
    view.update({k: f[k] for k in ORDER})
    view["MaxSell"] = c.max_sell
    view.update({k: f[k] for k in ORDER_2})
    view["LeadCatUID"] = c.lead_cat_uid
    view.update({k: f[k] for k in ORDER_3})
    view["Rules"] = [dict(r) for r in c.rules]
    view["Validation"] = dict(f["Validation"])
    view.update({k: f[k] for k in ORDER_4})
    return view


def _max(body: dict[str, Any], name: str) -> int | None:
    if name not in body:
        raise fail(400, f"{name} is required (null for no max).")
    return None if body[name] is None else req_int(body, name)


def _optional_money(body: dict[str, Any], name: str) -> float | None:
    return None if body.get(name) is None else req_float(body, name)


def _rules(
    state: LeadExecState, body: dict[str, Any], lead_type: int, old: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    raw = body.get("Rules")
    if not isinstance(raw, list):
        raise fail(400, "Rules is required.")
    current = {r["VendorRuleUID"]: r for r in old}
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise fail(400, f"Rules[{i}] must be an object.")
        where = f"Rules[{i}]."
        uid = req_int(item, "VendorRuleUID", where + "VendorRuleUID")
        if uid and uid not in current:
            raise fail(400, f"{where}VendorRuleUID {uid} is not a rule of this campaign.")
        if req_bool(item, "Delete", where + "Delete"):
            current.pop(uid, None)
            continue
        field_uid = req_int(item, "LeadFieldUID", where + "LeadFieldUID")
        lead_field = state.lead_fields.get(field_uid)
        if lead_field is None or lead_field.lead_type_uid != lead_type:
            raise fail(400, f"{where}LeadFieldUID {field_uid} is not a field of the lead type.")
        if item.get("Value") is None:
            raise fail(400, f"{where}Value is required.")
        uid = uid or state.next_id("rule")
        current[uid] = {
            "VendorRuleUID": uid,
            "LeadFieldUID": field_uid,
            "Operator": req_enum(item, "Operator", OPERATORS, where + "Operator"),
            "Value": str(item["Value"]),
            "Delete": False,
        }
    return list(current.values())


def upsert_campaign_from(state: LeadExecState, body: dict[str, Any]) -> Campaign:
    source = state.source(req_int(body, "VendorUID"))
    uid = req_int(body, "VendorAccountUID")
    campaign = state.campaigns.get(uid) if uid else None
    if uid and (campaign is None or campaign.vendor_uid != source.uid):
        raise not_found("Campaign", uid)
    if body.get("LeadTypeUID") is None:
        raise fail(400, "LeadTypeUID is required.")
    lead_type = state.lead_type(as_int(body["LeadTypeUID"], "LeadTypeUID")).uid
    cat_uid = req_int(body, "LeadCatUID")
    category = state.categories.get(cat_uid)
    if cat_uid and (category is None or category.lead_type_uid != lead_type):
        raise fail(400, f"LeadCatUID {cat_uid} is not a category of lead type {lead_type}.")
    validation = body.get("Validation")
    if not isinstance(validation, dict):
        raise fail(400, "Validation is required.")
    max_sell = req_int(body, "MaxSell")
    if max_sell < 1:
        raise fail(400, "MaxSell must be at least 1.")
    fields: dict[str, Any] = {
        "Channel": req_enum(body, "Channel", CHANNELS),
        "MonthMax": _max(body, "MonthMax"),
        "DayMax": _max(body, "DayMax"),
        "HourMax": _max(body, "HourMax"),
        "LeadPrice": req_float(body, "LeadPrice"),
        "Validation": {k: as_int(validation.get(k, 0), f"Validation.{k}") for k in VALIDATION},
        "RevenueSharePercentage": _optional_money(body, "RevenueSharePercentage"),
        "RevenueShareFlatRate": _optional_money(body, "RevenueShareFlatRate"),
    }
    fields.update({k: req_bool(body, k) for k in BOOLS})
    fields.update({k: req_int(body, k) for k in INTS})
    name = req_str(body, "AccountName", blank=False)
    status = req_enum(body, "Status", CAMPAIGN_STATUSES)
    rules = _rules(state, body, lead_type, campaign.rules if campaign else [])
    if campaign is None:
        campaign = Campaign(
            state.next_id("campaign"), source.uid, lead_type, name, status, max_sell
        )
        state.campaigns[campaign.uid] = campaign
    campaign.lead_type_uid, campaign.account_name, campaign.status = lead_type, name, status
    campaign.max_sell, campaign.lead_cat_uid = max_sell, cat_uid
    campaign.rules, campaign.fields = rules, fields
    return campaign
