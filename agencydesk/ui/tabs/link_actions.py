"""The user's word on linked records, from the detail pane: take a record out of its group,
confirm or reject a suggestion, link a record with another found by name (issue 11).

Each action is a link in the pane (``agencydesk-link://VERB/KIND/ID[/KIND/ID]``); the linking
pass it ends with reads the whole book, so it goes to the window's writer (off the GUI thread,
in order with the user's other writes) and the tab refreshes when it is done."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWidgets import QWidget

from agencydesk.domain import RecordKind
from agencydesk.services.record_writes import (
    KeepApart,
    LinkRecords,
    UnlinkRecord,
    WriteFailed,
    WriteRequest,
)
from agencydesk.store.queries import SearchHit
from agencydesk.ui.pickers import QuickFind
from agencydesk.ui.reader import BookReader
from agencydesk.ui.writer import BookWriter

ACTION_SCHEME = "agencydesk-link"
_VERBS = ("unlink", "link", "apart", "pick")


def action(label: str, verb: str, *refs: tuple[RecordKind, int | None]) -> str:
    """A pane link that asks for ``verb`` on these records."""
    path = "/".join(f"{kind.value}/{record_id}" for kind, record_id in refs)
    return f'<a href="{ACTION_SCHEME}://{verb}/{path}">{escape(label)}</a>'


def _refs(url: QUrl) -> list[tuple[RecordKind, int]]:
    parts = url.path().strip("/").split("/")
    return [(RecordKind(parts[i]), int(parts[i + 1])) for i in range(0, len(parts) - 1, 2)]


class LinkActions(QObject):
    """Runs the pane's link actions for one tab; ``done`` says what changed (for the status
    bar) once the book holds it."""

    done = Signal(str)

    def __init__(self, reader: BookReader, writer: BookWriter, parent: QWidget) -> None:
        super().__init__(parent)
        self._reader = reader
        self._writer = writer  # one write at a time, in the order given
        self._parent = parent

    def handle(self, url: QUrl) -> bool:
        """Run the action ``url`` names; False when it is not one of ours."""
        verb = url.host()
        if url.scheme() != ACTION_SCHEME or verb not in _VERBS:
            return False
        refs = _refs(url)
        if verb == "unlink" and len(refs) == 1:
            self._run(UnlinkRecord(refs[0]), "Unlinked: the record is on its own now")
        elif verb == "link" and len(refs) == 2:
            self._run(LinkRecords(refs[0], refs[1]), "Linked: one row now")
        elif verb == "apart" and len(refs) == 2:
            self._run(KeepApart(refs[0], refs[1]), "Kept apart: not the same")
        elif verb == "pick" and len(refs) == 1:
            self.pick(refs[0])
        return True

    def pick(self, me: tuple[RecordKind, int]) -> QuickFind:
        """Find the record to link ``me`` with by name (the quick-find pop-up)."""
        popup = QuickFind(self._reader, self._parent)
        popup.setWindowTitle("Link with…")
        wanted = (
            {RecordKind.POLICY}
            if me[0] is RecordKind.POLICY
            else {RecordKind.LEAD, RecordKind.CUSTOMER}
        )

        def chosen(hit: SearchHit) -> None:
            if hit.kind in wanted and (hit.kind, hit.id) != me:
                self._run(LinkRecords(me, (hit.kind, hit.id)), "Linked: one row now")

        popup.chosen.connect(chosen)
        popup.popup()
        return popup

    def _run(self, request: WriteRequest, said: str) -> None:
        def failed(outcome: WriteFailed) -> None:
            self.done.emit(outcome.message)  # "Could not link lead #3 with customer #8: …"

        self._writer.submit(request, lambda _written: self.done.emit(said), failed)
