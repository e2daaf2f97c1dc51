"""LeadExec under the sandbox's fault injection: 429 bursts, server errors and malformed
bodies are retried and the scan still reads every lead buyer once; a client gone at the vendor
is confirmed gone."""

from __future__ import annotations

import pytest

from agencydesk.domain import RecordKind
from tests.vendors.test_leadexec_support import leadexec


@pytest.mark.asyncio
async def test_a_429_burst_and_server_errors_still_read_every_client_once() -> None:
    async with leadexec() as rig:
        rig.sandbox.faults.burst_429(2, retry_after=0)
        rig.sandbox.faults.error_rate = 0.15
        rig.sandbox.faults.malformed_rate = 0.05
        pages = await rig.pull()
        ids = [r.provenance.remote_id for p in pages for r in p.records]
        assert sorted(ids) == sorted(str(uid) for uid in rig.state.clients)
        stats = rig.client.http.stats
        assert stats.rate_limited >= 2
        assert stats.retries >= 2


@pytest.mark.asyncio
async def test_a_client_missing_from_the_list_is_confirmed_gone_by_its_fields() -> None:
    async with leadexec() as rig:
        kept, removed = list(rig.state.clients)[:2]
        del rig.state.clients[removed]
        gone = await rig.connector.confirm_deleted(RecordKind.CUSTOMER, [str(kept), str(removed)])
        assert gone == [str(removed)]
