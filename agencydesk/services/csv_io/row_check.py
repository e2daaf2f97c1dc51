"""One row's cells to a record, or to the errors that stop it: the inner loop of an import.

Every mapped cell is parsed with the shared field parsers (``agencydesk.domain.validation``);
repeated values are parsed once and common US phone forms are short-cut, so 100,000 rows take a
couple of seconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agencydesk.domain import Provenance, Record, RecordKind
from agencydesk.domain.records import utc_now
from agencydesk.domain.validation import (
    FieldError,
    format_phone,
    invalid_phone_message,
    parse_phone,
)
from agencydesk.services.csv_io.fields import (
    FULL_NAME,
    IMPORTABLE,
    NAME_FIELDS,
    RELATED,
    FieldSpec,
    FieldType,
    direct_parser,
    spec_by_name,
    split_full_name,
)
from agencydesk.services.csv_io.mapping import ColumnMapping
from agencydesk.services.csv_io.problems import RowError, column_letter, column_name
from agencydesk.services.csv_io.reader import (
    NOT_TEXT,
    not_text_column,
    not_text_message,
    undecodable_text,
)
from agencydesk.services.csv_io.record_maker import record_maker

_SHARED_TEXTS = 2000  # distinct values per column kept for sharing (unique columns stop there)
#: What export puts before a cell a spreadsheet would run as a formula (see export.py).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Most US numbers, written the common ways; the rest go through parse_phone. Whether a number is
# valid depends (in phonenumbers' US metadata) on its area code and exchange only, so the full
# check runs once per area code + exchange and the answer is reused: ~15 µs a row saved on a
# 100,000-row file.
_US_PHONE = re.compile(r"\s*(?:\+?1[\s.-]*)?\(?([2-9]\d\d)\)?[\s.-]*([2-9]\d\d)[\s.-]*(\d{4})\s*")


def unneutralise(text: str) -> str:
    """Undo our own export's formula guard: "'=SUM(A1)" back to "=SUM(A1)", "''=x" to "'=x".
    Export adds one apostrophe to every cell whose leading apostrophes are followed by a formula
    character, so removing one here gives back exactly what was stored."""
    if len(text) > 1 and text[0] == "'" and text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


_DIALLED = re.compile(r"\+[\d\s().-]{7,}(?:\s*(?:x|ext\.?)\s*\d+)?", re.IGNORECASE)


def as_read(text: str) -> str:
    """A cell as a person reads it in a preview: without our export's formula guard, and a
    number written +1… (which the guard is mostly for) as the phone it is, (817) 555-0105."""
    text = unneutralise(text)
    if _DIALLED.fullmatch(text.strip()):
        try:
            return format_phone(parse_phone(text))
        except FieldError:
            return text  # not a valid number: shown as written, the check names it
    return text


def _cell_parser(spec: FieldSpec) -> Callable[[str], Any]:
    """A parser for one column, with the common cases short-cut and repeated values (dates,
    statuses, states, tags) parsed once: this is the inner loop of a 100,000-row import."""
    kind = spec.value_type
    if kind is FieldType.TEXT and not spec.required:
        return str  # kept as written (spaces too), so export then import changes nothing
    parse = direct_parser(spec)
    if kind is FieldType.PHONE:
        valid_exchanges: dict[str, bool] = {}

        def parse_phone_fast(text: str) -> Any:
            hit = _US_PHONE.fullmatch(text)
            if hit is None:
                return parse(text)
            area, exchange, line = hit.groups()
            e164 = f"+1{area}{exchange}{line}"
            known = valid_exchanges.get(area + exchange)
            if known is None:  # the full check, once: it raises FieldError for an invalid one
                try:
                    parse(text)
                except FieldError:
                    valid_exchanges[area + exchange] = False
                    raise
                valid_exchanges[area + exchange] = True
            elif not known:
                raise FieldError(spec.label, invalid_phone_message(text.strip()), text)
            return e164

        return parse_phone_fast
    if kind is FieldType.ZIP:

        def parse_zip_fast(text: str) -> Any:
            # Five ASCII digits, as most ZIP cells are, are what parse_zip returns for them
            # (0.8 µs a row saved); anything else (ZIP+4, spaces, an error) goes through it.
            if len(text) == 5 and text.isascii() and text.isdigit():
                return text
            return parse(text)

        return parse_zip_fast
    if kind in _REPEATED:
        seen: dict[str, Any] = {}

        def parse_repeated(text: str) -> Any:
            try:
                return seen[text]
            except KeyError:
                value = parse(text)  # raises FieldError: errors are not remembered
                if len(seen) < 10_000:
                    seen[text] = value
                return value

        return parse_repeated
    return parse


_REPEATED = (FieldType.DATE, FieldType.ENUM, FieldType.TAGS, FieldType.TIME, FieldType.STATE)


@dataclass(slots=True)
class ParsedRow:
    row: int
    record: Record
    filled: frozenset[str]  # the fields that had a value in the file (an update sets only these)
    link: str = ""  # the Customer column: whom a policy or task belongs to (links.py)


class RowChecker:
    """Turns one record's cells into a ParsedRow or a list of RowErrors."""

    def __init__(self, kind: RecordKind, mapping: ColumnMapping, encoding: str = "utf-8") -> None:
        specs = spec_by_name(kind)
        self.encoding = encoding
        self.kind = kind
        self.cls = IMPORTABLE[kind]
        self.mapping = mapping
        self.width = len(mapping.headers)
        # Per column: where, what, its parser, its name in messages, whether an empty cell is an
        # error, and (text columns) the texts seen so far, so repeated ones are shared.
        self.columns: list[tuple[int, str, Any, str, bool, dict[str, str] | None]] = [
            (
                index,
                name,
                _cell_parser(specs[name]),
                column_name(index, mapping.headers[index]),
                specs[name].required,
                {} if specs[name].value_type is FieldType.TEXT else None,
            )
            for index, name in mapping.mapped()
        ]
        # The inner loop in two: optional text columns (kept as written, nothing to parse and no
        # error possible: most of a file's cells) in a loop of their own, the others parsed.
        self.texts = [(c[0], c[1], c[5]) for c in self.columns if c[2] is str and c[5] is not None]
        self.parsed = [c for c in self.columns if not (c[2] is str and c[5] is not None)]
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
        self._make = record_maker(self.cls, self._common)

    def check(
        self, row: int, cells: list[str], joined: str | None = None
    ) -> ParsedRow | list[RowError]:
        """``joined``: the cells joined, when the caller has them already."""
        if NOT_TEXT.search("".join(cells) if joined is None else joined):
            bad = not_text_column(cells)
            assert bad is not None
            return [self._not_text(row, bad, cells[bad])]
        if len(cells) != self.width:
            problem = self._ragged(row, cells)
            if problem is not None:
                return [problem]
        # (From here the row has a cell for every column: a shorter one was refused above.)
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for index, name, texts in self.texts:
            text = cells[index]
            if text:
                if text[0] == "'":
                    text = unneutralise(text)
                known = texts.get(text)
                if known is not None:
                    text = known
                elif len(texts) < _SHARED_TEXTS:
                    texts[text] = text
                values[name] = text
        for index, name, parse, where, required, shared in self.parsed:
            text = cells[index]
            if not text and not required:
                continue  # every parser gives "nothing" for an empty optional cell
            try:
                value = parse(unneutralise(text) if text[:1] == "'" else text)
            except FieldError as error:
                errors.append(RowError(row, where, text, error.message, index))
                continue
            if shared is not None:  # text: kept as written, a repeated one shared
                known = shared.get(value)
                if known is not None:
                    value = known
                elif len(shared) < _SHARED_TEXTS:
                    shared[value] = value
                values[name] = value
            elif value is not None and value != "" and value != ():
                values[name] = value
        link = values.pop(RELATED, "")
        if FULL_NAME in values:
            first, last = split_full_name(values.pop(FULL_NAME))
            if first and "first_name" not in values:
                values["first_name"] = first
            if last and "last_name" not in values:
                values["last_name"] = last
        if self.needs_name and not errors and values.keys().isdisjoint(NAME_FIELDS):
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
        return ParsedRow(row, self._make(values), filled, link)

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

    def _not_text(self, row: int, index: int, cell: str) -> RowError:
        """A cell holding a control character (NUL…) or bytes the encoding cannot read."""
        header = self.mapping.headers[index] if index < self.width else ""
        return RowError(
            row,
            column_name(index, undecodable_text(header)),
            undecodable_text(cell),
            not_text_message(cell, self.encoding),
            index,
        )
