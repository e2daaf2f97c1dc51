"""A call logged after the fact (issue 12): "when it happened" is kept here as the entry's own
time and, since no vendor's API takes a time with a note or a logged call (AgencyZoom {note},
L853/L4254; Lofty NoteRequest L4685, LogTypeRequest L4585), written into the text the vendor
gets; checked in what the sandbox stores. The sandboxes refuse a time field (or any other the
request schema does not have), so a client that guessed one would fail here. Never in the
future."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agencydesk.domain import Direction, Message, Note, RecordKind
from agencydesk.domain.activity import Activity, ActivityKind, CallOutcome
from agencydesk.domain.formats import format_moment
from agencydesk.services.activity_log import ActivityLog
from agencydesk.store.book import Book
from agencydesk.sync.engine import SyncEngine
from agencydesk.vendors.client_kit import errors
from tests.sync.conftest import ACCOUNT, SyncRig
from tests.sync.test_activity_log_sync import (  # noqa: F401 - fixtures
    LOFTY,
    _az_lead,
    _az_notes,
    _lofty_lead,
    lofty_book,
    lofty_rig,
)
from tests.vendors.test_lofty_support import Rig as LoftyRig
from tests.vendors.writeback_support import inspect

pytestmark = [pytest.mark.asyncio, pytest.mark.sandbox]
WHEN = datetime(2026, 12, 4, 15, 10, tzinfo=UTC)  # before the test clock's now, whatever it is


def _call(minutes: int | None = 7) -> Activity:
    return Activity(
        ActivityKind.CALL,
        "Left word about the renewal.",
        Direction.OUTBOUND,
        CallOutcome.VOICEMAIL,
        minutes,
        occurred_at=WHEN,
    )


async def test_an_agencyzoom_note_says_when_and_the_book_keeps_it(rig: SyncRig) -> None:
    lead = _az_lead(rig)
    assert lead.id is not None
    before = _az_notes(rig, "lead", int(lead.provenance.remote_id))
    log = ActivityLog(rig.book, author="Pat Kim")
    log.log(log.target(RecordKind.LEAD, lead.id), _call())

    [note] = rig.book.notes_of(RecordKind.LEAD, lead.id)
    assert isinstance(note, Note)
    assert note.created_at == WHEN  # the timeline places it when it happened
    headline = f"Outbound call · Left a voicemail · 7 min · {format_moment(WHEN)}"
    assert note.body == f"{headline}\nLeft word about the renewal."
    report = await rig.engine().sync_account(ACCOUNT, read=False)
    assert report.ok, report.summary()
    [new_id] = [
        n for n in _az_notes(rig, "lead", int(lead.provenance.remote_id)) if n not in before
    ]
    stored = await inspect(rig.sandbox, "notes", str(new_id))
    assert stored["body"] == note.body


async def test_a_lofty_logged_call_says_when_in_its_content(
    lofty_book: Book,  # noqa: F811 - the fixture
    lofty_rig: LoftyRig,  # noqa: F811
) -> None:
    lead = _lofty_lead(lofty_book, lofty_rig)
    assert lead.id is not None
    log = ActivityLog(lofty_book, author="Pat Kim")
    before = set(lofty_rig.state.log_types)
    [(kind, message_id)] = log.log(log.target(RecordKind.LEAD, lead.id), _call()).records
    assert kind is RecordKind.MESSAGE
    message = lofty_book.get(RecordKind.MESSAGE, message_id)
    assert isinstance(message, Message)
    assert message.sent_at == WHEN
    engine = SyncEngine(lofty_book, [lofty_rig.connector], limiters={LOFTY: lofty_rig.limiter})
    report = await engine.sync_account(LOFTY, read=False)
    assert report.ok, report.summary()
    [new_id] = set(lofty_rig.state.log_types) - before
    stored = await inspect(lofty_rig.sandbox, "logType", str(new_id))
    assert stored["content"] == (
        f"Left word about the renewal.\n(7 min call, on {format_moment(WHEN)})"
    )
    assert stored["callingOutcome"] == "VoiceMessage"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1.0/logType", {"logType": "logCall", "content": "x", "createTime": 1764861000000}),
        ("/v1.0/notes", {"content": "x", "createTime": 1764861000000}),
    ],
)
async def test_lofty_refuses_a_time_its_requests_do_not_have(
    lofty_book: Book,  # noqa: F811
    lofty_rig: LoftyRig,  # noqa: F811
    path: str,
    body: dict[str, object],
) -> None:
    lead = _lofty_lead(lofty_book, lofty_rig)
    sent = {"leadId": int(lead.provenance.remote_id), **body}
    count = len(lofty_rig.state.log_types), len(lofty_rig.state.notes)
    with pytest.raises(errors.VendorError) as refused:
        await lofty_rig.connector.client.send("POST", path, sent)
    assert "createTime" in str(refused.value)
    assert (len(lofty_rig.state.log_types), len(lofty_rig.state.notes)) == count


async def test_agencyzoom_refuses_a_time_with_a_note(rig: SyncRig) -> None:
    lead = _az_lead(rig)
    with pytest.raises(errors.VendorError) as refused:
        await rig.connector.client.send(
            "POST",
            f"/v1/api/leads/{lead.provenance.remote_id}/notes",
            {"note": "x", "createDate": "2026-12-04 15:10:00"},
        )
    assert "createDate" in str(refused.value)


async def test_when_cannot_be_in_the_future() -> None:
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    later = Activity(
        ActivityKind.CALL,
        "",
        Direction.OUTBOUND,
        CallOutcome.TALKED,
        None,
        now + timedelta(hours=1),
    )
    assert later.problem(now).startswith("When: that is still to come")
    assert later.problem(now + timedelta(hours=1)) == ""
