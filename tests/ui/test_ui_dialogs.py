"""New / edit / delete: every field validated next to itself, nothing saved while invalid."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from agencydesk.domain import Customer, Lead, Policy, RecordKind, Task
from agencydesk.store.queries import ListQuery
from agencydesk.ui.forms.record_dialog import RecordDialog
from tests.ui.conftest import UiBook, settle


def _ok(dialog: RecordDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_invalid_fields_are_named_next_to_the_field_and_nothing_is_saved(
    window, small: UiBook, qtbot: QtBot
) -> None:
    tab = window.tab_for(RecordKind.LEAD)
    window.tabs.setCurrentWidget(tab)
    before = small.book.count(RecordKind.LEAD, ListQuery())
    dialog = tab.new_record()
    dialog.set_text("last_name", "Nguyen")
    dialog.set_text("email", "not-an-email")
    dialog.set_text("phone", "12")
    dialog.set_text("x_date", "31/31/2026")
    dialog.set_text("quoted_premium_cents", "-5")
    errors = dialog.errors()
    assert errors["email"].startswith("Email:")
    assert "not an email address" in errors["email"]
    assert errors["phone"].startswith("Phone:")
    assert errors["x_date"].startswith("X-date:")
    assert errors["quoted_premium_cents"].startswith("Quoted premium:")
    assert dialog.error_labels["email"].isVisibleTo(dialog)
    assert not _ok(dialog).isEnabled()
    dialog.accept()  # even if forced, nothing is saved
    assert small.book.count(RecordKind.LEAD, ListQuery()) == before

    dialog.set_text("email", "T.Nguyen@Example.COM")
    dialog.set_text("phone", "(512) 555-0142")
    dialog.set_text("x_date", "3/1/27")
    dialog.set_text("quoted_premium_cents", "$1,250.50")
    assert dialog.errors() == {}
    assert _ok(dialog).isEnabled()
    with qtbot.waitSignal(tab.filtered, timeout=2000):
        _ok(dialog).click()
    settle(qtbot, window)  # the saved record is revealed once its row is read
    saved = tab.current_record()
    assert isinstance(saved, Lead)
    assert saved.last_name == "Nguyen"
    assert saved.email == "T.Nguyen@example.com"
    assert saved.phone == "+15125550142"
    assert saved.quoted_premium_cents == 125050
    assert saved.x_date is not None
    assert saved.provenance.is_local
    assert small.book.count(RecordKind.LEAD, ListQuery()) == before + 1


def test_a_name_is_required(window) -> None:
    dialog = window.tab_for(RecordKind.CUSTOMER).new_record()
    assert "Last name" in dialog.errors()["last_name"]
    assert not _ok(dialog).isEnabled()
    dialog.set_text("business_name", "Lee Bakery")
    assert _ok(dialog).isEnabled()
    dialog.reject()


def test_policy_form_checks_money_customer_and_term(window, small: UiBook, qtbot: QtBot) -> None:
    dialog = window.tab_for(RecordKind.POLICY).new_record()
    dialog.set_text("policy_number", "BOP-1")
    dialog.set_text("carrier", "Hartford")
    dialog.set_text("line_of_business", "BOP")
    dialog.set_text("premium_cents", "12.345")
    dialog.set_text("customer_id", "999")
    # The form reads nothing itself: the picker's reader says #999 is not in the book.
    gone = "Customer: that customer is no longer in this computer's book"
    qtbot.waitUntil(lambda: dialog.errors().get("customer_id", "").startswith(gone))
    errors = dialog.errors()
    assert "more than two decimals" in errors["premium_cents"]
    dialog.set_text("premium_cents", "1,200")
    dialog.set_text("customer_id", str(small.ann))
    dialog.set_text("effective_date", "2026-05-01")
    dialog.set_text("expiration_date", "2026-04-01")
    assert "Expiration" in dialog.errors()["expiration_date"]
    dialog.set_text("expiration_date", "2027-05-01")
    assert dialog.errors() == {}
    _ok(dialog).click()
    # Hartford and BOP are new to the book: each is added only once the user says so.
    for new_value in ("Hartford", "BOP"):
        question = dialog.question
        assert question is not None
        assert f"“{new_value}” is not a" in question.text()
        if new_value == "BOP":
            with qtbot.waitSignal(window.writer.written):
                question.button(QMessageBox.StandardButton.Yes).click()
        else:
            question.button(QMessageBox.StandardButton.Yes).click()
    saved = small.book.related(RecordKind.POLICY, ListQuery(text="BOP-1"))
    assert [item.record.premium_cents for item in saved] == [120_000]
    assert isinstance(saved[0].record, Policy)
    assert saved[0].record.customer_id == small.ann


def test_task_time_is_validated(window) -> None:
    dialog = window.tab_for(RecordKind.TASK).new_record()
    dialog.set_text("title", "Call back")
    dialog.set_text("due_time", "25:00")
    assert dialog.errors()["due_time"].startswith("Due time:")
    dialog.set_text("due_time", "9:30")
    assert dialog.errors() == {}
    assert isinstance(dialog.result_record(), Task)
    assert dialog.result_record().due_time == "09:30"  # type: ignore[attr-defined]
    dialog.reject()


def test_edit_saves_changes_and_vendor_records_are_read_only(
    window, small: UiBook, qtbot: QtBot
) -> None:
    tab = window.tab_for(RecordKind.CUSTOMER)
    window.tabs.setCurrentWidget(tab)
    tab.reveal(small.ann)
    settle(qtbot, window)
    dialog = tab.edit_current()
    assert dialog is not None
    assert dialog.editors["email"].text() == "ann.lee@example.com"
    dialog.set_text("city", "Round Rock")
    with qtbot.waitSignal(window.writer.written):
        _ok(dialog).click()
    stored = small.book.get(RecordKind.CUSTOMER, small.ann)
    assert isinstance(stored, Customer)
    assert stored.city == "Round Rock"
    assert stored.email == "ann.lee@example.com"  # untouched fields kept

    settle(qtbot, window)
    tab.reveal(small.cy)  # an AgencyZoom record
    settle(qtbot, window)
    assert tab.edit_current() is None
    assert not window.action("edit").isEnabled()
    assert "agencyzoom" in window.action("edit").toolTip()


def test_delete_asks_first(window, small: UiBook, qtbot: QtBot) -> None:
    tab = window.tab_for(RecordKind.CUSTOMER)
    window.tabs.setCurrentWidget(tab)
    tab.reveal(small.bob)
    settle(qtbot, window)
    box = tab.delete_current()
    assert box is not None
    assert "Bob Lee" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert small.book.get(RecordKind.CUSTOMER, small.bob) is not None
    tab.reveal(small.bob)
    settle(qtbot, window)
    box = tab.delete_current()
    assert box is not None
    with qtbot.waitSignal(tab.filtered, timeout=2000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert small.book.get(RecordKind.CUSTOMER, small.bob) is None
    settle(qtbot, window)
    assert tab.model.rowCount() == 2
