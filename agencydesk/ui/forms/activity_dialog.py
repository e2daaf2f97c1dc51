"""Log activity (Ctrl+L): a note, or a call, email or text that happened outside AgencyDesk,
on the selected lead, customer, policy or thread.

Before anything is saved the dialog says where the entry goes (which vendors get it, and as
what) and which vendors cannot take it and why; where none can, that it stays on this device.
The dialog only collects: ``save_requested`` carries the ``Activity`` to the controller
(ui/activity_actions.py), which saves it off the GUI thread and closes the dialog, or shows the
error here with everything typed kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agencydesk.domain import Direction, RecordKind
from agencydesk.domain.activity import (
    KIND_LABELS,
    MAX_MINUTES,
    OUTCOME_LABELS,
    Activity,
    ActivityKind,
    CallOutcome,
)
from agencydesk.services.activity_log import ActivityTarget
from agencydesk.ui.forms.dialog_parts import error_label, save_buttons

_MNEMONIC = {
    ActivityKind.NOTE: "&Note",
    ActivityKind.CALL: "&Call",
    ActivityKind.EMAIL: "&Email",
    ActivityKind.TEXT: "Te&xt",
}
_PROMPTS = {
    ActivityKind.NOTE: "What to remember about them",
    ActivityKind.CALL: "What was said (optional)",
    ActivityKind.EMAIL: "What the email said",
    ActivityKind.TEXT: "What the text said",
}


class ActivityDialog(QDialog):
    save_requested = Signal(object)  # an Activity the user asked to save

    def __init__(
        self,
        target: ActivityTarget,
        kind: ActivityKind = ActivityKind.NOTE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("activity_dialog")
        self.setWindowTitle("Log activity")
        self.setMinimumWidth(520)
        self.target = target

        who = QLabel(self._heading())
        who.setObjectName("activity_who")
        who.setTextFormat(Qt.TextFormat.RichText)
        who.setWordWrap(True)

        self.kinds = QButtonGroup(self)
        kind_row = QHBoxLayout()
        kind_row.setSpacing(14)
        self.kind_buttons: dict[ActivityKind, QRadioButton] = {}
        for number, each in enumerate(ActivityKind):
            button = QRadioButton(_MNEMONIC[each])
            button.setObjectName(f"kind_{each.value}")
            # Ctrl+1…4 as well as the mnemonic: some platforms show no mnemonics.
            choose = QKeySequence(f"Ctrl+{number + 1}")
            button.setToolTip(choose.toString(QKeySequence.SequenceFormat.NativeText))
            QShortcut(choose, self, button.click)
            self.kinds.addButton(button, number)
            self.kind_buttons[each] = button
            kind_row.addWidget(button)
        kind_row.addStretch(1)

        self.direction = QComboBox()
        self.direction.setObjectName("direction")
        self.direction.addItem("Outbound: we reached out", Direction.OUTBOUND)
        self.direction.addItem("Inbound: they reached us", Direction.INBOUND)
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome")
        self.outcome.addItem("Choose how it went…", None)
        for outcome, label in OUTCOME_LABELS.items():
            self.outcome.addItem(label, outcome)
        self.minutes = QSpinBox()
        self.minutes.setObjectName("minutes")
        self.minutes.setRange(-1, MAX_MINUTES)
        self.minutes.setValue(-1)
        self.minutes.setSpecialValueText("not recorded")  # -1: the length is not known
        self.minutes.setSuffix(" min")
        self.minutes.setAccelerated(True)
        # When a call, email or text happened: now, unless logged after the fact; never later.
        self.when = QDateTimeEdit()
        self.when.setObjectName("activity_when")
        self.when.setDisplayFormat("MM/dd/yyyy HH:mm")  # as every moment reads (formats.py)
        self.when.setCalendarPopup(True)
        self._opened_at = QDateTime.currentDateTime()
        self._opened_at.setTime(self._opened_at.time().addMSecs(-self._opened_at.time().msec()))
        self.when.setMaximumDateTime(self._opened_at)
        self.when.setDateTime(self._opened_at)
        self.when.setToolTip("Now, unless you are logging it after the fact; never later.")
        self.text = QPlainTextEdit()
        self.text.setObjectName("activity_text")
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(110)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("&Direction", self.direction)
        self.form.addRow("&Outcome", self.outcome)
        self.form.addRow("&Length", self.minutes)
        self.form.addRow("When it &happened", self.when)
        self.text_label = QLabel()
        self.text_label.setBuddy(self.text)
        self.form.addRow(self.text_label, self.text)

        self.where = QLabel()
        self.where.setObjectName("activity_where")
        self.where.setWordWrap(True)
        self.where.setTextFormat(Qt.TextFormat.RichText)
        self.where.setStyleSheet("color: palette(placeholder-text);")
        self.error = error_label("activity_error")

        self.buttons = save_buttons(self, self.request_save, "Save (Ctrl+Enter)")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(kind_row)
        layout.addLayout(self.form)
        layout.addWidget(self.where)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.kinds.idToggled.connect(self._kind_toggled)
        self.when.dateTimeChanged.connect(lambda _moment: self._show_where())
        self.kind_buttons[kind].setChecked(True)
        self._kind_changed()
        self.text.setFocus()

    def _heading(self) -> str:
        target = self.target
        if target.person is None:
            name = escape(target.person_name or "this conversation")
            return f"On the conversation with <b>{name}</b>"
        kind = target.person[0]
        heading = f"On <b>{escape(target.person_name or '(no name)')}</b>"
        if kind is not RecordKind.POLICY:  # a policy's name says what it is
            heading += f" ({kind.value})"
        if target.about:
            heading += f"<br>About {escape(target.about)}"
        return heading

    # --- state ----------------------------------------------------------------------------
    def kind(self) -> ActivityKind:
        return list(ActivityKind)[max(0, self.kinds.checkedId())]

    def _kind_toggled(self, _id: int, on: bool) -> None:
        if on:
            self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind()
        call = kind is ActivityKind.CALL
        for widget, shown in (
            (self.direction, kind is not ActivityKind.NOTE),
            (self.outcome, call),
            (self.minutes, call),
            (self.when, kind is not ActivityKind.NOTE),
        ):
            self.form.setRowVisible(widget, shown)
        self.text_label.setText(f"&{_PROMPTS[kind]}")
        self.text.setPlaceholderText(
            "e.g. Wants to bundle home and auto at renewal"
            if kind is ActivityKind.NOTE
            else "e.g. Quoted the renewal at $1,284; she will confirm by Friday"
        )
        self._show_where()
        self.save_button.setText(f"Save {KIND_LABELS[kind].lower()}")
        self.error.hide()

    def _show_where(self) -> None:
        kind = self.kind()
        lines = self.target.where(kind)
        if kind is not ActivityKind.NOTE and self.occurred_at() is not None and self.target.senders:
            # AgencyZoom's note and Lofty's note and logged call take no time (activity.py).
            names = sorted({h.name for h in self.target.senders})
            takes = "takes" if len(names) == 1 else "take"
            lines.append(
                f"{' and '.join(names)} {takes} no time with it: when it happened goes into "
                "the text."
            )
        self.where.setText("<br>".join(escape(line) for line in lines))

    def activity(self) -> Activity:
        kind = self.kind()
        chosen = self.outcome.currentData()  # Qt hands the enum back as its plain string
        outcome = CallOutcome(chosen) if chosen else None
        minutes = self.minutes.value()
        return Activity(
            kind,
            self.text.toPlainText(),
            Direction(self.direction.currentData()),
            outcome if kind is ActivityKind.CALL else None,
            minutes if minutes >= 0 and kind is ActivityKind.CALL else None,
            self.occurred_at() if kind is not ActivityKind.NOTE else None,
        )

    def occurred_at(self) -> datetime | None:
        """When it happened (UTC), or None for now: the time left as the dialog opened."""
        chosen = self.when.dateTime()
        if chosen.toSecsSinceEpoch() // 60 == self._opened_at.toSecsSinceEpoch() // 60:
            return None
        return datetime.fromtimestamp(chosen.toSecsSinceEpoch(), UTC)

    def request_save(self) -> None:
        activity = self.activity()
        problem = activity.problem()
        if problem:
            self.show_error(problem)
            return
        self.save_button.setEnabled(False)  # one save at a time; the controller re-enables
        self.save_requested.emit(activity)

    def show_error(self, text: str) -> None:
        """Say what went wrong; nothing typed is lost."""
        self.error.setText(text)
        self.error.show()
        self.save_button.setEnabled(True)
        if "Outcome" in text:
            self.outcome.setFocus()
        elif text.startswith("When"):
            self.when.setFocus()
        else:
            self.text.setFocus()
