"""Columns of cells to CSV text, the same characters ``csv.writer(out, delimiter=d,
lineterminator="\\r\\n")`` writes for those rows (minimal quoting, quotes doubled), a column at a
time rather than a cell at a time.

Why not csv.writer itself: it looks at every character of every cell, one row call at a time, and
was a third of a 100,000-row export (bench/bench_csv.py). The export already joins each column of
a batch once for its formula check; the same text tells, with str's own C search, whether any
cell of the column holds one of the four characters that make csv.writer quote a cell (the
delimiter, a double quote, CR or LF: ``_csv.c`` ``join_append_data`` with QUOTE_MINIMAL and this
line end). Only cells that do are quoted, and each row is joined with the delimiter in one call.
tests/csv/test_csv_text.py compares the two on hostile cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

LINE_END = "\r\n"
_SEPARATOR = "\x00"  # between a column's cells in its joined text (never a delimiter)


def as_texts(cells: Sequence[Any]) -> list[str]:
    """Each cell as csv.writer writes it: None as an empty cell, text as it is, anything else
    through ``str`` (csv.writer's ``repr`` of a float is the same text)."""
    return ["" if cell is None else cell if type(cell) is str else str(cell) for cell in cells]


class ColumnQuoting:
    """Quotes the cells of a column that csv.writer would quote, given the column's joined text
    (``"\\x00".join(cells)``, which the caller has already made)."""

    def __init__(self, delimiter: str) -> None:
        if len(delimiter) != 1 or delimiter in '"\r\n' + _SEPARATOR:
            raise ValueError(f"not a CSV delimiter: {delimiter!r}")
        self.delimiter = delimiter
        self._triggers = (delimiter, '"', "\r", "\n")
        self._needs_quotes = re.compile("[" + re.escape(delimiter) + '"\r\n]').search

    def column(self, texts: Sequence[str], joined: str) -> Sequence[str]:
        if not any(trigger in joined for trigger in self._triggers):  # the usual column
            return texts
        needs = self._needs_quotes
        return ['"' + text.replace('"', '""') + '"' if needs(text) else text for text in texts]

    def rows(self, columns: Sequence[Sequence[str]]) -> str:
        """The rows of these columns (each already through ``column``), every one ended with
        CR LF. A row of one empty cell is written ``""``, as csv.writer does, so that it is a
        row and not a blank line."""
        if len(columns) == 1:
            lines: list[str] = [text or '""' for text in columns[0]]
        else:
            lines = list(map(self.delimiter.join, zip(*columns, strict=True)))
        if not lines:
            return ""
        lines.append("")
        return LINE_END.join(lines)


def joined(texts: Sequence[str]) -> str:
    return _SEPARATOR.join(texts)
