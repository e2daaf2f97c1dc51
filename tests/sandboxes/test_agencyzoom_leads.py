"""AgencyZoom leads as the document describes them (L2378-L4820), over HTTP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.sandboxes.conftest import AgencyZoomSession

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


def new_lead(**extra: Any) -> dict[str, Any]:
    body = {
        "firstname": "Maya",
        "lastname": "Lindqvist",
        "email": "maya.l@example.com",
        "phone": "+15125550148",
        "pipelineId": 1,
        "stageId": 101,
        "leadSourceId": 1,
        "assignTo": 2,
        "country": "US",
        "city": "Austin",
        "state": "TX",
        "notes": "Wants home + auto",
        "tagNames": "web;bundle",
    }
    body.update(extra)
    return body


async def test_paging_through_every_page_returns_every_lead_once(az: AgencyZoomSession) -> None:
    seen: list[int] = []
    page = 0
    while True:
        r = await az.post("/v1/api/leads/list", {"page": page, "pageSize": 100, "sort": "id"})
        assert r.status_code == 200
        body = r.json()
        assert set(body) == {"totalCount", "page", "pageSize", "leads", "quoteAmount"}
        assert body["page"] == page
        assert body["pageSize"] == 100
        seen += [lead["id"] for lead in body["leads"]]
        if len(body["leads"]) < 100:
            break
        page += 1
    assert body["totalCount"] == len(az.state.leads) == len(seen) == len(set(seen))


async def test_defaults_are_page_0_size_20(az: AgencyZoomSession) -> None:
    body = (await az.post("/v1/api/leads/list", {})).json()
    assert (body["page"], body["pageSize"], len(body["leads"])) == (0, 20, 20)


@pytest.mark.parametrize("size", [0, 101, "many"])
async def test_page_size_outside_the_documented_maximum_is_400(
    az: AgencyZoomSession, size: Any
) -> None:
    r = await az.post("/v1/api/leads/list", {"pageSize": size})
    assert r.status_code == 400
    assert r.json()["result"] is False
    assert r.json()["message"].startswith("Invalid request parameter(s)")


async def test_sort_defaults_to_last_enter_stage_date(az: AgencyZoomSession) -> None:
    r = await az.post("/v1/api/leads/list", {"pageSize": 100, "sort": "nonsense", "order": "desc"})
    dates = [lead["enterStageDate"] for lead in r.json()["leads"]]
    assert dates == sorted(dates, reverse=True)


async def test_last_activity_window_finds_what_changed_since(az: AgencyZoomSession) -> None:
    """Incremental sync: lastActivityEarliestDate (changelog 2023.11.07, L95)."""
    today = az.sandbox.clock.now().strftime("%Y-%m-%d")
    before = (
        await az.post("/v1/api/leads/list", {"lastActivityEarliestDate": today, "pageSize": 100})
    ).json()
    assert before["totalCount"] == 0
    await az.post("/v1/api/leads/7/notes", {"note": "Called back"})
    az.sandbox.edit_at_vendor("lead", 9, {"phone": "+15125550199"})
    after = (
        await az.post(
            "/v1/api/leads/list", {"lastActivityEarliestDate": today, "sort": "lastActivityDate"}
        )
    ).json()
    assert sorted(lead["id"] for lead in after["leads"]) == [7, 9]


async def test_filters_prefix_name_and_exact_phone_list(az: AgencyZoomSession) -> None:
    lead = az.state.leads[5].data
    prefix = (lead.lastname or "")[:3]
    by_name = (
        await az.post("/v1/api/leads/list", {"customerName": prefix, "pageSize": 100})
    ).json()
    assert 5 in [x["id"] for x in by_name["leads"]]
    assert all(
        x["lastname"].lower().startswith(prefix.lower())
        or x["firstname"].lower().startswith(prefix.lower())
        for x in by_name["leads"]
    )
    local = (lead.phone or "")[2:]  # without +1
    by_phone = (await az.post("/v1/api/leads/list", {"customerPhoneList": [local]})).json()
    assert [x["id"] for x in by_phone["leads"]] == [5]
    partial = (await az.post("/v1/api/leads/list", {"customerPhoneList": [local[:6]]})).json()
    assert partial["totalCount"] == 0


async def test_status_and_stage_filters(az: AgencyZoomSession) -> None:
    won = (await az.post("/v1/api/leads/list", {"status": 2, "pageSize": 100})).json()
    assert won["totalCount"] > 0
    assert {x["status"] for x in won["leads"]} == {2}
    stages = (
        await az.post("/v1/api/leads/list", {"workflowStageId": "101/102", "pageSize": 100})
    ).json()
    assert {x["workflowStageId"] for x in stages["leads"]} <= {101, 102}
    bad = await az.post("/v1/api/leads/list", {"status": 9})
    assert bad.status_code == 400


async def test_pipeline_count_counts_per_stage(az: AgencyZoomSession) -> None:
    r = await az.post("/v1/api/leads/pipeline-count", {})
    counts = r.json()["leadsCount"]
    assert sum(c["count"] for c in counts) == len(az.state.leads)
    assert {"workflowId", "workflowStageId", "count"} <= set(counts[0])


async def test_detail_has_the_documented_fields(az: AgencyZoomSession) -> None:
    r = await az.get("/v1/api/leads/1")
    body = r.json()
    for key in (
        "id",
        "firstname",
        "leadType",
        "status",
        "workflowId",
        "workflowStageId",
        "lastActivityDate",
        "enterStageDate",
        "tagNames",
        "customFields",
        "opportunities",
        "quotes",
        "maritalStatus",
        "payroll",
    ):
        assert key in body
    assert isinstance(body["tagNames"], list)
    assert (await az.get("/v1/api/leads/999999")).status_code == 400
    assert (await az.get("/v1/api/leads/abc")).status_code == 400


async def test_create_requires_the_documented_fields(az: AgencyZoomSession) -> None:
    for field in (
        "firstname",
        "email",
        "pipelineId",
        "stageId",
        "leadSourceId",
        "assignTo",
        "country",
    ):
        body = new_lead()
        del body[field]
        r = await az.post("/v1/api/leads/create", body)
        assert r.status_code == 400, field
        assert field in r.json()["message"]
    r = await az.post("/v1/api/leads/create", new_lead())
    assert r.status_code == 200
    lead_id = r.json()["id"]
    assert r.json()["result"] is True
    detail = (await az.get(f"/v1/api/leads/{lead_id}")).json()
    assert detail["firstname"] == "Maya"
    assert detail["comments"] == "Wants home + auto"
    assert len(detail["tagNames"]) == 2


async def test_create_checks_references(az: AgencyZoomSession) -> None:
    assert (await az.post("/v1/api/leads/create", new_lead(stageId=201))).status_code == 400
    assert (await az.post("/v1/api/leads/create", new_lead(assignTo=999))).status_code == 400
    assert (await az.post("/v1/api/leads/create", new_lead(pipelineId="x"))).status_code == 400


async def test_put_replaces_the_whole_lead_erasing_what_it_leaves_out(
    az: AgencyZoomSession,
) -> None:
    """ "If no parameter is provided, the existing data will be deleted." (L3829)."""
    lead_id = (await az.post("/v1/api/leads/create", new_lead())).json()["id"]
    partial = {
        k: new_lead()[k]
        for k in (
            "firstname",
            "email",
            "pipelineId",
            "stageId",
            "leadSourceId",
            "assignTo",
            "country",
        )
    }
    partial["firstname"] = "Maya-Renamed"
    r = await az.put(f"/v1/api/leads/{lead_id}", partial)
    assert r.status_code == 200
    detail = (await az.get(f"/v1/api/leads/{lead_id}")).json()
    assert detail["firstname"] == "Maya-Renamed"
    assert detail["lastname"] is None
    assert detail["phone"] is None
    assert detail["city"] is None
    assert detail["tagNames"] == []
    # Resending everything keeps everything.
    full = new_lead(lastname="Lindqvist")
    await az.put(f"/v1/api/leads/{lead_id}", full)
    assert (await az.get(f"/v1/api/leads/{lead_id}")).json()["phone"] == "+15125550148"


async def test_put_still_requires_the_required_fields(az: AgencyZoomSession) -> None:
    r = await az.put("/v1/api/leads/3", {"firstname": "Only"})
    assert r.status_code == 400
    assert az.state.leads[3].data.email is not None


async def test_commercial_lead_create_and_update(az: AgencyZoomSession) -> None:
    r = await az.post(
        "/v1/api/leads/create-biz-lead",
        new_lead(
            pipelineId=2, stageId=201, name="Lindqvist Bakery", numberOfEmployees=12, payroll=380000
        ),
    )
    lead_id = r.json()["id"]
    detail = (await az.get(f"/v1/api/leads/{lead_id}")).json()
    assert detail["leadType"] == "commercial"
    assert detail["numberOfEmployees"] == 12
    await az.put(f"/v1/api/leads/{lead_id}/update-biz-lead", new_lead(pipelineId=2, stageId=202))
    detail = (await az.get(f"/v1/api/leads/{lead_id}")).json()
    assert detail["numberOfEmployees"] is None
    assert detail["workflowStageId"] == 202


async def test_status_change_won_lost_xdated(az: AgencyZoomSession) -> None:
    assert (await az.put("/v1/api/leads/4/status", {"status": 1})).status_code == 400
    assert (await az.put("/v1/api/leads/4/status", {})).status_code == 400
    r = await az.put("/v1/api/leads/4/status", {"status": 3, "lossReasonId": 1})
    assert r.status_code == 200
    detail = (await az.get("/v1/api/leads/4")).json()
    assert (detail["status"], detail["lossReason"]) == (3, "Price")
    await az.put(
        "/v1/api/leads/4/status", {"status": 5, "date": "2026-09-01", "xDateType": "X-Date"}
    )
    detail = (await az.get("/v1/api/leads/4")).json()
    assert (detail["status"], detail["xDate"]) == (5, "2026-09-01")
    events = (await az.get("/v1/api/4/recycle-events")).json()
    assert events["existingXDate"][0]["xDate"] == "2026-09-01"
    assert "X-Date" in events["newXDate"]


async def test_stage_change_moves_the_lead(az: AgencyZoomSession) -> None:
    await az.put("/v1/api/leads/6/stage", {"status": 0, "toStageId": 103})
    detail = (await az.get("/v1/api/leads/6")).json()
    assert detail["workflowStageId"] == 103
    assert detail["enterStageDate"] == az.sandbox.clock.now().strftime("%Y-%m-%d %H:%M:%S")


async def test_sold_converts_the_lead_into_a_customer(az: AgencyZoomSession) -> None:
    lead_id = (await az.post("/v1/api/leads/create", new_lead())).json()["id"]
    assert (await az.post(f"/v1/api/leads/{lead_id}/sold", {"soldProducts": []})).status_code == 400
    r = await az.post(
        f"/v1/api/leads/{lead_id}/sold",
        {
            "keepOpen": False,
            "soldProducts": [{"productLineId": 1, "carrierId": 1, "premium": 124500}],
        },
    )
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"customerId", "leadSourceId", "opportunities"}
    customer = (await az.get(f"/v1/api/customers/{body['customerId']}")).json()
    assert customer["email"] == "maya.l@example.com"
    policies = (await az.get(f"/v1/api/customers/{body['customerId']}/policies")).json()
    assert [p["premium"] for p in policies] == [124500]
    assert (await az.get(f"/v1/api/leads/{lead_id}")).json()["status"] == 2
    sold_today = (await az.post("/v1/api/leads/list", {"soldPeriod": "today"})).json()
    assert lead_id in [x["id"] for x in sold_today["leads"]]


async def test_batch_create_at_most_five(az: AgencyZoomSession) -> None:
    six = [new_lead(email=f"b{i}@example.com") for i in range(6)]
    assert (
        await az.post("/v1/api/leads/batch-create", {"leadDataRequests": six})
    ).status_code == 400
    before = len(az.state.leads)
    bad = [new_lead(), {"firstname": "x"}]
    assert (
        await az.post("/v1/api/leads/batch-create", {"leadDataRequests": bad})
    ).status_code == 400
    assert len(az.state.leads) == before  # all or nothing
    r = await az.post("/v1/api/leads/batch-create", {"leadDataRequests": six[:5]})
    assert r.status_code == 200
    assert len(az.state.leads) == before + 5


async def test_delete_lead_is_a_post(az: AgencyZoomSession) -> None:
    r = await az.post("/v1/api/leads/8/delete-lead", {"deleteContact": True})
    assert r.status_code == 200
    assert (await az.get("/v1/api/leads/8")).status_code == 400
    assert (await az.delete("/v1/api/leads/8")).status_code == 405


async def test_notes_keep_line_breaks(az: AgencyZoomSession) -> None:
    """Changelog 2023.11.21: "Fixed bug in processing line breaks" (L100)."""
    assert (await az.post("/v1/api/leads/2/notes", {})).status_code == 400
    r = await az.post("/v1/api/leads/2/notes", {"note": "Line one\nLine two\r\nLine three"})
    assert r.status_code == 200
    notes = (await az.get("/v1/api/leads/2/notes")).json()
    assert notes[-1]["body"] == "Line one\nLine two\r\nLine three"
    assert set(notes[-1]) == {"type", "createDate", "createdBy", "title", "body", "attr"}


async def test_quotes_create_answers_the_quote_id(az: AgencyZoomSession) -> None:
    """Changelog 2023.11.07: the quote id is in the response (L97)."""
    bad = await az.post("/v1/api/leads/3/quotes", {"carrierId": 1, "productLineId": 1})
    assert bad.status_code == 400
    r = await az.post(
        "/v1/api/leads/3/quotes", {"carrierId": 1, "productLineId": 1, "items": 2, "premium": 900}
    )
    quote_id = r.json()["id"]
    quotes = (await az.get("/v1/api/leads/3/quotes")).json()
    assert quote_id in [q["id"] for q in quotes]
    await az.put(
        "/v1/api/leads/3/quotes",
        {"id": quote_id, "carrierId": 2, "productLineId": 1, "items": 1, "premium": 950},
    )
    quotes = (await az.get("/v1/api/leads/3/quotes")).json()
    assert [q["premium"] for q in quotes if q["id"] == quote_id] == [950]
    assert (await az.delete(f"/v1/api/leads/3/quotes/{quote_id}")).status_code == 200
    assert quote_id not in [q["id"] for q in (await az.get("/v1/api/leads/3/quotes")).json()]


async def test_lead_opportunities_by_code_or_id(az: AgencyZoomSession) -> None:
    r = await az.post(
        "/v1/api/leads/3/opportunities",
        {"standardCarrierCode": "PROG", "standardProductLineCode": "HOME", "premium": 1200},
    )
    assert r.status_code == 200
    opp = (await az.get(f"/v1/api/opportunities/{r.json()['id']}")).json()
    assert (opp["carrierId"], opp["productLineId"], opp["items"]) == (1, 2, 1)


async def test_lead_files_listed_by_referral_id(az: AgencyZoomSession) -> None:
    lead_id = next(f.owner_id for f in az.state.files.values() if f.owner == "lead")
    files = (
        await az.post("/v1/api/leads/files", {"customerReferralId": lead_id, "fileType": 1})
    ).json()
    assert isinstance(files, list)
    assert files
    file_id = files[0]["id"]
    await az.put(
        f"/v1/api/leads/{lead_id}/rename",
        {"customerReferralId": lead_id, "fileId": file_id, "newFileName": "q.pdf"},
    )
    files = (await az.post("/v1/api/leads/files", {"customerReferralId": lead_id})).json()
    assert files[0]["title"] == "q.pdf"
    assert (await az.delete(f"/v1/api/leads/{lead_id}/files/{file_id}")).status_code == 200


async def test_edit_at_vendor_changes_what_the_api_reads(az: AgencyZoomSession) -> None:
    az.sandbox.clock.advance(60)
    az.sandbox.edit_at_vendor("lead", "10", {"email": "changed@example.com"})
    detail = (await az.get("/v1/api/leads/10")).json()
    assert detail["email"] == "changed@example.com"
    assert detail["lastActivityDate"] == (az.sandbox.clock.now()).strftime("%Y-%m-%d %H:%M:%S")
    assert timedelta(0) < az.sandbox.clock.now() - az.state.leads[10].created


async def test_zero_ids_in_a_search_filter_nothing(az: AgencyZoomSession) -> None:
    """The request sample (L2400) sends 0 for every id filter."""
    body = {"id": 0, "assignedTo": 0, "creator": 0, "leadSourceId": 0, "workflowId": 0}
    r = (await az.post("/v1/api/leads/list", body)).json()
    assert r["totalCount"] == len(az.state.leads)


async def test_lead_opportunity_update_by_body_id_and_delete(az: AgencyZoomSession) -> None:
    """The opportunity id travels in the body of the lead-scoped PUT (L2610)."""
    opp_id = (
        await az.post(
            "/v1/api/leads/11/opportunities", {"carrierId": 3, "productLineId": 1, "premium": 700}
        )
    ).json()["id"]
    missing_id = await az.put(
        "/v1/api/leads/11/opportunities",
        {"carrierId": 3, "productLineId": 1, "items": 1, "premium": 750},
    )
    assert missing_id.status_code == 400
    wrong_lead = await az.put(
        "/v1/api/leads/12/opportunities",
        {"id": opp_id, "carrierId": 3, "productLineId": 1, "items": 1, "premium": 750},
    )
    assert wrong_lead.status_code == 400
    r = await az.put(
        "/v1/api/leads/11/opportunities",
        {
            "id": opp_id,
            "carrierId": 3,
            "productLineId": 1,
            "items": 2,
            "premium": 750,
            "expiryDate": "03/29/2027",
        },
    )
    assert r.status_code == 200
    opps = {o["id"]: o for o in (await az.get("/v1/api/leads/11/opportunities")).json()}
    assert (opps[opp_id]["premium"], opps[opp_id]["items"]) == (750, 2)
    assert (await az.delete(f"/v1/api/leads/11/opportunities/{opp_id}")).status_code == 200
    assert opp_id not in [o["id"] for o in (await az.get("/v1/api/leads/11/opportunities")).json()]
