"""The hub's last line of defence (``hub_supervision``): a loop that fails is logged and run
again after a pause, and an account whose read hit an unexpected error rests, longer each time
it fails again, until a read of it succeeds."""

from __future__ import annotations

import asyncio

import pytest

from agencydesk.services.team.hub_supervision import AccountsResting, restarting
from agencydesk.sync.events import SyncReport


@pytest.mark.asyncio
async def test_a_loop_that_fails_is_logged_and_run_again_until_stopped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stop = asyncio.Event()
    runs: list[int] = []

    async def loop() -> None:
        runs.append(len(runs))
        if len(runs) < 3:
            raise KeyError("a bug")
        await stop.wait()

    task = asyncio.create_task(restarting("sender", loop, stop, first_pause_s=0.01))
    async with asyncio.timeout(5):
        while len(runs) < 3:
            await asyncio.sleep(0.01)
    assert not task.done()
    stop.set()
    await task
    failures = [r for r in caplog.records if "the hub's sender stopped (KeyError)" in r.message]
    assert len(failures) == 2
    assert all(r.exc_info for r in failures)


class Named:
    def __init__(self, account: str) -> None:
        self.account = account


def test_an_account_rests_longer_each_time_and_wakes_after_a_good_read() -> None:
    now = [0.0]
    resting = AccountsResting(clock=lambda: now[0])
    main, branch = Named("main"), Named("branch")
    both = [main, branch]
    bug = SyncReport("main", "agencyzoom", error="could not store", unexpected=True)
    resting.note([bug, SyncReport("branch", "agencyzoom")])
    assert resting.awake(both) == [branch]  # type: ignore[arg-type]
    now[0] = 601.0
    assert resting.awake(both) == both  # type: ignore[arg-type]
    resting.note([bug])
    now[0] = 601.0 + 1199.0
    assert resting.awake(both) == [branch]  # type: ignore[arg-type]  # twice as long now
    now[0] = 601.0 + 1201.0
    resting.note([SyncReport("main", "agencyzoom")])  # read well: forgiven
    resting.note([bug])
    now[0] += 601.0
    assert resting.awake(both) == both  # type: ignore[arg-type]
