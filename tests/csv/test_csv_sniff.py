"""Encoding, delimiter and header row are guessed from the file and can be overridden."""

from __future__ import annotations

import codecs

import pytest

from agencydesk.services.csv_io.sniff import Dialect, sniff
from agencydesk.services.csv_io.synonyms import known_headers
from tests.csv.conftest import WriteCsv

TEXT = "First Name,Last Name,Email\nRené,Côté,rene@example.com\nZoë,Ng,zoe@example.com\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),  # with BOM, as Excel's "Unicode Text" writes it
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
    ids=["utf8-bom", "utf8", "utf16-bom", "utf16le-no-bom", "windows-1252"],
)
def test_encoding_is_detected_and_accents_read_back(
    write_csv: WriteCsv, data: bytes, encoding: str
) -> None:
    sniffed = sniff(write_csv(data), known_headers())
    assert sniffed.dialect.encoding == encoding
    assert sniffed.dialect.mixed_encoding is False
    assert sniffed.preview[1][:2] == ["René", "Côté"]
    assert sniffed.preview[0][0] == "First Name"  # no BOM left on the first header


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_detected(write_csv: WriteCsv, delimiter: str) -> None:
    rows = [
        ["First Name", "Last Name", "City"],
        ["Ann", "Lee", "Austin, TX"],
        ["Bob", "Ray", "Waco"],
    ]
    text = "\n".join(delimiter.join(f'"{c}"' if "," in c else c for c in row) for row in rows)
    sniffed = sniff(write_csv(text + "\n"), known_headers())
    assert sniffed.dialect.delimiter == delimiter
    assert sniffed.preview[1] == ["Ann", "Lee", "Austin, TX"]


def test_header_row_below_a_title_is_found(write_csv: WriteCsv) -> None:
    text = "Renewals export,,\nPrinted 03/01/2026,,\nPolicy #,Insured,Premium\nP-1,Ann Lee,$100\n"
    assert sniff(write_csv(text), known_headers()).dialect.header_row == 2


def test_file_without_header_is_recognised(write_csv: WriteCsv) -> None:
    text = "Ann,Lee,ann@example.com,512-555-0101\nBob,Ray,bob@example.com,512-555-0102\n"
    assert sniff(write_csv(text), known_headers()).dialect.header_row is None


def test_overrides_win_over_the_guess(write_csv: WriteCsv) -> None:
    path = write_csv("a;b,c\n1;2,3\n")
    sniffed = sniff(path, known_headers(), Dialect("utf-8", ";", None))
    assert sniffed.dialect == Dialect("utf-8", ";", None)
    assert sniffed.preview == [["a", "b,c"], ["1", "2,3"]]


def test_unknown_headers_with_digits_are_still_a_header(write_csv: WriteCsv) -> None:
    text = "Kunde,Adresse 2,2024 Beitrag\nAnn Lee,Hauptstr. 1,100\n"
    assert sniff(write_csv(text), known_headers()).dialect.header_row == 0


def test_excel_sep_line_names_the_delimiter(write_csv: WriteCsv) -> None:
    text = "sep=;\nFirst Name;Last Name;Notes\nAnn;Lee;a, b, c, d, e\n"
    dialect = sniff(write_csv(text), known_headers()).dialect
    assert (dialect.delimiter, dialect.header_row) == (";", 1)
