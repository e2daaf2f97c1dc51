"""ConeCRM under the sandbox's fault injection (429 bursts, server errors, malformed bodies):
the scan still reads every contact and account once; a contact's open leads are readable."""

from __future__ import annotations

import pytest

from tests.vendors.test_conecrm_support import conecrm


@pytest.mark.asyncio
async def test_a_429_burst_and_server_errors_still_read_every_customer_once() -> None:
    async with conecrm() as rig:
        rig.sandbox.faults.burst_429(2, retry_after=0)
        rig.sandbox.faults.error_rate = 0.2
        rig.sandbox.faults.malformed_rate = 0.1
        pages = await rig.pull("customers")
        ids = [r.provenance.remote_id for p in pages for r in p.records]
        assert len(ids) == len(set(ids)) == len(rig.state.contacts) + len(rig.state.accounts)
        assert rig.client.http.stats.rate_limited >= 2


@pytest.mark.asyncio
async def test_a_contacts_open_leads_are_read_by_its_uuid() -> None:
    async with conecrm() as rig:
        lead = next(iter(rig.state.leads.values()))
        found = await rig.client.open_leads(lead.contact)
        open_id = rig.state.status_id("Open")
        expected = {
            x.id
            for x in rig.state.leads.values()
            if x.contact == lead.contact and x.status == open_id
        }
        assert {item["id"] for item in found} == expected


@pytest.mark.asyncio
@pytest.mark.parametrize("fault", ["drop_rate", "malformed_rate", "error_rate"])
async def test_the_read_only_lead_filter_post_is_retried_like_a_get(fault: str) -> None:
    """POST /api/query-builder/filter/lead reads and changes nothing: a dropped connection, a
    body cut short or a 5xx is tried again instead of failing the account's whole sync."""
    async with conecrm() as rig:
        expected = sorted(rig.state.leads)
        faults = rig.sandbox.faults
        faults.seed = 1  # the rig's seed 7 draws five faults in a row: more than five tries
        faults.reset()
        setattr(faults, fault, 0.3)
        for _ in range(6):
            found = await rig.client.filter("lead", [])
            assert sorted(item["id"] for item in found) == expected
        assert rig.client.http.stats.retries > 0  # the faults did hit the filter
