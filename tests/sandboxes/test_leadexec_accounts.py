"""LeadExec delivery accounts and delivery methods (L1347-L2470)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from agencydesk.vendors.leadexec.sandbox.records import DeliveryMethod
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.leadexec_fixtures import make_leadexec, signed_in

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


@pytest.fixture
def le(frozen_clock: SandboxClock) -> Sandbox:
    return make_leadexec(frozen_clock)


def a_method(le: Sandbox) -> DeliveryMethod:
    method: DeliveryMethod = next(iter(le.state.methods.values()))
    return method


def account_body(le: Sandbox, method: DeliveryMethod, **kw: Any) -> dict[str, Any]:
    """The document's example (L2199-L2229) for a new account on ``method``."""
    return {
        "ClientAccountUID": 0,
        "ClientUID": method.client_uid,
        "DeliveryUID": method.uid,
        "Price": 31.5,
        "HourMax": -1,
        "DayMax": 40,
        "MonthMax": -1,
        "WeekMax": -1,
        "useOrder": False,
        "Status": 12,
        "DeliveryDelay": 0,
        "Description": "Evening leads",
        "RedirectURL": "",
        "AutomationEnabled": True,
        "AlternatePosting": 0,
        "AccountType": 0,
        "AgentName": "",
        "AgentPhone": "",
        "Criteria": [
            {
                "ClientCriteriaUID": 0,
                "LeadFieldUID": state_field(le, method.lead_type_uid),
                "Type": "FieldValue",
                "Expression": "",
                "Operator": "In",
                "Value": "TX,OH",
            }
        ],
        **kw,
    }


def state_field(le: Sandbox, lead_type: int) -> int:
    return next(f.uid for f in le.state.fields_of(lead_type) if f.descriptor == "State")  # type: ignore[no-any-return]


def method_body(client_uid: int, **kw: Any) -> dict[str, Any]:
    """The document's example (L2376-L2445) with real values."""
    body: dict[str, Any] = {
        "ClientDeliveryUID": 0,
        "ClientUID": client_uid,
        "Type": 0,
        "Name": "Webhook",
        "Status": True,
        "DateAdded": "2026-03-10T08:00:00Z",
        "inTesting": False,
        "LeadTypeUID": 101,
        "LeadCatUID": 0,
        "FieldSettings": [
            {
                "DeliverySettingUID": 0,
                "DeliveryUID": 0,
                "Delete": False,
                "Format": "",
                "FieldType": 0,
                "FieldName": "source",
                "Value": "le",
                "LeadFieldUID": 0,
                "Expr": "",
                "hasMap": True,
                "FieldMappings": [
                    {
                        "DeliveryMappingUID": 0,
                        "Delete": False,
                        "DeliverySettingUID": 0,
                        "DeliveryValue": "Y",
                        "FieldValue": "Yes",
                    }
                ],
            }
        ],
        "DeliveryDays": [
            {
                "DeliveryDayUID": 0,
                "DeliveryUID": 0,
                "WeekDay": 1,
                "StaticDate": None,
                "StartTime": "2020-01-01T09:00:00Z",
                "EndTime": "2020-01-01T17:00:00Z",
                "Allow": True,
            }
        ],
    }
    for key in (
        "XML",
        "EmailTemplate",
        "EmailSubject",
        "FTPUser",
        "FTPPassword",
        "FTPPath",
        "EmailAddress",
        "ResponseSearch",
        "DeliveryAddress",
        "SMTPServer",
        "SMTPUsername",
        "SMTPPassword",
        "fAddress",
        "tAddress",
        "NotifyCC",
        "NotifyBCC",
        "NotifyEmail",
        "ClientEmail",
    ):
        body[key] = ""
    body.update(useRegEx=False, SMTPAuth=False, EmailNotify=False)
    body.update(kw)
    return body


async def test_client_accounts_carry_their_delivery_details(le: Sandbox) -> None:
    method = a_method(le)
    async with signed_in(le) as api:
        rows = (await api.get(f"/v1/delivery/{method.client_uid}/accounts")).json()
        one = (
            await api.get(
                f"/v1/delivery/{method.client_uid}/accounts/{rows[0]['ClientAccountUID']}"
            )
        ).json()
        other = next(uid for uid in le.state.clients if uid != method.client_uid)
        foreign = await api.get(f"/v1/delivery/{other}/accounts/{rows[0]['ClientAccountUID']}")
    assert rows
    assert one == rows[0]
    details = one["DeliveryDetails"]
    assert details["ClientDeliveryUID"] == one["DeliveryUID"]
    assert list(details)[-4:] == ["LeadCatUID", "ClientEmail", "FieldSettings", "DeliveryDays"]
    assert details["FieldSettings"][0]["FieldType"] == 1
    assert foreign.status_code == 404


async def test_zero_creates_an_account_and_answers_the_bare_id(le: Sandbox) -> None:
    method = next(m for m in le.state.methods.values() if m.lead_type_uid == 101)
    path = f"/v1/delivery/{method.client_uid}/accounts/"
    async with signed_in(le) as api:
        r = await api.put(path, account_body(le, method))
        uid = r.json()
        also = await api.put(path.rstrip("/"), account_body(le, method, Description="No slash"))
        criteria = (
            await api.post(
                "/v1/delivery/accounts/all/101",
                {"LeadFieldUID": state_field(le, 101), "Value": "OH"},
            )
        ).json()
        update = await api.put(path, account_body(le, method, ClientAccountUID=uid, Criteria=[]))
    assert isinstance(uid, int)
    assert le.state.accounts[uid].description == "Evening leads"
    assert also.status_code == 200
    assert uid in [a["ClientAccountUID"] for a in criteria]
    assert update.json() == uid
    assert le.state.accounts[uid].criteria == []  # criteria sent replace the account's


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"ClientUID": 1}, "does not match"),
        ({"Status": 13}, "Status"),
        ({"AccountType": 4}, "AccountType"),
        ({"Price": None}, "Price"),
        ({"ClientAccountUID": 999999}, "not found"),
    ],
)
async def test_account_writes_are_checked(le: Sandbox, change: dict[str, Any], words: str) -> None:
    method = next(m for m in le.state.methods.values() if m.lead_type_uid == 101)
    before = len(le.state.accounts)
    async with signed_in(le) as api:
        r = await api.put(
            f"/v1/delivery/{method.client_uid}/accounts/", account_body(le, method, **change)
        )
    assert r.status_code in (400, 404)
    assert words in r.json()["Message"]
    assert len(le.state.accounts) == before


async def test_maxes_zero_means_none_and_left_out_is_unchanged(le: Sandbox) -> None:
    account = next(iter(le.state.accounts.values()))
    account.week_max = 70
    path = f"/v1/delivery/{account.client_uid}/accounts/{account.uid}/maxes"
    async with signed_in(le) as api:
        r = await api.put(path, {"HourMax": 0, "DailyMax": 25, "MonthlyMax": 300})
        read = (await api.get(f"/v1/delivery/{account.client_uid}/accounts/{account.uid}")).json()
        negative = await api.put(path, {"HourMax": -1})
    assert r.json() is True
    assert (read["HourMax"], read["DayMax"], read["WeekMax"], read["MonthMax"]) == (-1, 25, 70, 300)
    assert negative.status_code == 400


async def test_method_upsert_settings_follow_their_delete_flag(le: Sandbox) -> None:
    client_uid = next(iter(le.state.clients))
    path = f"/v1/delivery/{client_uid}/methods"
    async with signed_in(le) as api:
        uid = (await api.put(path, method_body(client_uid))).json()
        method = le.state.methods[uid]
        setting = method.field_settings[0]
        mapping = setting["FieldMappings"][0]
        assert (setting["FieldName"], mapping["DeliveryValue"]) == ("source", "Y")
        assert method.lead_type_uid == 101
        # The table's own names, Settings/Mappings (L2328, L2349), are read too.
        renamed = method_body(client_uid, ClientDeliveryUID=uid, Name="Webhook v2")
        renamed["Settings"] = [
            {
                **renamed.pop("FieldSettings")[0],
                "DeliverySettingUID": setting["DeliverySettingUID"],
                "Mappings": [{**mapping, "Delete": True}],
                "FieldMappings": None,
            }
        ]
        assert (await api.put(path, renamed)).json() == uid
        method = le.state.methods[uid]
        assert method.name == "Webhook v2"
        assert method.field_settings[0]["FieldMappings"] == []
        gone = method_body(client_uid, ClientDeliveryUID=uid)
        gone["FieldSettings"] = [
            {
                **gone["FieldSettings"][0],
                "Delete": True,
                "DeliverySettingUID": setting["DeliverySettingUID"],
            }
        ]
        await api.put(path, gone)
        assert le.state.methods[uid].field_settings == []
        reset = await api.patch(f"/v1/delivery/methods/mappings/setdefault/{uid}")
    assert reset.json() is True
    names = [s["FieldName"] for s in le.state.methods[uid].field_settings]
    assert "firstname" in names
    assert len(names) == len(le.state.fields_of(101))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"XML": None}, "XML"),
        ({"Type": 12}, "Type"),
        ({"LeadTypeUID": 7}, "Lead type"),
        ({"LeadCatUID": 1021}, "LeadCatUID"),
        ({"ClientUID": 5}, "does not match"),
    ],
)
async def test_method_writes_are_checked(le: Sandbox, change: dict[str, Any], words: str) -> None:
    client_uid = next(iter(le.state.clients))
    before = len(le.state.methods)
    body = method_body(client_uid, **change)
    body = {k: v for k, v in body.items() if v is not None}
    async with signed_in(le) as api:
        r = await api.put(f"/v1/delivery/{client_uid}/methods", body)
    assert r.status_code in (400, 404)
    assert words in r.json()["Message"]
    assert len(le.state.methods) == before


async def test_method_date_added_is_pacific_wall_time_both_ways(le: Sandbox) -> None:
    client_uid = next(iter(le.state.clients))
    async with signed_in(le) as api:
        uid = (await api.put(f"/v1/delivery/{client_uid}/methods", method_body(client_uid))).json()
        body = account_body(le, le.state.methods[uid], ClientUID=client_uid, Criteria=[])
        account = (await api.put(f"/v1/delivery/{client_uid}/accounts/", body)).json()
        read = (await api.get(f"/v1/delivery/{client_uid}/accounts/{account}")).json()
    assert read["DeliveryDetails"]["DateAdded"] == "2026-03-10T08:00:00Z"  # as sent (L2303)
    stored = le.state.methods[uid].date_added
    assert (stored.hour, stored.utcoffset()) == (15, timedelta(0))  # 08:00 PDT is 15:00 UTC
