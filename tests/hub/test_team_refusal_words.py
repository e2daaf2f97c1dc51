"""A vendor's refusal in AgencyDesk's plain words reaches a team desk as one sentence, as on a
solo desk: ConeCRM's bodiless 403 on a task's edit (L10799) says "ConeCRM did not let you…",
not "ConeCRM refused it: ConeCRM did not let you…". Real ConeCRM sandbox, the hub signed in as
its plain user, the team book on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
import pytest

from agencydesk.domain import RecordKind, Task, TaskKind
from agencydesk.services.team.desk import DeskReplica
from agencydesk.services.team.hub import TeamHub
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp, OutboxState
from agencydesk.vendors.conecrm import write_risk
from agencydesk.vendors.connector import CONFIRMED_LOSS, PushRequest
from tests.hub.teams import Team
from tests.vendors.test_conecrm_support import BASE, conecrm

CONE = "Cone main"  # make_connector's account


@pytest.mark.asyncio
async def test_conecrms_plain_refusal_reaches_the_desk_as_one_sentence(
    team: Team, tmp_path: Path
) -> None:
    async with conecrm() as cone:
        # The agency owner's task, in the team book; the hub signs in as the plain user.
        typed = Task(title="Renewal call", task_kind=TaskKind.CALL, due_date=date(2026, 3, 12))
        made = await cone.connector.push(PushRequest("create", RecordKind.TASK, typed, "", {}, {}))
        team.book.ledgers.save_account(AccountRow(CONE, "conecrm", BASE))
        team.book.ledgers.store_page(CONE, "tasks", [made])
        plain = {**cone.sandbox.credentials, "token": cone.sandbox.extra["tokens"]["front.desk"]}
        book = Book.open(tmp_path / "desk.sqlite3")
        replica = DeskReplica(book, team.url, None)
        try:
            replica.pull()
            task = book.find_remote(RecordKind.TASK, "conecrm", CONE, made.provenance.remote_id)
            assert isinstance(task, Task)
            edited = replace(task, title="Renewal call: Friday")
            changes = {"title": edited.title}  # what ConeCRM's PATCH sets back, agreed to:
            agreed = write_risk.fields_at_risk(RecordKind.TASK, edited, changes)
            book.ledgers.save_local_edit(
                edited, OutboxOp.UPDATE, {**changes, CONFIRMED_LOSS: agreed}
            )
            assert replica.push().shipped == 1
            transport = httpx.ASGITransport(app=cone.sandbox.app)  # type: ignore[arg-type]
            async with httpx.AsyncClient(transport=transport) as http:
                hub = TeamHub(team.book, http, {CONE: plain}, rate_scale=10_000)
                done = await hub.run_round(read=False)
            [outcome] = done.outcomes
            assert outcome.state == "refused"
            said = (
                'ConeCRM did not let you edit the task "Renewal call: Friday": the ConeCRM user '
                "this account signs in as may not edit it."
            )
            assert outcome.message.startswith(said), outcome.message
            assert outcome.message.count("ConeCRM did not") == 1
            replica.pull()
            [entry] = book.ledgers.outbox()
            assert entry.state is OutboxState.REFUSED
            assert entry.last_error == outcome.message
        finally:
            replica.close()
            book.close()
