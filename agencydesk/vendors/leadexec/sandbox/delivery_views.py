"""Delivery accounts and methods as the API shows them (L1511-L1621)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agencydesk.vendors.leadexec.sandbox.records import DeliveryAccount, DeliveryMethod
from agencydesk.vendors.leadexec.sandbox.wire import pacific_z

if TYPE_CHECKING:
    from agencydesk.vendors.leadexec.sandbox.state import LeadExecState

CRITERIA_TYPES = ("FieldValue", "Expression", "Function")  # L1404-L1406
OPERATORS = (
    "Equal",
    "NotEqual",
    "Greater",
    "Less",
    "GreaterOrEqual",
    "LessOrEqual",
    "Between",
    "In",
    "NotIn",
    "DateCompare",
    "Distance_Compare",
    "Contains",
    "Doesnt_Contain",
)


def method_view(method: DeliveryMethod) -> dict[str, Any]:
    """``DeliveryDetails`` in the example's order (L1541-L1619); DateAdded is Pacific (L1443)."""
    view: dict[str, Any] = {
        "ClientDeliveryUID": method.uid,
        "ClientUID": method.client_uid,
        "Type": method.type,
        "Name": method.name,
        "Status": method.status,
        "DateAdded": pacific_z(method.date_added),
        "inTesting": method.in_testing,
        "LeadTypeUID": method.lead_type_uid,
    }
    for key, value in method.fields.items():
        if key == "ClientEmail":
            view["LeadCatUID"] = method.lead_cat_uid
        view[key] = value
    view["FieldSettings"] = method.field_settings
    view["DeliveryDays"] = method.delivery_days
    return view


def account_view(state: LeadExecState, account: DeliveryAccount) -> dict[str, Any]:
    """A delivery account in the example's order (L1511-L1621)."""
    method = state.methods.get(account.delivery_uid)
    return {
        "ClientAccountUID": account.uid,
        "ClientUID": account.client_uid,
        "DeliveryUID": account.delivery_uid,
        "Price": account.price,
        "HourMax": account.hour_max,
        "DayMax": account.day_max,
        "MonthMax": account.month_max,
        "WeekMax": account.week_max,
        "useOrder": account.use_order,
        "Status": account.status,
        "DeliveryDelay": account.delivery_delay,
        "Description": account.description,
        "RedirectURL": account.redirect_url,
        "AutomationEnabled": account.automation_enabled,
        "AlternatePosting": account.alternate_posting,
        "AccountType": account.account_type,
        "AgentName": account.agent_name,
        "AgentPhone": account.agent_phone,
        "Criteria": [
            {
                "ClientCriteriaUID": c.uid,
                "LeadFieldUID": c.lead_field_uid,
                "Type": c.type,
                "Expression": c.expression,
                "Operator": c.operator,
                "Value": c.value,
            }
            for c in account.criteria
        ],
        "DeliveryDetails": method_view(method) if method else None,
    }
