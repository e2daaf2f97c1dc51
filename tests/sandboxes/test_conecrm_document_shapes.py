"""Every ConeCRM answer carries exactly the keys of the document's own example response.

The examples are read from conecrm-api.txt at the line of their "200 Response"/"201 Response"
heading, so a renamed, missing or extra field fails here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from tests.sandboxes.conecrm_fixtures import cone, first, lead_body, request

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]
__all__ = ["cone"]

DOC = Path("/work/shared/vendor-docs/conecrm-api.txt")


@cache
def doc_lines() -> tuple[str, ...]:
    return tuple(DOC.read_text(encoding="utf-8").splitlines())


def example(heading_line: int) -> Any:
    """The JSON example printed after the response heading at ``heading_line`` (1-based)."""
    lines = doc_lines()
    assert lines[heading_line - 1].endswith("Response"), lines[heading_line - 1]
    text = ""
    for line in lines[heading_line:]:
        text += line + "\n"
        try:
            return json.loads(text)
        except ValueError:
            continue
    raise AssertionError(f"no JSON after line {heading_line}")


def keys(value: Any) -> set[str]:
    item = value[0] if isinstance(value, list) else value
    assert isinstance(item, dict), value
    return set(item)


def documented_items(value: Any) -> bool:
    """A documented non-empty list of objects with known keys."""
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict) and bool(value[0])


def a_contact_with_open_leads(cone: Sandbox) -> str:
    open_id = cone.state.status_id("Open")
    contact: str = next(ld.contact for ld in cone.state.leads.values() if ld.status == open_id)
    return contact


def task_body(cone: Sandbox) -> dict[str, Any]:
    lead = first(cone.state.leads)
    account = first(cone.state.accounts)
    return {
        "type": "MEETING",
        "assignee": lead.assignees[0],
        "title": "Review coverage",
        "contact": lead.contact,
        "account": account.id,
        "connection": lead.id,
    }


# Objects the document leaves free-form: CustomLabel.value (L11817) is any map.
FREE_FORM = {"value"}

# (doc line of the example, method, path, JSON body) — each built from the sandbox's data.
Case = Callable[[Sandbox], tuple[str, str, Any]]
CASES: dict[int, Case] = {
    115: lambda s: ("GET", "/api/account", None),
    1578: lambda s: ("POST", "/api/account", {"name": "Acme"}),
    3052: lambda s: ("PATCH", f"/api/account/{first(s.state.accounts).id}", {"city": "Tulsa"}),
    3541: lambda s: ("GET", "/api/automation/builder/data", None),
    3933: lambda s: ("GET", f"/api/automation/{first(s.state.automations).id}", None),
    4308: lambda s: ("POST", f"/api/automation/{first(s.state.automations).id}/duplicate", None),
    4441: lambda s: ("GET", "/api/contact", None),
    4820: lambda s: ("GET", f"/api/contact/{a_contact_with_open_leads(s)}/lead/open", None),
    5253: lambda s: ("GET", "/api/custom-field", None),
    5778: lambda s: ("GET", "/api/custom-labels", None),
    5963: lambda s: ("POST", "/api/custom-labels", {"value": {"a": "b"}}),
    6345: lambda s: ("GET", "/api/filters", None),
    6461: lambda s: ("GET", "/api/filters/lead", None),
    6678: lambda s: ("POST", "/api/lead", lead_body(s)),
    8208: lambda s: (
        "POST",
        f"/api/lead/{first(s.state.leads).id}/copy",
        {"contact": {"id": first(s.state.contacts).id}},
    ),
    8448: lambda s: ("GET", "/api/query-builder/config/lead", None),
    8724: lambda s: ("GET", "/api/saved-filter", None),
    8872: lambda s: ("POST", "/api/saved-filter", {"name": "n", "module": "lead", "value": "{}"}),
    9311: lambda s: ("GET", "/api/stage", None),
    9440: lambda s: ("POST", "/api/stage", {"name": "Quoted"}),
    9883: lambda s: ("POST", "/api/task", task_body(s)),
}


@pytest.mark.parametrize("line", sorted(CASES))
async def test_answer_has_the_documented_keys(cone: Sandbox, line: int) -> None:
    method, path, body = CASES[line](cone)
    response = await request(cone, method, path, json=body)
    assert response.status_code in (200, 201), response.text
    ours, documented = response.json(), example(line)
    assert type(ours) is type(documented)
    assert keys(ours) == keys(documented)
    for name, value in documented.items() if isinstance(documented, dict) else ():
        if name in FREE_FORM:
            continue
        if isinstance(value, dict) and value:
            assert ours[name] is None or keys(ours[name]) == keys(value), name
        elif documented_items(value) and ours[name]:  # an empty list has nothing to compare
            assert keys(ours[name]) == keys(value), name


async def test_third_party_ids_have_the_documented_keys(cone: Sandbox) -> None:
    rows = (await request(cone, "GET", "/api/contact", params={"limit": 100})).json()
    with_ids = [row for row in rows if row["thirdPartyIds"]]
    assert with_ids
    documented = example(4441)[0]["thirdPartyIds"]
    assert keys(with_ids[0]["thirdPartyIds"]) == keys(documented)
    assert with_ids[0]["thirdPartyIds"][0]["customer"] == {"id": with_ids[0]["id"]}
