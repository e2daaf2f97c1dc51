"""Every row checked before anything is written: cells parsed with the shared field parsers,
problems collected by row and column, rows that pass turned into records.

Invalid rows keep their cells, so the dialog can fix a cell in place (``Validation.fix``), skip
the row, or save all problem rows as a CSV.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agencydesk.domain import Provenance, Record, RecordKind
from agencydesk.domain.records import utc_now
from agencydesk.domain.validation import FieldError
from agencydesk.services.csv_io.fields import (
    FULL_NAME,
    IMPORTABLE,
    NAME_FIELDS,
    FieldSpec,
    FieldType,
    parse_cell,
    spec_by_name,
    split_full_name,
)
from agencydesk.services.csv_io.mapping import ColumnMapping, check_mapping
from agencydesk.services.csv_io.problems import (
    CsvProblem,
    ImportCancelled,
    RowError,
    column_letter,
    column_name,
)
from agencydesk.services.csv_io.reader import (
    UNDECODABLE,
    RecordReader,
    undecodable_column,
    undecodable_text,
)
from agencydesk.services.csv_io.sniff import Dialect

#: progress(done, total): bytes of the file while reading, rows while matching and committing.
Progress = Callable[[int, int], None]
_PROGRESS_EVERY = 2000
_SHARED_TEXTS = 2000  # distinct values per column kept for sharing (unique columns stop there)
#: What export puts before a cell a spreadsheet would run as a formula (see export.py).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Most US numbers, already in a form phonenumbers would give +1NXXNXXXXXX for; the rest go
# through parse_phone. Saves ~15 µs a row on a 100,000-row file.
_US_PHONE = re.compile(r"\s*(?:\+?1[\s.-]*)?\(?([2-9]\d\d)\)?[\s.-]*(\d{3})[\s.-]*(\d{4})\s*")


def unneutralise(text: str) -> str:
    """Undo our own export's formula guard: "'=SUM(A1)" back to "=SUM(A1)"."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def _cell_parser(spec: FieldSpec) -> Callable[[str], Any]:
    """A parser for one column, with the common cases short-cut and repeated values (dates,
    statuses, tags) parsed once: this is the inner loop of a 100,000-row import."""
    kind = spec.value_type
    if kind is FieldType.TEXT and not spec.required:
        return str.strip
    if kind is FieldType.PHONE:

        def parse_phone_fast(text: str) -> Any:
            hit = _US_PHONE.fullmatch(text)
            if hit is not None:
                return "+1" + "".join(hit.groups())
            return parse_cell(spec, text)

        return parse_phone_fast
    if kind in (FieldType.DATE, FieldType.ENUM, FieldType.TAGS, FieldType.TIME):
        seen: dict[str, Any] = {}

        def parse_repeated(text: str) -> Any:
            try:
                return seen[text]
            except KeyError:
                value = parse_cell(spec, text)  # raises FieldError: errors are not remembered
                if len(seen) < 10_000:
                    seen[text] = value
                return value

        return parse_repeated
    return lambda text: parse_cell(spec, text)


@dataclass(slots=True)
class ParsedRow:
    row: int
    record: Record
    filled: frozenset[str]  # the fields that had a value in the file (an update sets only these)


class RowChecker:
    """Turns one record's cells into a ParsedRow or a list of RowErrors."""

    def __init__(self, kind: RecordKind, mapping: ColumnMapping) -> None:
        specs = spec_by_name(kind)
        self.kind = kind
        self.cls = IMPORTABLE[kind]
        self.mapping = mapping
        self.width = len(mapping.headers)
        self.columns = [
            (index, name, _cell_parser(specs[name]), column_name(index, mapping.headers[index]))
            for index, name in mapping.mapped()
        ]
        self.needs_name = kind in (RecordKind.LEAD, RecordKind.CUSTOMER)
        self._filled: dict[frozenset[str], frozenset[str]] = {}
        # One instant and one provenance for every record of the import, and repeated texts
        # (cities, stages, producers) shared: a 100,000-row file then fits in ~150 MB.
        now = utc_now()
        self._common: dict[str, Any] = {
            "provenance": Provenance(),
            "created_at": now,
            "updated_at": now,
        }
        self._texts: dict[str, dict[str, str]] = {name: {} for _i, name, _p, _w in self.columns}

    def check(self, row: int, cells: list[str]) -> ParsedRow | list[RowError]:
        if len(cells) != self.width:
            problem = self._ragged(row, cells)
            if problem is not None:
                return [problem]
        if UNDECODABLE.search("".join(cells)):
            bad = undecodable_column(cells)
            assert bad is not None
            return [self._undecodable(row, bad, cells[bad])]
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        width = len(cells)
        for index, name, parse, where in self.columns:
            text = cells[index] if index < width else ""
            try:
                value = parse(unneutralise(text) if text[:1] == "'" else text)
            except FieldError as error:
                errors.append(RowError(row, where, text, error.message, index))
                continue
            if value is not None and value != "" and value != ():
                if type(value) is str:
                    known = self._texts[name]
                    value = known.get(value, value)
                    if len(known) < _SHARED_TEXTS:
                        known.setdefault(value, value)
                values[name] = value
        if FULL_NAME in values:
            first, last = split_full_name(values.pop(FULL_NAME))
            if first and "first_name" not in values:
                values["first_name"] = first
            if last and "last_name" not in values:
                values["last_name"] = last
        if self.needs_name and not errors and not any(n in values for n in NAME_FIELDS):
            errors.append(
                RowError(
                    row,
                    "",
                    "",
                    "has no name: fill First Name, Last Name, Business Name or Full Name",
                )
            )
        if errors:
            return errors
        key = frozenset(values)
        filled = self._filled.setdefault(key, key)
        return ParsedRow(row, self.cls(**values, **self._common), filled)

    def _ragged(self, row: int, cells: list[str]) -> RowError | None:
        if len(cells) > self.width:
            extra = cells[self.width :]
            if not any(cell.strip() for cell in extra):
                return None  # trailing empty cells, as some spreadsheets write
            first = self.width + next(i for i, cell in enumerate(extra) if cell.strip())
            return RowError(
                row,
                column_letter(first),
                cells[first],
                f"has {len(cells)} cells but the header has {self.width}: column "
                f"{column_letter(first)} has no header (a delimiter inside an unquoted cell?)",
            )
        missing = f"{column_letter(len(cells))}" + (
            f"–{column_letter(self.width - 1)}" if self.width - len(cells) > 1 else ""
        )
        return RowError(
            row,
            column_letter(len(cells)),
            "",
            f"has {len(cells)} cells but the header has {self.width}: column {missing} missing "
            "(a line break inside an unquoted cell?)",
        )

    def _undecodable(self, row: int, index: int, cell: str) -> RowError:
        header = self.mapping.headers[index] if index < self.width else ""
        return RowError(
            row,
            column_name(index, header),
            undecodable_text(cell),
            "has bytes that are not in the file's encoding (the file mixes encodings, e.g. UTF-8 "
            "and Windows-1252). Save it again as UTF-8 or choose the right encoding.",
            index,
        )


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
        outcome = RowChecker(self.kind, self.mapping).check(row, cells)
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
    result = Validation(kind, path, dialect, mapping)
    checker = RowChecker(kind, mapping)
    reader = RecordReader(path, dialect)
    header_index = -1 if dialect.header_row is None else dialect.header_row
    header_seen = dialect.header_row is None
    for row, cells in reader:
        if row - 1 <= header_index:
            if row - 1 == header_index:
                header_seen = True
                bad = undecodable_column(cells)
                if bad is not None:
                    error = checker._undecodable(row, bad, cells[bad])
                    raise CsvProblem(error.message, row=row, column=error.column)
            continue
        if row % _PROGRESS_EVERY == 0:
            if cancel is not None and cancel.is_set():
                raise ImportCancelled
            if progress is not None:
                progress(reader.bytes_read, reader.size)
        if not any(cells) or not any(cell.strip() for cell in cells):
            result.blank_rows += 1
            continue
        outcome = checker.check(row, cells)
        if isinstance(outcome, ParsedRow):
            result.rows.append(outcome)
        else:
            result.errors_by_row[row] = outcome
            result.invalid_cells[row] = cells
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
