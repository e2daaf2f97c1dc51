"""Policies as AgencyBloc answers them: search rows (camelCase, L106-L107) and the detail object
(PascalCase, L117-L129). Dates go out as ``"2019-02-02T00:00:00"`` (L129), although they come in
as ``01/01/2013`` (L38).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from agencydesk.vendors.agencybloc.sandbox.state import AgencyBlocState, Person, Policy

DETAIL_URL = "https://app.agencybloc.com/api/v1/policies/detail"  # the same for every row (L106)


def out_date(value: date | None) -> str | None:
    return None if value is None else f"{value.isoformat()}T00:00:00"


def out_number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def search_row(
    state: AgencyBlocState, policy: Policy, *, wrong_types: bool = False
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "policyID": policy.id,
        "entityID": policy.holder.id,
        "entityTypeID": policy.holder.type,
        "policyNumber": policy.policy_number,
        "carrier": policy.carrier.name,
        "policyStatus": state.lookups.text("policyStatus", policy.status_id),
        "policyCoverageType": state.lookups.text("policyCoverageType", policy.coverage_type_id),
        "effectiveDate": out_date(policy.effective_date),
        "renewalDate": out_date(policy.renewal_date),
        "detailURL": DETAIL_URL,
    }
    if wrong_types:  # fault: a record whose types are not the documented ones
        row["policyID"] = str(policy.id)
        row["entityID"] = str(policy.holder.id)
        row["effectiveDate"] = 20190202
    return row


def _person(person: Person | None) -> tuple[int | None, str | None]:
    return (None, None) if person is None else (person.id, person.full_name)


def detail(state: AgencyBlocState, policy: Policy, *, wrong_types: bool = False) -> dict[str, Any]:
    agent_id, agent_name = _person(policy.servicing_agent)
    signed_id, signed_name = _person(policy.signed_by_agent)
    manager_id, manager_name = _person(policy.account_manager)
    body: dict[str, Any] = {
        "PolicyID": policy.id,
        "HolderID": policy.holder.id,
        "HolderType": policy.holder.type,
        "HolderName": policy.holder.name,
        "AgentID": agent_id,
        "AgentName": agent_name,
        "AgentNumID": 1 if agent_id is not None else None,
    }
    for slot in range(1, 6):  # five additional-agent slots no documented parameter sets (L118-L127)
        body[f"AdditionalAgent{slot}ID"] = None
        body[f"AdditionalAgent{slot}Name"] = None
    body.update(
        {
            "CarrierID": policy.carrier.id,
            "CarrierName": policy.carrier.name,
            "StatusLookupID": policy.status_id,
            "StatusDescript": state.lookups.text("policyStatus", policy.status_id),
            "SignedByAgentID": signed_id,
            "SignedByAgentName": signed_name,
            "AcctMgrUserID": manager_id,
            "AcctMgrName": manager_name,
            "PolicyNumber": policy.policy_number,
            "IssueDate": out_date(policy.issue_date),
            "EffectiveDate": out_date(policy.effective_date),
            "RenewalDate": out_date(policy.renewal_date),
            "RenewalIncrease": out_number(policy.renewal_increase),
            "TermDate": out_date(policy.term_date),
            "Lives": policy.lives,
            "Notes": policy.notes,
            "CommissionFreq": 0,
            "ClientID": 0,
            "Active": policy.active,
            "Deleted": policy.deleted,
            "CoverageTypeLookupID": policy.coverage_type_id,
            "CoverageTypeDescript": state.lookups.text(
                "policyCoverageType", policy.coverage_type_id
            ),
            "Premium": out_number(policy.premium),
            "ProjectCodeLookupID": policy.project_code_id,
            "ProjectCodeDescript": state.lookups.text("projectCode", policy.project_code_id),
            "AppSubmitDate": out_date(policy.app_submit_date),
            "PayFreq": policy.pay_frequency,
            "coverages": [
                {"PolicyCoverageID": c.id, "CarrierProduct": c.carrier_product}
                for c in policy.coverages
            ],
            "customFields": [
                {"Name": name, "Value": [value]} for name, value in policy.custom.items()
            ],
        }
    )
    if wrong_types:
        body["PolicyID"] = str(policy.id)
        body["Premium"] = "one thousand"
        body["Lives"] = "12"
    return body


def stored_policy(state: AgencyBlocState, policy: Policy) -> dict[str, Any]:
    """The whole stored policy for the sandbox-only inspector, under the create/update parameter
    names (L10-L69), including ``waitingPeriod`` and ``classifications`` that detail never
    returns, and the holder, which no documented parameter changes after create."""
    return {
        "policyID": policy.id,
        "entityID": policy.holder.id,
        "entityTypeID": policy.holder.type,
        "policyNumber": policy.policy_number,
        "policyCoverageType": state.lookups.text("policyCoverageType", policy.coverage_type_id),
        "policyStatus": state.lookups.text("policyStatus", policy.status_id),
        "carrier": policy.carrier.name,
        "appSubmitDate": out_date(policy.app_submit_date),
        "effectiveDate": out_date(policy.effective_date),
        "renewalDate": out_date(policy.renewal_date),
        "renewalIncrease": policy.renewal_increase,
        "termDate": out_date(policy.term_date),
        "issueDate": out_date(policy.issue_date),
        "premium": policy.premium,
        "payFrequency": policy.pay_frequency,
        "lives": policy.lives,
        "projectCode": state.lookups.text("projectCode", policy.project_code_id),
        "waitingPeriod": policy.waiting_period,
        "classifications": policy.classifications,
        "notes": policy.notes,
        "carrierProducts": [c.carrier_product for c in policy.coverages],
        "servicingAgentID": _person(policy.servicing_agent)[0],
        "signedByAgentID": _person(policy.signed_by_agent)[0],
        "accountManager": _person(policy.account_manager)[0],
        "custom": dict(policy.custom),
        "active": policy.active,
        "deleted": policy.deleted,
    }
