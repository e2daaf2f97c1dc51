"""The full list of a file's problems, as a CSV beside the profile's logs: a terminal shows a
summary and the first errors, a 30,000-row file of mistakes is read in a spreadsheet."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from agencydesk.services.csv_io.problems import RowError
from agencydesk.services.csv_io.reader import undecodable_text
from agencydesk.services.csv_io.validate import FORMULA_TRIGGERS

#: Errors printed before the summary points to the file.
SHOWN_ERRORS = 50


def error_list_path(folder: Path, source: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return folder / f"{source.stem}-errors-{stamp}.csv"


def write_error_list(path: Path, errors: Sequence[RowError]) -> None:
    """Row, Column, Value, Problem for every error; a value a spreadsheet would run as a formula
    gets the export's leading apostrophe."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["Row", "Column", "Value", "Problem"])
        for error in errors:
            value = undecodable_text(error.value)
            if value.startswith(FORMULA_TRIGGERS):
                value = "'" + value
            writer.writerow([error.row, error.column, value, error.message])


def summarise(errors: Sequence[RowError]) -> str:
    """'31,204 errors in 30,000 rows; most often: column C (Email) 30,000, column E (ZIP) 1,204'."""
    rows = len({error.row for error in errors})
    by_column = Counter(error.column or "whole row" for error in errors).most_common(3)
    common = ", ".join(
        f"{'column ' if column != 'whole row' else ''}{column} {count:,}"
        for column, count in by_column
    )
    return (
        f"{len(errors):,} error{'s' if len(errors) != 1 else ''} in {rows:,} "
        f"row{'s' if rows != 1 else ''}; most often: {common}"
    )
