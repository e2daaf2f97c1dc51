"""A chunk of rows checked a column at a time: the same records and the same errors as
``RowChecker.check`` on each row (tests/csv/test_csv_column_check.py compares them).

Checking row by row costs a Python loop over every cell: ~1.3 s of CPU for a 100,000-row lead
file beside the csv module's 0.5 s. Here each column of a chunk is one list: a text column is
mapped through one dict (empty cells, the export's formula guard, repeated texts shared); a
column of dates, states, stages or tags parses each DISTINCT value once and maps the rest
through the cache; phones, ZIPs, emails and money go through their parser by ``map``. Only a
column where a cell fails is walked cell by cell, to name each bad row by row and column. The
records are then made a field at a time (``records_from_columns``).

Rows that are blank, ragged or hold a control character are left to ``RowChecker``, whose
messages name them; so is a whole chunk for a record class the column path cannot make.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import MISSING, dataclass, field, fields
from functools import partial
from itertools import compress, repeat
from operator import is_not, itemgetter
from typing import Any

from agencydesk.domain.validation import FieldError
from agencydesk.services.csv_io.column_parsers import ColumnParser, column_parser
from agencydesk.services.csv_io.fields import (
    FULL_NAME,
    NAME_FIELDS,
    RELATED,
    FieldSpec,
    FieldType,
    direct_parser,
    spec_by_name,
    split_full_name,
)
from agencydesk.services.csv_io.problems import RowError
from agencydesk.services.csv_io.reader import NOT_TEXT
from agencydesk.services.csv_io.record_maker import records_from_columns
from agencydesk.services.csv_io.row_check import (
    _REPEATED,
    _SHARED_TEXTS,
    ParsedRow,
    RowChecker,
    _cell_parser,
    unneutralise,
)

_CACHED = 10_000  # distinct parsed values kept per column (beyond that the cache starts again)


class _Absent:
    """An empty cell, or one its parser reads as nothing: the record keeps the field's default
    and the field is not among the row's ``filled``."""

    __slots__ = ()


ABSENT: Any = _Absent()


@dataclass(frozen=True, slots=True)
class _Failed:
    """A cell its parser refused, with the parser's message."""

    message: str


@dataclass(slots=True)
class _Column:
    index: int
    name: str
    where: str  # the column as messages name it, "E (Cell)"
    spec: FieldSpec
    parse: Callable[[str], Any]
    cached: bool  # parsed once per distinct value (a column of few distinct values)
    whole: ColumnParser | None  # the column's cells at once, where they are all written plainly
    seen: dict[str, Any] = field(default_factory=dict)  # cell -> value, ABSENT or _Failed
    failed: set[str] = field(default_factory=set)  # the cells of ``seen`` that failed

    def value_of(self, cell: str) -> Any:
        """One cell's value, ABSENT or _Failed, as the row checker reads it."""
        if not cell and not self.spec.required:
            return ABSENT  # every parser gives "nothing" for an empty optional cell
        try:
            value = self.parse(unneutralise(cell) if cell[:1] == "'" else cell)
        except FieldError as error:
            return _Failed(error.message)
        if self.spec.value_type is FieldType.TEXT:  # kept as written
            return value
        return ABSENT if value is None or value == "" or value == () else value


@dataclass
class Checked:
    """One chunk's outcome, in row order."""

    rows: list[ParsedRow] = field(default_factory=list)
    errors_by_row: dict[int, list[RowError]] = field(default_factory=dict)
    invalid_cells: dict[int, list[str]] = field(default_factory=dict)
    blank_rows: int = 0


class ColumnChecker:
    """``check(first_row, chunk)``: a chunk of records' cells (row numbers from ``first_row``,
    the way ``RecordReader`` numbers them) checked as ``rows.check`` checks each."""

    def __init__(self, rows: RowChecker) -> None:
        self.rows = rows
        specs = spec_by_name(rows.kind)
        self.columns: list[_Column] = []
        for index, name, _parse, where, _required, _shared in rows.columns:
            spec = specs[name]
            text = spec.value_type is FieldType.TEXT
            cached = (text and not spec.required) or spec.value_type in _REPEATED
            parse = _cell_parser(spec) if text or not cached else direct_parser(spec)
            column = _Column(index, name, where, spec, parse, cached, column_parser(spec))
            if not spec.required:
                column.seen[""] = ABSENT  # an empty optional cell is nothing, not parsed
            self.columns.append(column)
        # An empty cell's field keeps the class's default (a fresh one where it has a factory).
        self._defaults: dict[str, Callable[[], Any]] = {}
        for declared in fields(rows.cls):
            if declared.default_factory is not MISSING:
                self._defaults[declared.name] = declared.default_factory
            else:
                self._defaults[declared.name] = partial(_same, declared.default)

    def check(self, first_row: int, chunk: list[list[str]]) -> Checked:
        out = Checked()
        numbers = list(range(first_row, first_row + len(chunk)))
        joined = list(map("".join, chunk))
        width = self.rows.width
        if (
            all(joined)
            and not any(map(str.isspace, joined))
            and _all_text(joined)
            and all(map(width.__eq__, map(len, chunk)))
        ):
            self._check_columns(numbers, chunk, out)
            return out
        plain_numbers, plain = [], []
        for row, cells, text in zip(numbers, chunk, joined, strict=True):
            if not text or text.isspace():
                out.blank_rows += 1
            elif len(cells) == width and not NOT_TEXT.search(text):
                plain_numbers.append(row)
                plain.append(cells)
            else:  # the row checker names what is wrong (or takes trailing empty cells)
                self._one_row(row, cells, text, out)
        self._check_columns(plain_numbers, plain, out)
        if out.rows and len(out.rows) > 1:
            out.rows.sort(key=_row_number)
        out.errors_by_row = dict(sorted(out.errors_by_row.items()))
        out.invalid_cells = {row: out.invalid_cells[row] for row in out.errors_by_row}
        return out

    def _one_row(self, row: int, cells: list[str], text: str, out: Checked) -> None:
        outcome = self.rows.check(row, cells, text)
        if isinstance(outcome, ParsedRow):
            out.rows.append(outcome)
        else:
            out.errors_by_row[row] = outcome
            out.invalid_cells[row] = cells

    def _check_columns(self, numbers: list[int], chunk: list[list[str]], out: Checked) -> None:
        if not chunk:
            return
        count = len(chunk)
        values: dict[str, list[Any]] = {}
        errors: dict[int, list[RowError]] = {}
        for column in self.columns:
            cells = list(map(itemgetter(column.index), chunk))
            parsed, failing = self._parsed(column, cells)
            if failing:
                for position, (cell, value) in enumerate(zip(cells, parsed, strict=True)):
                    if type(value) is _Failed:
                        row = numbers[position]
                        error = RowError(row, column.where, cell, value.message, column.index)
                        errors.setdefault(row, []).append(error)
            values[column.name] = parsed
        links = values.pop(RELATED, None)
        if FULL_NAME in values:
            _split_full_names(values, count)
        if self.rows.needs_name:
            named = [values[name] for name in NAME_FIELDS if name in values]
            present = [list(map(is_not, column, repeat(ABSENT))) for column in named]
            if not present:  # (check_mapping refuses such a mapping; the row checker agrees)
                present = [[False] * count]
            for position, has_name in enumerate(map(any, zip(*present, strict=True))):
                if not has_name and numbers[position] not in errors:
                    errors[numbers[position]] = [_no_name(numbers[position])]
        if errors:
            keep = [row not in errors for row in numbers]
            for row in sorted(errors):
                out.errors_by_row[row] = errors[row]
            for row, cells in zip(numbers, chunk, strict=True):
                if row in errors:
                    out.invalid_cells[row] = cells
            numbers = list(compress(numbers, keep))
            values = {name: list(compress(column, keep)) for name, column in values.items()}
            if links is not None:
                links = list(compress(links, keep))
        if numbers:
            out.rows.extend(self._parsed_rows(numbers, values, links))

    def _parsed(self, column: _Column, cells: list[str]) -> tuple[list[Any], bool]:
        """The column's values (each cell's, ABSENT or _Failed), and whether any failed."""
        seen = column.seen
        if column.cached:
            if column.spec.value_type is FieldType.TEXT and len(seen) >= _SHARED_TEXTS:
                # texts beyond the shared ones are kept as written, not shared
                if any(map(str.startswith, cells, repeat("'"))):
                    for cell in set(cells).difference(seen):
                        if cell[0] == "'":  # (never empty: "" is in seen)
                            seen[cell] = unneutralise(cell)
                return list(map(seen.get, cells, cells)), False
            if not column.failed:  # every cell seen before (most chunks but the first)
                try:
                    return list(map(seen.__getitem__, cells)), False
                except KeyError:
                    pass
            distinct = set(cells)
            new = distinct.difference(seen)
            if new:
                text = column.spec.value_type is FieldType.TEXT
                if len(seen) + len(new) > (_SHARED_TEXTS if text else _CACHED):
                    if text:  # texts beyond the shared ones are kept as written, not shared
                        if any(map(str.startswith, new, repeat("'"))):
                            for cell in new:
                                if cell[0] == "'":  # (never empty: "" is in seen)
                                    seen[cell] = unneutralise(cell)
                        return list(map(seen.get, cells, cells)), False
                    seen.clear()  # start again: one chunk's values always fit
                    column.failed.clear()
                    if not column.spec.required:
                        seen[""] = ABSENT
                    new = distinct.difference(seen)
                for cell in new:
                    value = seen[cell] = column.value_of(cell)
                    if type(value) is _Failed:
                        column.failed.add(cell)
            failing = bool(column.failed) and not column.failed.isdisjoint(distinct)
            return list(map(seen.__getitem__, cells)), failing
        if column.whole is not None:
            parsed = _whole_column(column.whole, cells)
            if parsed is not None:
                return parsed, False
        guarded = cells
        if any(map(str.startswith, cells, repeat("'"))):
            guarded = [unneutralise(c) if c[:1] == "'" else c for c in cells]
        try:
            parsed = list(map(column.parse, guarded))
        except FieldError:
            return [column.value_of(cell) for cell in cells], True
        if column.spec.value_type is FieldType.TEXT:  # a required text: kept as written
            return parsed, False
        return [ABSENT if v is None or v == "" or v == () else v for v in parsed], False

    def _parsed_rows(
        self, numbers: list[int], values: dict[str, list[Any]], links: list[Any] | None
    ) -> Iterable[ParsedRow]:
        count = len(numbers)
        names = list(values)
        record_fields = {}
        always: list[str] = []  # filled on every row
        sometimes: list[str] = []
        flags: list[list[bool]] = []
        for name, column in values.items():
            present = list(map(is_not, column, repeat(ABSENT)))
            if all(present):
                always.append(name)
            else:
                sometimes.append(name)
                flags.append(present)
                default = self._defaults[name]
                column = [v if p else default() for v, p in zip(column, present, strict=True)]
            record_fields[name] = column
        filled_of = self._filled_of(always, sometimes)
        filled: Iterable[frozenset[str]]
        if flags:
            filled = list(map(filled_of, zip(*flags, strict=True)))
        else:
            filled = repeat(filled_of(()), count)
        common = self.rows._common
        records = records_from_columns(self.rows.cls, common, record_fields, count)
        if records is None:  # made one by one, as the row checker makes them
            records = [
                self.rows._make({n: values[n][i] for n in names if values[n][i] is not ABSENT})
                for i in range(count)
            ]
        if links is None:
            link_column: Iterable[str] = repeat("", count)
        else:
            link_column = ["" if link is ABSENT else link for link in links]
        return _parsed_row_objects(numbers, records, filled, link_column)

    def _filled_of(
        self, always: list[str], sometimes: list[str]
    ) -> Callable[[tuple[bool, ...]], frozenset[str]]:
        """A row's filled fields from its flags (one for each of ``sometimes``), each distinct
        set made once and shared with the row checker's (an update sets only these)."""
        known: dict[tuple[bool, ...], frozenset[str]] = {}
        shared = self.rows._filled

        def filled(flags: tuple[bool, ...]) -> frozenset[str]:
            try:
                return known[flags]
            except KeyError:
                key = frozenset([*always, *compress(sometimes, flags)])
                value = known[flags] = shared.setdefault(key, key)
                return value

        return filled


_ROW_SLOTS = [getattr(ParsedRow, name).__set__ for name in ("row", "record", "filled", "link")]


def _parsed_row_objects(*columns: Iterable[Any]) -> list[ParsedRow]:
    """``list(map(ParsedRow, *columns))``, a field at a time (its __init__ is a Python call)."""
    numbers = columns[0]
    assert isinstance(numbers, list)
    made: list[ParsedRow] = list(map(object.__new__, repeat(ParsedRow, len(numbers))))
    for set_slot, column in zip(_ROW_SLOTS, columns, strict=True):
        deque(map(set_slot, made, column), maxlen=0)
    return made


def _whole_column(parse: ColumnParser, cells: list[str]) -> list[Any] | None:
    """An optional column parsed at once: its empty cells ABSENT, the others ``parse``'s. A
    column holding our export's formula guard is not: its cells are read without the guard."""
    if any(map(str.startswith, cells, repeat("'"))):
        return None
    if "" not in cells:
        return parse(cells)
    parsed = parse(list(filter(None, cells)))
    if parsed is None:
        return None
    values = iter(parsed)
    return [next(values) if cell else ABSENT for cell in cells]


def _all_text(joined: list[str]) -> bool:
    """No cell holds a control character or an unreadable byte (a surrogate): most files are
    printable throughout, which one C pass says; the others are searched."""
    return "".join(joined).isprintable() or not NOT_TEXT.search("\n".join(joined))


def _same(value: Any) -> Any:
    return value


def _row_number(parsed: ParsedRow) -> int:
    return parsed.row


def _no_name(row: int) -> RowError:
    return RowError(
        row, "", "", "has no name: fill First Name, Last Name, Business Name or Full Name"
    )


def _split_full_names(values: dict[str, list[Any]], count: int) -> None:
    """As the row checker does: a Full Name fills First and Last Name where those are empty."""
    full = values.pop(FULL_NAME)
    firsts = values.setdefault("first_name", [ABSENT] * count)
    lasts = values.setdefault("last_name", [ABSENT] * count)
    for position, text in enumerate(full):
        if text is ABSENT or type(text) is _Failed:
            continue
        first, last = split_full_name(text)
        if first and firsts[position] is ABSENT:
            firsts[position] = first
        if last and lasts[position] is ABSENT:
            lasts[position] = last
