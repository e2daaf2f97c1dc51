"""Writing down the start tab's first question for the next start (``start_page`` reads it
with sqlite3 alone, before SQLAlchemy is loaded): its count and first-page statements run once
more, as ``Book.count`` and ``Book.page`` run them, and are kept as SQLite received them."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Date, DateTime, event
from sqlalchemy.sql import Select
from sqlalchemy.types import TypeDecorator

from agencydesk.domain import RecordKind
from agencydesk.store import listing, start_page
from agencydesk.store.book import Book
from agencydesk.store.cache_file import newest_named_revision
from agencydesk.store.convert import ENUMS
from agencydesk.store.queries import ListQuery

log = logging.getLogger(__name__)


def keep(book: Book, kind: RecordKind, query: ListQuery, size: int) -> bool:
    """Write the recipe of this first page beside ``book``'s cache; False (and any old recipe
    removed) when this question cannot be answered from a recipe: a text filter, whose
    statements depend on how many records match."""
    path = start_page.recipe_path(book.path)
    if book.engine.dialect.name != "sqlite" or query.text:
        path.unlink(missing_ok=True)
        return False
    try:
        recipe = _recipe(book, kind, query, size)
    except Exception:  # a recipe is an optimisation: never a reason to fail closing
        log.exception("start page recipe not kept")
        path.unlink(missing_ok=True)
        return False
    start_page.save(book.path, recipe)
    return True


def _recipe(book: Book, kind: RecordKind, query: ListQuery, size: int) -> start_page.StartRecipe:
    today = query.today or date.today()
    count = listing.count_statement(kind, query, today)
    page = listing.page_statement(kind, query, today, 0, size)
    ran: list[tuple[str, list[Any]]] = []

    def seen(
        _conn: Connection,
        _cursor: Any,
        statement: str,
        parameters: Any,
        _context: Any,
        _many: bool,
    ) -> None:
        ran.append((statement, list(parameters)))

    with book.reading() as conn:
        event.listen(conn, "before_cursor_execute", seen)
        try:
            conn.execute(count).scalar_one()
            names = list(conn.execute(page).keys())
        finally:
            event.remove(conn, "before_cursor_execute", seen)
        # The statements hold today's date when the next day would write them otherwise.
        tomorrow = today + timedelta(days=1)
        dated = _compiled(conn, count) != _compiled(
            conn, listing.count_statement(kind, query, tomorrow)
        ) or _compiled(conn, page) != _compiled(
            conn, listing.page_statement(kind, query, tomorrow, 0, size)
        )
    (count_sql, count_params), (page_sql, page_params) = ran[-2:]
    return start_page.StartRecipe(
        question=start_page.question_of(kind, query, size),
        kind=kind.value,
        count_sql=count_sql,
        count_params=count_params,
        page_sql=page_sql,
        page_params=page_params,
        columns=[(name, _shape(kind, page, name)) for name in names],
        revision=newest_named_revision() or "",
        stamp=start_page.code_stamp(),
        day=today.isoformat() if dated else "",
    )


def _compiled(conn: Connection, stmt: Select[Any]) -> tuple[str, dict[str, Any]]:
    compiled = stmt.compile(dialect=conn.dialect)
    return str(compiled), dict(compiled.params)


def _shape(kind: RecordKind, stmt: Select[Any], name: str) -> str:
    """How the column ``name`` of ``stmt`` reads back (``start_page._reader``)."""
    enum = ENUMS.get(kind, {}).get(name)
    if enum is not None:
        return f"enum:{enum.__name__}"
    if name == "tags":
        return "tags"
    column = stmt.selected_columns.get(name)
    if column is None:
        return "plain"
    stored = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(stored, DateTime):
        return "instant"
    if isinstance(stored, Date):
        return "date"
    if isinstance(stored, JSON):
        return "json"
    if isinstance(stored, Boolean) or name == "unread":
        return "flag"
    return "plain"
