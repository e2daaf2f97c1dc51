"""Seeds the lead sources (vendors that post leads) and their campaigns (L3590-L4160)."""

from __future__ import annotations

import random
from typing import Any

from agencydesk.vendors.leadexec.sandbox import catalog
from agencydesk.vendors.leadexec.sandbox.records_leads import Campaign, LeadSource
from agencydesk.vendors.leadexec.sandbox.state import LeadExecState

LEAD_TYPE_UIDS = tuple(uid for uid, *_r in catalog.LEAD_TYPES)
VALIDATION = {
    "PhoneValidation": 0,
    "PhoneAddressValidation": 0,
    "EmailValidation": 0,
    "FullAddressValidation": 0,
    "CityStateZipVerification": 0,
    "DemographicInformation": 0,
    "IPAddressVerification": 0,
    "DNC": 0,
}


def campaign_fields(rng: random.Random, channel: int, price: float) -> dict[str, Any]:
    """The documented campaign fields the sandbox stores as sent (L4019-L4064)."""
    return {
        "Channel": channel,
        "MonthMax": rng.choice((None, 5000)),
        "DayMax": rng.choice((None, None, 250)),
        "HourMax": None,
        "Flagged": False,
        "OrderSystem": False,
        "ReturnDayCount": rng.choice((3, 5, 7)),
        "ShowOnCherryPick": False,
        "ClientDataVendor": False,
        "countReturns": True,
        "LeadPrice": price,
        "useQCBin": rng.random() < 0.2,
        "DupDayMax": 30,
        "ExclusiveClientUID": 0,
        "EmailVerify": False,
        "AppendCityStateFromPostalCode": True,
        "Validation": dict(VALIDATION),
        "AllowSendResponse": False,
        "UseDeliveryQueue": True,
        "RevenueSharePercentage": None,
        "RevenueShareFlatRate": None,
    }


def seed_sources(state: LeadExecState, rng: random.Random, count: int) -> None:
    for i in range(count):
        name = catalog.SOURCE_NAMES[i % len(catalog.SOURCE_NAMES)]
        if i >= len(catalog.SOURCE_NAMES):
            name = f"{name} {i // len(catalog.SOURCE_NAMES) + 1}"
        (city, st), (prefix, *_r) = list(catalog.PLACES.items())[(i * 5) % len(catalog.PLACES)]
        state_uid = next(uid for uid, _n, abbr in state.states if abbr == st)
        uid = state.next_id("source")
        username = name.lower().replace(" ", "")[:14] + str(uid)
        state.sources[uid] = LeadSource(
            uid,
            username,
            1 if i % 7 else 2,
            {
                "Name": name,
                "Address": f"{rng.randint(100, 9800)} Commerce Dr",
                "Address2": rng.choice(("", "Suite 200", "Floor 3")),
                "City": city,
                "State": state_uid,  # an integer in every example (L3633), so a StateUID
                "Zip": f"{prefix}{rng.randint(0, 99):02d}",
                "Phone": f"{rng.randint(200, 989)}555{rng.randint(1000, 9999)}",
                "Fax": "",
                "Email": f"partners@{name.split()[0].lower()}.example",
                "ReturnString": "",
                "ReturnPostURL": "",
                "SystemVendor": False,
                "Password": f"src-{rng.randint(100000, 999999)}",
                "AdminUID": 0,
                "CherryAccountUID": 0,
                "AccountUID": state.account_uid,
                "ImageURL": "",
                "DefaultReturnDay": rng.choice((3, 5, 7)),
            },
        )
        for k in range(3):
            lead_type = LEAD_TYPE_UIDS[(i + k) % len(LEAD_TYPE_UIDS)]
            channel = rng.choice((0, 0, 1, 2))
            exclusive = rng.random() < 0.4
            price = round(rng.uniform(4, 30), 2)
            campaign = Campaign(
                uid=state.next_id("campaign"),
                vendor_uid=uid,
                lead_type_uid=lead_type,
                account_name=f"{name} {state.lead_types[lead_type].descriptor}"
                + (" Exclusive" if exclusive else " Shared"),
                status=1,
                max_sell=1 if exclusive else 3,
                lead_cat_uid=lead_type * 10 + (1 if exclusive else 2),
                fields=campaign_fields(rng, channel, price),
            )
            state.campaigns[campaign.uid] = campaign
