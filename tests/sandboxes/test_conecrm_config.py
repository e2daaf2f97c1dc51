"""ConeCRM sandbox: stages, saved filters, custom fields and labels, filters, the query builder,
automations, faults and the endpoint registry, from conecrm-api.txt, over HTTP."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import httpx
import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from tests.sandboxes.conecrm_fixtures import cone, first, request

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]
__all__ = ["cone"]

DOC = Path("/work/shared/vendor-docs/conecrm-api.txt")


# -- stages: 201 / 204 -----------------------------------------------------------------------------


async def test_stage_crud_uses_201_and_204(cone: Sandbox) -> None:
    listed = (await request(cone, "GET", "/api/stage")).json()
    assert all(set(s) == {"id", "name"} for s in listed)
    created = await request(cone, "POST", "/api/stage", json={"name": "Follow-up"})
    assert created.status_code == 201
    stage = created.json()
    assert (await request(cone, "GET", f"/api/stage/{stage['id']}")).json() == stage
    renamed = await request(cone, "PATCH", f"/api/stage/{stage['id']}", json={"name": "Later"})
    assert renamed.json() == {"id": stage["id"], "name": "Later"}
    deleted = await request(cone, "DELETE", f"/api/stage/{stage['id']}")
    assert deleted.status_code == 204
    assert (await request(cone, "GET", f"/api/stage/{stage['id']}")).status_code == 404
    assert (await request(cone, "POST", "/api/stage", json={})).status_code == 400


async def test_a_stage_in_use_cannot_be_deleted(cone: Sandbox) -> None:
    used = first(cone.state.leads).stage
    response = await request(cone, "DELETE", f"/api/stage/{used}")
    assert response.status_code == 400  # L9633
    assert used in cone.state.stages


# -- saved filters -------------------------------------------------------------------------------


async def test_saved_filter_crud_and_integer_ids(cone: Sandbox) -> None:
    created = await request(
        cone,
        "POST",
        "/api/saved-filter",
        json={"name": "Hot leads", "module": "lead", "value": '{"rules":[]}', "private": True},
    )
    assert created.status_code == 201
    saved = created.json()
    assert set(saved) == {"id", "name", "module", "value", "owner", "private"}
    number = cone.state.saved_filters[saved["id"]].number
    by_number = await request(cone, "GET", f"/api/saved-filter/{number}")  # integer (L8980)
    assert by_number.json() == saved
    patched = await request(
        cone, "PATCH", f"/api/saved-filter/{saved['id']}", json={"name": "Warm leads"}
    )
    assert patched.json()["name"] == "Warm leads"
    assert (await request(cone, "POST", "/api/saved-filter", json={"name": "x"})).status_code == 400
    deleted = await request(cone, "DELETE", f"/api/saved-filter/{saved['id']}")
    assert deleted.status_code == 204
    assert (await request(cone, "GET", f"/api/saved-filter/{number}")).status_code == 404


async def test_private_filters_of_others_are_denied(cone: Sandbox) -> None:
    private = next(f for f in cone.state.saved_filters.values() if f.private)
    shared = next(f for f in cone.state.saved_filters.values() if not f.private)
    desk = cone.extra["tokens"]["front.desk"]
    mine = {f["id"] for f in (await request(cone, "GET", "/api/saved-filter", token=desk)).json()}
    assert shared.id in mine
    assert private.id not in mine
    denied = await request(cone, "GET", f"/api/saved-filter/{private.id}", token=desk)
    assert denied.status_code == 403
    not_owner = await request(cone, "DELETE", f"/api/saved-filter/{shared.id}", token=desk)
    assert not_owner.status_code == 403


# -- custom fields and labels -------------------------------------------------------------------


async def test_custom_fields_have_no_id_and_are_addressed_by_name(cone: Sandbox) -> None:
    fields = (await request(cone, "GET", "/api/custom-field")).json()
    assert fields
    assert all(set(f) == {"entity", "fieldName", "fieldType", "options"} for f in fields)
    created = await request(
        cone,
        "POST",
        "/api/custom-field",
        json={"entity": "lead", "fieldName": "Policy count", "fieldType": "number",
              "options": "{\"min\": 1, \"max\": 10}"},
    )  # fmt: skip
    assert created.status_code == 200
    for_lead = (await request(cone, "GET", "/api/custom-field/lead")).json()
    assert "Policy count" in [f["fieldName"] for f in for_lead]
    assert (await request(cone, "GET", "/api/custom-field/policy")).status_code == 400
    patched = await request(
        cone, "PATCH", "/api/custom-field/Policy count", json={"fieldType": "text"}
    )
    assert patched.json()["fieldType"] == "text"
    bad_options = await request(
        cone, "PATCH", "/api/custom-field/Policy count", json={"options": "{not json"}
    )
    assert bad_options.status_code == 400
    assert (await request(cone, "DELETE", "/api/custom-field/Policy count")).status_code == 200
    assert (await request(cone, "DELETE", "/api/custom-field/Policy count")).status_code == 400


async def test_custom_labels_soft_delete_answers_null(cone: Sandbox) -> None:
    created = await request(cone, "POST", "/api/custom-labels", json={"value": {"lead": "Deal"}})
    assert created.status_code == 200
    label = created.json()
    assert label["value"] == {"lead": "Deal"}
    assert label["tenant"]["id"] == cone.state.tenant_id
    missing_value = await request(cone, "POST", "/api/custom-labels", json={})
    assert missing_value.status_code == 400
    assert set(missing_value.json()) == {"error"}
    patched = await request(
        cone, "PATCH", f"/api/custom-labels/{label['id']}", json={"value": {"lead": "Opp"}}
    )
    assert patched.json()["value"] == {"lead": "Opp"}
    assert patched.json()["dateModified"] is not None
    deleted = await request(cone, "DELETE", f"/api/custom-labels/{label['id']}")
    assert deleted.status_code == 200
    assert deleted.content == b"null"  # L6094
    assert cone.state.custom_labels[label["id"]].audit.deleted is not None
    listed = (await request(cone, "GET", "/api/custom-labels")).json()
    assert label["id"] not in [lb["id"] for lb in listed]
    assert (await request(cone, "DELETE", f"/api/custom-labels/{label['id']}")).status_code == 404


# -- filters and the query builder ----------------------------------------------------------------


async def test_filters_metadata_shapes(cone: Sandbox) -> None:
    everything = (await request(cone, "GET", "/api/filters")).json()
    assert set(everything) == {"data"}  # the one list wrapped in "data" (L6364)
    entities = {e["entity"] for e in everything["data"]}
    assert entities == {"contact", "account", "lead"}
    lead_filters = (await request(cone, "GET", "/api/filters/lead")).json()
    assert isinstance(lead_filters, list)
    for item in lead_filters:
        assert set(item) == {"field", "type", "label", "operators", "options"}
        assert item["type"] in ("string", "number", "boolean", "date", "datetime", "enum")
    missing = await request(cone, "GET", "/api/filters/policy")
    assert missing.status_code == 404
    assert set(missing.json()) == {"error"}
    config = (await request(cone, "GET", "/api/query-builder/config/contact")).json()
    assert set(config) == {"fields", "operators"}
    assert "endsWith" in config["operators"]


async def test_query_builder_filters_records(cone: Sandbox) -> None:
    query = {
        "query": {
            "id": "293934ac-c55a-4a69-b61c-aa6d16831bc5",
            "combinator": "or",
            "rules": [
                {"id": "r1", "field": "primaryEmail", "operator": "endsWith",
                 "valueSource": "value", "value": ".com"},
            ],
        }
    }  # fmt: skip
    response = await request(cone, "POST", "/api/query-builder/filter/contact", json=query)
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    expected = {
        c.id for c in cone.state.contacts.values() if c.fields["primaryEmail"].endswith(".com")
    }
    assert {row["id"] for row in body["data"]} == expected
    won = cone.state.status_id("Won")
    nested = {
        "query": {
            "combinator": "and",
            "rules": [
                {"field": "status", "operator": "=", "value": won},
                {"combinator": "or", "not": True, "rules": [
                    {"field": "category", "operator": "in", "value": "CAR,LIFE"},
                ]},
            ],
        }
    }  # fmt: skip
    leads = (await request(cone, "POST", "/api/query-builder/filter/lead", json=nested)).json()
    expected_leads = {
        ld.id
        for ld in cone.state.leads.values()
        if ld.status == won and ld.category not in ("CAR", "LIFE")
    }
    assert {row["id"] for row in leads["data"]} == expected_leads


async def test_query_builder_errors(cone: Sandbox) -> None:
    bad_field = {"query": {"combinator": "and", "rules": [{"field": "x", "operator": "="}]}}
    response = await request(cone, "POST", "/api/query-builder/filter/lead", json=bad_field)
    assert response.status_code == 400
    assert "x" in response.json()["error"]
    bad_op = {
        "query": {"combinator": "and", "rules": [
            {"field": "customerInitiated", "operator": "contains", "value": "t"}]}
    }  # fmt: skip
    assert (
        await request(cone, "POST", "/api/query-builder/filter/lead", json=bad_op)
    ).status_code == 400
    unknown = await request(cone, "POST", "/api/query-builder/filter/policy", json=bad_field)
    assert unknown.status_code == 404
    assert set(unknown.json()) == {"error"}


# -- automations -----------------------------------------------------------------------------------


async def test_automation_crud_and_duplicate(cone: Sandbox) -> None:
    data = (await request(cone, "GET", "/api/automation/builder/data")).json()
    assert set(data) == {"triggers", "actions", "conditions"}
    body = {
        "name": "Renewal reminder",
        "automationTrigger": data["triggers"][0],
        "nodes": [{"id": "n1"}],
        "edges": [],
        "franchise": None,
        "delayedAutomationsCount": 0,
    }
    created = await request(cone, "POST", "/api/automation", json=body)
    assert created.status_code == 200
    assert "id" not in created.json()  # Automation3 has no id (L20628)
    assert created.json()["name"] == "Renewal reminder"
    listed = (await request(cone, "GET", "/api/automation")).json()
    automation_id = next(a["id"] for a in listed if a["name"] == "Renewal reminder")
    got = await request(cone, "GET", f"/api/automation/{automation_id}")
    assert got.json() == created.json()
    patched = await request(
        cone, "PATCH", f"/api/automation/{automation_id}", json={**body, "name": "Renewal"}
    )
    assert patched.json()["name"] == "Renewal"
    partial = await request(cone, "PATCH", f"/api/automation/{automation_id}", json={"name": "x"})
    assert partial.status_code == 400  # name, automationTrigger, delayedAutomationsCount required
    copy = await request(cone, "POST", f"/api/automation/{automation_id}/duplicate")
    assert copy.json()["name"] == "Renewal (copy)"
    assert (await request(cone, "DELETE", f"/api/automation/{automation_id}")).status_code == 200
    assert (await request(cone, "GET", f"/api/automation/{automation_id}")).status_code == 404


# -- faults ----------------------------------------------------------------------------------------


async def test_fault_burst_and_server_errors(cone: Sandbox) -> None:
    cone.faults.burst_429(2, retry_after=5)
    for _ in range(2):
        limited = await request(cone, "GET", "/api/stage")
        assert limited.status_code == 429
        assert limited.headers["Retry-After"] == "5"
    cone.faults.error_rate = 1.0
    failed = await request(cone, "GET", "/api/stage")
    assert failed.status_code in (500, 502, 503)
    cone.faults.reset()
    assert (await request(cone, "GET", "/api/stage")).status_code == 200


async def test_fault_drop_malformed_and_latency(cone: Sandbox) -> None:
    cone.faults.drop_rate = 1.0
    with pytest.raises(httpx.RemoteProtocolError):
        await request(cone, "GET", "/api/contact")
    cone.faults.reset()
    cone.faults.malformed_rate = 1.0
    with pytest.raises(json.JSONDecodeError):
        json.loads((await request(cone, "GET", "/api/contact")).text)
    cone.faults.reset()
    cone.faults.latency_ms = 60
    started = time.perf_counter()
    await request(cone, "GET", "/api/stage")
    assert time.perf_counter() - started >= 0.06


async def test_fault_wrong_types_in_lists(cone: Sandbox) -> None:
    cone.faults.wrong_types_next(1)
    contacts = (await request(cone, "GET", "/api/contact", params={"limit": 2})).json()
    assert isinstance(contacts[0]["id"], int)
    assert isinstance(contacts[1]["id"], str)
    cone.faults.wrong_types_next(1)
    accounts = (await request(cone, "GET", "/api/account", params={"limit": 1})).json()
    assert accounts["accounts"][0]["isActive"] == "yes"


# -- registry --------------------------------------------------------------------------------------


async def test_registry_lists_all_42_endpoints_at_their_document_lines() -> None:
    from agencydesk.vendors.conecrm.sandbox import ASSUMPTIONS, ENDPOINTS
    from agencydesk.vendors.sandbox_kit.registry import documented_endpoints

    lines = DOC.read_text(encoding="utf-8").splitlines()
    documented = {
        (m.group(1), m.group(2))
        for line in lines
        if (m := re.match(r"^(GET|POST|PATCH|DELETE|PUT) (/api\S*)$", line))
    }
    assert len(ENDPOINTS) == len(documented) == 42
    assert {(e.method, e.path) for e in ENDPOINTS} == documented
    for endpoint in ENDPOINTS:
        assert lines[endpoint.doc_line - 1] == f"{endpoint.method} {endpoint.path}"
    served = sum(e.served for e in ENDPOINTS)
    assert served / len(ENDPOINTS) >= 0.85
    assert documented_endpoints("conecrm") == ENDPOINTS
    assert len(ASSUMPTIONS) >= 20
