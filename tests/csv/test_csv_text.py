"""Export writes CSV text a column at a time (csv_text) instead of through csv.writer: the file
must stay byte for byte what csv.writer wrote over the same formatter's cells, on every value a
book can hold (commas, quotes, line breaks, NULs, unicode, empty cells, money, dates, phones,
tags, formula cells, stored values that are not text)."""

from __future__ import annotations

import csv
import io
import random
import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from agencydesk.domain import Customer, Lead, Policy, RecordKind, Task, Thread
from agencydesk.profile import prepare_profile
from agencydesk.services.csv_io import ExportOptions, export_view
from agencydesk.services.csv_io.csv_text import ColumnQuoting, as_texts, joined
from agencydesk.services.csv_io.export import (
    RowFormatter,
    exportable_columns,
    related_with_contact,
)
from agencydesk.services.csv_io.sniff import DELIMITER_NAMES
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery

HOSTILE = [
    "", "plain", "a,b", "a;b", "a\tb", "a|b", 'say "hi"', '"', '""', "line\nbreak", "cr\ronly",
    "crlf\r\nend", " edge ", "Zoë Müller", "日本語", "emoji 🙂", "nul\x00inside", "\x00", "'",
    "''=x", "=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'=x", "é,\"x\"\n", "\u2028", "\x1e\x1f",
]  # fmt: skip


def writer_text(rows: Sequence[Sequence[Any]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("delimiter", list(DELIMITER_NAMES))
def test_columns_are_written_as_csv_writer_writes_their_rows(delimiter: str) -> None:
    rng = random.Random(13)
    cells: list[Any] = [*HOSTILE, None, 7, -1.5, b"\x00bytes"]
    for width in (1, 2, 5):
        rows = [[rng.choice(cells) for _ in range(width)] for _ in range(400)]
        rows += [[None] * width, [""] * width]  # an empty row: "" when it has one cell
        rows += [[cell] * width for cell in cells]  # each alone (a column of one trigger)
        quoting = ColumnQuoting(delimiter)
        columns = []
        for column in zip(*rows, strict=True):
            texts = as_texts(column)
            columns.append(quoting.column(texts, joined(texts)))
        assert quoting.rows(columns) == writer_text(rows, delimiter)
        for cell in cells:  # each value in an otherwise plain column
            plain = as_texts(["plain", cell, "plain"])
            quoted = quoting.column(plain, joined(plain))
            assert quoting.rows([quoted]) == writer_text([[c] for c in plain], delimiter), cell


def test_a_delimiter_csv_cannot_use_is_refused() -> None:
    for delimiter in ('"', "\n", "", ";;"):
        with pytest.raises(ValueError, match="not a CSV delimiter"):
            ColumnQuoting(delimiter)


def _hostile_book(book: Book, cache: Path) -> None:
    """Every tab, with hostile text in each text field, NULLs, money, dates, phones US and not,
    tags needing quotes, shared names (the Customer column then carries a contact), and values
    stored by hand that are not text at all."""
    rng = random.Random(7)

    def text() -> str:
        return rng.choice(HOSTILE)

    leads = [
        Lead(first_name=text(), last_name=text(), business_name=text(), email=text(),
             phone=rng.choice(["+15125550101", "", "+442079460958", "+15125550102 x22"]),
             street=text(), city=text(), state="TX", zip_code=text(), pipeline=text(),
             stage=text(), source=text(), producer=text(),
             x_date=rng.choice([None, date(2026, 3, 31), date(1999, 1, 2)]),
             quoted_premium_cents=rng.choice([None, 0, -5, -500, 123456, 10**12 + 1]),
             tags=rng.choice([(), ("auto",), ("home, condo", 'say "x"', " edge ", "Zoë")]))
        for _ in range(60)
    ]  # fmt: skip
    book.save_many(leads)
    customers = book.save_many(
        [Customer(first_name="Ann", last_name="Lee", email=f"ann{i}@example.com",
                  birth_date=date(1980, 3, i + 1), street=text(), household=text())
         for i in range(3)]
        + [Customer(first_name=text(), last_name=text(), birth_date=None) for _ in range(10)]
    )  # fmt: skip
    book.save_many(
        Policy(policy_number=text(), insured_name=text(), carrier=text(),
               line_of_business=text(), premium_cents=rng.choice([0, 99, -1, 250000]),
               effective_date=date(2026, 1, 1), producer=text(),
               expiration_date=rng.choice([None, date(2027, 1, 1)]),
               customer_id=rng.choice(customers))
        for _ in range(30)
    )  # fmt: skip
    book.save_many(
        Task(title=text(), comments=text(), assignee=text(), due_date=date(2026, 2, 3),
             due_time=rng.choice(["", "09:30"]), customer_id=rng.choice([None, *customers]))
        for _ in range(30)
    )  # fmt: skip
    book.save_many(
        Thread(subject=text(), counterpart=text(), unread=rng.choice([True, False]),
               last_message_at=datetime(2026, 3, 31, 14, 5, tzinfo=UTC))
        for _ in range(10)
    )  # fmt: skip
    book.links.relink()
    raw = sqlite3.connect(cache)  # what no record can hold, but a cache written by hand may
    with raw:
        raw.execute("UPDATE leads SET city = x'00ff41' WHERE id IN (SELECT id FROM leads LIMIT 2)")
    raw.close()


def _old_export(book: Book, kind: RecordKind, path: Path, options: ExportOptions) -> None:
    """The export before csv_text: the same formatter's cells through ``csv.writer``."""
    columns = list(options.columns)
    related = related_with_contact(book, kind) if "related_name" in columns else None
    names = [*columns, "customer_id", "lead_id"] if related is not None else columns
    cells_of = RowFormatter(columns, book.stored_shapes(kind, columns), options.date_format,
                            options.neutralise_formulas, related)  # fmt: skip
    with path.open("w", encoding=options.encoding, errors="replace", newline="") as out:
        writer = csv.writer(out, delimiter=options.delimiter, lineterminator="\r\n")
        writer.writerow(["header"])  # (headers are still csv.writer's: not compared)
        for batch in book.iter_stored(kind, ListQuery(every_record=True), names, chunk=7):
            writer.writerows(cells_of.rows(batch))


@pytest.mark.parametrize("delimiter", list(DELIMITER_NAMES))
def test_every_tab_exports_the_bytes_csv_writer_wrote(
    csv_book: Book, profile_dir: Path, tmp_path: Path, delimiter: str
) -> None:
    _hostile_book(csv_book, prepare_profile(profile_dir).cache_path)
    for kind in (RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY, RecordKind.TASK,
                 RecordKind.THREAD):  # fmt: skip
        columns = tuple(exportable_columns(kind))
        for guard, date_format in ((True, "%m/%d/%Y"), (False, "%Y-%m-%d")):
            options = ExportOptions(columns, delimiter, "utf-8", date_format, guard)
            ours, old = tmp_path / "ours.csv", tmp_path / "old.csv"
            export_view(csv_book, kind, ours, options)
            _old_export(csv_book, kind, old, options)
            body = ours.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\r\n", 1)[1]
            assert body == old.read_bytes().split(b"\r\n", 1)[1], (kind, guard)
            assert len(body) > 500  # (the rows were there to compare)


def test_shared_names_and_odd_stored_values_reach_the_file(
    csv_book: Book, profile_dir: Path, tmp_path: Path
) -> None:
    """The comparison above covers what it should: the Customer column's contact, a stored blob,
    a NUL, a quoted line break, a guarded cell."""
    _hostile_book(csv_book, prepare_profile(profile_dir).cache_path)
    out = tmp_path / "p.csv"
    export_view(csv_book, RecordKind.POLICY, out, ExportOptions(("related_name", "carrier")))
    assert " <ann" in out.read_text(encoding="utf-8-sig")
    export_view(csv_book, RecordKind.LEAD, out, ExportOptions(("city", "street", "first_name")))
    text = out.read_text(encoding="utf-8-sig")
    assert "b'\\x00\\xffA'" in text
    assert '"line\nbreak"' in text
    assert "'=1+1" in text
    assert "nul\x00inside" in text
