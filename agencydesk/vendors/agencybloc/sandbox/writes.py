"""Applying create/update form parameters to a policy, as L7-L69 and L132-L181 describe.

Values arrive as form strings. Dates are ``01/01/2013`` (L38), i.e. MM/DD/YYYY. Dropdown values
are created when new (L3). Agents and account managers that do not match are silently not
assigned (L53, L64). Custom fields are ``custom_<exact name>`` with ``||`` between checkbox-list
values (L66-L69).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from agencydesk.vendors.agencybloc.sandbox.responses import exception
from agencydesk.vendors.agencybloc.sandbox.state import AgencyBlocState, Coverage, Policy
from agencydesk.vendors.sandbox_kit.http import RespondWith

DATE_FIELDS = {
    "appSubmitDate": "app_submit_date",
    "effectiveDate": "effective_date",
    "renewalDate": "renewal_date",
    "termDate": "term_date",
    "issueDate": "issue_date",
}
TEXT_FIELDS = {
    "policyNumber": "policy_number",
    "waitingPeriod": "waiting_period",
    "classifications": "classifications",
    "notes": "notes",
}
FLOAT_FIELDS = {"premium": "premium", "renewalIncrease": "renewal_increase"}
INT_FIELDS = {"payFrequency": "pay_frequency", "lives": "lives"}
DROPDOWN_ATTRS = {
    "policyStatus": "status_id",
    "policyCoverageType": "coverage_type_id",
    "projectCode": "project_code_id",
}


def bad(message: str) -> RespondWith:
    return RespondWith(exception(400, message))


def parse_date(name: str, text: str) -> date:
    """``MM/DD/YYYY`` (L38); anything else is refused naming the parameter (an assumption)."""
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError as exc:
        raise bad(f"{name} must be a date formatted as MM/DD/YYYY, got {text!r}") from exc


def parse_number(name: str, text: str, kind: type[int] | type[float]) -> int | float:
    """Plain digits, a dot and decimals for a float: the one form our client sends (the document
    gives no number format; assumptions.py)."""
    pattern = r"-?\d+" if kind is int else r"-?\d+(\.\d+)?"
    if re.fullmatch(pattern, text.strip()) is None:
        raise bad(f"{name} must be a number like 1234.50, got {text!r}")
    return kind(text.strip())


def apply_fields(
    state: AgencyBlocState, policy: Policy, form: dict[str, str], *, creating: bool
) -> None:
    """Set every documented optional parameter present in ``form`` on ``policy``.

    Values are all parsed before anything changes, so a bad date leaves the policy untouched.
    An empty value clears an optional field; an empty dropdown or carrier is left as it was.
    """
    changes: dict[str, Any] = {}
    for param, attr in DATE_FIELDS.items():
        if param in form:
            changes[attr] = parse_date(param, form[param]) if form[param].strip() else None
    for param, attr in FLOAT_FIELDS.items():
        if param in form:
            changes[attr] = parse_number(param, form[param], float) if form[param].strip() else None
    for param, attr in INT_FIELDS.items():
        if param in form:
            changes[attr] = parse_number(param, form[param], int) if form[param].strip() else None
    for param, attr in TEXT_FIELDS.items():
        if param in form:
            changes[attr] = form[param] or None
    carrier = None
    if form.get("carrier", "").strip():
        carrier = state.carrier(form["carrier"])
        if carrier is None:
            raise bad(f"Carrier '{form['carrier']}' was not found")
    product = form.get("carrierProduct", "").strip()
    if product and carrier is None:
        # L36 / L158: "The Carrier must be specified when this value is provided."
        raise bad("carrier is required when carrierProduct is provided")

    for attr, value in changes.items():
        setattr(policy, attr, value)
    if carrier is not None:
        policy.carrier = carrier
    for param, attr in DROPDOWN_ATTRS.items():
        if form.get(param, "").strip():
            setattr(policy, attr, state.lookups.id_for(param, form[param]))
    if product and carrier is not None:
        state.product_for(carrier, product)
        _apply_coverage(state, policy, product)
    _apply_people(state, policy, form, creating=creating)
    _apply_custom(state, policy, form)


def _apply_coverage(state: AgencyBlocState, policy: Policy, product: str) -> None:
    """L158: one existing coverage is updated; otherwise (none, or several) one is added."""
    if len(policy.coverages) == 1:
        policy.coverages[0].carrier_product = product
    else:
        policy.coverages.append(Coverage(state.new_coverage_id(), product))


def _apply_people(
    state: AgencyBlocState, policy: Policy, form: dict[str, str], *, creating: bool
) -> None:
    for role, attr in (("servicingAgent", "servicing_agent"), ("signedByAgent", "signed_by_agent")):
        raw_id = form.get(f"{role}ID", "").strip()
        first = form.get(f"{role}FirstName", "")
        last = form.get(f"{role}LastName", "")
        if raw_id:
            agent = state.agents.get(int(raw_id)) if raw_id.isdigit() else None
        elif first or last:
            agent = state.agent_by_name(first, last)
        else:
            continue
        if agent is not None:  # no match: "the agent will not be assigned" (L53)
            setattr(policy, attr, agent)
    # accountManager is documented for create only (L57-L58); update has no such parameter.
    manager = form.get("accountManager", "").strip()
    if creating and manager:
        user = state.users.get(int(manager)) if manager.isdigit() else state.user_by_name(manager)
        if user is not None:
            policy.account_manager = user


def _apply_custom(state: AgencyBlocState, policy: Policy, form: dict[str, str]) -> None:
    for param, value in form.items():
        if not param.startswith("custom_"):
            continue
        definition = state.custom_fields.get(param.removeprefix("custom_"))
        if definition is None:  # names must match the custom-fields page exactly (L68)
            continue
        if definition.checkbox_list:
            for option in value.split("||"):  # new options are added (L3)
                if option and option not in definition.options:
                    definition.options.append(option)
        policy.custom[definition.name] = value
