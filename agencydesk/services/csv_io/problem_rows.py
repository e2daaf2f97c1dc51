"""The rows that cannot be imported, saved as a CSV the user can fix in a spreadsheet and import
again: the original header and cells, plus which row it was and what is wrong."""

from __future__ import annotations

import csv
from pathlib import Path

from agencydesk.services.csv_io.reader import undecodable_text
from agencydesk.services.csv_io.validate import Validation


def write_problem_rows(validation: Validation, path: Path) -> int:
    """Write every invalid row (fixed rows are no longer invalid); returns how many."""
    headers = list(validation.mapping.headers)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["Row", "Problems", *headers])
        for row in sorted(validation.invalid_cells):
            problems = "; ".join(str(error) for error in validation.errors_by_row.get(row, []))
            cells = validation.invalid_cells[row]
            safe = [undecodable_text(cell) for cell in cells]
            writer.writerow([row, problems, *safe])
    return len(validation.invalid_cells)
