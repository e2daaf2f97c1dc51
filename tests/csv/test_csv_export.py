"""Export: the view (filter, sort) or the chosen rows, in the chosen form, formulas neutralised,
logged; and export then import gives back the same records."""

from __future__ import annotations

import csv
import threading
from datetime import date
from pathlib import Path

import pytest

from agencydesk.domain import (
    Customer,
    Lead,
    LeadStatus,
    Policy,
    PolicyStatus,
    RecordKind,
    Task,
    TaskKind,
    TaskStatus,
)
from agencydesk.profile import prepare_profile
from agencydesk.services.csv_io import ExportOptions, ImportCancelled, export_view, import_file
from agencydesk.services.csv_io.export import exportable_columns, view_columns
from agencydesk.services.csv_io.fields import LIST_EXTRAS
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.book_files import fresh_book


def read(path: Path, encoding: str = "utf-8-sig", delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.reader(stream, delimiter=delimiter))


def test_formula_cells_are_neutralised(csv_book: Book, tmp_path: Path) -> None:
    csv_book.save(Lead(first_name="=HYPERLINK(\"x\")", last_name="+1", business_name="-2",
                       source="@SUM(A1)", stage="\tx", pipeline="\rx", city="Plain"))  # fmt: skip
    columns = ("first_name", "last_name", "business_name", "source", "stage", "pipeline", "city")
    out = tmp_path / "leads.csv"
    export_view(csv_book, RecordKind.LEAD, out, ExportOptions(columns=columns))
    assert read(out)[1] == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx",
                            "Plain"]  # fmt: skip
    export_view(csv_book, RecordKind.LEAD, out,
                ExportOptions(columns=columns, neutralise_formulas=False))  # fmt: skip
    assert read(out)[1][0] == '=HYPERLINK("x")'


def test_utf8_with_bom_by_default_and_other_forms(csv_book: Book, tmp_path: Path) -> None:
    csv_book.save(Customer(first_name="Zoë", last_name="Müller", birth_date=date(1980, 3, 31)))
    out = tmp_path / "c.csv"
    export_view(csv_book, RecordKind.CUSTOMER, out,
                ExportOptions(columns=("first_name", "birth_date")))  # fmt: skip
    assert out.read_bytes().startswith(b"\xef\xbb\xbfFirst Name,Date of Birth\r\n")
    assert read(out)[1] == ["Zoë", "03/31/1980"]
    options = ExportOptions(("first_name", "birth_date"), ";", "cp1252", "%Y-%m-%d")
    export_view(csv_book, RecordKind.CUSTOMER, out, options)
    assert read(out, "cp1252", ";")[1] == ["Zoë", "1980-03-31"]


def test_characters_the_encoding_lacks_are_counted(csv_book: Book, tmp_path: Path) -> None:
    csv_book.save(Customer(first_name="Łukasz", last_name="Ng"))
    result = export_view(csv_book, RecordKind.CUSTOMER, tmp_path / "c.csv",
                         ExportOptions(("first_name",), encoding="cp1252"))  # fmt: skip
    assert result.replaced_characters == 1


def test_the_view_filter_and_sort_or_the_selection(csv_book: Book, tmp_path: Path) -> None:
    ids = csv_book.save_many([Lead(first_name=name, last_name="Lee" if name != "Cy" else "Day")
                              for name in ("Bob", "Ann", "Cy")])  # fmt: skip
    out = tmp_path / "l.csv"
    query = ListQuery(text="Lee", sort="first_name")
    export_view(csv_book, RecordKind.LEAD, out, ExportOptions(("first_name",)), query=query)
    assert read(out) == [["First Name"], ["Ann"], ["Bob"]]
    export_view(csv_book, RecordKind.LEAD, out, ExportOptions(("first_name",)),
                query=query, selected_ids=[ids[2], ids[0]])  # fmt: skip
    assert read(out) == [["First Name"], ["Cy"], ["Bob"]]


def test_each_export_is_logged(csv_book: Book, tmp_path: Path) -> None:
    csv_book.save(Task(title="Call Ann"))
    out = tmp_path / "t.csv"
    result = export_view(csv_book, RecordKind.TASK, out, ExportOptions(("title",)))
    (entry,) = csv_book.ledgers.exports()
    assert (entry.kind, entry.rows, entry.path) == (RecordKind.TASK, 1, str(out))
    assert result.log == entry


def test_cancelled_export_leaves_no_file(csv_book: Book, tmp_path: Path) -> None:
    csv_book.save_many([Task(title=f"T{i}") for i in range(2500)])
    cancel = threading.Event()
    cancel.set()
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(ImportCancelled):
        export_view(csv_book, RecordKind.TASK, folder / "t.csv", ExportOptions(("title",)),
                    cancel=cancel)  # fmt: skip
    assert list(folder.iterdir()) == []
    assert csv_book.ledgers.exports() == []


def test_tab_titles_become_export_columns() -> None:
    assert view_columns(RecordKind.POLICY, ["Policy #", "Insured", "Premium", "Msgs"]) == [
        "policy_number", "insured_name", "premium_cents"
    ]  # fmt: skip
    assert view_columns(RecordKind.TASK, ["Due", "title"]) == ["due_date", "title"]
    assert view_columns(RecordKind.THREAD, ["", "Channel", "Subject", "Msgs"]) == [
        "channel", "subject", "message_count"
    ]  # fmt: skip


SAMPLES = {
    RecordKind.LEAD: [
        Lead(first_name="Ann", last_name="O'Neil", email="ann@example.com", phone="+15125550101",
             street="1 Main St, Apt 2", city="Austin", state="TX", zip_code="07030",
             status=LeadStatus.QUOTED, pipeline="P&C", stage="Quoting", source="=web",
             producer="Pat", x_date=date(2026, 3, 1), quoted_premium_cents=123450,
             tags=("auto", "home")),
        Lead(business_name="Zeta \"Best\" LLC", phone="+442079460958", quoted_premium_cents=0),
    ],
    RecordKind.CUSTOMER: [
        Customer(first_name="Zoë", last_name="Müller", email="zoe@example.com",
                 birth_date=date(1980, 12, 31), household="H-1", customer_since=date(2020, 1, 2),
                 street="line one\nline two"),
    ],
    RecordKind.POLICY: [
        Policy(policy_number="-HO-1", insured_name="Ann Lee", carrier="Acme",
               line_of_business="Home", premium_cents=99, effective_date=date(2026, 1, 1),
               expiration_date=date(2027, 1, 1), status=PolicyStatus.CANCELLED, producer="Pat"),
    ],
    RecordKind.TASK: [
        Task(title="Call about renewal", task_kind=TaskKind.CALL, status=TaskStatus.DONE,
             due_date=date(2026, 2, 3), due_time="09:30", assignee="Sam", comments="@ noon"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("kind", list(SAMPLES))
@pytest.mark.parametrize("date_format", ["%m/%d/%Y", "%Y-%m-%d"])
def test_round_trip(
    csv_book: Book, tmp_path: Path, empty_cache: Path, kind: RecordKind, date_format: str
) -> None:
    csv_book.save_many(SAMPLES[kind])
    out = tmp_path / "out.csv"
    options = ExportOptions(tuple(exportable_columns(kind)), date_format=date_format)
    export_view(csv_book, kind, out, options)
    other = fresh_book(empty_cache, prepare_profile(tmp_path / "other").cache_path)
    try:
        report = import_file(other, out, kind)
        assert report.errors == []
        names = [name for name in exportable_columns(kind) if name not in LIST_EXTRAS]

        def values(book: Book) -> list[str]:  # order-free: the two books order ties differently
            items = book.iter_rows(kind, ListQuery())
            return sorted(repr([getattr(item.record, name) for name in names]) for item in items)

        assert values(other) == values(csv_book)
    finally:
        other.close()


def test_leads_customers_and_policies_export_where_each_row_is_held(
    csv_book: Book, tmp_path: Path
) -> None:
    from agencydesk.domain import Provenance

    at = {"AgencyZoom": ("agencyzoom", "AZ main"), "Lofty": ("lofty", "Lofty")}
    csv_book.save_many(
        Lead(first_name="Ann", last_name="Lee", email="ann@example.com",
             provenance=Provenance(vendor=vendor, account=account, remote_id="7"))
        for vendor, account in at.values()
    )  # fmt: skip
    csv_book.save(Lead(first_name="Bo", last_name="Diaz", email="bo@example.com"))
    csv_book.links.relink()  # as after a sync: the same person at two vendors is one row
    assert "held_in" in exportable_columns(RecordKind.CUSTOMER)
    assert "held_in" in exportable_columns(RecordKind.POLICY)
    out = tmp_path / "leads.csv"
    columns = ("first_name", "last_name", "held_in")
    export_view(csv_book, RecordKind.LEAD, out, ExportOptions(columns=columns), query=ListQuery())
    header, *rows = read(out)
    assert header == ["First Name", "Last Name", "Held in"]
    assert sorted(rows) == [["Ann", "Lee", "AgencyZoom · Lofty"], ["Bo", "Diaz", "This device"]]
    assert view_columns(RecordKind.LEAD, ["Name", "Held in"])[-1] == "held_in"


def test_cells_are_written_the_way_people_read_them(csv_book: Book, tmp_path: Path) -> None:
    """Stored values (written straight from the rows, no record built) as a person reads them:
    phones as dialled, money as a plain decimal, dates and times in the chosen form, tags joined,
    flags as yes/no."""
    from datetime import UTC, datetime

    from agencydesk.domain import Thread

    csv_book.save_many([
        Lead(first_name="Ann", phone="+15125550101", quoted_premium_cents=123456,
             x_date=date(2026, 3, 31), tags=("auto", "home, condo")),
        Lead(first_name="Bea", phone="+442079460958", quoted_premium_cents=-500),
    ])  # fmt: skip
    out = tmp_path / "leads.csv"
    columns = ("first_name", "phone", "quoted_premium_cents", "x_date", "tags")
    export_view(csv_book, RecordKind.LEAD, out, ExportOptions(columns), query=ListQuery(sort="id"))
    assert read(out)[1:] == [
        ["Ann", "(512) 555-0101", "1234.56", "03/31/2026", 'auto; "home, condo"'],
        ["Bea", "'+44 20 7946 0958", "'-5.00", "", ""],  # a leading + or - is guarded
    ]
    csv_book.save(Thread(subject="Renewal", unread=True,
                         last_message_at=datetime(2026, 3, 31, 14, 5, tzinfo=UTC)))  # fmt: skip
    columns = ("subject", "unread", "last_message_at")
    export_view(csv_book, RecordKind.THREAD, out, ExportOptions(columns, date_format="%Y-%m-%d"))
    assert read(out)[1] == ["Renewal", "yes", "2026-03-31 14:05"]


def test_a_phone_column_of_us_numbers_is_written_as_dialled_in_one_pass(
    csv_book: Book, tmp_path: Path
) -> None:
    """A batch whose phones are all US numbers (or empty) is formatted a column at a time; one
    number the shortcut does not cover (an extension) sends the batch the careful way, with the
    same cells."""
    csv_book.save_many([Lead(first_name="Ann", phone="+15125550101"),
                        Lead(first_name="Cy", phone=""),
                        Lead(first_name="Dee", phone="+12145550199")])  # fmt: skip
    out = tmp_path / "leads.csv"
    columns = ("first_name", "phone")
    export_view(csv_book, RecordKind.LEAD, out, ExportOptions(columns), query=ListQuery(sort="id"))
    us_only = [["Ann", "(512) 555-0101"], ["Cy", ""], ["Dee", "(214) 555-0199"]]
    assert read(out)[1:] == us_only
    csv_book.save(Lead(first_name="Eve", phone="+15125550102 x22"))
    export_view(csv_book, RecordKind.LEAD, out, ExportOptions(columns), query=ListQuery(sort="id"))
    assert read(out)[1:] == [*us_only, ["Eve", "(512) 555-0102 x22"]]


#: +1 numbers the app shows in two forms: US ones (a toll-free one too) as "(512) 555-0123",
#: Canadian and Caribbean ones as "+1 416-555-0123" (format_phone: the US form only for a
#: number whose region is the US).
PLUS_ONE = {
    "+15125550101": "(512) 555-0101",
    "+18005550123": "(800) 555-0123",
    "+14165550123": "'+1 416-555-0123",  # Toronto; the leading + is guarded like any other
    "+16045550188": "'+1 604-555-0188",  # Vancouver
    "+18765550123": "'+1 876-555-0123",  # Jamaica
}


@pytest.mark.parametrize("with_other", [False, True], ids=["all +1", "with a UK number"])
def test_plus_one_numbers_are_written_as_the_app_shows_them_and_read_back(
    csv_book: Book, tmp_path: Path, empty_cache: Path, with_other: bool
) -> None:
    """A Canadian or Caribbean number is not written as a US one: the cell is what the Leads
    grid shows, whether the batch takes the column-at-a-time way (all +1) or the careful one
    (another country's number in it). Importing the file gives back every stored number."""
    from agencydesk.domain.validation import format_phone

    numbers = [*PLUS_ONE, *(["+442079460958"] if with_other else [])]
    csv_book.save_many(Lead(first_name=f"P{i}", phone=n) for i, n in enumerate(numbers))
    out = tmp_path / "leads.csv"
    columns = ("first_name", "phone")
    export_view(csv_book, RecordKind.LEAD, out, ExportOptions(columns), query=ListQuery(sort="id"))
    cells = [phone for _name, phone in read(out)[1:]]
    assert cells[: len(PLUS_ONE)] == list(PLUS_ONE.values())
    assert [cell.removeprefix("'") for cell in cells] == [format_phone(n) for n in numbers]
    other = fresh_book(empty_cache, prepare_profile(tmp_path / "other").cache_path)
    try:
        assert import_file(other, out, RecordKind.LEAD).errors == []
        read_back = {
            i.record.first_name: i.record.phone
            for i in other.iter_rows(RecordKind.LEAD, ListQuery())
        }
        assert read_back == {f"P{i}": n for i, n in enumerate(numbers)}
        # A file written before (a Canadian number in the US form) still reads the same number.
        out.write_text("First Name,Phone\nOld,(416) 555-0123\nNew,+1 416-555-0123\n")
        assert import_file(other, out, RecordKind.LEAD).errors == []
        phones = {
            i.record.first_name: i.record.phone
            for i in other.iter_rows(RecordKind.LEAD, ListQuery())
        }
        assert phones["Old"] == phones["New"] == "+14165550123"
    finally:
        other.close()
