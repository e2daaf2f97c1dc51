"""AgencyBloc AMS+ Policies sandbox, conformance with agencybloc-policies-api.txt over HTTP."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.server import serve

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]

DOC = Path("/work/shared/vendor-docs/agencybloc-policies-api.txt")
BASE = "https://app.agencybloc.com"
ENVELOPE = "Agencybloc Response"


def make_sandbox(clock: SandboxClock, **options: Any) -> Sandbox:
    from agencydesk.vendors.agencybloc.sandbox import create_sandbox

    return create_sandbox(SandboxOptions(clock=clock, **options))


@pytest.fixture
def sandbox(frozen_clock: SandboxClock) -> Sandbox:
    return make_sandbox(frozen_clock)


def client_for(sandbox: Sandbox) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app), base_url=BASE)


async def call(sandbox: Sandbox, resource: str, **params: Any) -> httpx.Response:
    """POST a form body with the sandbox's sid/key, as the help pages describe."""
    body = {**sandbox.credentials, **{k: str(v) for k, v in params.items()}}
    async with client_for(sandbox) as client:
        return await client.post(f"/api/v1/policies/{resource}", data=body)


def exception_of(response: httpx.Response) -> dict[str, str]:
    body = response.json()
    assert list(body) == [ENVELOPE]
    return body[ENVELOPE]["Exception"]  # type: ignore[no-any-return]


def an_individual(sandbox: Sandbox) -> int:
    holder_id: int = next(h.id for h in sandbox.state.holders.values() if h.type == "Individual")
    return holder_id


# -- auth and request encoding -------------------------------------------------------------------


async def test_missing_or_wrong_credentials_get_the_exception_envelope(sandbox: Sandbox) -> None:
    async with client_for(sandbox) as client:
        bare = await client.post("/api/v1/policies/search", data={"limit": "1"})
        wrong = await client.post(
            "/api/v1/policies/search", data={"sid": sandbox.credentials["sid"], "key": "nope"}
        )
    for response in (bare, wrong):
        assert response.status_code == 401
        error = exception_of(response)
        assert set(error) == {"Status", "Title", "Message"}
        assert error["Status"] == "401"


async def test_query_string_is_ignored_even_for_credentials(sandbox: Sandbox) -> None:
    # L9: "Parameters found in the querystring of the request will be ignored"
    async with client_for(sandbox) as client:
        response = await client.post("/api/v1/policies/search", params=sandbox.credentials)
    assert response.status_code == 401


async def test_query_string_limit_is_ignored(sandbox: Sandbox) -> None:
    async with client_for(sandbox) as client:
        response = await client.post(
            "/api/v1/policies/search", params={"limit": "0"}, data=sandbox.credentials
        )
    assert response.status_code == 200
    assert len(response.json()) == 50


async def test_json_body_is_not_read(sandbox: Sandbox) -> None:
    async with client_for(sandbox) as client:
        response = await client.post("/api/v1/policies/search", json=sandbox.credentials)
    assert response.status_code == 401


async def test_get_is_not_a_method_of_the_api(sandbox: Sandbox) -> None:
    async with client_for(sandbox) as client:
        response = await client.get("/api/v1/policies/search")
    assert response.status_code == 405


# -- search ---------------------------------------------------------------------------------------


async def test_search_defaults_to_50_and_limit_zero_returns_everything(sandbox: Sandbox) -> None:
    total = len(sandbox.state.policies)
    assert total > 50
    default = await call(sandbox, "search")
    everything = await call(sandbox, "search", limit=0)
    five = await call(sandbox, "search", limit=5)
    assert len(default.json()) == 50  # L77, L90
    assert len(everything.json()) == total
    assert len(five.json()) == 5
    ids = [row["policyID"] for row in everything.json()]
    assert len(set(ids)) == total


async def test_search_rows_have_the_documented_shape(sandbox: Sandbox) -> None:
    rows = (await call(sandbox, "search", limit=0)).json()
    assert isinstance(rows, list)  # a bare array (L106)
    row = rows[0]
    assert list(row) == [
        "policyID",
        "entityID",
        "entityTypeID",
        "policyNumber",
        "carrier",
        "policyStatus",
        "policyCoverageType",
        "effectiveDate",
        "renewalDate",
        "detailURL",
    ]
    assert isinstance(row["policyID"], int)
    assert isinstance(row["entityID"], int)
    assert row["entityTypeID"] in ("Group", "Individual")
    assert row["detailURL"] == "https://app.agencybloc.com/api/v1/policies/detail"
    assert row["effectiveDate"].endswith("T00:00:00")
    assert {r["entityTypeID"] for r in rows} == {"Group", "Individual"}


async def test_search_filters_by_entity_carrier_and_dates(sandbox: Sandbox) -> None:
    rows = (await call(sandbox, "search", limit=0)).json()
    first = rows[0]
    by_entity = (
        await call(
            sandbox,
            "search",
            limit=0,
            entityID=first["entityID"],
            entityTypeID=first["entityTypeID"],
        )
    ).json()
    assert by_entity
    assert all(r["entityID"] == first["entityID"] for r in by_entity)
    by_carrier = (await call(sandbox, "search", limit=0, carrier=first["carrier"])).json()
    assert all(r["carrier"] == first["carrier"] for r in by_carrier)
    assert len(by_carrier) < len(rows)
    policy = sandbox.state.policies[first["policyID"]]
    day = policy.app_submit_date.strftime("%m/%d/%Y")
    window = (
        await call(sandbox, "search", limit=0, appSubmitDateAfter=day, appSubmitDateBefore=day)
    ).json()
    assert first["policyID"] in [r["policyID"] for r in window]
    assert all(
        sandbox.state.policies[r["policyID"]].app_submit_date == policy.app_submit_date
        for r in window
    )


async def test_updated_dtm_returns_only_policies_changed_on_or_after(
    sandbox: Sandbox, frozen_clock: SandboxClock
) -> None:
    target = next(iter(sandbox.state.policies))
    today = frozen_clock.now().strftime("%m/%d/%Y")
    assert (await call(sandbox, "search", limit=0, updatedDTM=today)).json() == []
    await call(sandbox, "update", policyID=target, notes="called the client")
    changed = (await call(sandbox, "search", limit=0, updatedDTM=today)).json()
    assert [r["policyID"] for r in changed] == [target]


async def test_bad_date_is_refused_naming_the_parameter(sandbox: Sandbox) -> None:
    response = await call(sandbox, "search", updatedDTM="2026-03-10")
    assert response.status_code == 400
    assert "updatedDTM" in exception_of(response)["Message"]


# -- create / detail / update ---------------------------------------------------------------------


async def test_create_answers_the_envelope_with_string_ids_and_detail_shows_it(
    sandbox: Sandbox,
) -> None:
    entity = an_individual(sandbox)
    manager = next(iter(sandbox.state.users.values()))
    created = await call(
        sandbox,
        "create",
        entityID=entity,
        entityTypeID="Individual",
        policyCoverageType="Term Life",
        policyStatus="Active",
        carrier="Mutual of Omaha",
        policyNumber="MOO-1",
        effectiveDate="02/03/2026",
        premium="1250.50",
        lives=1,
        carrierProduct="Term Life 20",
        accountManager=f"{manager.last_name}, {manager.first_name}",
        custom_Riders="Waiver of Premium||Child Term",
    )
    assert created.status_code == 200
    reply = created.json()[ENVELOPE]
    assert reply["Status"] == "200"
    assert reply["Action"] == "create"
    assert isinstance(reply["policyID"], str)
    detail = (await call(sandbox, "detail", policyID=reply["policyID"])).json()
    assert detail["PolicyID"] == int(reply["policyID"])
    assert detail["HolderID"] == entity
    assert detail["HolderType"] == "Individual"
    assert detail["CarrierName"] == "Mutual of Omaha"
    assert detail["StatusDescript"] == "Active"
    assert detail["EffectiveDate"] == "2026-02-03T00:00:00"
    assert detail["Premium"] == 1250.5
    assert detail["AcctMgrUserID"] == manager.id
    assert [c["CarrierProduct"] for c in detail["coverages"]] == ["Term Life 20"]
    assert {"Name": "Riders", "Value": ["Waiver of Premium||Child Term"]} in detail["customFields"]


async def test_create_requires_the_documented_parameters(sandbox: Sandbox) -> None:
    response = await call(sandbox, "create", entityID=an_individual(sandbox))
    assert response.status_code == 400
    message = exception_of(response)["Message"]
    for name in ("entityTypeID", "policyCoverageType", "policyStatus", "carrier"):
        assert name in message
    wrong_type = await call(
        sandbox,
        "create",
        entityID=an_individual(sandbox),
        entityTypeID="Person",
        policyCoverageType="Dental",
        policyStatus="Active",
        carrier="Aetna",
    )
    assert wrong_type.status_code == 400


async def test_a_typo_in_a_status_creates_a_new_status(sandbox: Sandbox) -> None:
    # L3: new dropdown values "will be automatically added".
    before = sandbox.state.lookups.values("policyStatus")
    created = await call(
        sandbox,
        "create",
        entityID=an_individual(sandbox),
        entityTypeID="Individual",
        policyCoverageType="Dental",
        policyStatus="Acitve",
        carrier="Aetna",
    )
    assert created.status_code == 200
    policy_id = created.json()[ENVELOPE]["policyID"]
    detail = (await call(sandbox, "detail", policyID=policy_id)).json()
    assert detail["StatusDescript"] == "Acitve"
    assert "Acitve" not in before
    assert "Acitve" in sandbox.state.lookups.values("policyStatus")
    active_id = sandbox.state.lookups.id_for("policyStatus", "Active")
    assert detail["StatusLookupID"] != active_id


async def test_detail_has_the_documented_keys_and_unknown_id_is_404(sandbox: Sandbox) -> None:
    policy_id = next(iter(sandbox.state.policies))
    detail = (await call(sandbox, "detail", policyID=policy_id)).json()
    for key in (
        "PolicyID",
        "HolderID",
        "HolderType",
        "HolderName",
        "AgentID",
        "AdditionalAgent5Name",
        "CarrierID",
        "StatusLookupID",
        "StatusDescript",
        "AcctMgrName",
        "IssueDate",
        "CoverageTypeDescript",
        "PayFreq",
        "coverages",
        "customFields",
        "Active",
        "Deleted",
    ):
        assert key in detail
    missing = await call(sandbox, "detail", policyID=1)
    assert missing.status_code == 404
    assert exception_of(missing)["Status"] == "404"
    no_id = await call(sandbox, "detail")
    assert no_id.status_code == 400


async def test_update_changes_only_what_is_sent_and_updates_the_single_coverage(
    sandbox: Sandbox,
) -> None:
    policy_id, policy = next(
        (pid, p) for pid, p in sandbox.state.policies.items() if len(p.coverages) == 1
    )
    before = (await call(sandbox, "detail", policyID=policy_id)).json()
    updated = await call(
        sandbox,
        "update",
        policyID=policy_id,
        policyStatus="Lapsed",
        carrier=policy.carrier.name,
        carrierProduct="Brand New Product",
    )
    assert updated.json() == {
        ENVELOPE: {"Status": "200", "policyID": str(policy_id), "Action": "update"}
    }
    after = (await call(sandbox, "detail", policyID=policy_id)).json()
    assert after["StatusDescript"] == "Lapsed"
    assert after["PolicyNumber"] == before["PolicyNumber"]
    assert after["Premium"] == before["Premium"]
    # L158: a single existing coverage is updated, not added to.
    assert [c["CarrierProduct"] for c in after["coverages"]] == ["Brand New Product"]
    assert after["coverages"][0]["PolicyCoverageID"] == before["coverages"][0]["PolicyCoverageID"]


async def test_carrier_product_without_carrier_is_refused(sandbox: Sandbox) -> None:
    policy_id = next(iter(sandbox.state.policies))
    response = await call(sandbox, "update", policyID=policy_id, carrierProduct="X")
    assert response.status_code == 400
    assert "carrier" in exception_of(response)["Message"]


async def test_agent_names_that_do_not_match_exactly_are_silently_not_assigned(
    sandbox: Sandbox,
) -> None:
    policy_id = next(iter(sandbox.state.policies))
    agent = next(iter(sandbox.state.agents.values()))
    before = (await call(sandbox, "detail", policyID=policy_id)).json()["AgentID"]
    response = await call(
        sandbox,
        "update",
        policyID=policy_id,
        servicingAgentFirstName=agent.first_name.upper(),
        servicingAgentLastName=agent.last_name,
    )
    assert response.status_code == 200  # L53: no error, the agent is simply not assigned
    assert (await call(sandbox, "detail", policyID=policy_id)).json()["AgentID"] == before


async def test_there_is_no_delete(sandbox: Sandbox) -> None:
    policy_id = next(iter(sandbox.state.policies))
    response = await call(sandbox, "delete", policyID=policy_id)
    assert response.status_code == 404
    assert policy_id in sandbox.state.policies


# -- rate limit, faults, token expiry, edits at the vendor --------------------------------------


async def test_default_rate_limit_answers_429_until_the_window_passes(
    frozen_clock: SandboxClock,
) -> None:
    sandbox = make_sandbox(frozen_clock, default_rate_per_minute=3)
    for _ in range(3):
        assert (await call(sandbox, "search", limit=1)).status_code == 200
    refused = await call(sandbox, "search", limit=1)
    assert refused.status_code == 429
    assert exception_of(refused)["Status"] == "429"
    assert int(refused.headers["Retry-After"]) == 60
    frozen_clock.advance(60)
    assert (await call(sandbox, "search", limit=1)).status_code == 200


async def test_rate_scale_shortens_the_window(frozen_clock: SandboxClock) -> None:
    sandbox = make_sandbox(frozen_clock, default_rate_per_minute=1, rate_scale=10.0)
    assert (await call(sandbox, "search", limit=1)).status_code == 200
    assert (await call(sandbox, "search", limit=1)).status_code == 429
    frozen_clock.advance(6)
    assert (await call(sandbox, "search", limit=1)).status_code == 200


async def test_fault_burst_429_and_server_errors_use_the_exception_envelope(
    sandbox: Sandbox,
) -> None:
    sandbox.faults.burst_429(1, retry_after=7)
    burst = await call(sandbox, "search", limit=1)
    assert burst.status_code == 429
    assert burst.headers["Retry-After"] == "7"
    assert exception_of(burst)["Status"] == "429"
    sandbox.faults.error_rate = 1.0
    failed = await call(sandbox, "search", limit=1)
    assert failed.status_code in (500, 502, 503)
    assert exception_of(failed)["Status"] == str(failed.status_code)
    sandbox.faults.reset()
    assert (await call(sandbox, "search", limit=1)).status_code == 200


async def test_fault_dropped_connection_and_malformed_json(sandbox: Sandbox) -> None:
    sandbox.faults.drop_rate = 1.0
    with pytest.raises(httpx.RemoteProtocolError):
        await call(sandbox, "search", limit=5)
    sandbox.faults.reset()
    sandbox.faults.malformed_rate = 1.0
    response = await call(sandbox, "search", limit=5)
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)


async def test_fault_latency_delays_the_answer(sandbox: Sandbox) -> None:
    sandbox.faults.latency_ms = 80
    started = time.perf_counter()
    assert (await call(sandbox, "search", limit=1)).status_code == 200
    assert time.perf_counter() - started >= 0.08


async def test_fault_wrong_types_in_search_and_detail(sandbox: Sandbox) -> None:
    sandbox.faults.wrong_types_next(1)
    rows = (await call(sandbox, "search", limit=3)).json()
    assert isinstance(rows[0]["policyID"], str)
    assert isinstance(rows[1]["policyID"], int)
    sandbox.faults.wrong_types_next(1)
    detail = (await call(sandbox, "detail", policyID=rows[1]["policyID"])).json()
    assert isinstance(detail["PolicyID"], str)


async def test_expire_tokens_regenerates_the_key(sandbox: Sandbox) -> None:
    old = dict(sandbox.credentials)
    sandbox.expire_tokens()
    assert sandbox.credentials["key"] != old["key"]
    async with client_for(sandbox) as client:
        stale = await client.post("/api/v1/policies/search", data=old)
    assert stale.status_code == 401
    assert (await call(sandbox, "search", limit=1)).status_code == 200


async def test_edit_at_vendor_shows_in_detail_and_in_updated_dtm(
    sandbox: Sandbox, frozen_clock: SandboxClock
) -> None:
    policy_id = next(iter(sandbox.state.policies))
    sandbox.edit_at_vendor("policy", str(policy_id), {"premium": 999, "policyStatus": "Pending"})
    detail = (await call(sandbox, "detail", policyID=policy_id)).json()
    assert detail["Premium"] == 999
    assert detail["StatusDescript"] == "Pending"
    today = frozen_clock.now().strftime("%m/%d/%Y")
    changed = (await call(sandbox, "search", limit=0, updatedDTM=today)).json()
    assert [r["policyID"] for r in changed] == [policy_id]


# -- data, registry, real server -------------------------------------------------------------------


async def test_holders_are_agencyzoom_customers_and_seeding_is_deterministic(
    frozen_clock: SandboxClock,
) -> None:
    one, two = make_sandbox(frozen_clock), make_sandbox(frozen_clock)
    pop = one.extra["population"]
    az_customers = {p.id for p in pop.people_at("agencyzoom", "customer")}
    individuals = [h for h in one.state.holders.values() if h.type == "Individual"]
    assert individuals
    for holder in individuals:
        assert int(holder.person_key) in az_customers
        assert holder.name == pop.person(int(holder.person_key)).name
    assert one.credentials == two.credentials
    assert [(p.id, p.policy_number) for p in one.state.policies.values()] == [
        (p.id, p.policy_number) for p in two.state.policies.values()
    ]


async def test_endpoint_registry_matches_the_document() -> None:
    from agencydesk.vendors.agencybloc.sandbox import ASSUMPTIONS, ENDPOINTS

    lines = DOC.read_text(encoding="utf-8").splitlines()
    assert len(ENDPOINTS) == 4
    for endpoint in ENDPOINTS:
        assert endpoint.served
        assert endpoint.method == "POST"
        assert lines[endpoint.doc_line - 1].strip() == f"{BASE}{endpoint.path}"
    assert len(ASSUMPTIONS) >= 10


async def test_over_a_real_server_on_loopback(sandbox: Sandbox) -> None:
    with serve(sandbox.app) as server:
        async with httpx.AsyncClient(base_url=server.base_url) as client:
            response = await client.post(
                "/api/v1/policies/search", data={**sandbox.credentials, "limit": "0"}
            )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert len(response.json()) == len(sandbox.state.policies)


def doc_json(first_line: int, last_line: int) -> Any:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    return json.loads("\n".join(lines[first_line - 1 : last_line]))


async def test_search_and_detail_keys_are_exactly_the_documented_ones(sandbox: Sandbox) -> None:
    documented_row = doc_json(106, 107)[0]  # L106-L107
    documented_detail = doc_json(117, 129)  # L117-L129
    row = (await call(sandbox, "search", limit=1)).json()[0]
    assert list(row) == list(documented_row)
    detail = (await call(sandbox, "detail", policyID=row["policyID"])).json()
    assert list(detail) == list(documented_detail)
    assert set(detail["coverages"][0]) == set(documented_detail["coverages"][0])
    created = await call(
        sandbox,
        "create",
        entityID=an_individual(sandbox),
        entityTypeID="Individual",
        policyCoverageType="Dental",
        policyStatus="Active",
        carrier="Aetna",
        custom_Riders="Child Term",
    )
    assert created.json().keys() == doc_json(72, 72).keys()  # L72
    assert created.json()[ENVELOPE].keys() == doc_json(72, 72)[ENVELOPE].keys()
    new = (await call(sandbox, "detail", policyID=created.json()[ENVELOPE]["policyID"])).json()
    assert set(new["customFields"][0]) == set(documented_detail["customFields"][0])
    error = await call(sandbox, "detail", policyID="abc")
    assert error.json()[ENVELOPE].keys() == doc_json(187, 187)[ENVELOPE].keys()  # L187


async def test_a_refused_create_adds_no_policy_and_no_dropdown_value(sandbox: Sandbox) -> None:
    policies = len(sandbox.state.policies)
    refused = await call(
        sandbox,
        "create",
        entityID=an_individual(sandbox),
        entityTypeID="Individual",
        policyCoverageType="Brand New Coverage",
        policyStatus="Brand New Status",
        carrier="Aetna",
        effectiveDate="2026-02-03",
    )
    assert refused.status_code == 400
    assert "effectiveDate" in exception_of(refused)["Message"]
    assert len(sandbox.state.policies) == policies
    assert "Brand New Status" not in sandbox.state.lookups.values("policyStatus")
    assert "Brand New Coverage" not in sandbox.state.lookups.values("policyCoverageType")
