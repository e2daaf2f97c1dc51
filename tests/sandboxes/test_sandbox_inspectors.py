"""The sandbox-only inspector of the Lofty, AgencyBloc, ConeCRM and LeadExec sandboxes: the whole
stored record by the vendor's own plural kind, over HTTP in front of the vendor's auth; clear
404s; and no vendor client ever calls it (issue 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from agencydesk.vendors.sandbox_kit.base import SandboxOptions

pytestmark = [pytest.mark.sandbox]

VENDORS = ("lofty", "agencybloc", "conecrm", "leadexec")
# vendor -> (a kind, how to find one id in the sandbox state, a field only the store holds)
PROBES: dict[str, tuple[str, Any, str]] = {
    "lofty": ("leads", lambda s: next(iter(s.leads)), "_tags"),
    "agencybloc": ("policies", lambda s: next(iter(s.policies)), "waitingPeriod"),
    "conecrm": ("leads", lambda s: next(iter(s.leads)), "vehicle"),
    "leadexec": ("clients", lambda s: next(iter(s.clients)), "password"),
}


def _sandbox(vendor: str) -> Any:
    module = __import__(f"agencydesk.vendors.{vendor}.sandbox", fromlist=["create_sandbox"])
    return module.create_sandbox(SandboxOptions(size="small"))


@pytest.mark.asyncio
@pytest.mark.parametrize("vendor", VENDORS)
async def test_the_inspector_answers_the_whole_stored_record_without_credentials(
    vendor: str,
) -> None:
    sandbox = _sandbox(vendor)
    kind, first_id, stored_only = PROBES[vendor]
    record_id = first_id(sandbox.state)
    transport = httpx.ASGITransport(app=sandbox.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        found = await http.get(f"/_sandbox/records/{kind}/{record_id}")
        no_kind = await http.get(f"/_sandbox/records/widgets/{record_id}")
        no_id = await http.get(f"/_sandbox/records/{kind}/999999999")
    assert found.status_code == 200
    assert stored_only in found.json()
    assert found.json() == sandbox.inspect(kind, str(record_id))
    assert no_kind.status_code == 404
    assert "widgets" in no_kind.json()["message"]
    assert no_id.status_code == 404


def test_no_vendor_client_calls_the_inspector() -> None:
    root = Path(__file__).resolve().parents[2] / "agencydesk" / "vendors"
    for vendor in VENDORS:
        for path in (root / vendor).glob("*.py"):  # client, connector, push, mapping: not sandbox/
            assert "_sandbox" not in path.read_text(), path
