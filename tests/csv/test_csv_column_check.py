"""The check a column at a time gives what the check a row at a time gives: the same records
(every field, what was filled, the link), the same errors (row, column, cell, message, in the
same order), the same invalid cells and blank rows, on files mixing every field type's good,
odd and bad cells with blank, ragged and unreadable rows, across chunk boundaries."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from agencydesk.domain import RecordKind
from agencydesk.domain.values import LeadStatus, PolicyStatus, TaskKind, TaskStatus
from agencydesk.services.csv_io import auto_map, validate
from agencydesk.services.csv_io.fields import FieldSpec, FieldType, field_specs
from agencydesk.services.csv_io.reader import iter_records
from agencydesk.services.csv_io.row_check import ParsedRow, RowChecker
from agencydesk.services.csv_io.sniff import Dialect
from agencydesk.services.csv_io.validate import Validation, validate_file

GOOD: dict[FieldType, list[str]] = {
    FieldType.TEXT: ["Ann", "Lee", "Okafor Holdings LLC", "Mary Ann Lee", "Lee, Ann", "Zoë"],
    FieldType.EMAIL: ["ann@example.com", "Ann.Lee@Example.COM", "b+c@mail.example.org"],
    FieldType.PHONE: [
        "(512) 555-0101",
        "512.555.0102",
        "+1 512 555 0103",
        "5125550104",
        "1-214-555-0105",
    ],
    FieldType.DATE: ["03/01/2026", "2026-03-02", "3/3/26"],
    FieldType.MONEY: ["$1,234.50", "1234.5", "300", "$12", "0.07", "1,000,000.00"],
    FieldType.TAGS: ["auto; home", "life", '"a;b"; c'],
    FieldType.TIME: ["09:30", "9:05", "17:45"],
    FieldType.ZIP: ["78701", "78701-1234", "02134"],
    FieldType.STATE: ["TX", "tx", "Texas", "OK"],
}
ODD: dict[FieldType, list[str]] = {  # valid, but not in the form most cells take
    FieldType.TEXT: [" spaced ", "'=SUM(A1)", "''=x", "'", "  ", "'-5", "a\nb"],
    FieldType.EMAIL: [" ann@example.com ", "'=x@example.com", "A@B.CO"],
    FieldType.PHONE: ["+44 20 7946 0958", "512 555 0101 x22", "'+1 512 555 0101", " 512-555-0106 "],
    FieldType.DATE: ["2026-03-01T10:00:00", " 03/04/2026 ", "'2026-01-01"],
    FieldType.MONEY: [" $ 1,000 ", "USD 12", "1234.", "$0012.3", "'=5", "1,234,5678"],
    FieldType.TAGS: ["; ;", " x ; y "],
    FieldType.TIME: [" 08:00 "],
    FieldType.ZIP: [" 78701", "787011234", "７８７０１"],
    FieldType.STATE: [" tx ", "District of Columbia"],
}
BAD: dict[FieldType, list[str]] = {
    FieldType.TEXT: [],
    FieldType.EMAIL: ["bad", "x@y", "a b@c.com", "a@b@c.com"],
    FieldType.PHONE: ["555-0105", "(123) 555-0101", "12", "phone"],
    FieldType.DATE: ["13/45/2026", "soon"],
    FieldType.MONEY: ["(12.00)", "-5", "1.234", "abc"],
    FieldType.TAGS: [],
    FieldType.TIME: ["25:00", "noon"],
    FieldType.ZIP: ["1234", "787O1"],
    FieldType.STATE: ["ZZ", "Texass"],
}
ENUM_WORDS = {
    LeadStatus: ["New", "quoted", "Sold", "0"],
    PolicyStatus: ["Active", "in force", "Lapsed"],
    TaskStatus: ["Open", "completed", "1"],
    TaskKind: ["Call", "to-do", "appointment"],
}


def _cell(spec: FieldSpec, rng: random.Random, hostile: bool) -> str:
    kind = spec.value_type
    if kind is FieldType.ENUM:
        assert spec.enum is not None
        good, odd, bad = ENUM_WORDS[spec.enum], [" New "], ["bogus"]
    else:
        good, odd, bad = GOOD[kind], ODD[kind], BAD[kind]
    roll = rng.random()
    if roll < (0.12 if hostile else 0.04):
        return ""
    if hostile and roll < 0.25 and bad:
        return rng.choice(bad)
    if roll < (0.45 if hostile else 0.07):
        return rng.choice(odd or good)
    return rng.choice(good)


def _file(kind: RecordKind, rows: int, seed: int, hostile: bool) -> str:
    rng = random.Random(seed)
    specs = field_specs(kind)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spec.label for spec in specs])
    for _ in range(rows):
        cells = [_cell(spec, rng, hostile) for spec in specs]
        roll = rng.random()
        if hostile and roll < 0.03:
            cells = [""] * len(cells) if roll < 0.015 else [" "] * len(cells)
        elif hostile and roll < 0.05:
            cells = cells[: rng.randrange(len(cells))]  # ragged: columns missing
        elif hostile and roll < 0.07:
            cells = [*cells, "", "  "] if roll < 0.06 else [*cells, "extra"]
        elif hostile and roll < 0.08:
            cells[rng.randrange(len(cells))] = "bell\x07"
        elif rng.random() < 0.05:  # no name at all (leads and customers need one)
            for index, spec in enumerate(specs):
                if spec.name in ("first_name", "last_name", "business_name", "full_name"):
                    cells[index] = ""
        writer.writerow(cells)
    return out.getvalue()


def _row_by_row(path: Path, kind: RecordKind, dialect: Dialect) -> Validation:
    """What the check gave before it read columns: RowChecker.check on each record."""
    mapping = auto_map(kind, next(iter(iter_records(path, dialect)))[1])
    result = Validation(kind, path, dialect, mapping)
    checker = RowChecker(kind, mapping, dialect.encoding)
    for row, cells in iter_records(path, dialect):
        if row == 1:
            continue
        joined = "".join(cells)
        if not joined or joined.isspace():
            result.blank_rows += 1
            continue
        outcome = checker.check(row, cells, joined)
        if isinstance(outcome, ParsedRow):
            result.rows.append(outcome)
        else:
            result.errors_by_row[row] = outcome
            result.invalid_cells[row] = cells
    return result


def _all_fields(record: object) -> dict[str, object]:
    names: list[str] = []
    for cls in type(record).__mro__:
        names.extend(getattr(cls, "__slots__", ()))
    return {name: getattr(record, name) for name in names if not name.startswith("__")}


def _same(ours: Validation, reference: Validation) -> None:
    assert [p.row for p in ours.rows] == [p.row for p in reference.rows]
    for mine, theirs in zip(ours.rows, reference.rows, strict=True):
        expected = _all_fields(theirs.record)
        got = _all_fields(mine.record)
        for name in ("created_at", "updated_at"):
            expected.pop(name), got.pop(name)
        assert type(mine.record) is type(theirs.record)
        assert got == expected, mine.row
        assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in expected.items()}
        assert (mine.filled, mine.link) == (theirs.filled, theirs.link), mine.row
    assert ours.errors == reference.errors
    assert list(ours.errors_by_row) == list(reference.errors_by_row)
    assert ours.invalid_cells == reference.invalid_cells
    assert list(ours.invalid_cells) == list(reference.invalid_cells)
    assert ours.blank_rows == reference.blank_rows


@pytest.mark.parametrize("kind", [RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY,
                                  RecordKind.TASK])  # fmt: skip
@pytest.mark.parametrize("hostile", [False, True])
@pytest.mark.parametrize("chunk", [7, 2000])
def test_columns_give_what_rows_give(
    kind: RecordKind, hostile: bool, chunk: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "in.csv"
    seed = list(RecordKind).index(kind) * 2 + hostile
    path.write_text(_file(kind, 400, seed, hostile), encoding="utf-8", newline="")
    dialect = Dialect()
    monkeypatch.setattr(validate, "_CHUNK", chunk)
    mapping = auto_map(kind, next(iter(iter_records(path, dialect)))[1])
    ours = validate_file(path, kind, dialect, mapping)
    reference = _row_by_row(path, kind, dialect)
    if hostile:
        assert reference.errors  # the file does hold bad rows
        assert reference.blank_rows
    assert len(reference.rows) > (50 if hostile else 300)
    _same(ours, reference)


def test_a_file_broken_in_a_later_chunk_is_named_at_its_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate, "_CHUNK", 5)
    path = tmp_path / "in.csv"
    lines = ["First Name,Last Name"] + [f"A{i},B" for i in range(12)] + ['C,"never closed', "D,E"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dialect = Dialect()
    mapping = auto_map(RecordKind.LEAD, ["First Name", "Last Name"])
    with pytest.raises(validate.CsvProblem) as raised:
        validate_file(path, RecordKind.LEAD, dialect, mapping)
    assert (raised.value.row, raised.value.column) == (14, "B")
