"""``agencydesk import FILE`` without --tab (issue 12's headless ``--into LABEL``): the tab is
read from the file's header when only one tab fits it, among those the --into account takes;
when several fit as well, nothing is imported and the message names them."""

from __future__ import annotations

from pathlib import Path

import pytest

from agencydesk.cli import main
from agencydesk.domain import RecordKind
from agencydesk.profile import prepare_profile
from agencydesk.services.csv_io.export import exportable_columns
from agencydesk.services.csv_io.fields import label_of
from agencydesk.services.csv_io.kind_guess import guess_kind
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.store.queries import ListQuery
from tests.csv.conftest import WriteCsv

PEOPLE = "First Name,Last Name,Email\nAnn,Lee,ann@example.com\n"
LEADS = "First Name,Last Name,Email,Pipeline,Stage\nAnn,Lee,ann@example.com,Personal,New\n"
POLICIES = "Policy Number,Carrier,Line of Business,Premium\nHO-1,Acme,Home,1200\n"


def count(profile: Path, kind: RecordKind) -> int:
    book = Book.open(prepare_profile(profile).cache_path)
    try:
        return book.count(kind, ListQuery(every_record=True))
    finally:
        book.close()


@pytest.mark.parametrize(
    ("text", "tab", "kind"), [(LEADS, "leads", RecordKind.LEAD), (POLICIES, "policies", None)]
)
def test_the_tab_is_read_from_an_unambiguous_header(
    profile_dir: Path,
    write_csv: WriteCsv,
    capsys: pytest.CaptureFixture[str],
    text: str,
    tab: str,
    kind: RecordKind | None,
) -> None:
    code = main(["import", "--profile", str(profile_dir), str(write_csv(text)), "--dry-run"])
    out = capsys.readouterr().out
    assert out.startswith(f"in.csv: importing as {tab} (its header fills ")
    assert code in (0, 1)  # read as that tab (its rows' own checks are another matter)
    if kind is not None:
        assert main(["import", "--profile", str(profile_dir), str(write_csv(text))]) == 0
        assert count(profile_dir, kind) == 1


def test_a_header_two_tabs_fit_imports_nothing_and_names_them(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "--profile", str(profile_dir), str(write_csv(PEOPLE))]) == 2
    err = capsys.readouterr().err
    assert (
        "in.csv: its header (First Name, Last Name, Email) fits leads and customers equally: "
        "say which with --tab leads or --tab customers." in err
    )
    assert "Nothing was imported." in err
    assert count(profile_dir, RecordKind.LEAD) + count(profile_dir, RecordKind.CUSTOMER) == 0


def test_a_header_no_tab_fits_says_what_is_missing(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv("Colour,Size\nred,L\n")
    assert main(["import", "--profile", str(profile_dir), str(path)]) == 2
    err = capsys.readouterr().err
    assert "its header (Colour, Size) has none of the columns a tab needs" in err
    assert "--tab leads or --tab customers or --tab policies or --tab tasks" in err


def test_into_an_account_only_its_tabs_are_candidates(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    """Lofty takes leads, not customers: a names-and-emails file into Lofty is leads."""
    book = Book.open(prepare_profile(profile_dir).cache_path)
    book.ledgers.save_account(AccountRow("Lofty team", "lofty", "https://api.lofty.com"))
    book.close()
    path = str(write_csv(PEOPLE))
    args = ["import", "--profile", str(profile_dir), path, "--into", "Lofty team", "--dry-run"]
    main(args)
    out = capsys.readouterr().out
    assert out.startswith("in.csv: importing as leads (its header fills 3 leads fields)")
    assert "Dry run: nothing was queued or sent." in out


@pytest.mark.parametrize(
    "kind", [RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY, RecordKind.TASK]
)
def test_each_tabs_own_export_is_read_back_as_that_tab(
    kind: RecordKind, write_csv: WriteCsv
) -> None:
    headers = [label_of(kind, name) for name in exportable_columns(kind)]
    path = write_csv(",".join(headers) + "\n")
    assert guess_kind(path).kind is kind
