"""Writing a tab (its current view, or chosen rows) to a CSV that opens cleanly in Excel and never
carries a formula into it.

A cell starting with = + - @ tab or CR is run by spreadsheets as a formula (CSV injection, OWASP);
we put an apostrophe before it, which Excel shows as text. Our import removes that apostrophe
again, so export then import gives back the same records.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from agencydesk.domain import RecordKind
from agencydesk.services.csv_io.fields import (
    FIELDS,
    FULL_NAME,
    LIST_EXTRAS,
    field_specs,
    format_cell,
    label_of,
)
from agencydesk.services.csv_io.links import PARTY_KINDS, disambiguators
from agencydesk.services.csv_io.problems import ImportCancelled
from agencydesk.services.csv_io.validate import FORMULA_TRIGGERS, Progress
from agencydesk.store.book import Book
from agencydesk.store.ledgers import ExportLogEntry
from agencydesk.store.queries import ListItem, ListQuery

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


#: A cell of a row (cells joined with NUL) starting as a formula or with an apostrophe: that
#: cell may need the guard (``needs_guard`` decides).
_GUARD_AT_START = re.compile("(?:^|\x00)[=+\\-@\t\r']")


class RowFormatter:
    """Cells for one row, formatted as chosen: ``formatter(item) -> list[str]``. Built once per
    export (this is the inner loop of a 100,000-row export): every column read in one
    ``attrgetter`` call, text cells written as they are, and one converter only for the columns
    that need one: dates and tags formatted once per distinct value, US phones without a
    phonenumbers round trip. (1.9 s of CPU for 100,000 leads before, 0.9 s after, beside 0.9 s
    for the bare select-write floor on the same machine; bench/bench_csv.py.)"""

    def __init__(
        self,
        columns: Sequence[str],
        date_format: str,
        guard: bool,
        related: Callable[[ListItem], str] | None = None,
    ) -> None:
        self.date_format = date_format
        self.guard = guard
        self.names = list(columns)
        self.paths = [name if name in LIST_EXTRAS else f"record.{name}" for name in columns]
        read_all = attrgetter(*self.paths)
        self.read: Callable[[ListItem], tuple[Any, ...]] = (
            read_all if len(self.paths) > 1 else lambda item: (read_all(item),)
        )
        self.converters = [self._converter(name) for name in columns]
        self.related_at = (
            self.names.index("related_name")
            if related is not None and "related_name" in self.names
            else -1
        )
        self.related = related

    def _converter(self, name: str) -> Callable[[Any], str]:
        date_format = self.date_format
        if name == "phone":
            return lambda value: _us_phone(value) or format_cell(name, value, date_format)
        if name.endswith("_cents"):  # as format_cell writes money: mostly distinct amounts
            return lambda value: f"{value / 100:.2f}" if type(value) is int else str(value)
        seen: dict[Any, str] = {}

        def convert(value: Any) -> str:
            if isinstance(value, str):  # text, and enumerations (StrEnum) as their value
                return str(value)
            try:
                return seen[value]  # dates, tags, statuses: few distinct values
            except KeyError:
                text = format_cell(name, value, date_format)
                if len(seen) < 10_000:
                    seen[value] = text
                return text
            except TypeError:  # not hashable
                return format_cell(name, value, date_format)

        return convert

    def _values(self, item: ListItem) -> list[Any]:
        try:
            return list(self.read(item))
        except AttributeError:
            pass
        values = []
        for path in self.paths:  # one column at a time: a column another kind of record has
            try:
                values.append(attrgetter(path)(item))
            except AttributeError:
                values.append(None)
        return values

    def __call__(self, item: ListItem) -> list[str]:
        values = self._values(item)
        if self.related_at >= 0:
            assert self.related is not None
            values[self.related_at] = self.related(item)
        cells = [
            value if type(value) is str else "" if value is None else convert(value)
            for value, convert in zip(values, self.converters, strict=True)
        ]
        # One search of the row finds whether any cell may need the guard (few ever do).
        if self.guard and _GUARD_AT_START.search("\x00".join(cells)):
            cells = ["'" + text if needs_guard(text) else text for text in cells]
        return cells


def _us_phone(e164: str) -> str:
    """'+15125550123' -> '(512) 555-0123', as phonenumbers writes a US number; '' otherwise."""
    if len(e164) == 12 and e164.startswith("+1") and e164[2:].isdigit() and e164[2] in "23456789":
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    return ""


def item_cells(item: ListItem, columns: Sequence[str], date_format: str, guard: bool) -> list[str]:
    return RowFormatter(columns, date_format, guard)(item)


def selected_items(book: Book, kind: RecordKind, ids: Iterable[int]) -> Iterator[ListItem]:
    for record_id in ids:
        record = book.get(kind, record_id)
        if record is not None:
            yield ListItem(record)


def write_csv(
    path: Path,
    kind: RecordKind,
    items: Iterable[ListItem],
    options: ExportOptions,
    *,
    total: int = 0,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    related: Callable[[ListItem], str] | None = None,
) -> tuple[int, int]:
    """Write to a temporary file beside ``path`` and move it into place only when complete, so a
    cancelled or failed export never leaves half a file. Returns (rows, replaced characters)."""
    _replaced.count = 0
    path = path.expanduser()
    fd, temp_name = tempfile.mkstemp(prefix=".export-", suffix=".csv", dir=path.parent)
    rows = 0
    try:
        encoding, errors = options.encoding, _REPLACE_COUNTED
        with os.fdopen(fd, "w", encoding=encoding, errors=errors, newline="") as out:
            writer = csv.writer(out, delimiter=options.delimiter, lineterminator="\r\n")
            writer.writerow([label_of(kind, name) for name in options.columns])
            buffer: list[list[str]] = []
            cells_of = RowFormatter(
                options.columns, options.date_format, options.neutralise_formulas, related
            )
            for item in items:
                buffer.append(cells_of(item))
                rows += 1
                if len(buffer) == 2000:
                    writer.writerows(buffer)
                    buffer.clear()
                    if cancel is not None and cancel.is_set():
                        raise ImportCancelled
                    if progress is not None:
                        progress(rows, total)
            writer.writerows(buffer)
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
    if selected_ids:
        items: Iterable[ListItem] = selected_items(book, kind, selected_ids)
        total = len(selected_ids)
    else:
        # No tab's view given: every record, the copies held by several vendors included.
        query = query or ListQuery(every_record=True)
        total = book.count(kind, query)
        items = book.iter_rows(kind, query)
    related = related_with_contact(book, kind) if "related_name" in options.columns else None
    rows, replaced = write_csv(
        path, kind, items, options, total=total, progress=progress, cancel=cancel, related=related
    )
    log = book.ledgers.log_export(kind, rows, str(path))
    return ExportResult(path, rows, replaced, log)


def related_with_contact(book: Book, kind: RecordKind) -> Callable[[ListItem], str] | None:
    """The Customer column's text: the name, and where two possible owners share it, what tells
    them apart ("Ann Lee <ann@example.com>"), so import links each row to the right one.
    ``None`` when no name is shared (the plain name then)."""
    if kind not in PARTY_KINDS:
        return None
    contacts = disambiguators(book, kind)
    if not contacts:
        return None

    def related(item: ListItem) -> str:
        name = item.related_name
        record = item.record
        customer_id = getattr(record, "customer_id", None)
        lead_id = getattr(record, "lead_id", None)
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
