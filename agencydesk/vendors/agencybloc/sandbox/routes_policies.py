"""The four documented policy resources, all POST with a form body (L5-L184)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.agencybloc.sandbox.auth import authenticated_form
from agencydesk.vendors.agencybloc.sandbox.responses import exception, success
from agencydesk.vendors.agencybloc.sandbox.serialize import detail, search_row
from agencydesk.vendors.agencybloc.sandbox.state import AgencyBlocState, Policy
from agencydesk.vendors.agencybloc.sandbox.writes import apply_fields, bad, parse_date
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.faults import FaultController
from agencydesk.vendors.sandbox_kit.http import RespondWith, json_response
from agencydesk.vendors.sandbox_kit.ratelimit import RateLimiter

CREATE_REQUIRED = ("entityID", "entityTypeID", "policyCoverageType", "policyStatus", "carrier")
ENTITY_TYPES = ("Group", "Individual")
DEFAULT_SEARCH_LIMIT = 50  # L77, L90


def _int_param(form: dict[str, str], name: str) -> int | None:
    raw = form.get(name, "").strip()
    if not raw:
        return None
    if not raw.lstrip("-").isdigit():
        raise bad(f"{name} must be an integer, got {raw!r}")
    return int(raw)


@dataclass(slots=True)
class PolicyRoutes:
    state: AgencyBlocState
    limiter: RateLimiter
    faults: FaultController
    clock: SandboxClock

    def routes(self) -> list[Route]:
        base = "/api/v1/policies"
        return [
            Route(f"{base}/create", self.create, methods=["POST"]),
            Route(f"{base}/search", self.search, methods=["POST"]),
            Route(f"{base}/detail", self.detail, methods=["POST"]),
            Route(f"{base}/update", self.update, methods=["POST"]),
        ]

    async def create(self, request: Request) -> Response:  # L5-L72
        form = await authenticated_form(request, self.state, self.limiter)
        missing = [name for name in CREATE_REQUIRED if not form.get(name, "").strip()]
        if missing:
            raise bad(f"Missing required parameter(s): {', '.join(missing)}")
        entity_type = form["entityTypeID"].strip()
        if entity_type not in ENTITY_TYPES:  # L12: 'Must contain "Group" or "Individual".'
            raise bad('entityTypeID must contain "Group" or "Individual"')
        entity_id = _int_param(form, "entityID")
        holder = self.state.holders.get((entity_type, entity_id or 0))
        if holder is None:
            raise bad(f"{entity_type} with entityID {entity_id} was not found")
        carrier = self.state.carrier(form["carrier"])
        if carrier is None:
            raise bad(f"Carrier '{form['carrier']}' was not found")
        with self.state.lock:
            # Lookup ids and the policy id are set only once every value has parsed, so a bad
            # date creates neither a policy nor a new dropdown value.
            policy = Policy(
                id=0,
                holder=holder,
                carrier=carrier,
                status_id=0,
                coverage_type_id=0,
                updated=self.clock.now(),
            )
            apply_fields(self.state, policy, form, creating=True)  # sets the required dropdowns
            policy.id = self.state.new_policy_id()
            self.state.policies[policy.id] = policy
        return success(policy.id, "create")  # L72

    async def search(self, request: Request) -> Response:  # L73-L107
        form = await authenticated_form(request, self.state, self.limiter)
        limit = _int_param(form, "limit")
        if limit is None:
            limit = DEFAULT_SEARCH_LIMIT
        if limit < 0:
            raise bad("limit must be 0 (all results) or a positive number")
        matches = self._filter(form)
        if limit:
            matches = matches[:limit]
        rows = [
            search_row(self.state, p, wrong_types=self.faults.take_wrong_types()) for p in matches
        ]
        return json_response(rows)  # a bare array, no total (L104-L107)

    def _filter(self, form: dict[str, str]) -> list[Policy]:
        policies = sorted(self.state.policies.values(), key=lambda p: p.id)
        lookups = self.state.lookups

        def text_is(name: str, value: str | None) -> bool:
            wanted = form.get(name, "").strip()
            return not wanted or (value or "").casefold() == wanted.casefold()

        entity_id = _int_param(form, "entityID")
        agent_id = _int_param(form, "servicingAgentID")
        after = (
            parse_date("appSubmitDateAfter", form["appSubmitDateAfter"])
            if form.get("appSubmitDateAfter", "").strip()
            else None
        )
        before = (
            parse_date("appSubmitDateBefore", form["appSubmitDateBefore"])
            if form.get("appSubmitDateBefore", "").strip()
            else None
        )
        updated_since = None
        if form.get("updatedDTM", "").strip():  # L87: modified on or after the date
            day = parse_date("updatedDTM", form["updatedDTM"])
            updated_since = datetime.combine(day, time(), tzinfo=UTC)
        out = []
        for p in policies:
            agent = p.servicing_agent
            if not (
                text_is("policyNumber", p.policy_number)
                and text_is("carrier", p.carrier.name)
                and text_is(
                    "policyCoverageType", lookups.text("policyCoverageType", p.coverage_type_id)
                )
                and text_is("entityTypeID", p.holder.type)
                and text_is("servicingAgentLastName", agent.last_name if agent else None)
                and text_is("servicingAgentFirstName", agent.first_name if agent else None)
            ):
                continue
            if entity_id is not None and p.holder.id != entity_id:
                continue
            if agent_id is not None and (agent is None or agent.id != agent_id):
                continue
            if after and (p.app_submit_date is None or p.app_submit_date < after):
                continue
            if before and (p.app_submit_date is None or p.app_submit_date > before):
                continue
            if updated_since and p.updated < updated_since:
                continue
            out.append(p)
        return out

    def _policy(self, form: dict[str, str]) -> Policy:
        policy_id = _int_param(form, "policyID")
        if policy_id is None:
            raise bad("Missing required parameter: policyID")
        policy = self.state.policies.get(policy_id)
        if policy is None:
            raise RespondWith(exception(404, f"Policy {policy_id} was not found"))
        return policy

    async def detail(self, request: Request) -> Response:  # L108-L129
        form = await authenticated_form(request, self.state, self.limiter)
        policy = self._policy(form)
        return json_response(detail(self.state, policy, wrong_types=self.faults.take_wrong_types()))

    async def update(self, request: Request) -> Response:  # L130-L184
        form = await authenticated_form(request, self.state, self.limiter)
        policy = self._policy(form)
        with self.state.lock:
            apply_fields(self.state, policy, form, creating=False)
            policy.updated = self.clock.now()
        return success(policy.id, "update")  # L184
