"""The window's one reader: reads run off the GUI thread, answers arrive on it by signal, and an
answer a newer request with the same key overtook is dropped."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind
from agencydesk.services.book_reads import BookReads
from agencydesk.store.queries import ListQuery
from agencydesk.ui.reader import BookReader
from tests.ui.conftest import UiBook


def test_reads_run_off_the_gui_thread_and_stale_answers_are_dropped(
    qtbot: QtBot, small: UiBook
) -> None:
    reader = BookReader(BookReads(small.book))
    gui = threading.get_ident()
    read_on: list[int] = []
    answered: list[tuple[str, int, int]] = []

    def count(text: str):  # type: ignore[no-untyped-def]
        def read(reads: BookReads) -> int:
            read_on.append(threading.get_ident())
            return reads.count(RecordKind.CUSTOMER, ListQuery(text=text))

        return read

    for text in ("a", "an", "ann"):  # typing on: only the last filter's answer counts
        reader.request(
            "filter", count(text), lambda n, t=text: answered.append((t, n, threading.get_ident()))
        )
    reader.request("other", count(""), lambda n: answered.append(("all", n, threading.get_ident())))
    assert reader.busy
    with qtbot.waitSignal(reader.settled, timeout=5000):
        pass
    assert not reader.busy
    assert sorted(answered) == [("all", 3, gui), ("ann", 1, gui)]
    assert read_on
    assert gui not in read_on
    reader.close()


def test_a_failed_read_is_reported_and_the_reader_goes_on(qtbot: QtBot, small: UiBook) -> None:
    reader = BookReader(BookReads(small.book))
    errors: list[BaseException] = []

    def broken(_reads: BookReads) -> int:
        raise LookupError("the cache went away")

    reader.request("x", broken, lambda _n: None, errors.append)
    with qtbot.waitSignal(reader.settled, timeout=5000):
        pass
    assert [str(e) for e in errors] == ["the cache went away"]
    done: list[int] = []
    with qtbot.waitSignal(reader.settled, timeout=5000):
        reader.request("x", lambda reads: reads.count(RecordKind.LEAD, ListQuery()), done.append)
    assert done == [2]
    reader.close()
