"""Every AgencyBloc write changes, at the vendor, exactly what the user changed (issue 15).

The update parameters are the document's list (L135-L171); the sandbox stores every one of them
(the inspector shows fields detail never returns, L117-L129 lacks waitingPeriod and
classifications). For each field AgencyDesk lets a user edit, the edit goes through the real
connector and the inspector shows that nothing else moved. Statuses are the agency's own names
(L15): they map by meaning, never by a word found inside them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from agencydesk.domain import Policy, PolicyStatus, RecordKind
from agencydesk.vendors.agencybloc import mapping as m
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.connector import PushRequest
from agencydesk.vendors.value_maps import SETTING, ValueMap
from tests.vendors.test_agencybloc_support import agencybloc
from tests.vendors.writeback_support import changed, filled, inspect

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]

# The update parameters of L135-L171 (custom_<name> aside), as the inspector names them.
DOCUMENTED_UPDATE_FIELDS = [
    "policyNumber", "policyCoverageType", "policyStatus", "carrier", "appSubmitDate",
    "effectiveDate", "renewalDate", "renewalIncrease", "termDate", "premium", "payFrequency",
    "lives", "projectCode", "waitingPeriod", "classifications", "notes", "carrierProducts",
    "issueDate", "servicingAgentID", "signedByAgentID", "custom",
]  # fmt: skip
POLICY_ID = "100002"


def _edit_values(state: Any, policy: Policy) -> dict[str, Any]:
    """A new value for every field AgencyDesk lets a user edit (mapping.EDITS)."""
    other_carrier = next(c.name for c in state.carriers.values() if c.name != policy.carrier)
    other_line = next(v for v in ("Dental", "Term Life") if v != policy.line_of_business)
    return {
        "policy_number": "WB-2026-0001",
        "carrier": other_carrier,
        "line_of_business": other_line,
        "premium_cents": 123_456,
        "effective_date": date(2026, 2, 1),
        "expiration_date": date(2027, 2, 1),
        "status": PolicyStatus.CANCELLED,
    }


def _fill_every_field(rig: Any) -> None:
    """Someone in AMS+ filled every field the seed left empty on the policy."""
    rig.sandbox.edit_at_vendor(
        "policy",
        POLICY_ID,
        {"termDate": "12/31/2027", "projectCode": "AEP 2025", "custom_Referral Source": "Website"},
    )


async def _read(rig: Any, remote_id: str) -> Policy:
    pages = [p async for p in rig.connector.pull(rig.connector.streams()[0], None)]
    return next(
        r
        for p in pages
        for r in p.records
        if isinstance(r, Policy) and r.provenance.remote_id == remote_id
    )


def _update(policy: Policy, **changes: Any) -> PushRequest:
    return PushRequest(
        "update",
        RecordKind.POLICY,
        replace(policy, **changes),
        policy.provenance.remote_id,
        dict(changes),
        dict(policy.raw),
    )


async def test_the_sandbox_stores_every_documented_update_field_seeded() -> None:
    async with agencybloc() as rig:
        _fill_every_field(rig)
        stored = await inspect(rig.sandbox, "policies", POLICY_ID)
        assert filled(stored, DOCUMENTED_UPDATE_FIELDS) == []
        # Stored though the vendor's detail never returns them (L117-L129).
        assert stored["waitingPeriod"]
        assert stored["classifications"]


@pytest.mark.parametrize("field", sorted(m.EDITS))
async def test_editing_one_field_changes_only_that_field_at_the_vendor(field: str) -> None:
    async with agencybloc() as rig:
        _fill_every_field(rig)
        policy = await _read(rig, POLICY_ID)
        value = _edit_values(rig.state, policy)[field]
        before = await inspect(rig.sandbox, "policies", POLICY_ID)
        saved = await rig.connector.push(_update(policy, **{field: value}))
        after = await inspect(rig.sandbox, "policies", POLICY_ID)
        parameter = m.EDITS[field][0]
        assert changed(before, after) == {parameter}
        assert isinstance(saved, Policy)
        assert getattr(saved, field) == value


async def test_create_stores_only_what_was_typed_plus_the_vendors_defaults() -> None:
    async with agencybloc() as rig:
        policy = await _read(rig, POLICY_ID)
        typed = Policy(
            policy_number="NEW-WB-1",
            carrier=policy.carrier,
            line_of_business="Dental",
            premium_cents=45_000,
            status=PolicyStatus.PENDING,
        )
        holder = f"{policy.raw['HolderType']}:{policy.raw['HolderID']}"
        request = PushRequest(
            "create", RecordKind.POLICY, typed, "", {}, {}, {"customer_id": holder}
        )
        saved = await rig.connector.push(request)
        assert saved is not None
        stored = await inspect(rig.sandbox, "policies", saved.provenance.remote_id)
        assert stored["policyNumber"] == "NEW-WB-1"
        assert stored["carrier"] == policy.carrier
        assert stored["policyCoverageType"] == "Dental"
        assert stored["premium"] == 450.0
        assert stored["policyStatus"] == "Pending"
        untyped = [
            name
            for name in DOCUMENTED_UPDATE_FIELDS
            if name
            not in {"policyNumber", "carrier", "policyCoverageType", "premium", "policyStatus"}
        ]
        # Nothing of another policy, nothing guessed: every other field is empty.
        assert filled(stored, untyped) == untyped


# -- statuses: by meaning, never by guess (issue 15 case "AgencyBloc writes the wrong status") --


async def test_a_status_name_without_a_known_meaning_reads_as_the_vendors_own() -> None:
    async with agencybloc() as rig:
        rig.sandbox.edit_at_vendor("policy", POLICY_ID, {"policyStatus": "Declined"})
        policy = await _read(rig, POLICY_ID)
        assert policy.status is PolicyStatus.OTHER  # not "active", as a keyword guess had it
        assert policy.raw["StatusDescript"] == "Declined"
        assert m.status_of("Inactive") is PolicyStatus.OTHER  # holds "active", means the reverse
        assert m.status_of("Cancelled") is PolicyStatus.CANCELLED


async def test_editing_another_field_never_writes_the_unmapped_status() -> None:
    async with agencybloc() as rig:
        rig.sandbox.edit_at_vendor("policy", POLICY_ID, {"policyStatus": "Declined"})
        policy = await _read(rig, POLICY_ID)
        await rig.connector.push(_update(policy, premium_cents=77_700))
        stored = await inspect(rig.sandbox, "policies", POLICY_ID)
        assert stored["policyStatus"] == "Declined"
        assert stored["premium"] == 777.0


async def test_writing_active_never_picks_a_name_that_does_not_mean_active() -> None:
    async with agencybloc() as rig:
        # This agency has no status called Active: theirs is "In Good Standing".
        rig.state.lookups.rename("policyStatus", "Active", "In Good Standing")
        rig.sandbox.edit_at_vendor("policy", POLICY_ID, {"policyStatus": "Pending"})
        policy = await _read(rig, POLICY_ID)
        before = await inspect(rig.sandbox, "policies", POLICY_ID)
        with pytest.raises(errors.ValidationFailed) as refused:
            await rig.connector.push(_update(policy, status=PolicyStatus.ACTIVE))
        assert "status" in refused.value.field_errors
        assert "Settings" in refused.value.field_errors["status"]
        assert await inspect(rig.sandbox, "policies", POLICY_ID) == before
        statuses = rig.state.lookups.values("policyStatus")
        assert "Declined" in statuses
        assert "active" not in [s.casefold() for s in statuses]


async def test_the_users_mapping_is_used_to_read_and_to_write() -> None:
    values = ValueMap().with_value(m.STATUS_FIELD, "In Good Standing", "active")
    values = values.with_value(m.STATUS_FIELD, "Terminated", "expired")
    async with agencybloc() as first:
        secrets = {**first.sandbox.credentials, SETTING: values.to_json()}
    async with agencybloc(secrets=secrets) as rig:
        rig.state.lookups.rename("policyStatus", "Active", "In Good Standing")
        rig.sandbox.edit_at_vendor("policy", POLICY_ID, {"policyStatus": "Terminated"})
        policy = await _read(rig, POLICY_ID)
        assert policy.status is PolicyStatus.EXPIRED
        saved = await rig.connector.push(_update(policy, status=PolicyStatus.ACTIVE))
        stored = await inspect(rig.sandbox, "policies", POLICY_ID)
        assert stored["policyStatus"] == "In Good Standing"
        assert saved is not None
        assert saved.status is PolicyStatus.ACTIVE  # type: ignore[attr-defined]


async def test_a_status_that_means_nothing_here_is_never_written() -> None:
    async with agencybloc() as rig:
        policy = await _read(rig, POLICY_ID)
        with pytest.raises(errors.ValidationFailed):
            await rig.connector.push(_update(policy, status=PolicyStatus.OTHER))
