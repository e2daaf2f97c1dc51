"""What can be wrong with a CSV, said the way a spreadsheet user finds it: row numbers as the
spreadsheet shows them (the first line is row 1) and columns by letter and header.
"""

from __future__ import annotations

from dataclasses import dataclass


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as spreadsheets name columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_name(index: int, header: str) -> str:
    letter = column_letter(index)
    return f"{letter} ({header})" if header and header != letter else letter


class CsvProblem(Exception):
    """The file as a whole cannot be read (empty, binary, unterminated quote, bad headers…).
    ``row``/``column`` point at where it starts, spreadsheet-numbered, when known."""

    def __init__(self, message: str, *, row: int | None = None, column: str = "") -> None:
        where = ", ".join(
            part
            for part in (f"row {row}" if row else "", f"column {column}" if column else "")
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message
        self.row = row
        self.column = column


class ImportCancelled(Exception):
    """The user pressed Cancel; nothing was written."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One cell (or one row, when ``column`` is empty) that cannot be imported."""

    row: int  # as the spreadsheet shows it: the header is row 1
    column: str  # "C (Email)", or "" for a whole-row problem
    value: str
    message: str
    index: int = -1  # 0-based column index, -1 for a whole-row problem

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"
