"""Reading records one at a time, with every way a file can be broken turned into a message that
names the row and column. Rows are numbered as a spreadsheet shows them (records, not lines: a
quoted cell may span lines).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from agencydesk.services.csv_io.problems import CsvProblem, column_letter
from agencydesk.services.csv_io.sniff import Dialect

#: The csv module's default limit; a longer cell is almost always a quote that never closes.
MAX_CELL = csv.field_size_limit()
#: Bytes the codec could not read, kept as U+DC00 + byte (see ``_mark_undecodable``).
UNDECODABLE = re.compile("[\udc00-\udcff]")
#: Control characters no spreadsheet cell holds (tab, LF and CR are text); NUL included.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: What stops a cell: a control character or an unreadable byte (one search per row).
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\udc00-\udcff]")
_MARK = "agencydesk-mark-undecodable"


def _mark_undecodable(error: UnicodeError) -> tuple[str, int]:
    """Keep each byte the codec cannot read as U+DC00 + byte, so the row and column it is in can
    be named. Like ``surrogateescape`` (same characters for UTF-8's bytes 0x80-0xFF), but also
    for the bytes below 0x80 that UTF-16 and UTF-32 leave over: a lone surrogate, or a file cut
    short in the middle of a character."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


codecs.register_error(_MARK, _mark_undecodable)


def open_text(path: Path, dialect: Dialect, raw: BinaryIO | None = None) -> io.TextIOWrapper:
    return io.TextIOWrapper(
        raw if raw is not None else path.open("rb"),
        encoding=dialect.encoding,
        errors=_MARK,
        newline="",
    )


class RecordReader:
    """Iterates (row number, cells) for every record, the header included; raises CsvProblem.
    ``bytes_read`` follows the file for a progress bar."""

    def __init__(self, path: Path, dialect: Dialect) -> None:
        self.path = path
        self.dialect = dialect
        self.size = path.stat().st_size
        self._raw: BinaryIO | None = None

    @property
    def bytes_read(self) -> int:
        raw = self._raw
        if raw is None or raw.closed:
            return self.size
        return raw.tell()

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        dialect = self.dialect
        self._raw = self.path.open("rb")
        with open_text(self.path, dialect, self._raw) as stream:
            reader = csv.reader(stream, delimiter=dialect.delimiter, strict=True)
            row = 0
            line_before = 0
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    problem = _locate(self.path, dialect, row + 1, line_before + 1, str(error))
                    raise problem from None
                row += 1
                line_before = reader.line_num
                yield row, cells

    def chunks(self, size: int) -> Iterator[tuple[int, list[list[str]]]]:
        """(row number of the first, up to ``size`` records' cells) for every record, the header
        included: the csv module reads a chunk in one call (``islice``), not a record at a
        time. A file the parser cannot read is read again record by record, which names the
        row and column where it breaks."""
        self._raw = self.path.open("rb")
        with open_text(self.path, self.dialect, self._raw) as stream:
            reader = csv.reader(stream, delimiter=self.dialect.delimiter, strict=True)
            row = 1
            while True:
                try:
                    chunk = list(islice(reader, size))
                except csv.Error:
                    break
                if not chunk:
                    return
                yield row, chunk
                row += len(chunk)
        for _ in self:  # raises the CsvProblem naming the record
            pass
        raise CsvProblem("the file cannot be read as CSV.")  # (the same parser: not reached)


def iter_records(path: Path, dialect: Dialect) -> Iterator[tuple[int, list[str]]]:
    return iter(RecordReader(path, dialect))


def undecodable_column(cells: list[str]) -> int | None:
    """Index of the first cell holding bytes the file's encoding cannot read, if any."""
    for index, cell in enumerate(cells):
        if UNDECODABLE.search(cell):
            return index
    return None


def not_text_column(cells: list[str]) -> int | None:
    """Index of the first cell holding a control character or an unreadable byte, if any."""
    for index, cell in enumerate(cells):
        if NOT_TEXT.search(cell):
            return index
    return None


def undecodable_text(cell: str) -> str:
    """The cell shown with its unreadable bytes and control characters as \\xNN."""
    return NOT_TEXT.sub(lambda hit: f"\\x{ord(hit.group()) & 0xFF:02x}", cell)


_UNICODE_NAMES = {"utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
                  "utf-32": "UTF-32", "utf-32-le": "UTF-32", "utf-32-be": "UTF-32"}  # fmt: skip


def not_text_message(cell: str, encoding: str) -> str:
    """Why a cell (holding a control character or unreadable bytes) cannot be imported."""
    control = CONTROL.search(cell)
    bad = NOT_TEXT.search(cell)
    assert bad is not None
    position = bad.start() + 1
    if control is not None and control.start() == bad.start():
        code = ord(control.group())
        what = "NUL" if code == 0 else f"0x{code:02x}"
        return (
            f"has a control character ({what}) at character {position}, which is not text. "
            "Remove it, or save the file again from the program that made it."
        )
    unicode_name = _UNICODE_NAMES.get(encoding)
    if unicode_name is not None:
        return (
            f"has bytes that are not valid {unicode_name} at character {position}: half of a "
            "character (a lone surrogate), or the file is cut short in the middle of one. "
            "Save the file again, or check it was copied whole."
        )
    return (
        "has bytes that are not in the file's encoding (the file mixes encodings, e.g. UTF-8 "
        "and Windows-1252). Save it again as UTF-8 or choose the right encoding."
    )


def _locate(path: Path, dialect: Dialect, row: int, first_line: int, reason: str) -> CsvProblem:
    """Re-read the record that broke the parser to say which column and why."""
    with open_text(path, dialect) as stream:
        for _ in range(first_line - 1):
            stream.readline()
        text = stream.read()
    column, kind, length = _scan_record(text, dialect.delimiter)
    where = column_letter(column)
    if kind == "unterminated":
        return CsvProblem(
            'a quote (") opens a cell but is never closed, so the rest of the file would be read'
            " as one cell. Close the quote or remove it.",
            row=row,
            column=where,
        )
    if kind == "too_long":
        return CsvProblem(
            f"the cell is {length:,} characters long; cells are limited to {MAX_CELL:,}.",
            row=row,
            column=where,
        )
    if kind == "after_quote":
        return CsvProblem(
            "text follows the closing quote of the cell. Quote the whole cell or remove the quote.",
            row=row,
            column=where,
        )
    return CsvProblem(f"the row cannot be read ({reason}).", row=row, column=where)


def _scan_record(text: str, delimiter: str) -> tuple[int, str, int]:
    """(column index, what is wrong, cell length) for the first broken cell of ``text``."""
    position = 0
    column = 0
    end = len(text)
    while position < end:
        if text[position] == '"':
            search = position + 1
            while True:
                close = text.find('"', search)
                if close < 0:
                    return column, "unterminated", end - position
                if text.startswith('"', close + 1):
                    search = close + 2
                    continue
                break
            length = close - position - 1
            if length > MAX_CELL:
                return column, "too_long", length
            position = close + 1
            if position < end and text[position] not in (delimiter, "\r", "\n"):
                return column, "after_quote", length
        else:
            found = (text.find(delimiter, position), text.find("\n", position))
            stops = [i for i in found if i >= 0]
            stop = min(stops) if stops else end
            if stop - position > MAX_CELL:
                return column, "too_long", stop - position
            position = stop
        if position >= end or text[position] in "\r\n":
            break
        position += 1  # the delimiter
        column += 1
    return column, "unknown", 0
