"""ConeCRM sandbox: leads (create, copy) and tasks (create, update, delete; no list), from
conecrm-api.txt, over HTTP."""

from __future__ import annotations

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from tests.sandboxes.conecrm_fixtures import cone, first, lead_body, request

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]
__all__ = ["cone"]


# -- leads ----------------------------------------------------------------------------------------


async def test_create_lead_answers_the_lead_shape_with_id_objects(cone: Sandbox) -> None:
    body = lead_body(cone)
    response = await request(cone, "POST", "/api/lead", json=body)
    assert response.status_code == 200
    lead = response.json()
    assert lead["subject"] == "Homeowners quote"
    assert lead["contact"] == body["contact"]
    assert lead["source"] == body["source"]
    assert lead["franchise"] == body["franchise"]
    assert lead["status"] == {"id": cone.state.status_id("Open")}
    assert lead["dtype"] == "lead"
    assert lead["customerInitiated"] is True
    assert lead["dateCreated"].endswith("Z")
    assert "makeStr" not in lead  # accepted, never returned (Lead schema L12743)
    stored = cone.state.leads[lead["id"]]
    assert stored.assignees  # "automatically assigned" (L6630)
    open_leads = await request(cone, "GET", f"/api/contact/{lead['contact']['id']}/lead/open")
    assert lead["id"] in [ld["id"] for ld in open_leads.json()]


async def test_create_lead_validation_uses_the_form_error_shape(cone: Sandbox) -> None:
    response = await request(
        cone,
        "POST",
        "/api/lead",
        json={"subject": " ", "contact": {"id": "0190aaaa-0000-7000-8000-000000000000"}},
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"errors", "message"}
    assert body["errors"]["subject"] == ["This value should not be blank."]
    assert body["errors"]["contact"] == ["This value is not valid."]
    for name in ("department", "source", "franchise"):
        assert body["errors"][name] == ["This value should not be blank."]


async def test_lead_create_is_forbidden_for_a_role_without_it(cone: Sandbox) -> None:
    token = cone.extra["tokens"]["front.desk"]
    response = await request(cone, "POST", "/api/lead", token=token, json=lead_body(cone))
    assert response.status_code == 403
    assert response.content == b""
    unauth = await request(cone, "POST", "/api/lead", token=None, json=lead_body(cone))
    assert unauth.status_code == 401


async def test_copy_lead_inherits_and_takes_a_new_contact(cone: Sandbox) -> None:
    original = first(cone.state.leads)
    other = next(c for c in cone.state.contacts.values() if c.id != original.contact)
    response = await request(
        cone, "POST", f"/api/lead/{original.id}/copy", json={"contact": {"id": other.id}}
    )
    assert response.status_code == 200
    copy = response.json()
    assert copy["id"] != original.id
    assert copy["contact"] == {"id": other.id}
    assert copy["subject"] == original.subject  # "will use original if not provided"
    assert copy["source"] == {"id": original.source}
    renamed = await request(
        cone,
        "POST",
        f"/api/lead/{original.id}/copy",
        json={"contact": {"firstName": "New", "lastName": "Person"}, "subject": "Umbrella"},
    )
    assert renamed.json()["subject"] == "Umbrella"
    new_contact = cone.state.contacts[renamed.json()["contact"]["id"]]
    assert new_contact.fields["firstName"] == "New"


async def test_copy_lead_errors(cone: Sandbox) -> None:
    original = first(cone.state.leads)
    no_contact = await request(cone, "POST", f"/api/lead/{original.id}/copy", json={})
    assert no_contact.status_code == 400
    assert no_contact.json()["errors"]["contact"] == ["This value should not be blank."]
    missing = await request(
        cone, "POST", "/api/lead/nope/copy", json={"contact": {"id": original.contact}}
    )
    assert missing.status_code == 404
    assert missing.content == b""


# -- tasks ----------------------------------------------------------------------------------------


def task_body(cone: Sandbox, **overrides: object) -> dict[str, object]:
    lead = first(cone.state.leads)
    body: dict[str, object] = {
        "type": "CALL",
        "assignee": lead.assignees[0],
        "start": "2026-03-11T15:00:00Z",
        "end": "2026-03-11T15:30:00Z",
        "title": "Call about the renewal",
        "note": "Ask about the new driver",
        "contact": lead.contact,
        "connection": lead.id,
    }
    body.update(overrides)
    return body


async def test_create_task_takes_bare_uuids_and_answers_the_task_shape(cone: Sandbox) -> None:
    body = task_body(cone)
    response = await request(cone, "POST", "/api/task", json=body)
    assert response.status_code == 200
    task = response.json()
    assert task["title"] == body["title"]
    assert task["type"] == "CALL"
    assert task["start"] == "2026-03-11T15:00:00Z"
    assert task["taskDone"] is False
    assert task["assignee"]["id"] == body["assignee"]
    assert task["assignee"]["tenant"]["vertical"] == "default"
    assert task["contact"]["id"] == body["contact"]
    assert task["connection"]["id"] == body["connection"]
    assert task["account"] is None
    assert task["id"] in cone.state.tasks


async def test_task_validation_answers_a_bare_string(cone: Sandbox) -> None:
    no_title = await request(cone, "POST", "/api/task", json=task_body(cone, title=""))
    assert no_title.status_code == 400
    assert no_title.json() == "title This value should not be blank."  # L10715
    no_assignee = await request(cone, "POST", "/api/task", json=task_body(cone, assignee=None))
    assert no_assignee.json() == "assignee This value should not be blank."
    bad_type = await request(cone, "POST", "/api/task", json=task_body(cone, type="EMAIL"))
    assert bad_type.json() == "type The value you selected is not a valid choice."
    bad_contact = await request(cone, "POST", "/api/task", json=task_body(cone, contact="42"))
    assert bad_contact.json() == "contact This is not a valid UUID."
    bad_start = await request(cone, "POST", "/api/task", json=task_body(cone, start="tomorrow"))
    assert bad_start.json() == "start This value is not a valid datetime."


async def test_task_patch_replaces_the_whole_task(cone: Sandbox) -> None:
    task = (await request(cone, "POST", "/api/task", json=task_body(cone))).json()
    replaced = await request(
        cone,
        "PATCH",
        f"/api/task/{task['id']}",
        json={"assignee": task["assignee"]["id"], "title": "Only a title now"},
    )
    assert replaced.status_code == 200
    body = replaced.json()
    assert body["title"] == "Only a title now"
    assert body["note"] is None  # left out, therefore erased
    assert body["contact"] is None
    assert body["edited"] is True
    partial = await request(cone, "PATCH", f"/api/task/{task['id']}", json={"note": "x"})
    assert partial.status_code == 400


async def test_task_delete_and_permissions(cone: Sandbox) -> None:
    owner_task = (await request(cone, "POST", "/api/task", json=task_body(cone))).json()
    desk = cone.extra["tokens"]["front.desk"]
    forbidden = await request(cone, "DELETE", f"/api/task/{owner_task['id']}", token=desk)
    assert forbidden.status_code == 403
    edit_forbidden = await request(
        cone, "PATCH", f"/api/task/{owner_task['id']}", token=desk, json=task_body(cone)
    )
    assert edit_forbidden.status_code == 403
    deleted = await request(cone, "DELETE", f"/api/task/{owner_task['id']}")
    assert deleted.status_code == 200
    assert deleted.content == b""
    gone = await request(cone, "DELETE", f"/api/task/{owner_task['id']}")
    assert gone.status_code == 404


async def test_there_is_no_task_or_lead_list(cone: Sandbox) -> None:
    assert (await request(cone, "GET", "/api/task")).status_code == 405
    assert (await request(cone, "GET", "/api/lead")).status_code == 405


async def test_edit_at_vendor_changes_what_the_api_returns(cone: Sandbox) -> None:
    contact = first(cone.state.contacts)
    cone.edit_at_vendor("contact", contact.id, {"lastName": "Changed-At-Vendor"})
    rows = (
        await request(cone, "GET", "/api/contact", params={"search": "Changed-At-Vendor"})
    ).json()
    assert [r["id"] for r in rows] == [contact.id]
    lead = first(cone.state.leads)
    cone.edit_at_vendor("lead", lead.id, {"subject": "Edited elsewhere"})
    copied = await request(
        cone, "POST", f"/api/lead/{lead.id}/copy", json={"contact": {"id": lead.contact}}
    )
    assert copied.json()["subject"] == "Edited elsewhere"
    assert cone.state.leads[lead.id].audit.modified is not None


async def test_lead_custom_field_values_and_unknown_references(cone: Sandbox) -> None:
    field = next(d for d in cone.state.custom_fields.values() if d.entity == "lead")
    body = lead_body(
        cone,
        customFieldValues=[{"field": {"id": field.field_name}, "value": "Progressive"}],
        assignees=[{"id": first(cone.state.users).id}],
    )
    created = await request(cone, "POST", "/api/lead", json=body)
    assert created.status_code == 200
    stored = cone.state.leads[created.json()["id"]]
    assert stored.custom_values == {field.id: "Progressive"}
    assert stored.assignees == [first(cone.state.users).id]
    bad = lead_body(
        cone,
        customFieldValues=[{"field": {"id": "nope"}, "value": "x"}],
        assignees=[{"id": "not-a-user"}],
        customerInitiated="yes",
    )
    refused = (await request(cone, "POST", "/api/lead", json=bad)).json()
    assert set(refused["errors"]) == {"customFieldValues", "assignees", "customerInitiated"}


async def test_unknown_task_is_404_without_body(cone: Sandbox) -> None:
    missing = "0190aaaa-0000-7000-8000-000000000000"
    patched = await request(cone, "PATCH", f"/api/task/{missing}", json={"title": "x"})
    deleted = await request(cone, "DELETE", f"/api/task/{missing}")
    assert patched.status_code == deleted.status_code == 404
    assert patched.content == deleted.content == b""
