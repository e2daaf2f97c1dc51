"""The sandbox-only inspector on the AgencyZoom sandbox: ``GET /_sandbox/records/{kind}/{id}``
answers the whole stored record (fields no read endpoint returns included), outside the
vendor's auth and rate limit, and ``agencydesk-sandbox --coverage`` lists it as sandbox-only."""

from __future__ import annotations

import io
import re

import httpx
import pytest

from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.sandbox_cli import coverage
from agencydesk.vendors.sandbox_kit.base import SandboxOptions

pytestmark = pytest.mark.sandbox


@pytest.mark.asyncio
async def test_the_inspector_answers_the_whole_stored_record_without_signing_in() -> None:
    sandbox = create_sandbox(SandboxOptions(seed=5))
    sandbox.faults.burst_429(1)  # the vendor's faults and limits are not the inspector's
    biz = next(ld for ld in sandbox.state.leads.values() if ld.lead_type == "commercial")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app), base_url="http://az"
    ) as http:
        answer = await http.get(f"/_sandbox/records/leads/{biz.id}")
        assert answer.status_code == 200
        record = answer.json()
        assert record["id"] == biz.id
        assert record["lead_type"] == "commercial"
        for name in ("streetAddressLine2", "dba", "otherCsrs", "assignmentGroupId", "name"):
            assert record[name] == getattr(biz.data, name)
        assert sandbox.inspect("leads", str(biz.id)) == record
        task_id = next(iter(sandbox.state.tasks))
        task = (await http.get(f"/_sandbox/records/tasks/{task_id}")).json()
        assert task["dueDatetime"] == sandbox.state.tasks[task_id].data.dueDatetime
        employee = (await http.get("/_sandbox/records/employees/1")).json()
        assert "password" not in employee
        assert (await http.get("/_sandbox/records/leads/999999")).status_code == 404
        unknown = await http.get("/_sandbox/records/invoices/1")
        assert unknown.status_code == 404
        assert "no kind 'invoices'" in unknown.json()["message"]
        # the vendor's own routes still answer as the vendor does (here: the queued 429)
        assert (await http.get("/v1/api/carriers")).status_code == 429


def test_coverage_lists_the_inspector_as_sandbox_only_and_does_not_count_it() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert coverage(out, err) == 0
    lines = out.getvalue().splitlines()
    inspector = [x for x in lines if "/_sandbox/records/" in x]
    assert any(
        re.match(r"agencyzoom\s+sandbox-only\s+GET\s+/_sandbox/records/\{kind\}/\{id\}", x)
        for x in inspector
    )
    assert all("sandbox-only" in x for x in inspector)
    az = next(x for x in lines if x.startswith("agencyzoom: "))
    assert re.search(r"/104 served", az)
    assert re.search(r"/295 served", lines[-1])
