"""Two transactions writing the same records at once on the team book wait for each other and
never deadlock: the feed lock is taken before any record row's lock (revision 0034)."""

from __future__ import annotations

import threading

from sqlalchemy import Connection, create_engine, text

from agencydesk.domain import Lead, RecordKind
from agencydesk.store.book import Book


def _waiting_on_a_lock(conn: Connection, pid: int) -> bool:
    waiting = conn.execute(
        text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
    ).scalar()
    return waiting == "Lock"


def _city(book: Book, lead_id: int) -> str | None:
    lead = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(lead, Lead)
    return lead.city


def test_two_writers_of_the_same_leads_queue_instead_of_deadlocking(team_url: str) -> None:
    book = Book.open_team(team_url)
    first = book.save(Lead(first_name="Ana", last_name="Ruiz"))
    second = book.save(Lead(first_name="Ben", last_name="Ortiz"))
    book.close()
    engine = create_engine(team_url)
    watching = create_engine(team_url, isolation_level="AUTOCOMMIT")
    watcher = watching.connect()
    failures: list[BaseException] = []
    try:
        with engine.connect() as hub_page, engine.connect() as desk_edit:
            desk_pid = desk_edit.execute(text("SELECT pg_backend_pid()")).scalar_one()
            update = text("UPDATE leads SET city = :city WHERE id = :id")
            # The hub stores a page: the first lead, then (below) the second.
            hub_page.execute(update, {"city": "Austin", "id": first.id})

            def apply_desk_edit() -> None:  # a desk's edit of the second lead, meanwhile
                try:
                    desk_edit.execute(update, {"city": "Georgetown", "id": second.id})
                    desk_edit.commit()
                except BaseException as error:  # the test reports it
                    failures.append(error)

            edit = threading.Thread(target=apply_desk_edit)
            edit.start()
            for _ in range(600):  # until the edit queues behind the page (at most 30 s)
                if _waiting_on_a_lock(watcher, desk_pid):
                    break
                threading.Event().wait(0.05)
            assert _waiting_on_a_lock(watcher, desk_pid)
            # Without the lock taken first, the edit holds the second lead's row here, and this
            # update ends in "deadlock detected" for one of the two.
            hub_page.execute(update, {"city": "Round Rock", "id": second.id})
            hub_page.commit()
            edit.join(30)
            assert not edit.is_alive()
    finally:
        watcher.close()
        watching.dispose()
        engine.dispose()
    assert failures == []
    check = Book.open_team(team_url)
    try:
        assert _city(check, first.id) == "Austin"
        assert _city(check, second.id) == "Georgetown"  # the edit came second
    finally:
        check.close()
