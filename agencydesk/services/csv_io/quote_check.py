"""A quote opened in a cell and never closed: the CSV reader then takes every following line, up
to the next quote or the end of the file, as the rest of that one cell, and says nothing (Python's
``csv`` reads on; only ``strict`` mode stops, and that would refuse legal files). Records taken
into a cell that way are lost to the import, so the file page flags the row that swallowed them.

A quoted cell may hold line breaks (a two-line address, a note): it is flagged only when a line
inside it looks like a whole record of its own (as many delimiters as the rows have between
their cells)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class UnclosedQuote:
    record: int  # index in the rows given (0 = the first)
    line: int  # the file's line (1-based) where that record starts
    column: int  # the cell (0-based) that swallowed what followed it
    lines_taken: int  # the lines read into that cell


def unclosed_quotes(rows: list[list[str]], delimiter: str) -> list[UnclosedQuote]:
    """The records among ``rows`` (as ``csv.reader`` read them from the file's start) whose cell
    swallowed later records after an unclosed quote."""
    width = max((len(row) for row in rows), default=0)
    if width < 3:  # two columns: a line with one comma is too ordinary to tell
        return []
    found: list[UnclosedQuote] = []
    line = 1
    for index, row in enumerate(rows):
        breaks = 0
        for column, cell in enumerate(row):
            inside = _LINE_BREAK.split(cell)
            breaks += len(inside) - 1
            if any(part.count(delimiter) >= width - 1 for part in inside[1:]):
                # (a cell that ran to the end of the file ends with that last line's break)
                taken = len(inside) - 1 - (inside[-1] == "")
                found.append(UnclosedQuote(index, line, column, taken))
        line += 1 + breaks
    return found
