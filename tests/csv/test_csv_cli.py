"""``agencydesk import`` / ``agencydesk export``: counts and errors printed, exit codes, nothing
written for a file with invalid rows unless --skip-invalid."""

from __future__ import annotations

from pathlib import Path

import pytest

from agencydesk.cli import main
from agencydesk.domain import RecordKind
from agencydesk.profile import prepare_profile
from agencydesk.services.csv_io.presets import PresetStore
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.csv.conftest import WriteCsv

GOOD = "First Name,Last Name,Email\nAnn,Lee,ann@example.com\nBob,Ray,bob@example.com\n"
BAD = GOOD + "Cy,Day,cy-at-example\n"


def count(profile: Path, kind: RecordKind) -> int:
    book = Book.open(prepare_profile(profile).cache_path)
    try:
        return book.count(kind, ListQuery(every_record=True))  # duplicates made on purpose too
    finally:
        book.close()


def test_import_prints_counts(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(GOOD)
    assert main(["import", "--profile", str(profile_dir), "--tab", "leads", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "created 2, updated 0, skipped 0, errors 0"
    assert main(["import", "--profile", str(profile_dir), "--tab", "leads", str(path)]) == 0
    assert "created 0, updated 2" in capsys.readouterr().out
    assert count(profile_dir, RecordKind.LEAD) == 2


def test_invalid_rows_import_nothing_and_fail(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["import", "--profile", str(profile_dir), "--tab", "leads", str(write_csv(BAD))]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert (
        "in.csv: row 4, column C (Email): 'cy-at-example' is not an email address" in captured.out
    )
    assert "created 0, updated 0, skipped 0, errors 1" in captured.out
    assert "Nothing was imported" in captured.err
    assert count(profile_dir, RecordKind.LEAD) == 0
    assert main([*args, "--skip-invalid"]) == 0
    assert "created 2, updated 0, skipped 1, errors 1" in capsys.readouterr().out
    assert count(profile_dir, RecordKind.LEAD) == 2


def test_unreadable_file_names_row_and_column(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv('First Name,Email\nAnn,"ann@example.com\n')
    assert main(["import", "--profile", str(profile_dir), "--tab", "leads", str(path)]) == 2
    assert "row 2, column B: a quote" in capsys.readouterr().err


def test_dry_run_and_duplicate_options(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write_csv(GOOD))
    base = ["import", "--profile", str(profile_dir), "--tab", "customers", path]
    assert main([*base, "--dry-run"]) == 0
    assert "(dry run: nothing written)" in capsys.readouterr().out
    assert count(profile_dir, RecordKind.CUSTOMER) == 0
    assert main(base) == 0
    assert main([*base, "--on-duplicate", "skip"]) == 0
    assert "created 0, updated 0, skipped 2" in capsys.readouterr().out.splitlines()[-1]
    assert main([*base, "--on-duplicate", "create", "--match", "email"]) == 0
    assert count(profile_dir, RecordKind.CUSTOMER) == 4


def test_preset_maps_unknown_headers(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    PresetStore.in_profile(profile_dir).save(
        RecordKind.POLICY, "Carrier X", {"Contrat": "policy_number", "Assureur": "carrier"}
    )
    path = write_csv("Contrat,Assureur\nC-1,Acme\n")
    args = ["import", "--profile", str(profile_dir), "--tab", "policies", str(path)]
    assert main(args) == 2  # without the preset there is no policy number column
    assert main([*args, "--preset", "Carrier X"]) == 0
    assert count(profile_dir, RecordKind.POLICY) == 1


def test_export(profile_dir: Path, write_csv: WriteCsv, tmp_path: Path) -> None:
    main(["import", "--profile", str(profile_dir), "--tab", "leads", str(write_csv(GOOD))])
    out = tmp_path / "out.csv"
    args = ["export", "--profile", str(profile_dir), "--tab", "leads", "--out", str(out)]
    assert main([*args, "--filter", "Ray"]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("First Name,Last Name,Business Name,Email")
    assert [line.split(",")[0] for line in lines[1:]] == ["Bob"]


def test_global_profile_option_is_kept(profile_dir: Path, write_csv: WriteCsv) -> None:
    path = str(write_csv(GOOD))
    assert main(["--profile", str(profile_dir), "import", "--tab", "leads", path]) == 0
    assert count(profile_dir, RecordKind.LEAD) == 2


def test_export_threads(profile_dir: Path, tmp_path: Path) -> None:
    from agencydesk.domain import Channel, Thread

    book = Book.open(prepare_profile(profile_dir).cache_path)
    try:
        book.save(Thread(channel=Channel.EMAIL, subject="=renewal", counterpart="Ann"))
    finally:
        book.close()
    out = tmp_path / "threads.csv"
    args = ["export", "--profile", str(profile_dir), "--tab", "threads", "--out", str(out)]
    assert main(args) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Channel,Subject,Counterpart")
    assert lines[1].startswith("email,'=renewal,Ann")


def test_threads_cannot_be_imported(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--profile", str(profile_dir), "--tab", "threads", str(write_csv(GOOD))])
    assert "invalid choice: 'threads'" in capsys.readouterr().err
