"""Recognise what a file is before reading it: kind, encoding, delimiter, header row.

Everything detected here can be overridden by the user (``ReadOptions``).
Real exports put title rows above the header (SnelStart: row 6), write
Windows-1252 or UTF-8 with a BOM, and call a tab-separated file ``.csv``.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

from portfolio.config import column_synonyms, thresholds
from portfolio.errors import InputError
from portfolio.ingest.columns import normalize_header, split_normalized_year

DELIMITERS = (";", ",", "\t", "|")
SAMPLE_BYTES = 256 * 1024
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # encrypted (password) xlsx and old .xls are OLE containers
_PARQUET_MAGIC = b"PAR1"
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in b"\r\n\t")


@dataclass(frozen=True)
class ReadOptions:
    """What the user chose to override; ``None`` means: detect."""

    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None  # 1-based row number of the header as the user sees it
    sheet: str | None = None
    decimal: dict[str, str] | None = None  # field -> "comma" | "point"
    date_format: dict[str, str] | None = None  # field -> strptime format or "excel"
    mapping: dict[str, str | None] | None = None  # field -> header


FileKind = Literal["csv", "xlsx", "parquet"]  # what a file is, judged by its bytes


def file_kind(path: Path) -> FileKind:
    """ "csv", "xlsx" or "parquet", judged by the bytes, not the name."""
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    if not head.strip():
        raise InputError("file_empty", file=path.name)
    if head.startswith(_XLSX_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        raise InputError("file_password_or_xls", file=path.name)
    if head.startswith(_PARQUET_MAGIC):
        return "parquet"
    if detect_encoding(head) is None:
        raise InputError("file_binary", file=path.name)
    return "csv"


def detect_encoding(head: bytes) -> str | None:
    """The encoding of a text file from its first bytes; ``None`` for binary content."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # control characters other than line ends and tabs: cp1252 maps bytes below 32 to
    # themselves, so they are counted on the bytes (translate runs in C, a loop did not)
    control = len(head.translate(None, _NOT_CONTROL))
    return None if control > len(head) // 100 else "cp1252"


def read_text_head(path: Path, encoding: str, max_lines: int = 200) -> list[str]:
    """The first lines of a text file, decoded."""
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        text = fh.read(SAMPLE_BYTES)
    lines = text.splitlines()
    if len(text) >= SAMPLE_BYTES and lines:
        lines = lines[:-1]  # the last line may be cut in half
    return lines[:max_lines]


def detect_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most lines into the same number (>1) of fields."""
    best, best_score = ";", (-1, 0)
    for delim in DELIMITERS:
        counts = [len(row) for row in split_lines(lines, delim)]
        counts = [c for c in counts if c > 1]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode), mode)
        if score > best_score:
            best, best_score = delim, score
    return best


def header_score(cells: list[str], shape: str) -> int:
    """How many cells look like a known header for ``shape``."""
    synonyms = getattr(column_synonyms(), shape)
    known = {name for names in synonyms.values() for name in names}
    score = 0
    for cell in cells:
        normalized = normalize_header(cell)
        base, year = split_normalized_year(normalized)
        if normalized in known or (year is not None and (base in known or base == "")):
            score += 1
    return score


def detect_header_row(rows: list[list[str]], shape: str) -> int:
    """0-based index of the header among ``rows``: the row with the most known headers."""
    limit = thresholds().ingest.header_search_lines
    scores = [header_score(row, shape) for row in rows[:limit]]
    if not scores or max(scores) == 0:
        return 0
    return scores.index(max(scores))


def split_lines(lines: list[str], delimiter: str) -> list[list[str]]:
    """The fields of ``lines``, quotes respected (a quoted cell may span lines)."""
    try:
        return list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    except csv.Error:  # a field over the csv module's limit (128 KiB), often an open quote
        return [split_line(line, delimiter) for line in lines]


def split_line(line: str, delimiter: str) -> list[str]:
    """The fields of one line; a field too large for the csv module is split plainly (such a
    row is rejected anyway: the point is to show it, not to fail on it)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.rstrip("\r\n").split(delimiter)


def check_options(con, options: ReadOptions) -> None:
    """Raise ``InputError`` for an override that cannot be used (one line, naming the value):
    an unknown encoding, a delimiter that is not one character, a decimal sign or a date
    format that does not exist or belongs to no number or date field."""
    from portfolio.ingest.columns import DATE_FIELDS, NUMBER_FIELDS

    if options.encoding is not None:
        try:
            known = codecs.lookup(options.encoding)._is_text_encoding
        except LookupError:
            known = False
        if not known:
            raise InputError("encoding_unknown", encoding=options.encoding)
    if options.delimiter is not None and (
        len(options.delimiter) != 1 or options.delimiter in '"\r\n'
    ):
        raise InputError("delimiter_invalid", delimiter=options.delimiter)
    for field, style in (options.decimal or {}).items():
        if field not in NUMBER_FIELDS:
            raise InputError(
                "decimal_not_number", field=field, fields=", ".join(sorted(NUMBER_FIELDS))
            )
        if style not in ("comma", "point"):
            raise InputError("decimal_invalid", field=field, value=style)
    for field, fmt in (options.date_format or {}).items():
        if field not in DATE_FIELDS:
            raise InputError(
                "date_format_not_date", field=field, fields=", ".join(sorted(DATE_FIELDS))
            )
        _check_date_format(con, field, fmt)


def _check_date_format(con, field: str, fmt: str) -> None:
    if fmt == "excel":
        return
    try:  # DuckDB's strptime parses the dates: it decides which codes a format may hold
        con.execute("SELECT try_strptime('01-01-2025', ?)", [fmt]).fetchall()
    except duckdb.Error as exc:
        raise InputError("date_format_invalid", field=field, value=fmt) from exc
