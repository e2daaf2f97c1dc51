"""Creating or changing a delivery method from ``PUT /v1/delivery/[ClientUID]/methods``
(L2371).

Every listed field is "required" (L2285-L2327) and must be sent. The table calls the settings
``Settings``/``Mappings`` (L2328, L2349) while the example sends ``FieldSettings`` /
``FieldMappings`` (L2407, L2419): both are read. Settings and mappings follow their ``Delete``
flag and "0 = new"; delivery days without a Delete flag are updated or added, never removed.
"""

from __future__ import annotations

from typing import Any

from agencydesk.vendors.leadexec.sandbox.records import DeliveryMethod
from agencydesk.vendors.leadexec.sandbox.state import LeadExecState
from agencydesk.vendors.leadexec.sandbox.wire import (
    fail,
    parse_date,
    req_bool,
    req_enum,
    req_int,
    req_str,
)

STRING_FIELDS = (
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
)
BOOL_FIELDS = ("useRegEx", "SMTPAuth", "EmailNotify")
FIELD_ORDER = (
    "XML",
    "EmailTemplate",
    "EmailSubject",
    "FTPUser",
    "FTPPassword",
    "FTPPath",
    "EmailAddress",
    "useRegEx",
    "ResponseSearch",
    "DeliveryAddress",
    "SMTPServer",
    "SMTPAuth",
    "SMTPUsername",
    "SMTPPassword",
    "fAddress",
    "tAddress",
    "EmailNotify",
    "NotifyCC",
    "NotifyBCC",
    "NotifyEmail",
    "ClientEmail",
)


def _list(body: dict[str, Any], *names: str) -> list[dict[str, Any]]:
    for name in names:
        raw = body.get(name)
        if raw is None:
            continue
        if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
            raise fail(400, f"{name} must be an array of objects.")
        return raw
    return []


def _merge_mappings(
    state: LeadExecState, setting: dict[str, Any], sent: list[dict[str, Any]], label: str
) -> None:
    current = {m["DeliveryMappingUID"]: m for m in setting["FieldMappings"]}
    for i, item in enumerate(sent):
        where = f"{label}.FieldMappings[{i}]."
        uid = req_int(item, "DeliveryMappingUID", where + "DeliveryMappingUID")
        delete = req_bool(item, "Delete", where + "Delete")
        if uid and uid not in current:
            raise fail(400, f"{where}DeliveryMappingUID {uid} does not exist.")
        if delete:
            current.pop(uid, None)
            continue
        uid = uid or state.next_id("mapping")
        current[uid] = {
            "DeliveryMappingUID": uid,
            "Delete": False,
            "DeliverySettingUID": setting["DeliverySettingUID"],
            "DeliveryValue": req_str(item, "DeliveryValue", where + "DeliveryValue"),
            "FieldValue": req_str(item, "FieldValue", where + "FieldValue"),
        }
    setting["FieldMappings"] = list(current.values())


def _merge_settings(
    state: LeadExecState, method: DeliveryMethod, sent: list[dict[str, Any]]
) -> None:
    current = {s["DeliverySettingUID"]: s for s in method.field_settings}
    for i, item in enumerate(sent):
        where = f"FieldSettings[{i}]"
        uid = req_int(item, "DeliverySettingUID", where + ".DeliverySettingUID")
        if uid and uid not in current:
            raise fail(400, f"{where}.DeliverySettingUID {uid} does not exist.")
        if req_bool(item, "Delete", where + ".Delete"):
            current.pop(uid, None)
            continue
        setting = current.get(uid) or {
            "DeliverySettingUID": state.next_id("setting"),
            "FieldMappings": [],
        }
        setting.update(
            DeliveryUID=method.uid,
            Delete=False,
            Format=req_str(item, "Format", where + ".Format"),
            FieldType=req_enum(item, "FieldType", tuple(range(9)), where + ".FieldType"),
            FieldName=req_str(item, "FieldName", where + ".FieldName"),
            Value=req_str(item, "Value", where + ".Value"),
            LeadFieldUID=req_int(item, "LeadFieldUID", where + ".LeadFieldUID"),
            Expr=req_str(item, "Expr", where + ".Expr"),
            hasMap=req_bool(item, "hasMap", where + ".hasMap"),
        )
        _merge_mappings(state, setting, _list(item, "FieldMappings", "Mappings"), where)
        current[setting["DeliverySettingUID"]] = setting
    method.field_settings = list(current.values())


def _merge_days(state: LeadExecState, method: DeliveryMethod, sent: list[dict[str, Any]]) -> None:
    current = {d["DeliveryDayUID"]: d for d in method.delivery_days}
    for i, item in enumerate(sent):
        where = f"DeliveryDays[{i}]."
        uid = req_int(item, "DeliveryDayUID", where + "DeliveryDayUID")
        if uid and uid not in current:
            raise fail(400, f"{where}DeliveryDayUID {uid} does not exist.")
        uid = uid or state.next_id("day")
        current[uid] = {
            "DeliveryDayUID": uid,
            "DeliveryUID": method.uid,
            "WeekDay": req_enum(item, "WeekDay", tuple(range(7)), where + "WeekDay"),
            "StaticDate": item.get("StaticDate"),
            "StartTime": req_str(item, "StartTime", where + "StartTime"),
            "EndTime": req_str(item, "EndTime", where + "EndTime"),
            "Allow": req_bool(item, "Allow", where + "Allow"),
        }
    method.delivery_days = list(current.values())


def upsert_method_from(
    state: LeadExecState, client_uid: int, body: dict[str, Any]
) -> DeliveryMethod:
    uid = req_int(body, "ClientDeliveryUID")
    if req_int(body, "ClientUID") != client_uid:
        raise fail(400, "ClientUID in the body does not match the ClientUID in the path.")
    kind = req_enum(body, "Type", tuple(range(12)))  # delivery_type 0-11 (L2289-L2300)
    name = req_str(body, "Name", blank=False)
    status, in_testing = req_bool(body, "Status"), req_bool(body, "inTesting")
    date_added = parse_date(body.get("DateAdded"), "DateAdded", pacific=True)
    lead_type = state.lead_type(req_int(body, "LeadTypeUID")).uid
    cat_uid = req_int(body, "LeadCatUID")
    category = state.categories.get(cat_uid)
    if cat_uid and (category is None or category.lead_type_uid != lead_type):
        raise fail(400, f"LeadCatUID {cat_uid} is not a category of lead type {lead_type}.")
    fields = {}
    for key in FIELD_ORDER:
        fields[key] = req_bool(body, key) if key in BOOL_FIELDS else req_str(body, key)
    if uid:
        method = state.method(uid)
        if method.client_uid != client_uid:
            raise fail(400, f"ClientDeliveryUID {uid} is not a delivery method of this client.")
    else:
        method = DeliveryMethod(
            state.next_id("method"), client_uid, kind, name, status, date_added, lead_type
        )
    settings = _list(body, "FieldSettings", "Settings")
    days = _list(body, "DeliveryDays")
    # Validate everything on a copy first, so a bad nested item changes nothing.
    draft = DeliveryMethod(
        method.uid,
        client_uid,
        kind,
        name,
        status,
        date_added,
        lead_type,
        cat_uid,
        in_testing,
        fields,
        [dict(s, FieldMappings=list(s["FieldMappings"])) for s in method.field_settings],
        [dict(d) for d in method.delivery_days],
    )
    _merge_settings(state, draft, settings)
    _merge_days(state, draft, days)
    state.methods[draft.uid] = draft
    return draft
