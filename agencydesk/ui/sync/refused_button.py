"""The status bar's "⚠ 1 change refused": shown while a vendor refused a change (or one failed,
or may have been made) and the user has not dealt with it; a click opens the Outbox. Hidden when
nothing waits for the user, so a green "Lofty ✓" never hides a refusal."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton, QWidget

from agencydesk.services.book_reads import AccountsSummary
from agencydesk.sync.outbox_reconcile import MAY_HAVE_BEEN_MADE

REFUSED_STYLE = "QToolButton { color: #b3261e; font-weight: 600; }"


def refused_text(summary: AccountsSummary) -> str:
    """'1 change refused', '2 changes refused, 1 may have been made' ('' when none): refused
    by the vendor (its validation or a per-record refusal), or sent with the answer lost."""
    entries = [e for waiting in summary.refused.values() for e in waiting]
    maybe = sum(1 for e in entries if MAY_HAVE_BEEN_MADE in e.last_error)
    refused = len(entries) - maybe
    parts = []
    if refused:
        parts.append(f"{refused} change{'s' if refused != 1 else ''} refused")
    if maybe:
        noun = "" if refused else f" change{'s' if maybe != 1 else ''}"
        parts.append(f"{maybe}{noun} may have been made")
    return ", ".join(parts)


class RefusedChangesButton(QToolButton):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refused_changes")
        self.setAutoRaise(True)
        self.setStyleSheet(REFUSED_STYLE)
        self.setToolTip("Changes a vendor did not take: open the Outbox (Ctrl+Shift+O)")
        self.setVisible(False)

    def show_summary(self, summary: AccountsSummary) -> None:
        text = refused_text(summary)
        self.setText(f"⚠ {text}" if text else "")
        self.setVisible(bool(text))
