"""The account's details (a click on its status-bar button) name what waits for the user after
sending: a change the vendor refused, one sent whose answer was lost ("may have been made"), and
a record made at the vendor that is linked at the next sync, never sent again."""

from __future__ import annotations

import os

import qasync
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from agencydesk.domain import Customer, Provenance
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.sync.events import Phase
from agencydesk.sync.send_lock import SendLock
from tests.ui_sync.conftest import finish, shoot
from tests.ui_sync.test_sync_status import _controller, _status, _status_bar


def _queued(book: Book, email: str) -> int:
    new = Customer(
        provenance=Provenance(vendor="agencyzoom", account="AZ main"),
        first_name=email.split("@")[0].title(),
        email=email,
    )
    book.ledgers.save_local_edit(new, OutboxOp.CREATE, {})
    return book.ledgers.outbox("AZ main")[-1].id


def test_details_name_refused_maybe_made_and_unlinked_changes(
    qtbot: QtBot, loop: qasync.QEventLoop, book: Book
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    controller = _controller(
        owner, loop, book, "http://127.0.0.1:9", {"username": "u", "password": "p"}
    )
    refused = _queued(book, "ann@example.com")
    book.ledgers.outbox_failed(refused, "403 Not your customer", OutboxState.REFUSED)
    lost = _queued(book, "bob@example.com")
    assert book.ledgers.outbox_claim(lost)
    book.ledgers.outbox_failed(
        lost,
        "The create was sent but its answer was lost. It may have been made: check the "
        "vendor, then retry or discard.",
        OutboxState.FAILED,
    )
    made = _queued(book, "cy@example.com")
    assert book.ledgers.outbox_claim(made)
    book.ledgers.outbox_unlinked(made, "its id came back as 0")
    bar = _status_bar(qtbot, controller)  # the outbox is read (off the GUI thread) with it
    bar.show()
    controller.status_changed.emit(_status(Phase.DONE, pending=1))
    bar.buttons["AZ main"].click()
    box = bar.details
    assert box is not None
    text = box.text()
    assert "Changes that need you: 2" in text
    assert "403 Not your customer" in text
    assert "It may have been made" in text
    assert "Made in AgencyZoom, linked at the next sync: 1 (not sent again)" in text
    shoot(box, "status_details_outbox")


def test_a_window_sync_while_the_cli_syncs_says_who_has_the_profile(
    qtbot: QtBot, loop: qasync.QEventLoop, book: Book
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    controller = _controller(
        owner, loop, book, "http://127.0.0.1:9", {"username": "u", "password": "p"}
    )
    controller.lock_wait_s = 0.2
    _queued(book, "dee@example.com")
    cli = SendLock.beside(book.path)  # as `agencydesk sync` holds it
    assert cli.try_acquire()
    problems: list[str] = []
    controller.problem.connect(problems.append)
    try:
        with qtbot.waitSignal(controller.finished, timeout=10_000) as done:
            controller.sync_now()
            finish(loop, controller.runner.tasks)
    finally:
        cli.release()
    assert done.args[0] == []
    assert problems == [problems[0]]
    assert f"process {os.getpid()} is already syncing this profile" in problems[0]
    [entry] = book.ledgers.outbox("AZ main")
    assert entry.state is OutboxState.PENDING
