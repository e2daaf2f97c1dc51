"""Every row checked before anything is written: problems collected by row and column, rows
that pass turned into records. The file is read 2,000 records at a time and each chunk checked a
column at a time (``column_check``); a row that is blank, ragged or unreadable, and a row fixed
in place, go through the row checker (``row_check``), which gives the same records and errors.

Invalid rows keep their cells, so the dialog can fix a cell in place (``Validation.fix``), skip
the row, or save all problem rows as a CSV.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from agencydesk.domain import RecordKind
from agencydesk.services.csv_io.column_check import ColumnChecker
from agencydesk.services.csv_io.mapping import ColumnMapping, check_mapping
from agencydesk.services.csv_io.problems import (
    CsvProblem,
    ImportCancelled,
    RowError,
    column_letter,
)
from agencydesk.services.csv_io.reader import RecordReader, not_text_column
from agencydesk.services.csv_io.row_check import (
    FORMULA_TRIGGERS,
    ParsedRow,
    RowChecker,
    unneutralise,
)
from agencydesk.services.csv_io.sniff import Dialect
from agencydesk.store import fast_rows

__all__ = ["FORMULA_TRIGGERS", "ParsedRow", "Progress", "RowChecker", "Validation",
           "header_of", "unneutralise", "validate_file"]  # fmt: skip

#: progress(done, total): bytes of the file while reading, rows while matching and committing.
Progress = Callable[[int, int], None]
_CHUNK = 2000  # records checked together, a column at a time; cancel and progress between
_PAUSE_GC_FROM = 256 * 1024  # bytes of file: below that the collector costs nothing to speak of


@dataclass
class Validation:
    """The outcome of reading and checking a whole file; nothing has been written."""

    kind: RecordKind
    source: Path
    dialect: Dialect
    mapping: ColumnMapping
    rows: list[ParsedRow] = field(default_factory=list)
    errors_by_row: dict[int, list[RowError]] = field(default_factory=dict)
    invalid_cells: dict[int, list[str]] = field(default_factory=dict)
    skipped_rows: set[int] = field(default_factory=set)
    blank_rows: int = 0

    @property
    def errors(self) -> list[RowError]:
        return [e for row in sorted(self.errors_by_row) for e in self.errors_by_row[row]]

    @property
    def open_errors(self) -> list[RowError]:
        """Errors of rows neither fixed nor skipped: while any remain, nothing can be imported
        (unless the caller chooses to skip invalid rows)."""
        return [e for e in self.errors if e.row not in self.skipped_rows]

    def has_open_errors(self) -> bool:
        return any(row not in self.skipped_rows for row in self.errors_by_row)

    def fix(self, row: int, column: int, text: str) -> list[RowError]:
        """Set one cell of an invalid row and check the row again; returns its remaining errors."""
        cells = self.invalid_cells[row]
        while len(cells) <= column:
            cells.append("")
        cells[column] = text
        checker = RowChecker(self.kind, self.mapping, self.dialect.encoding)
        outcome = checker.check(row, cells)
        if isinstance(outcome, ParsedRow):
            self.rows.append(outcome)
            self.rows.sort(key=lambda parsed: parsed.row)
            del self.invalid_cells[row]
            del self.errors_by_row[row]
            self.skipped_rows.discard(row)
            return []
        self.errors_by_row[row] = outcome
        return outcome

    def skip(self, row: int, skipped: bool = True) -> None:
        if skipped:
            self.skipped_rows.add(row)
        else:
            self.skipped_rows.discard(row)

    def skip_all_invalid(self) -> None:
        self.skipped_rows = set(self.invalid_cells)


def validate_file(
    path: Path,
    kind: RecordKind,
    dialect: Dialect,
    mapping: ColumnMapping,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Validation:
    """Read and check every row. Raises CsvProblem for a file that cannot be read at all."""
    check_mapping(kind, mapping)
    # The collector would walk every record made so far, again and again: paused, it does
    # not (see store/fast_rows.py).
    with fast_rows.collector_paused(path.stat().st_size > _PAUSE_GC_FROM):
        return _validate(path, kind, dialect, mapping, progress, cancel)


def _validate(
    path: Path,
    kind: RecordKind,
    dialect: Dialect,
    mapping: ColumnMapping,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> Validation:
    result = Validation(kind, path, dialect, mapping)
    checker = RowChecker(kind, mapping, dialect.encoding)
    columns = ColumnChecker(checker)
    reader = RecordReader(path, dialect)
    header_index = -1 if dialect.header_row is None else dialect.header_row
    header_seen = dialect.header_row is None
    for first_row, chunk in reader.chunks(_CHUNK):
        if cancel is not None and cancel.is_set():
            raise ImportCancelled
        before_records = max(0, min(len(chunk), header_index + 2 - first_row))
        for row, cells in enumerate(chunk[:before_records], start=first_row):
            if row - 1 == header_index:  # the header itself; the lines above it are skipped
                header_seen = True
                bad = not_text_column(cells)
                if bad is not None:
                    error = checker._not_text(row, bad, cells[bad])
                    raise CsvProblem(error.message, row=row, column=error.column)
        if before_records:
            first_row += before_records
            chunk = chunk[before_records:]
        checked = columns.check(first_row, chunk)
        result.rows.extend(checked.rows)
        result.errors_by_row.update(checked.errors_by_row)
        result.invalid_cells.update(checked.invalid_cells)
        result.blank_rows += checked.blank_rows
        if progress is not None:
            progress(reader.bytes_read, reader.size)
    if not header_seen:
        raise CsvProblem("the file ends before its header row.", row=header_index + 1)
    if progress is not None:
        progress(reader.size, reader.size)
    return result


def header_of(path: Path, dialect: Dialect) -> list[str]:
    """The header row's cells (or "Column A", "Column B"… when the file has none)."""
    width = 0
    for row, cells in RecordReader(path, dialect):
        if dialect.header_row is None:
            width = max(width, len(cells))
            if row >= 30:
                break
            continue
        if row - 1 == dialect.header_row:
            return [cell.strip().lstrip("\ufeff") for cell in cells]
    if dialect.header_row is not None:
        raise CsvProblem("the file ends before its header row.", row=dialect.header_row + 1)
    return [f"Column {column_letter(i)}" for i in range(width)]
