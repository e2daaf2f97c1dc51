"""Hostile CSVs (issue 10): each broken file of the corpus gets a message naming the row and
column (or, for a file that cannot be a CSV at all, saying what it is), and nothing is written.
Every case is built here byte by byte, with the message it must give."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from agencydesk.cli import main
from agencydesk.domain import Lead, RecordKind
from agencydesk.services.csv_io import CsvProblem, import_file
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.csv.conftest import WriteCsv

TEXT = "First Name,Last Name,Email\r\nAnn,Lee,ann@example.com\r\nBob,Ray,bob@example.com\r\n"


@dataclass(frozen=True)
class Case:
    data: bytes
    row: int
    column: str
    message: str  # a part of the message the user reads
    valid_rows: int  # rows that would import once the bad one is skipped


def _surrogate_utf16() -> bytes:
    # Bob's email ends in a high surrogate with no low half: D800 in UTF-16 LE is 00 D8.
    head = TEXT.encode("utf-16")[: -len("\r\n".encode("utf-16-le"))]
    return head + b"\x00\xd8" + "\r\n".encode("utf-16-le")


CORPUS: dict[str, Case] = {
    "utf16_truncated_last_byte": Case(
        TEXT.encode("utf-16") + "Cy".encode("utf-16-le")[:-1],
        4, "A (First Name)", "not valid UTF-16", 2,
    ),
    "utf16_lone_surrogate": Case(
        _surrogate_utf16(), 3, "C (Email)", "half of a character (a lone surrogate)", 1
    ),
    "utf32_truncated": Case(
        TEXT.encode("utf-32") + "Cy,Day,cy@example.com".encode("utf-32-le")[:-2],
        4, "C (Email)", "not valid UTF-32", 2,
    ),
    "nul_in_a_cell": Case(
        TEXT.replace("Bob", "B\x00ob").encode(), 3, "A (First Name)", "control character (NUL)", 1
    ),
    "control_byte_in_a_cell": Case(
        TEXT.replace("Ray", "R\x07ay").encode(), 3, "B (Last Name)", "control character (0x07)", 1
    ),
    "cr_only_line_ends_with_a_nul": Case(
        TEXT.replace("\r\n", "\r").replace("ann@", "a\x00nn@").encode(),
        2, "C (Email)", "control character (NUL) at character 2", 1,
    ),
    "nul_far_beyond_the_sample": Case(
        (TEXT + "".join(f"P{i},L,p{i}@example.com\r\n" for i in range(12_000))
         + "Zed,\x00,z@example.com\r\n").encode(),
        12_004, "B (Last Name)", "control character (NUL)", 12_002,
    ),
    "control_byte_in_the_header": Case(
        TEXT.replace("Email", "E\x1bmail").encode(),
        1, "C (E\\x1bmail)", "control character (0x1b)", 0,
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_hostile_file_names_row_and_column(
    csv_book: Book, write_csv: WriteCsv, name: str
) -> None:
    case = CORPUS[name]
    path = write_csv(case.data, f"{name}.csv")
    if case.row == 1:  # the header itself: the file cannot be mapped at all
        with pytest.raises(CsvProblem) as caught:
            import_file(csv_book, path, RecordKind.LEAD)
        assert (caught.value.row, caught.value.column) == (1, case.column)
        assert case.message in caught.value.message
        return
    report = import_file(csv_book, path, RecordKind.LEAD)
    assert not report.committed
    assert csv_book.count(RecordKind.LEAD, ListQuery()) == 0
    (error,) = report.errors
    assert (error.row, error.column) == (case.row, case.column)
    assert case.message in error.message
    report = import_file(csv_book, path, RecordKind.LEAD, skip_invalid=True)
    assert csv_book.count(RecordKind.LEAD, ListQuery()) == case.valid_rows


@pytest.mark.parametrize(
    ("encoding", "ends"),
    [("utf-32", "\r\n"), ("utf-32-le", "\n"), ("utf-16-be", "\n"), ("utf-8", "\r")],
)
def test_utf32_and_cr_only_files_are_read(
    csv_book: Book, write_csv: WriteCsv, encoding: str, ends: str
) -> None:
    data = TEXT.replace("\r\n", ends).encode(encoding)
    report = import_file(csv_book, write_csv(data), RecordKind.LEAD)
    assert report.counts["created"] == 2
    names = sorted(
        item.record.first_name
        for item in csv_book.iter_rows(RecordKind.LEAD, ListQuery())
        if isinstance(item.record, Lead)
    )
    assert names == ["Ann", "Bob"]


def test_a_workbook_is_not_read_as_text(csv_book: Book, write_csv: WriteCsv) -> None:
    xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(32)) * 8
    with pytest.raises(CsvProblem) as caught:
        import_file(csv_book, write_csv(xlsx, "book.csv"), RecordKind.LEAD)
    assert "not a text file" in caught.value.message
    assert "Save the spreadsheet as CSV" in caught.value.message


def test_a_folder_as_the_file_says_so(
    profile_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], csv_book: Book
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    assert main(["import", "--profile", str(profile_dir), "--tab", "leads", str(folder)]) == 2
    assert "is a folder, not a CSV file" in capsys.readouterr().err
    with pytest.raises(CsvProblem, match="is a folder"):
        import_file(csv_book, folder, RecordKind.LEAD)


def test_thirty_thousand_invalid_rows(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "".join(f"P{i},L,bad{i},{'787' if i % 3 == 0 else '78701'}\n" for i in range(30_000))
    path = write_csv("First Name,Last Name,Email,ZIP\n" + rows, "many.csv")
    assert main(["import", "--profile", str(profile_dir), "--tab", "leads", str(path)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    shown = [line for line in lines if line.startswith("many.csv: row ")]
    assert len(shown) == 50
    assert shown[0] == "many.csv: row 2, column C (Email): 'bad0' is not an email address"
    assert (
        "… and 39,950 more. 40,000 errors in 30,000 rows; most often: column C (Email) 30,000, "
        "column D (ZIP) 10,000." in lines
    )
    (pointer,) = [line for line in lines if line.startswith("All 40,000 errors: ")]
    listed = Path(pointer.removeprefix("All 40,000 errors: "))
    assert listed.parent == profile_dir.resolve() / "import-errors"
    with listed.open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))
    assert table[0] == ["Row", "Column", "Value", "Problem"]
    assert len(table) == 40_001
    assert table[-1][:3] == ["30001", "C (Email)", "bad29999"]
    assert "30,000 row(s) are invalid" in captured.err


def test_errors_file_can_be_chosen(
    profile_dir: Path, write_csv: WriteCsv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv("First Name,Email\nAnn,=HYPERLINK(1)\n")
    out = tmp_path / "problems.csv"
    args = ["import", "--profile", str(profile_dir), "--tab", "leads", str(path)]
    assert main([*args, "--errors", str(out)]) == 1
    assert f"All 1 errors: {out}" in capsys.readouterr().out
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("2,B (Email),'=HYPERLINK(1),")
