"""Writing a tab (its current view, or chosen rows) to a CSV that opens cleanly in Excel and never
carries a formula into it.

A cell starting with = + - @ tab or CR is run by spreadsheets as a formula (CSV injection, OWASP);
we put an apostrophe before it, which Excel shows as text. Our import removes that apostrophe
again, so export then import gives back the same records.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import repeat
from operator import truediv
from pathlib import Path
from typing import Any

from agencydesk.domain import RecordKind
from agencydesk.domain.validation import format_phone, us_form
from agencydesk.services.csv_io.csv_text import LINE_END, ColumnQuoting, as_texts
from agencydesk.services.csv_io.fields import (
    FIELDS,
    FULL_NAME,
    field_specs,
    format_cell,
    format_tags,
    label_of,
)
from agencydesk.services.csv_io.links import PARTY_KINDS, disambiguators
from agencydesk.services.csv_io.problems import ImportCancelled
from agencydesk.services.csv_io.validate import FORMULA_TRIGGERS, Progress
from agencydesk.store import fast_rows
from agencydesk.store.book import Book
from agencydesk.store.ledgers import ExportLogEntry
from agencydesk.store.queries import ListQuery

DATE_FORMATS = {
    "%m/%d/%Y": "MM/DD/YYYY (03/31/2026)",
    "%Y-%m-%d": "ISO (2026-03-31)",
    "%d/%m/%Y": "DD/MM/YYYY (31/03/2026)",
}
EXPORT_ENCODINGS = {
    "utf-8-sig": "UTF-8 with BOM (Excel)",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16 (Excel, tab-separated)",
    "cp1252": "Windows-1252",
}


@dataclass(frozen=True, slots=True)
class ExportOptions:
    columns: tuple[str, ...]  # field names, in order
    delimiter: str = ","
    encoding: str = "utf-8-sig"  # Excel reads UTF-8 only with the BOM
    date_format: str = "%m/%d/%Y"
    neutralise_formulas: bool = True


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    rows: int
    replaced_characters: int  # characters the encoding could not hold, written as '?'
    log: ExportLogEntry | None


_READ_ONLY_COLUMNS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.THREAD: ("channel", "subject", "counterpart", "last_message_at", "unread",
                        "message_count", "producer"),
}  # fmt: skip
_REPLACE_COUNTED = "agencydesk-export-replace"
_PAUSE_GC_FROM = 2000  # rows: below that the collector costs nothing to speak of
_REMEMBERED = 4096  # distinct dates, times and tag lists an export keeps formatted
_replaced = threading.local()


def _replace_counted(error: UnicodeError) -> tuple[str, int]:
    """Like errors="replace", counting what was lost so the dialog can say so."""
    assert isinstance(error, UnicodeEncodeError)
    _replaced.count = getattr(_replaced, "count", 0) + error.end - error.start
    return "?" * (error.end - error.start), error.end


codecs.register_error(_REPLACE_COUNTED, _replace_counted)


def exportable_columns(kind: RecordKind) -> list[str]:
    """Every field a tab can export: the importable ones, then the list's extra columns."""
    if kind not in FIELDS:  # threads: their own fields, read-only
        return [*_READ_ONLY_COLUMNS.get(kind, ()), "related_name"]
    names = [spec.name for spec in field_specs(kind) if spec.name != FULL_NAME]
    if kind is RecordKind.CUSTOMER:
        names += ["policy_count", "total_premium_cents"]
    if kind in (RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY):
        names.append("held_in")  # where each row's person or policy is held (issue 11)
    return names


def needs_guard(text: str) -> bool:
    """A cell a spreadsheet would run as a formula, or one that already starts with apostrophes
    before such a character (guarded again, so import's ``unneutralise`` restores it exactly)."""
    return text.startswith(FORMULA_TRIGGERS) or (
        text[:1] == "'" and text.lstrip("'").startswith(FORMULA_TRIGGERS)
    )


def neutralise(text: str) -> str:
    return "'" + text if needs_guard(text) else text


#: A cell of a row (each cell after a NUL) starting as a formula or with an apostrophe: that
#: cell may need the guard (``needs_guard`` decides). A literal first character keeps the
#: search a fast scan (an alternation with ``^`` made it a third of an export's time).
_GUARD_AT_START = re.compile("\x00[=+\\-@\t\r']")
_GUARD_FIRST = frozenset("=+-@\t\r'")  # the same characters, for the column's first cell


class RowFormatter:
    """Cells for batches of stored rows (``Book.iter_stored``), formatted as chosen:
    ``formatter.text(batch, quoting) -> CSV text`` (``rows``: the same cells for a csv.writer).
    Built once per export (the inner loop of a 100,000-row export), it works a column at a time:
    text columns are written as stored, only the columns that need it are converted (dates,
    instants and tags once per distinct value, US phones without a phonenumbers round trip), and
    one join of a whole column finds whether any of its cells may need the formula guard or CSV
    quotes. No record is built, and nothing is done per row but taking it apart and joining it
    again (bench/bench_csv.py prints the time beside a bare select-write's)."""

    def __init__(
        self,
        columns: Sequence[str],
        shapes: Sequence[str],
        date_format: str,
        guard: bool,
        related: Callable[[str, int | None, int | None], str] | None = None,
    ) -> None:
        """``related``: the Customer column's text from (related name, customer id, lead id);
        the row then carries the customer and lead ids after the columns."""
        self.names = list(columns)
        self.guard = guard
        self.width = len(self.names)
        self.converters: list[ColumnConverter | None] = [
            _stored_converter(name, shape, date_format)
            for name, shape in zip(self.names, shapes, strict=True)
        ]
        self.related_at = (
            self.names.index("related_name")
            if related is not None and "related_name" in self.names
            else -1
        )
        self.related = related

    def rows(self, batch: Sequence[Sequence[Any]]) -> Iterable[Sequence[Any]]:
        """The batch's rows of cells, for a ``csv.writer`` (what ``text`` writes, cell by cell;
        kept as the reference the tests compare ``text`` with)."""
        if not batch:
            return ()
        return zip(*self._columns(batch), strict=True)

    def text(self, batch: Sequence[Sequence[Any]], quoting: ColumnQuoting) -> str:
        """The batch's rows as CSV text, the same characters ``csv.writer`` writes for ``rows``
        (``csv_text``): one join of each column serves both the formula check and the quoting
        check, and each row is put together in one call."""
        if not batch:
            return ""
        if not self.width:  # (no columns chosen: csv.writer writes an empty line per row)
            return LINE_END * len(batch)
        texts = [self._texts(cells, quoting) for cells in self._columns(batch, guard=False)]
        return quoting.rows(texts)

    def _columns(self, batch: Sequence[Sequence[Any]], guard: bool = True) -> list[Sequence[Any]]:
        """The batch's cells a column at a time, converted (and guarded, unless ``guard`` is
        False: ``_texts`` then guards them with the join it makes anyway)."""
        guard = guard and self.guard
        stored = list(zip(*batch, strict=True))
        cells = [self._column(index, stored[index], guard) for index in range(self.width)]
        if self.related_at >= 0:
            assert self.related is not None
            names = [name or "" for name in stored[self.related_at]]
            ids = stored[self.width], stored[self.width + 1]
            cells[self.related_at] = list(map(self.related, names, *ids))
            if guard:
                cells[self.related_at] = _guarded(cells[self.related_at])
        return cells

    def _column(self, index: int, values: Sequence[Any], guard: bool) -> Sequence[Any]:
        convert = self.converters[index]
        if convert is not None:
            values = convert(values)
        return _guarded(values) if guard else values

    def _texts(self, cells: Sequence[Any], quoting: ColumnQuoting) -> Sequence[str]:
        """A column's cells as the text csv.writer writes for them: guarded as ``_guarded``
        does, None empty, quoted where csv.writer would quote."""
        try:
            joined = "\x00".join(cells)  # text as stored: the usual column
        except TypeError:  # an empty cell (None), or a value that is not text
            if self.guard:
                cells = _guarded(cells)
            texts = as_texts(cells)
            return quoting.column(texts, "\x00".join(texts))
        if self.guard and _may_need_guard(joined):
            cells = [neutralise(text) for text in cells]  # (the guard adds no quoting character)
        return quoting.column(cells, joined)


def _may_need_guard(joined: str) -> bool:
    """Whether any cell of a column (joined with NULs) may need the formula guard."""
    return joined[:1] in _GUARD_FIRST or _GUARD_AT_START.search(joined) is not None


def _guarded(cells: Sequence[Any]) -> Sequence[Any]:
    """The column's cells with the formula guard before each that needs it (few ever do: one
    search of the whole column says whether any may). None is written as an empty cell; joined
    as "None", it starts with no guard character."""
    try:
        joined = "\x00".join(cells)  # text as stored: the usual column
    except TypeError:  # an empty cell (None) among them
        joined = "\x00".join(map(str, cells))
    if not _may_need_guard(joined):
        return cells
    return ["'" + text if type(text) is str and needs_guard(text) else text for text in cells]


#: A column of stored values to its cells (None stays None: an empty cell).
ColumnConverter = Callable[[Sequence[Any]], Sequence[Any]]


def _stored_converter(name: str, shape: str, date_format: str) -> ColumnConverter | None:
    """How a column of stored values of ``name`` becomes its cells (None: written as stored)."""
    if name == "phone":
        return lambda values: _phones(values, date_format)
    if shape == "number":
        if name.endswith("_cents"):  # a plain decimal Excel reads as a number
            return _money
        return lambda values: [None if v is None else str(v) for v in values]
    if shape == "flag":
        return lambda values: [None if v is None else "yes" if v else "no" for v in values]
    if shape == "date":
        return _each_distinct(lambda text: _as_date(text).strftime(date_format))
    if shape == "instant":
        return _each_distinct(lambda text: _as_instant(text).strftime(date_format + " %H:%M"))
    if shape == "tags":
        return _each_distinct(lambda text: format_tags(tuple(map(str, _as_list(text)))))
    if shape == "json":
        return lambda values: [None if v is None else str(v) for v in values]
    return None  # text and enumerations: written as stored


def _money(values: Sequence[Any]) -> Sequence[Any]:
    """Cents as a plain decimal Excel reads as a number: 123456 -> '1234.56'."""
    try:
        return list(map("{:.2f}".format, map(truediv, values, repeat(100))))
    except TypeError:  # an empty cell (None)
        return [None if v is None else f"{v / 100:.2f}" for v in values]


def _as_date(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _as_instant(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _as_list(value: str | list[Any]) -> list[Any]:
    listed = json.loads(value) if isinstance(value, str) else value
    return list(listed or ())


def _each_distinct(convert: Callable[[Any], str]) -> ColumnConverter:
    """``convert`` run once per distinct value of a column (it holds few distinct dates), and
    once per export for values met again in later batches (up to ``_REMEMBERED`` of them)."""
    known: dict[Any, str] = {}

    def column(values: Sequence[Any]) -> Sequence[Any]:
        try:
            cells: dict[Any, Any] = dict.fromkeys(values)
        except TypeError:  # a value that is not hashable (a driver's list)
            return [None if value is None else convert(value) for value in values]
        if len(known) > _REMEMBERED:
            known.clear()
        for value in cells:
            if value is not None:
                cell = known.get(value)
                cells[value] = known[value] = convert(value) if cell is None else cell
        return list(map(cells.__getitem__, values))

    return column


# A column (joined with NULs) of +1 numbers as stored (E.164), or empty cells, and nothing else.
_ALL_NANP_NUMBERS = re.compile(r"(?:(?:\+1[2-9][0-9]{9})?\x00)*(?:\+1[2-9][0-9]{9})?")


def _phones(values: Sequence[Any], date_format: str) -> Sequence[Any]:
    """Each number as the app shows it (``format_phone``): '+15125550123' -> '(512) 555-0123',
    a Canadian or Caribbean one '+1 416-555-0123', any other through ``format_cell``. One scan
    of the column says whether all are plain +1 numbers (as they usually are): then a US one is
    cut into its parts without phonenumbers' formatting, by ``us_form``."""
    try:
        joined = "\x00".join(values)
    except TypeError:  # an empty cell (None): not the shortcut's column
        joined = "\x00".join(v if type(v) is str else "\x00\x00" for v in values)
    if joined.count("\x00") == len(values) - 1 and _ALL_NANP_NUMBERS.fullmatch(joined):
        return [(us_form(v) or format_phone(v)) if v else "" for v in values]
    return [None if v is None else _phone(v, date_format) for v in values]


def _phone(value: str, date_format: str) -> str:
    return us_form(value) or format_cell("phone", value, date_format)


def write_csv(
    path: Path,
    rows_of: Iterable[Sequence[Sequence[Any]]],
    options: ExportOptions,
    headers: Sequence[str],
    cells_of: RowFormatter,
    *,
    total: int = 0,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> tuple[int, int]:
    """Write to a temporary file beside ``path`` and move it into place only when complete, so a
    cancelled or failed export never leaves half a file. ``rows_of`` gives batches of stored
    rows. Returns (rows, replaced characters)."""
    _replaced.count = 0
    path = path.expanduser()
    fd, temp_name = tempfile.mkstemp(prefix=".export-", suffix=".csv", dir=path.parent)
    rows = 0
    try:
        encoding, errors = options.encoding, _REPLACE_COUNTED
        # The BOM written by hand: the utf-8-sig codec is Python code on every write, the
        # utf-8 one is not (a tenth of a 100,000-row export).
        bom = encoding.replace("_", "-").lower() == "utf-8-sig"
        with os.fdopen(
            fd, "w", encoding="utf-8" if bom else encoding, errors=errors, newline=""
        ) as out:
            if bom:
                out.write("\ufeff")
            writer = csv.writer(out, delimiter=options.delimiter, lineterminator=LINE_END)
            writer.writerow(headers)
            quoting = ColumnQuoting(options.delimiter)
            for batch in rows_of:
                out.write(cells_of.text(batch, quoting))
                rows += len(batch)
                if cancel is not None and cancel.is_set():
                    raise ImportCancelled
                if progress is not None:
                    progress(rows, total)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(rows, rows)
    return rows, _replaced.count


def export_view(
    book: Book,
    kind: RecordKind,
    path: Path,
    options: ExportOptions,
    *,
    query: ListQuery | None = None,
    selected_ids: Sequence[int] = (),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ExportResult:
    """Export the selected rows, or (none selected) every row of ``query`` in its order; log it."""
    columns = list(options.columns)
    related = related_with_contact(book, kind) if "related_name" in columns else None
    # The Customer column's contact needs each row's customer and lead ids, read after the columns.
    names = [*columns, "customer_id", "lead_id"] if related is not None else columns
    cells_of = RowFormatter(
        columns,
        book.stored_shapes(kind, columns),
        options.date_format,
        options.neutralise_formulas,
        related,
    )
    rows_of: Iterable[Sequence[Sequence[Any]]]
    if selected_ids:
        total = len(selected_ids)
        rows_of = _batches(book.stored_of(kind, selected_ids, names), 2000)
    else:
        # No tab's view given: every record, the copies held by several vendors included.
        query = query or ListQuery(every_record=True)
        total = book.count(kind, query)
        rows_of = book.iter_stored(kind, query, names)
    headers = [label_of(kind, name) for name in columns]
    # Each batch's rows, taken apart and put together again, would set off the collector over
    # and over (a tenth of a 100,000-row export): paused, cycles wait until the file is written.
    with fast_rows.collector_paused(total >= _PAUSE_GC_FROM):
        rows, replaced = write_csv(
            path, rows_of, options, headers, cells_of, total=total, progress=progress, cancel=cancel
        )
    log = book.ledgers.log_export(kind, rows, str(path))
    return ExportResult(path, rows, replaced, log)


def _batches(rows: list[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def related_with_contact(
    book: Book, kind: RecordKind
) -> Callable[[str, int | None, int | None], str] | None:
    """The Customer column's text: the name, and where two possible owners share it, what tells
    them apart ("Ann Lee <ann@example.com>"), so import links each row to the right one.
    ``None`` when no name is shared (the plain name then)."""
    if kind not in PARTY_KINDS:
        return None
    contacts = disambiguators(book, kind)
    if not contacts:
        return None

    def related(name: str, customer_id: int | None, lead_id: int | None) -> str:
        if customer_id is not None:
            contact = contacts.get((RecordKind.CUSTOMER, customer_id), "")
        elif lead_id is not None:
            contact = contacts.get((RecordKind.LEAD, lead_id), "")
        else:
            contact = ""
        return f"{name} <{contact}>" if name and contact else name

    return related


# What a tab's column titles (or sort fields) stand for, where they are not a field's own name.
_VIEW_ALIASES: dict[str, tuple[str, ...]] = {
    "display_name": ("first_name", "last_name", "business_name"),
    "name": ("first_name", "last_name", "business_name"),
    "insured": ("insured_name",),
    "for": ("related_name",),
    "customerlead": ("related_name",),
    "policies": ("policy_count",),
    "totalpremium": ("total_premium_cents",),
    "heldin": ("held_in",),
    "quoted": ("quoted_premium_cents",),
    "kind": ("task_kind",),
    "line": ("line_of_business",),
    "effective": ("effective_date",),
    "msgs": ("message_count",),
    "with": ("counterpart",),
    "lastmessage": ("last_message_at",),
}


def view_columns(kind: RecordKind, visible: Sequence[str]) -> list[str]:
    """The export columns for a tab's visible columns (field names or the tab's titles), in
    view order; a column that shows no exportable field ("Msgs") is left out."""
    from agencydesk.services.csv_io.synonyms import header_lookup, normalise_header

    exportable = exportable_columns(kind)
    by_key = {normalise_header(name): name for name in exportable}
    by_key.update({normalise_header(label_of(kind, name)): name for name in exportable})
    lookup = header_lookup(kind)
    chosen: list[str] = []
    for entry in visible:
        key = normalise_header(entry)
        if entry in exportable:
            names: tuple[str, ...] = (entry,)
        elif key in by_key:
            names = (by_key[key],)
        elif key in _VIEW_ALIASES:
            names = _VIEW_ALIASES[key]
        elif key in lookup:
            names = (lookup[key][1],)
        else:
            names = ()
        chosen.extend(n for n in names if n in exportable and n not in chosen)
    return chosen or exportable
