"""The window's first page read with sqlite3 alone (issue 13): the statements the store keeps
when the window closes read, at the next start, exactly what ``Book.count`` and ``Book.page``
read, on the cache as it is then; a recipe is used only when it cannot be wrong, and a cache
that needs the store's checks or migrations is opened by the store."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from agencydesk.domain import Lead, RecordKind, TaskStatus
from agencydesk.store import sqlite_engine, start_page, start_recipe
from agencydesk.store.book import Book, CacheTooNew
from agencydesk.store.pending_book import PendingBook
from agencydesk.store.queries import ListQuery, TaskDue
from tests.store.conftest import TODAY, SmallBook

QUESTIONS = [
    (RecordKind.LEAD, ListQuery()),
    (RecordKind.LEAD, ListQuery(sort="email", descending=True)),
    (RecordKind.LEAD, ListQuery(status="quoted")),
    (RecordKind.CUSTOMER, ListQuery()),
    (RecordKind.CUSTOMER, ListQuery(household="H1", every_record=True)),
    (RecordKind.POLICY, ListQuery(in_force=True, today=TODAY)),
    (RecordKind.POLICY, ListQuery(renewal_within_days=400, today=TODAY)),
    (RecordKind.THREAD, ListQuery(unread_only=True)),
    (RecordKind.TASK, ListQuery(include_done=False, today=TODAY)),
    (RecordKind.TASK, ListQuery(due=TaskDue.OVERDUE, today=TODAY)),
]


@pytest.mark.parametrize(("kind", "query"), QUESTIONS)
def test_the_kept_statements_read_what_the_store_reads(
    small: SmallBook, kind: RecordKind, query: ListQuery
) -> None:
    book = small.book
    assert start_recipe.keep(book, kind, query, 200)
    recipe = start_page.load(book.path)
    assert recipe is not None
    assert recipe.usable(TODAY)

    count, items = start_page.read(book.path, recipe)

    assert count == book.count(kind, query)
    assert items == book.page(kind, query, 0, 200)


def test_it_reads_the_cache_as_it_is_now_not_as_it_was_kept(small: SmallBook) -> None:
    book = small.book
    assert start_recipe.keep(book, RecordKind.LEAD, ListQuery(), 200)
    book.save(Lead(first_name="Zoe", last_name="Adams", email="zoe@example.com"))
    recipe = start_page.load(book.path)
    assert recipe is not None

    count, items = start_page.read(book.path, recipe)

    assert count == book.count(RecordKind.LEAD, ListQuery())
    assert items == book.page(RecordKind.LEAD, ListQuery(), 0, 200)
    assert "Zoe" in [item.record.first_name for item in items]  # type: ignore[attr-defined]


def test_a_text_filter_keeps_no_recipe(small: SmallBook) -> None:
    """Its statements depend on how many records match (the store chooses between two)."""
    book = small.book
    assert start_recipe.keep(book, RecordKind.LEAD, ListQuery(), 200)
    assert not start_recipe.keep(book, RecordKind.LEAD, ListQuery(text="acme"), 200)
    assert start_page.load(book.path) is None  # and the older one is gone


def test_a_recipe_is_used_only_for_its_own_question_schema_code_and_day(
    small: SmallBook,
) -> None:
    book = small.book
    overdue = ListQuery(due=TaskDue.OVERDUE)  # "today" is in its statements
    assert start_recipe.keep(book, RecordKind.TASK, overdue, 200)
    recipe = start_page.load(book.path)
    assert recipe is not None
    assert recipe.day == date.today().isoformat()
    assert recipe.usable()
    assert not recipe.usable(date(2030, 1, 1))  # another day: the store reads it
    assert not replace(recipe, revision="0001").usable()  # another schema
    assert not replace(recipe, stamp="0" * 16).usable()  # other store code

    answer = start_page.StartPage(book.path, recipe)
    assert answer.answer(RecordKind.TASK, replace(overdue, include_done=False), 200) is None
    assert answer.answer(RecordKind.TASK, overdue, 200) is None  # once only, and used up

    assert start_recipe.keep(book, RecordKind.LEAD, ListQuery(), 200)
    undated = start_page.load(book.path)
    assert undated is not None
    assert undated.day == ""  # the leads' statements hold no date: any day
    done = ListQuery(status=TaskStatus.DONE.value)
    assert start_recipe.keep(book, RecordKind.TASK, done, 200)


def _closed_with_recipe(small: SmallBook) -> Path:
    book = small.book
    assert start_recipe.keep(book, RecordKind.LEAD, ListQuery(), 200)
    book.close()
    return book.path


def test_a_cleanly_closed_cache_starts_pending_and_opens_later(small: SmallBook) -> None:
    path = _closed_with_recipe(small)

    pending = PendingBook.start(path)

    assert pending is not None
    assert pending.first_page is not None
    count, items = pending.first_page.answer(RecordKind.LEAD, ListQuery(), 200) or (0, [])
    assert count == 2
    assert not pending.opened
    pending.rows_shown()
    book = pending.book()
    assert pending.opened
    assert book.page(RecordKind.LEAD, ListQuery(), 0, 200) == items
    book.close()


def test_a_cache_not_closed_cleanly_is_left_to_the_store(small: SmallBook) -> None:
    path = _closed_with_recipe(small)
    Path(f"{path}.closed-cleanly").unlink()  # a crash, a kill

    assert PendingBook.start(path) is None


def test_a_cache_changed_since_it_was_closed_is_left_to_the_store(small: SmallBook) -> None:
    path = _closed_with_recipe(small)
    with sqlite3.connect(path) as other:
        other.execute("UPDATE leads SET first_name = 'Dee'")
    other.close()

    assert PendingBook.start(path) is None
    assert not Path(f"{path}.closed-cleanly").exists()  # so Book.open checks it


def test_a_cache_at_another_schema_revision_is_left_to_the_store(small: SmallBook) -> None:
    """Migrating (or refusing a newer cache) is the store's: Book.open says which."""
    path = _closed_with_recipe(small)
    with sqlite3.connect(path) as other:
        other.execute("UPDATE alembic_version SET version_num = '9999_from_a_newer_app'")
    other.close()
    sqlite_engine.mark_closed_cleanly(path)  # as if we had closed it so: still not ours to read

    assert PendingBook.start(path) is None
    with pytest.raises(CacheTooNew):
        Book.open(path)


def test_an_unreadable_recipe_is_ignored(small: SmallBook) -> None:
    path = _closed_with_recipe(small)
    recipe_file = start_page.recipe_path(path)
    value = json.loads(recipe_file.read_text())
    value["columns"] = "not columns"
    recipe_file.write_text(json.dumps(value))

    pending = PendingBook.start(path)
    assert pending is None or pending.first_page is not None
    if pending is not None:  # a recipe that cannot be read answers nothing: the store does
        assert pending.first_page is not None
        assert pending.first_page.answer(RecordKind.LEAD, ListQuery(), 200) is None
        pending.rows_shown()
        pending.book().close()
