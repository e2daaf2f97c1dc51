"""Who last wrote a record (named when two seats' edits of a field clash) is read through the
feed's (table, record) index, not by walking back a feed that grows by a row for every record
the hub stores (revision 0037)."""

from __future__ import annotations

from sqlalchemy import text

from agencydesk.services.team.edits import last_writer_query
from agencydesk.store.book import Book


def test_the_last_writer_of_a_record_is_found_through_the_feeds_record_index(
    migrated_team_url: str,
) -> None:
    book = Book.open_team(migrated_team_url)
    try:
        with book.writing() as conn:
            conn.execute(
                text(
                    "INSERT INTO team_changes (table_name, record_id, deleted, seat, changed_at) "
                    "SELECT 'leads', n % 500, false, 'desk_' || (n % 7), now() "
                    "FROM generate_series(1, 5000) AS n"
                )
            )
            conn.execute(text("ANALYZE team_changes"))
        query = last_writer_query("leads", 42).compile(
            book.engine, compile_kwargs={"literal_binds": True}
        )
        with book.reading() as conn:
            plan = "\n".join(row[0] for row in conn.execute(text(f"EXPLAIN {query}")))
            [(seat, _hub)] = conn.execute(last_writer_query("leads", 42)).all()
    finally:
        book.close()
    assert "ix_team_changes_record" in plan, plan
    assert "Sort" not in plan, plan
    assert seat == "desk_6"  # the newest of record 42's rows: n = 4542, 4542 % 7 = 6
