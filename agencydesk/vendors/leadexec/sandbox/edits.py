""" "Someone edits this record at LeadExec" for conflict tests: changes use the vendor's own field
names (a client's ``Status`` or ``Notes``, or a client field's Descriptor such as ``Company`` or
``Email``; a lead field's Descriptor; an order's ``Status``...)."""

from __future__ import annotations

from typing import Any

from agencydesk.vendors.leadexec.sandbox.state import CLIENT_STATUSES, LeadExecState
from agencydesk.vendors.sandbox_kit.clock import SandboxClock

CLIENT_INFO = {
    "Status": "status",
    "Notes": "notes",
    "GroupUID": "group_uid",
    "Username": "username",
    "Priority": "priority",
    "TimeZoneName": "time_zone_name",
    "TimeOffset": "time_offset",
    "OverrideReassign": "override_reassign",
    "AutomationType": "automation_type",
}
ACCOUNT = {
    "Price": "price",
    "Status": "status",
    "Description": "description",
    "AutomationEnabled": "automation_enabled",
    "DayMax": "day_max",
}
GROUP = {"Description": "description", "DisplayOrder": "display_order"}


def _set(record: object, mapping: dict[str, str], changes: dict[str, Any], kind: str) -> None:
    for name, value in changes.items():
        if name not in mapping:
            raise ValueError(f"{kind} has no editable field {name!r}")
        setattr(record, mapping[name], value)


def edit_at_vendor(
    state: LeadExecState, clock: SandboxClock, kind: str, record_id: str, changes: dict[str, Any]
) -> None:
    uid = int(record_id)
    with state.lock:
        if kind == "client":
            client = state.client(uid)
            descriptors = {d.descriptor: d.uid for d in state.client_fields.values()}
            for name, value in changes.items():
                if name in descriptors:
                    old = client.values.get(descriptors[name])
                    if old is not None and old != value:
                        client.past_values.setdefault(descriptors[name], []).append(old)
                    client.values[descriptors[name]] = str(value)
                elif name == "Status" and value not in CLIENT_STATUSES:
                    raise ValueError(f"client Status {value!r} is not a ClientStatus")
                else:
                    _set(client, CLIENT_INFO, {name: value}, "client")
        elif kind == "lead":
            lead = state.lead(uid, clock.now())
            names = {f.descriptor for f in state.fields_of(lead.lead_type_uid)}
            for name, value in changes.items():
                if name not in names:
                    raise ValueError(f"lead type {lead.lead_type_uid} has no field {name!r}")
                lead.values[name] = str(value)
        elif kind == "order":
            if uid not in state.orders:
                raise KeyError(f"order {uid}")
            _set(
                state.orders[uid],
                {"Status": "status", "AutoCharge": "auto_charge"},
                changes,
                "order",
            )
        elif kind == "group":
            if uid not in state.groups:
                raise KeyError(f"group {uid}")
            _set(state.groups[uid], GROUP, changes, "group")
        elif kind == "account":
            if uid not in state.accounts:
                raise KeyError(f"account {uid}")
            _set(state.accounts[uid], ACCOUNT, changes, "account")
        else:
            raise ValueError(f"unknown LeadExec record kind {kind!r}")
