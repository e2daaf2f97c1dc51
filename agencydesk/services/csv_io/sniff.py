"""Looking at a file before reading it: encoding, delimiter, header row. Every guess is only a
default the user can override in the dialog or on the command line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from agencydesk.services.csv_io.problems import CsvProblem, column_letter
from agencydesk.services.csv_io.synonyms import normalise_header

SAMPLE_BYTES = 256 * 1024
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "Comma", ";": "Semicolon", "\t": "Tab", "|": "Pipe"}
#: What the dialog offers; Python codec names.
ENCODINGS = ("utf-8-sig", "utf-8", "utf-16", "utf-32", "cp1252", "latin-1")
ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 (with BOM)",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 (little-endian, no BOM)",
    "utf-16-be": "UTF-16 (big-endian, no BOM)",
    "utf-32": "UTF-32",
    "utf-32-le": "UTF-32 (little-endian, no BOM)",
    "utf-32-be": "UTF-32 (big-endian, no BOM)",
    "cp1252": "Windows-1252 (Western)",
    "latin-1": "ISO-8859-1 (Latin-1)",
}
_CHUNK = 1 << 20
# A valid multi-byte UTF-8 sequence: its presence next to invalid bytes means mixed encodings.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
_EXCEL_SEP = re.compile(r"\ufeff?sep=([,;\t|])\r?\n", re.IGNORECASE)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
# How binary files people pick by mistake begin: a workbook (xlsx/zip, old xls), PDF, images.
_BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")


@dataclass(frozen=True, slots=True)
class Dialect:
    """How to read one file; ``header_row`` is a 0-based record index, ``None`` = no header."""

    encoding: str = "utf-8"
    delimiter: str = ","
    header_row: int | None = 0
    mixed_encoding: bool = False  # some bytes are not in ``encoding``: report them per cell


@dataclass(frozen=True, slots=True)
class Sniffed:
    dialect: Dialect
    preview: list[list[str]] = field(default_factory=list)  # first records as read (raw)


def _is_utf32_without_bom(sample: bytes) -> str | None:
    """ASCII-heavy UTF-32 has three NULs in every four bytes, the character in the first (LE) or
    last (BE) of them."""
    quarter = max(1, len(sample) // 4)
    lanes = [sample[i::4].count(0) for i in range(4)]
    if lanes[1] > quarter * 0.9 and lanes[2] > quarter * 0.9 and lanes[3] > quarter * 0.9:
        return "utf-32-le"
    if lanes[0] > quarter * 0.9 and lanes[1] > quarter * 0.9 and lanes[2] > quarter * 0.9:
        return "utf-32-be"
    return None


def _is_utf16_without_bom(sample: bytes) -> str | None:
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def _row_and_column_of(sample: bytes, offset: int) -> tuple[int, int]:
    head = sample[:offset]
    row = head.count(b"\n") + 1
    return row, offset - (head.rfind(b"\n") + 1) + 1


def require_file(path: Path) -> None:
    """Raise CsvProblem unless ``path`` is a file that can be opened: a folder, a missing file
    and an unreadable one each say so."""
    if path.is_dir():
        raise CsvProblem(f"{path} is a folder, not a CSV file. Choose the .csv file inside it.")
    if not path.exists():
        raise CsvProblem(f"{path}: no such file.")
    if not path.is_file():
        raise CsvProblem(f"{path} is not a regular file (a device or a pipe?). Choose a .csv file.")
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise CsvProblem(f"{path} cannot be read: {error.strerror or error}.") from None


def _looks_binary(sample: bytes) -> bool:
    """A workbook, PDF or image, or more control bytes than a text file with a few stray ones
    (those are reported cell by cell, with their row and column)."""
    if sample.startswith(_BINARY_MAGIC):
        return True
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)


def detect_encoding(path: Path) -> tuple[str, bool]:
    """(codec, mixed) for ``path``. Raises CsvProblem for empty and binary files."""
    size = path.stat().st_size
    if size == 0:
        raise CsvProblem("The file is empty: there is no header row.", row=1)
    with path.open("rb") as stream:
        sample = stream.read(SAMPLE_BYTES)
    # UTF-32 LE's BOM starts with UTF-16 LE's: test it first.
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", False
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False
    if b"\x00" in sample:
        wide = _is_utf32_without_bom(sample) or _is_utf16_without_bom(sample)
        if wide is not None:
            return wide, False
    if _looks_binary(sample):
        control = _CONTROL.search(sample)
        offset = control.start() if control is not None else 0
        row, col = _row_and_column_of(sample, offset)
        raise CsvProblem(
            f"This is not a text file (byte 0x{sample[offset]:02x} at line {row}, character "
            f"{col}): a workbook, PDF or other binary file. Save the spreadsheet as CSV and try "
            "again.",
            row=row,
        )
    utf8_ok, has_multibyte = _scan_utf8(path)
    if utf8_ok:
        return "utf-8", False
    if has_multibyte:
        return "utf-8", True  # UTF-8 text with some rows in another encoding
    best = charset_normalizer.from_bytes(
        sample, cp_isolation=["cp1252", "latin_1", "mac_roman"]
    ).best()
    encoding = best.encoding if best is not None else "cp1252"
    return ("cp1252" if encoding in {"latin_1", "iso8859_1"} else encoding), False


def _scan_utf8(path: Path) -> tuple[bool, bool]:
    """(whole file is UTF-8, file contains UTF-8 multi-byte sequences) in one streaming pass."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    ok = True
    multibyte = False
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            if ok:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    ok = False
            if not multibyte and _UTF8_MULTIBYTE.search(chunk):
                multibyte = True
            if not ok and multibyte:
                break
    if ok:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            ok = False
    return ok, multibyte


def read_sample(path: Path, encoding: str, limit: int = SAMPLE_BYTES) -> str:
    with path.open("rb") as stream:
        raw = stream.read(limit)
    text = raw.decode(encoding, errors="replace")
    if len(raw) == limit:  # drop the partial last line (CR-only files end lines with \r)
        text = text[: max(text.rfind("\n"), text.rfind("\r")) + 1] or text
    return text


def detect_delimiter(sample: str) -> str:
    """The candidate that splits the first lines into the most, most consistent columns; or the
    one Excel names on a first line "sep=;" (it writes that line for non-comma locales)."""
    hint = _EXCEL_SEP.match(sample)
    if hint is not None:
        return hint.group(1)
    best, best_score = ",", -1.0
    for delimiter in DELIMITERS:
        counts = [len(row) for row in _records(sample, delimiter, 50)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = counts.count(mode) / len(counts) * 100 + mode
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _records(sample: str, delimiter: str, limit: int) -> list[list[str]]:
    # newline="": records end at \n, \r\n or a lone \r (old Mac and some exports), as the reader
    # of the whole file sees them.
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows


def detect_header_row(rows: list[list[str]], known_headers: set[str]) -> int | None:
    """The first of the first ten rows whose cells mostly name known fields; else the first row
    that is mostly words (not numbers, dates or emails); ``None`` when nothing looks like one."""
    candidates = rows[:10]
    for index, row in enumerate(candidates):
        known = sum(1 for cell in row if normalise_header(cell) in known_headers)
        if known >= 2 or (known == 1 and len([c for c in row if c.strip()]) <= 2):
            return index
    for index, row in enumerate(candidates):
        cells = [cell.strip() for cell in row if cell.strip()]
        if len(cells) >= 2 and all(_looks_like_a_header(cell) for cell in cells):
            return index
    return None


def _looks_like_a_header(cell: str) -> bool:
    """Words, maybe with digits ("Address 2", "2024 Premium"); not an email, date or number."""
    return any(ch.isalpha() for ch in cell) and "@" not in cell and len(cell) <= 60


def sniff(path: Path, known_headers: set[str], override: Dialect | None = None) -> Sniffed:
    """Guess how to read ``path`` (or apply ``override``) and return the first rows as read."""
    require_file(path)
    if override is None:
        encoding, mixed = detect_encoding(path)
        sample = read_sample(path, encoding)
        delimiter = detect_delimiter(sample)
        rows = _records(sample, delimiter, 30)
        dialect = Dialect(encoding, delimiter, detect_header_row(rows, known_headers), mixed)
    else:
        dialect = override
        rows = _records(read_sample(path, dialect.encoding), dialect.delimiter, 30)
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise CsvProblem("The file has no rows with any text in them.", row=1)
    return Sniffed(dialect, rows)


def describe(dialect: Dialect) -> str:
    header = (
        "no header row" if dialect.header_row is None else f"header on row {dialect.header_row + 1}"
    )
    return (
        f"{ENCODING_NAMES.get(dialect.encoding, dialect.encoding)}, "
        f"{DELIMITER_NAMES.get(dialect.delimiter, repr(dialect.delimiter))}-separated, {header}"
    )


__all__ = ["Dialect", "Sniffed", "column_letter", "describe", "require_file", "sniff"]
