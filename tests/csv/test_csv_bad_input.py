"""Broken files: each gets a message naming the row and column, and nothing is written."""

from __future__ import annotations

import pytest

from agencydesk.domain import RecordKind
from agencydesk.services.csv_io import CsvProblem, import_file
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.csv.conftest import WriteCsv

HEADER = "First Name,Last Name,Email\n"


def refused(book: Book, path, kind=RecordKind.LEAD) -> CsvProblem:  # type: ignore[no-untyped-def]
    with pytest.raises(CsvProblem) as caught:
        import_file(book, path, kind)
    assert book.count(kind, ListQuery()) == 0
    return caught.value


def invalid_rows(book: Book, path, kind=RecordKind.LEAD):  # type: ignore[no-untyped-def]
    report = import_file(book, path, kind)
    assert not report.committed
    assert book.count(kind, ListQuery()) == 0
    return report.errors


def test_binary_file(csv_book: Book, write_csv: WriteCsv) -> None:
    zip_bytes = b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256))
    problem = refused(csv_book, write_csv(zip_bytes, "x.csv"))
    assert "not a text file" in problem.message
    assert problem.row == 1


def test_empty_file(csv_book: Book, write_csv: WriteCsv) -> None:
    problem = refused(csv_book, write_csv(b""))
    assert str(problem) == "row 1: The file is empty: there is no header row."


def test_file_of_blank_lines(csv_book: Book, write_csv: WriteCsv) -> None:
    assert refused(csv_book, write_csv("\n\n,,\n")).row == 1


def test_ragged_rows(csv_book: Book, write_csv: WriteCsv) -> None:
    text = HEADER + "Ann,Lee,ann@example.com\nBob,Ray,bob@example.com,oops\nCy\n"
    errors = invalid_rows(csv_book, write_csv(text))
    assert [(e.row, e.column) for e in errors] == [(3, "D"), (4, "B")]
    assert "has 4 cells but the header has 3" in errors[0].message
    assert "column B–C missing" in errors[1].message


def test_trailing_empty_cells_are_not_ragged(csv_book: Book, write_csv: WriteCsv) -> None:
    report = import_file(
        csv_book, write_csv(HEADER + "Ann,Lee,ann@example.com,,\n"), RecordKind.LEAD, dry_run=True
    )
    assert report.errors == []
    assert report.counts["created"] == 1


def test_unterminated_quote(csv_book: Book, write_csv: WriteCsv) -> None:
    text = HEADER + 'Ann,Lee,ann@example.com\nBob,"Ray,bob@example.com\nCy,Day,cy@example.com\n'
    problem = refused(csv_book, write_csv(text))
    assert (problem.row, problem.column) == (3, "B")
    assert "never closed" in problem.message


def test_unterminated_quote_in_a_big_file(csv_book: Book, write_csv: WriteCsv) -> None:
    rows = [f"P{i},Person{i},p{i}@example.com\n" for i in range(8000)]
    text = HEADER + "".join(rows[:3]) + 'Zed,"Broken,z@example.com\n' + "".join(rows)
    problem = refused(csv_book, write_csv(text))  # > 128 KB after the quote: the field limit
    assert (problem.row, problem.column) == (5, "B")
    assert "never closed" in problem.message


def test_one_megabyte_cell(csv_book: Book, write_csv: WriteCsv) -> None:
    text = HEADER + "Ann,Lee,ann@example.com\n" + 'Bob,"' + "x" * 1_000_000 + '",b@example.com\n'
    problem = refused(csv_book, write_csv(text))
    assert (problem.row, problem.column) == (3, "B")
    assert "1,000,000 characters" in problem.message


def test_text_after_closing_quote(csv_book: Book, write_csv: WriteCsv) -> None:
    problem = refused(csv_book, write_csv(HEADER + 'Ann,"Lee" Jr,ann@example.com\n'))
    assert (problem.row, problem.column) == (2, "B")


def test_duplicate_headers(csv_book: Book, write_csv: WriteCsv) -> None:
    text = "First Name,Email,Email\nAnn,a@example.com,b@example.com\n"
    problem = refused(csv_book, write_csv(text))
    assert problem.row == 1
    assert problem.column == "C (Email)"
    assert "B (Email)" in problem.message


def test_missing_required_header(csv_book: Book, write_csv: WriteCsv) -> None:
    problem = refused(csv_book, write_csv("Carrier,Premium\nAcme,100\n"), RecordKind.POLICY)
    assert problem.row == 1
    assert "Policy Number" in problem.message


def test_mixed_encodings(csv_book: Book, write_csv: WriteCsv) -> None:
    data = (HEADER + "René,Côté,rene@example.com\n").encode("utf-8")
    data += "Zoë,Müller,zoe@example.com\n".encode("cp1252")
    errors = invalid_rows(csv_book, write_csv(data))
    assert [(e.row, e.column) for e in errors] == [(3, "A (First Name)")]
    assert "mixes encodings" in errors[0].message
    assert errors[0].value == "Zo\\xeb"
