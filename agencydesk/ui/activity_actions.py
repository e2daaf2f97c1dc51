"""The window's activity actions (issue 12), in the Edit menu and the command palette:

- Log activity… (Ctrl+L), Add a note…, Log a call…, Log an email…, Log a text…: on the selected
  lead, customer, policy or thread (``window.action("log_activity")`` for context menus);
- Reply in mail or messages (Ctrl+R) on a thread: the user's own app, address filled in (no
  vendor API sends); Mark unread (Ctrl+Shift+U);
- a thread shown is marked read (its row keeps its place; the tab's unread count follows);
- New record (Ctrl+N) on Threads starts a conversation with its first message, to a customer or
  lead, sent from the user's mail or messaging app: never an empty thread.

Everything the services do runs on the window's reader thread, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence

from agencydesk.domain import Record, RecordKind, Thread
from agencydesk.domain.activity import KIND_LABELS, Activity, ActivityKind
from agencydesk.services.activity_log import ActivityLog, ActivityTarget
from agencydesk.services.activity_writes import LogActivity, MarkThread, StartConversation
from agencydesk.services.new_conversation import compose_url
from agencydesk.services.thread_marks import Reply, ThreadMarks
from agencydesk.store.queries import ListQuery, SearchHit
from agencydesk.ui.forms.activity_dialog import ActivityDialog
from agencydesk.ui.forms.new_conversation_dialog import Draft, NewConversationDialog
from agencydesk.ui.refusals import set_refusal
from agencydesk.ui.tabs.activity_link import LOGGED_ON, why_not_logged
from agencydesk.ui.tabs.base import BaseTab
from agencydesk.ui.tabs.threads import ThreadsTab

if TYPE_CHECKING:
    from agencydesk.ui.main_window import MainWindow

NEW_THREAD_TIP = (
    "A new conversation starts with its first message, to a customer or lead, sent from your "
    "mail or messaging app."
)
PEOPLE = (RecordKind.CUSTOMER, RecordKind.LEAD)
READ_AFTER_MS = 1500  # on screen this long, a conversation counts as read (mail clients' habit)
_KIND_KEYS = {
    ActivityKind.NOTE: "Ctrl+Shift+N",
    ActivityKind.CALL: "Ctrl+Shift+C",
    ActivityKind.EMAIL: "Ctrl+Shift+E",
    ActivityKind.TEXT: "Ctrl+Shift+T",
}
_MENU_TEXT = {
    ActivityKind.NOTE: "Add a no&te…",  # mnemonics apart from My name and Complete
    ActivityKind.CALL: "Log a c&all…",
    ActivityKind.EMAIL: "Log an e&mail…",
    ActivityKind.TEXT: "Log a te&xt…",
}


def _reply_key() -> str:
    """Ctrl+R as mail clients have it, unless this platform's Refresh already is Ctrl+R
    (GNOME, macOS): then Ctrl+Shift+R, so neither key goes dead as ambiguous."""
    refresh = QKeySequence.keyBindings(QKeySequence.StandardKey.Refresh)
    return "Ctrl+Shift+R" if QKeySequence("Ctrl+R") in refresh else "Ctrl+R"


class ActivityActions(QObject):
    def __init__(
        self,
        window: MainWindow,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._open_url = open_url
        self._thread_marks: ThreadMarks | None = None  # made at first use (start-up)
        self.dialog: ActivityDialog | None = None
        self._log_actions: list[QAction] = []
        self._read_timer = QTimer(self, singleShot=True, interval=READ_AFTER_MS)
        self._read_timer.timeout.connect(self._read_now)
        edit = window.menu("Edit")
        edit.addSeparator()
        main = self._add("log_activity", "&Log activity (note, call, email, text)…", ["Ctrl+L"])
        main.triggered.connect(lambda: self.log_activity())
        self._log_actions.append(main)
        for kind in ActivityKind:
            action = self._add(f"log_{kind.value}", _MENU_TEXT[kind], [_KIND_KEYS[kind]])
            action.triggered.connect(partial(self._log_kind, kind))
            self._log_actions.append(action)
        self.reply_action = self._add("reply", "&Reply in mail or messages", [_reply_key()])
        self.reply_action.triggered.connect(lambda: self.reply())
        self.unread_action = self._add("mark_unread", "Mark &unread", ["Ctrl+Shift+U"])
        self.unread_action.triggered.connect(lambda: self.mark_unread())

        # Ctrl+N on Threads (MainWindow.new_record) starts a conversation with its first message
        self.conversation: NewConversationDialog | None = None
        for tab in window.tabs_list:
            tab.current_changed.connect(self.update_actions)
            tab.log_requested.connect(self.log_activity)  # the detail pane's link
        window.tabs.currentChanged.connect(lambda _index: self.update_actions())
        threads = window.tab_for(RecordKind.THREAD)
        assert isinstance(threads, ThreadsTab)
        self.threads = threads
        threads.current_changed.connect(self._thread_shown)
        window.action("open").triggered.connect(self._read_now)
        threads.filtered.connect(self.count_unread)
        self.update_actions()
        # Counted at the loop's first turn, behind the open tab's first page in the reader's
        # queue: the window's first rows come from the cache before the store is loaded.
        QTimer.singleShot(0, self, self.count_unread)

    @property
    def _marks(self) -> ThreadMarks:
        if self._thread_marks is None:  # the book is open by the time a thread is shown
            self._thread_marks = ThreadMarks(self.window.book)
        return self._thread_marks

    def _add(self, name: str, text: str, keys: list[str] | None = None) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(f"action_{name}")
        action.setShortcuts([QKeySequence(k) for k in keys or []])
        self.window.menu("Edit").addAction(action)
        self.window.actions_by_name[name] = action
        return action

    # --- what is possible now ---------------------------------------------------------------
    def _selected(self) -> tuple[BaseTab, Record | None]:
        tab = self.window.current_tab()
        return tab, tab.current_record()

    @property
    def refusable(self) -> list[QAction]:
        """Window-wide actions whose shortcut, pressed on a table where the selected record
        cannot take it, says why (``RefusedShortcuts``), as the palette and menus do."""
        return [*self._log_actions, self.reply_action, self.unread_action]

    def update_actions(self) -> None:
        tab, record = self._selected()
        why = why_not_logged(tab.kind, record, tab.noun)
        for action in self._log_actions:
            set_refusal(action, why)
        on_thread = isinstance(record, Thread)
        thread_why = "" if on_thread else "Select a conversation on the Threads tab first."
        set_refusal(self.reply_action, thread_why)
        unread_why = thread_why
        if isinstance(record, Thread) and record.unread:
            unread_why = "This conversation is already unread."
        set_refusal(self.unread_action, unread_why)
        self.window.action("new").setToolTip(
            NEW_THREAD_TIP if tab.kind is RecordKind.THREAD else ""
        )

    # --- logging ----------------------------------------------------------------------------
    def _log_kind(self, kind: ActivityKind) -> None:
        self.log_activity(kind)

    def log_activity(self, kind: ActivityKind = ActivityKind.NOTE) -> None:
        """Ask where the entry would go, then open the dialog that says so."""
        tab, record = self._selected()
        if tab.kind not in LOGGED_ON or record is None or record.id is None:
            self.window.show_message(f"Select a {tab.noun} to log activity on.")
            return
        log = ActivityLog(self.window.book, self.window.user_name())
        record_kind, record_id = record.kind, record.id
        self.window.reader.request(
            (id(self), "target"),
            lambda _reads: log.target(record_kind, record_id),
            lambda target: self._open_dialog(target, kind),
            lambda error: self.window.show_message(str(error)),
        )

    def _open_dialog(self, target: ActivityTarget, kind: ActivityKind) -> None:
        if self.dialog is not None:
            self.dialog.close()
        dialog = ActivityDialog(target, kind, self.window)
        dialog.save_requested.connect(partial(self._save, dialog))
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()

    def _save(self, dialog: ActivityDialog, activity: Activity) -> None:
        self.window.writer.submit(
            LogActivity(dialog.target, activity, self.window.user_name()),
            lambda _written: self._saved(dialog, activity),
            lambda failed: dialog.show_error(failed.message),
        )

    def _saved(self, dialog: ActivityDialog, activity: Activity) -> None:
        dialog.accept()
        target = dialog.target
        what = KIND_LABELS[activity.kind]
        where = (
            "goes to " + " and ".join(h.name for h in target.senders) + " at the next sync"
            if target.senders
            else "kept on this device"
        )
        name = target.person_name or "the conversation"
        self.window.show_message(f"{what} logged on {name}: {where}.")
        tab = self.window.current_tab()
        item = tab.current_item()
        if item is not None:
            tab.show_detail(item)  # the detail pane and timeline show it now
        if tab is self.threads or activity.kind is not ActivityKind.NOTE:
            self.threads.refresh()  # a conversation gained a message, or a new one started

    # --- a new conversation -------------------------------------------------------------------
    def new_conversation(self) -> None:
        """To the selected conversation's person when there is one, else chosen as typed."""
        record = self.threads.current_record()
        item = self.threads.current_item()
        person: SearchHit | None = None
        if isinstance(record, Thread) and item is not None and item.related_name:
            if record.customer_id is not None:
                person = SearchHit(RecordKind.CUSTOMER, record.customer_id, item.related_name, "")
            elif record.lead_id is not None:
                person = SearchHit(RecordKind.LEAD, record.lead_id, item.related_name, "")
        if self.conversation is not None:
            self.conversation.close()
        dialog = NewConversationDialog(person, self.window)
        dialog.search_requested.connect(partial(self._find_people, dialog))
        dialog.save_requested.connect(partial(self._start, dialog))
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.conversation = dialog
        dialog.open()

    def _find_people(self, dialog: NewConversationDialog, text: str) -> None:
        if not text:
            dialog.show_hits([])
            return
        self.window.reader.request(
            (id(self), "to"),
            lambda reads: [h for h in reads.quick_find(text, 40) if h.kind in PEOPLE][:8],
            dialog.show_hits,
        )

    def _start(self, dialog: NewConversationDialog, draft: Draft) -> None:
        request = StartConversation(
            draft.kind,
            draft.person_id,
            draft.channel,
            draft.subject,
            draft.text,
            self.window.user_name(),
        )
        self.window.writer.submit(
            request,
            lambda written: self._started(dialog, written.record, draft.text),
            lambda failed: dialog.show_error(_why(failed.message)),
        )

    def _started(self, dialog: NewConversationDialog, thread: Record | None, text: str) -> None:
        dialog.accept()
        if not isinstance(thread, Thread) or thread.id is None:
            return
        self.threads.refresh()
        self.threads.reveal(thread.id)
        url = compose_url(thread, text)
        if not self._open_url(QUrl(url)):
            self.window.show_message(
                f"Conversation saved; no app on this computer opens {url.split(':')[0]}: addresses."
            )
        else:
            self.window.show_message("Conversation saved: send the message from your app.")

    # --- threads ----------------------------------------------------------------------------
    def _thread_shown(self) -> None:
        """A conversation shown in the detail pane is read once it has been on screen a
        moment (arrowing past it leaves it unread); opened (Enter), at once."""
        record = self.threads.current_record()
        if isinstance(record, Thread) and record.unread:
            self._read_timer.start()
        else:
            self._read_timer.stop()

    def _read_now(self) -> None:
        self._read_timer.stop()
        if self.window.current_tab() is not self.threads:
            return
        record = self.threads.current_record()
        if isinstance(record, Thread) and record.unread and record.id is not None:
            self._mark(record.id, unread=False)

    def mark_unread(self) -> None:
        _tab, record = self._selected()
        if isinstance(record, Thread) and record.id is not None:
            self._mark(record.id, unread=True)

    def _mark(self, thread_id: int, *, unread: bool) -> None:
        self.window.writer.submit(
            MarkThread(thread_id, unread),
            lambda written: self._marked(written.record),
            lambda failed: self.window.show_message(failed.message),
        )

    def _marked(self, thread: Record | None) -> None:
        if not isinstance(thread, Thread):
            return
        self.threads.model.replace_record(thread)
        self.update_actions()
        self.count_unread()
        note = self._marks.where_marked(thread)
        if note and not thread.unread:
            self.window.show_message(note)

    def count_unread(self) -> None:
        """The Threads tab's status and tooltip say how many conversations wait to be read."""
        tab = self.threads
        self.window.reader.request(
            (id(self), "unread"),
            lambda reads: reads.count(RecordKind.THREAD, ListQuery(unread_only=True)),
            lambda count: self._show_unread(tab, count),
        )

    def _show_unread(self, tab: ThreadsTab, count: int) -> None:
        tab.unread_total = count
        index = self.window.tabs.indexOf(tab)
        self.window.tabs.setTabToolTip(index, f"{count:,} unread" if count else "All read")
        tab.status_changed.emit(tab.status_text())

    def reply(self) -> None:
        _tab, record = self._selected()
        if not isinstance(record, Thread):
            self.window.show_message("Select a conversation on the Threads tab to reply to.")
            return
        marks = self._marks
        self.window.reader.request(
            (id(self), "reply"),
            lambda _reads: marks.reply(record),
            self._reply_ready,
        )

    def _reply_ready(self, reply: Reply) -> None:
        if not reply.url:
            self.window.show_message(reply.why_not)
            return
        if not self._open_url(QUrl(reply.url)):
            self.window.show_message(f"No app on this computer opens {reply.url.split(':')[0]}:")


def _why(message: str) -> str:
    """The writer's "Could not start the conversation …: <reason>" as the reason alone: the
    dialog is already about that conversation."""
    return message.split(": ", 1)[1] if ": " in message else message
