"""LeadExec lead sources and campaigns (L3582-L4170), lead types (L4170-L4485)."""

from __future__ import annotations

from typing import Any

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.leadexec_fixtures import make_leadexec, signed_in

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


@pytest.fixture
def le(frozen_clock: SandboxClock) -> Sandbox:
    return make_leadexec(frozen_clock)


def source_body(**kw: Any) -> dict[str, Any]:
    """The document's example (L3812-L3834) with real values."""
    return {
        "LPVendorUID": 0,
        "Name": "Lakeside Leads",
        "Address": "1 Lake Rd",
        "Address2": "",
        "City": "Madison",
        "State": "WI",
        "Zip": "53703",
        "Phone": "6085550100",
        "Fax": "",
        "Email": "ops@lakeside.example",
        "ReturnString": "",
        "ReturnPostURL": "",
        "SystemVendor": False,
        "Status": 1,
        "UserName": "lakeside",
        "Password": "pw",
        "AdminUID": 0,
        "CherryAccountUID": 0,
        "AccountUID": 1042,
        "ImageURL": "",
        "DefaultReturnDay": 5,
        **kw,
    }


def campaign_body(vendor_uid: int, **kw: Any) -> dict[str, Any]:
    """The document's example (L4076-L4127) with real values."""
    return {
        "Channel": 0,
        "VendorUID": vendor_uid,
        "VendorAccountUID": 0,
        "AccountName": "Lakeside Auto",
        "LeadTypeUID": "101",
        "Status": 1,
        "MonthMax": None,
        "DayMax": 100,
        "HourMax": None,
        "Flagged": False,
        "OrderSystem": False,
        "ReturnDayCount": 5,
        "ShowOnCherryPick": False,
        "ClientDataVendor": False,
        "countReturns": True,
        "LeadPrice": 9.5,
        "useQCBin": False,
        "MaxSell": 2,
        "DupDayMax": 30,
        "ExclusiveClientUID": 0,
        "LeadCatUID": 1012,
        "EmailVerify": False,
        "AppendCityStateFromPostalCode": True,
        "Rules": [
            {
                "VendorRuleUID": 0,
                "LeadFieldUID": 5007,
                "Operator": "In",
                "Value": "WI,IL",
                "Delete": False,
            }
        ],
        "Validation": {
            "PhoneValidation": 0,
            "PhoneAddressValidation": 0,
            "EmailValidation": 0,
            "FullAddressValidation": 0,
            "CityStateZipVerification": 0,
            "DemographicInformation": 0,
            "IPAddressVerification": 0,
            "DNC": 0,
        },
        "AllowSendResponse": False,
        "UseDeliveryQueue": True,
        "RevenueSharePercentage": None,
        "RevenueShareFlatRate": None,
        **kw,
    }


async def test_sources_list_and_detail_with_integer_state(le: Sandbox) -> None:
    async with signed_in(le) as api:
        rows = (await api.get("/v1/leadsources")).json()
        one = (await api.get(f"/v1/leadsources/{rows[0]['LPVendorUID']}")).json()
        missing = await api.get("/v1/leadsources/42")
    assert one == rows[0]
    assert isinstance(one["State"], int)  # typed string, an integer in the example (L3633)
    assert one["Password"]  # sent in clear, as the example shows
    assert missing.status_code == 404


async def test_source_upsert_and_username_check_polarity(le: Sandbox) -> None:
    taken = next(iter(le.state.sources.values())).username
    async with signed_in(le) as api:
        free_before = (await api.get("/v1/leadsources/usernames/check/lakeside")).json()
        uid = (await api.put("/v1/leadsources", source_body())).json()
        free_after = (await api.get("/v1/leadsources/usernames/check/lakeside")).json()
        detail = (await api.get(f"/v1/leadsources/{uid}")).json()
        dup = await api.put("/v1/leadsources", source_body(UserName=taken))
        missing = await api.put(
            "/v1/leadsources", {k: v for k, v in source_body().items() if k != "Fax"}
        )
        update = await api.put("/v1/leadsources", source_body(LPVendorUID=uid, Status=4))
        client_check = (await api.get("/v1/clients/username/check/lakeside")).json()
    # The lead-source check is true when unique (L3751), the client check when in use (L826).
    assert (free_before, free_after, client_check) == (True, False, False)
    assert isinstance(uid, int)
    assert detail["State"] == next(s[0] for s in le.state.states if s[2] == "WI")
    assert dup.status_code == 400
    assert missing.status_code == 400
    assert "Fax" in missing.json()["Message"]
    assert update.json() == uid
    assert le.state.sources[uid].status == 4


async def test_campaign_create_update_and_detail_as_an_array(le: Sandbox) -> None:
    vendor = next(iter(le.state.sources))
    async with signed_in(le) as api:
        created = (await api.put("/v1/leadsources/campaigns", campaign_body(vendor))).json()
        uid = created["identifier"]
        detail = (await api.get(f"/v1/leadsources/{vendor}/campaigns/{uid}")).json()
        rule = detail[0]["Rules"][0]
        drop = campaign_body(vendor, VendorAccountUID=uid, Rules=[{**rule, "Delete": True}])
        updated = (await api.put("/v1/leadsources/campaigns", drop)).json()
        other = next(v for v in le.state.sources if v != vendor)
        foreign = await api.get(f"/v1/leadsources/{other}/campaigns/{uid}")
    assert created == {"success": True, "message": "Campaign has been updated", "identifier": uid}
    assert isinstance(detail, list)
    assert len(detail) == 1
    assert detail[0]["LeadTypeUID"] == 101
    assert detail[0]["MonthMax"] is None
    assert rule["Value"] == "WI,IL"
    assert updated["identifier"] == uid
    assert le.state.campaigns[uid].rules == []
    assert foreign.status_code == 404


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"MaxSell": 0}, "MaxSell"),
        ({"LeadCatUID": 1021}, "LeadCatUID"),
        ({"Status": 0}, "Status"),
        ({"Validation": None}, "Validation"),
        (
            {
                "Rules": [
                    {
                        "VendorRuleUID": 0,
                        "LeadFieldUID": 1,
                        "Operator": "Equal",
                        "Value": "",
                        "Delete": False,
                    }
                ]
            },
            "LeadFieldUID",
        ),
    ],
)
async def test_campaign_refusals_use_the_success_envelope(
    le: Sandbox, change: dict[str, Any], words: str
) -> None:
    vendor = next(iter(le.state.sources))
    body = campaign_body(vendor, **change)
    if "HourMax" in change:
        del body["HourMax"]
    async with signed_in(le) as api:
        r = await api.put("/v1/leadsources/campaigns", body)
    assert r.status_code == 400
    assert r.json()["success"] is False
    assert r.json()["identifier"] == 0
    assert words in r.json()["message"]


async def test_campaign_category_is_set_by_path_ids(le: Sandbox) -> None:
    campaign = next(iter(le.state.campaigns.values()))
    path = f"/v1/leadsources/{campaign.vendor_uid}/campaigns/{campaign.uid}/category"
    other = campaign.lead_type_uid * 10 + 3
    async with signed_in(le) as api:
        ok = await api.put(path, {"CategoryUID": other})
        assert campaign.lead_cat_uid == other
        cleared = await api.put(path, {"CategoryUID": 0})
        wrong = await api.put(path, {"CategoryUID": 9999})
    assert (ok.json(), cleared.json()) == (True, True)
    assert campaign.lead_cat_uid == 0
    assert wrong.status_code == 400


async def test_lead_types_fields_and_wrapped_categories(le: Sandbox) -> None:
    async with signed_in(le) as api:
        types = (await api.get("/v1/leadtypes")).json()
        one = (await api.get("/v1/leadtypes/103")).json()
        fields = (await api.get("/v1/leadtypes/103/fields")).json()
        cats = (await api.get("/v1/leadtypes/103/categories")).json()
        missing = await api.get("/v1/leadtypes/1")
    assert [t["LeadTypeUID"] for t in types] == sorted(le.state.lead_types)
    assert one in types
    assert (one["InQC"], one["AccountUID"]) == (0, 1042)  # integers, as the examples send
    smoker = next(f for f in fields if f["Descriptor"] == "Smoker")
    assert [e["Descriptor"] for e in smoker["FieldEnums"]] == ["Yes", "No"]
    assert {f["LeadTypeUID"] for f in fields} == {103}
    assert next(f for f in fields if f["Descriptor"] == "Email")["SpecialBit"] == "Email"
    assert list(cats) == ["LeadCategories"]  # the only wrapped list (L4476)
    assert [c["Caption"] for c in cats["LeadCategories"]] == ["Exclusive", "Shared", "Aged"]
    assert missing.status_code == 404
