"""What the walkthrough of the finished window found in its detail panes and lists, each fixed:
a customer's policy the vendor still calls Active though it expired says so (not "active"),
and the premium in force leaves it out; a message from the customer's own address or number
is signed with their name, not "asmith@gmail.com" or "+12105554919"; a task in a timeline
is "due 01/08/2027", not "01/08/2027 00:00"; the Policies list shows that honest state
whole."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agencydesk.domain import (
    Direction,
    Message,
    Policy,
    PolicyStatus,
    Provenance,
    RecordKind,
    SyncState,
    Task,
)
from agencydesk.domain.formats import format_date
from agencydesk.store.queries import ListQuery
from tests.ui.clipping import clipped
from tests.ui.conftest import TODAY, UiBook, settle

EXPIRED = date(2025, 3, 1)


def _shown(window, qtbot: QtBot, kind: RecordKind, record_id: int):  # type: ignore[no-untyped-def]
    tab = window.tab_for(kind)
    window.tabs.setCurrentWidget(tab)
    settle(qtbot, window)
    tab.reveal(record_id)
    settle(qtbot, window)
    qtbot.waitUntil(
        lambda: tab.current_record() is not None and tab.current_record().id == record_id,
        timeout=5000,
    )
    settle(qtbot, window)
    return tab


def _bloc_policy(small: UiBook) -> int:
    """Ann's life policy at AgencyBloc: "Active" there, expired by date."""
    [policy] = small.book.save_many(
        [
            Policy(
                provenance=Provenance(vendor="agencybloc", account="Bloc", remote_id="p-7"),
                sync_state=SyncState.SYNCED,
                customer_id=small.ann,
                policy_number="LF-1200456",
                carrier="Mutual of Omaha",
                line_of_business="Life",
                premium_cents=48_000,
                effective_date=date(2024, 3, 1),
                expiration_date=EXPIRED,
                status=PolicyStatus.ACTIVE,
            )
        ]
    )
    return policy


def test_a_policy_active_at_the_vendor_but_expired_reads_so_in_the_customer_pane(
    qtbot: QtBot, window, small: UiBook
) -> None:
    _bloc_policy(small)
    window.refresh()
    tab = _shown(window, qtbot, RecordKind.CUSTOMER, small.ann)
    text = tab.detail.toPlainText()
    assert f"Active at AgencyBloc, expired {format_date(EXPIRED)}" in text
    assert "· active" not in text
    # Auto $1,200 and home $2,100 are in force; the cancelled umbrella and the life policy not
    # ... and the list's Total premium, which follows the vendors' status, is explained
    assert "4 · $3,300.00 in force ($3,780.00 by the vendors' status)" in text


def test_messages_from_the_customer_are_signed_with_their_name(
    qtbot: QtBot, window, small: UiBook
) -> None:
    at = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
    small.book.save_many(
        [
            Message(thread_id=small.thread_ann, direction=Direction.INBOUND,
                    sender="ann.lee@example.com", body="Thanks!", sent_at=at),
            Message(thread_id=small.thread_ann, direction=Direction.INBOUND,
                    sender="+15125550999", body="From another phone", sent_at=at),
        ]
    )  # fmt: skip
    tab = _shown(window, qtbot, RecordKind.THREAD, small.thread_ann)
    text = tab.detail.toPlainText()
    signed = re.compile(r"^(.+) · \d\d/\d\d/\d{4} \d\d:\d\d$", re.MULTILINE)
    signatures = signed.findall(text)
    assert "ann.lee@example.com" not in signatures
    assert signatures.count("Ann Lee") == 2  # her first message, and the one from her address
    assert "(512) 555-0999" in signatures  # a number we cannot name, written as the grid does
    assert "+1512" not in text


def test_a_task_in_the_timeline_is_due_on_a_day_not_at_midnight(
    qtbot: QtBot, window, small: UiBook
) -> None:
    due = TODAY + timedelta(days=30)
    small.book.save_many(
        [Task(title="Send the renewal offer", due_date=due, customer_id=small.ann)]
    )
    tab = _shown(window, qtbot, RecordKind.CUSTOMER, small.ann)
    text = tab.detail.toPlainText()
    assert f"Task · This device · due {format_date(due)}" in text
    assert f"{format_date(due)} 00:00" not in text


def test_the_policies_list_shows_the_honest_state_whole(
    qtbot: QtBot, window, small: UiBook
) -> None:
    policy = _bloc_policy(small)
    window.resize(1280, 800)
    tab = _shown(window, qtbot, RecordKind.POLICY, policy)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not tab._fit_timer.isActive(), timeout=3000)
    settle(qtbot, window)
    column = next(n for n, c in enumerate(tab.model.columns) if c.title == "Status")
    row = tab.view.currentIndex().row()
    assert (
        tab.model.index(row, column).data()
        == f"Active at AgencyBloc, expired {format_date(EXPIRED)}"
    )
    assert not clipped(tab.view, frozenset({"Status", "Policy #", "Insured", "Expiration"}))


def test_the_import_check_shows_each_problem_whole(
    qtbot: QtBot, window, small: UiBook, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """A broken CSV (a ZIP a spreadsheet cut short, a bad phone, a row with extra cells): each
    problem is read whole, wrapped in its row, and the summary counts in plain English."""
    from PySide6.QtGui import QFontMetrics

    from agencydesk.ui.csv import open_import_dialog

    broken = tmp_path / "broken leads.csv"
    broken.write_text(
        "First Name,Last Name,Email,Phone,ZIP\n"
        "Ann,Lee,ann@example.com,555-0105,787\n"
        "Dee,Ng,dee@example.com,5125550143,78701,extra,cells\n"
        "Eve,Fox,eve@example.com,5125550144,78702\n"
    )
    wizard = open_import_dialog(window, small.book, RecordKind.LEAD)
    assert wizard is not None
    wizard.resize(900, 620)
    wizard.load(broken)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=10_000)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.state.validation is not None, timeout=20_000)
    page = wizard.check_page
    assert page.summary.text().startswith("1 row is ready to import. 2 rows have problems")
    table, model = page.table, page.model
    problem = model.HEADERS.index("Problem")
    width = table.columnWidth(problem)
    metrics = QFontMetrics(table.font())
    messages = [model.index(row, problem).data() for row in range(model.rowCount())]
    assert any("ZIP+4" in m for m in messages)
    for row, message in enumerate(messages):
        assert model.index(row, problem).data(Qt.ItemDataRole.ToolTipRole) == message
        lines = metrics.boundingRect(0, 0, width - 8, 1000, Qt.TextFlag.TextWordWrap, message)
        assert table.rowHeight(row) >= lines.height(), message

    # No row matches a record here, and no import was made yet: a note stands in place of
    # an empty table and an empty history list.
    page.skip_all.click()
    wizard.next()
    qtbot.waitUntil(wizard.duplicates_page.isComplete, timeout=20_000)
    assert wizard.duplicates_page.no_matches.isVisible()
    assert not wizard.duplicates_page.table.isVisible()
    wizard.next()
    commit = wizard.commit_page
    assert commit.no_history.isVisible()
    assert not commit.history.isVisible()
    commit.import_button.click()
    qtbot.waitUntil(lambda: commit.history.count() == 1, timeout=20_000)
    assert commit.history.isVisible()
    assert not commit.no_history.isVisible()
    wizard.reject()


def test_todays_tasks_come_in_the_order_of_their_times(qtbot: QtBot, window, small: UiBook) -> None:
    """Tasks opens on today's work: the 08:00 call before the 10:30 one, untimed ones after."""
    small.book.save_many(
        [
            Task(title="Late call", due_date=TODAY, due_time="10:30"),
            Task(title="Any time today", due_date=TODAY),
            Task(title="Early call", due_date=TODAY, due_time="08:00"),
        ]
    )
    tab = window.tab_for(RecordKind.TASK)
    window.tabs.setCurrentWidget(tab)
    window.refresh()
    settle(qtbot, window)
    title = next(n for n, c in enumerate(tab.model.columns) if c.title == "Title")
    titles = [tab.model.index(row, title).data() for row in range(tab.model.rowCount())]
    today = [
        t
        for t in titles
        if t in ("Late call", "Any time today", "Early call", "Send Dana the quote")
    ]
    assert today[:2] == ["Early call", "Late call"]
    assert set(today[2:]) == {"Any time today", "Send Dana the quote"}


def test_the_palette_finds_mark_done_by_the_words_the_pane_uses(
    qtbot: QtBot, window, small: UiBook
) -> None:
    """The task pane's link says "Mark done Ctrl+Enter": typing "mark done" in the palette
    finds that command (it was "Complete / reopen task", found only as "complete")."""
    from agencydesk.ui.pickers import CommandPalette

    tab = _shown(window, qtbot, RecordKind.TASK, small.task_today)
    assert "Mark done" in tab.detail.toPlainText()
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    palette = window._palette
    assert isinstance(palette, CommandPalette)
    qtbot.waitUntil(palette.edit.hasFocus, timeout=2000)
    qtbot.keyClicks(palette.edit, "mark done")
    assert palette.list.item(0).text().startswith("Mark done / reopen task\t")
    assert palette.hint.text() == "1 command · Enter runs"
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.statusBar().currentMessage() == "Completed task Send Dana the quote"


def test_a_lead_pane_says_its_stage_once_where_status_and_stage_agree(
    qtbot: QtBot, window, small: UiBook
) -> None:
    tab = _shown(window, qtbot, RecordKind.LEAD, small.dana)  # New, at stage New
    assert tab.detail.toPlainText().splitlines()[1] == "Lead · New"


def test_an_address_reads_as_on_an_envelope(qtbot: QtBot, window, small: UiBook) -> None:
    from dataclasses import replace

    ann = small.book.get(RecordKind.CUSTOMER, small.ann)
    assert ann is not None
    small.book.save(replace(ann, street="12 Oak St", state="TX", zip_code="78701"))
    window.refresh()
    tab = _shown(window, qtbot, RecordKind.CUSTOMER, small.ann)
    assert "12 Oak St, Austin, TX 78701" in tab.detail.toPlainText()


def test_an_outbox_change_whose_record_is_gone_is_not_named_by_number(qapp) -> None:  # type: ignore[no-untyped-def]
    """A delete whose vendor copy cannot be read: "Lead deleted here", never "lead #3001"."""
    from agencydesk.services.outbox_review import OutboxItem
    from agencydesk.store.ledgers import OutboxEntry, OutboxOp
    from agencydesk.ui.sync.outbox_actions import record_name
    from agencydesk.ui.sync.outbox_view import OutboxModel

    entry = OutboxEntry(
        7, "AZ", RecordKind.LEAD, 3001, "9", OutboxOp.DELETE, {}, {}, datetime.now(UTC)
    )
    item = OutboxItem(entry, "AgencyZoom", None, "Delete", "Waiting")
    model = OutboxModel()
    model.set_rows([item])
    assert model.index(0, OutboxModel.RECORD).data() == "Lead deleted here"
    assert record_name(item) == "the lead deleted here"
    assert "3001" not in record_name(item)


def test_settings_team_section_reads_whole_and_a_failed_join_is_red(
    qtbot: QtBot, window, small: UiBook, loop
) -> None:  # type: ignore[no-untyped-def]
    """Settings ▸ Team book: its three-line note is shown whole (it was cut, the dialog laid
    out for "Checking…"), and a join that fails says so in red, not in pale highlight blue."""
    from agencydesk.services.team.membership import TeamMembership
    from agencydesk.ui.chrome.preferences import Preferences
    from agencydesk.ui.chrome.settings_dialog import SettingsDialog
    from agencydesk.ui.team import TeamSection

    section = TeamSection(TeamMembership(small.book))
    dialog = SettingsDialog(Preferences(window.settings, window), window, extra_sections=[section])
    dialog.show()
    qtbot.waitExposed(dialog)
    loop.run_until_complete(section._work)
    status = section.status

    def whole() -> bool:
        inside = status.mapTo(dialog, status.rect().bottomLeft()).y() < dialog.height()
        return status.height() >= status.heightForWidth(status.width()) and inside

    assert status.text().startswith("This desk works on its own.")
    qtbot.waitUntil(whole, timeout=2000)
    section.url.setText("postgresql+psycopg://seat@127.0.0.1:9/agency")  # nothing listens
    section._join_clicked()
    loop.run_until_complete(section._work)
    assert status.text().startswith("The server refused the connection")
    assert section.details_toggle.isVisible()
    assert "#c62828" in status.styleSheet()
    qtbot.waitUntil(whole, timeout=2000)
    dialog.reject()


def _edit_dialog(window, qtbot: QtBot, kind: RecordKind, record_id: int):  # type: ignore[no-untyped-def]
    from agencydesk.ui.forms.record_dialog import RecordDialog

    _shown(window, qtbot, kind, record_id)
    before = set(window.findChildren(RecordDialog))
    window.edit_record()
    qtbot.waitUntil(lambda: bool(set(window.findChildren(RecordDialog)) - before), timeout=5000)
    [dialog] = set(window.findChildren(RecordDialog)) - before
    settle(qtbot, window)
    return dialog


def test_a_text_conversation_is_edited_without_a_subject(
    qtbot: QtBot, window, small: UiBook
) -> None:
    """F2 on a text conversation: it has no subject, which the form demanded (OK stayed
    greyed); its channel reads "Text" (not "Sms") and its number as people write it."""
    from PySide6.QtWidgets import QDialogButtonBox

    sms = next(
        i.record.id
        for i in small.book.iter_rows(RecordKind.THREAD, ListQuery())
        if i.record.lead_id == small.dana
    )
    dialog = _edit_dialog(window, qtbot, RecordKind.THREAD, sms)
    assert dialog.validate()
    assert dialog.editors["channel"].currentText() == "Text"
    assert dialog.editors["counterpart"].text() == "(512) 555-0777"
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.accept()
    edited = dialog.result_record()
    assert (edited.channel.value, edited.counterpart, edited.subject) == ("sms", "+15125550777", "")
    dialog.close()

    dialog = _edit_dialog(window, qtbot, RecordKind.THREAD, small.thread_ann)  # an email
    assert dialog.editors["channel"].currentText() == "Email"
    dialog.set_text("subject", "")
    assert not dialog.validate()
    assert dialog.errors() == {"subject": "Subject: is required for an email"}
    dialog.close()


def test_a_linked_record_is_never_shown_by_its_number(qtbot: QtBot, window, small: UiBook) -> None:
    """A form's customer box, while the customer's name is read: "…", not "#1"."""
    from agencydesk.ui.forms.record_picker import RecordPickerField

    picker = RecordPickerField(RecordKind.CUSTOMER, window.reader)
    qtbot.addWidget(picker)
    picker.set_id(small.ann)
    assert picker.edit.text() == "…"
    assert picker.id_text() == str(small.ann)
    assert not picker.problem()
    qtbot.waitUntil(lambda: picker.edit.text() == "Ann Lee", timeout=5000)
