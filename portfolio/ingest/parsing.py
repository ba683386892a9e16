"""Numbers and dates as exports write them: detection on a sample, parsing in DuckDB SQL.

Decided per column, not per file (real exports: one file can hold ``1.234,56``
and ``1234.56``). A value that does not fit the column's format is rejected,
never guessed: ``1,234.56`` in a decimal-comma column would otherwise become
1.23456.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from portfolio.db import literal
from portfolio.ingest.columns import DATE_FIELDS, NUMBER_FIELDS

COMMA, POINT = "comma", "point"

# After removing currency signs and spaces; sign handled separately.
_NUMBER_PATTERNS = {
    COMMA: r"\d{1,3}(\.\d{3})+(,\d+)?|\d+(,\d+)?|,\d+",
    POINT: r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?([eE][-+]?\d+)?|\.\d+",
}
_NUMBER_RE = {style: re.compile(f"^(?:{p})$") for style, p in _NUMBER_PATTERNS.items()}
_STRIP_RE = re.compile(r"[€\s\u00a0]|EUR")
# the same for many values at once, one per line: a value's sign, parentheses and trailing
# minus as ``clean_number_text`` takes them, matched in C over the whole sample
_STRIP_LINES_RE = re.compile(r"[€\t\r\f\v \u00a0]|EUR")
_NUMBER_LINE_RE = {
    style: re.compile(rf"^(?:\([-+]?-*(?:{p})-?\)|[-+]?-*(?:{p})-?)$", re.MULTILINE)
    for style, p in _NUMBER_PATTERNS.items()
}

# Candidate date formats, Dutch/Flemish first: an ambiguous 03-04-2025 is 3 April.
DATE_FORMATS = (
    "%d-%m-%Y",
    "%d-%m-%y",
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%Y%m%d",
    "%m/%d/%Y",
    "excel",
)
_FORMAT_RE = {
    "%d": r"(0?[1-9]|[12]\d|3[01])",
    "%m": r"(0?[1-9]|1[0-2])",
    "%Y": r"(19|20)\d\d",
    "%y": r"\d\d",
    "%H": r"\d\d",
    "%M": r"\d\d",
    "%S": r"\d\d",
}
EXCEL_EPOCH = "1899-12-30"  # Excel's day 0 (it counts the non-existent 29-02-1900)


@dataclass(frozen=True)
class TypedRead:
    """Columns a reader typed itself (DuckDB's CSV reader, or xlsx cells that are numbers
    and dates): nothing left to parse for them.

    ``types``: column index -> SQL type (DECIMAL(18,4) or DATE); the decimal sign and the
    date format the reader applied (``"excel"`` for xlsx date cells), shown to the user;
    ``thousands``: the sign the reader drops from numbers (``"."`` in ``1.234,56``), set
    only when every dot near a digit in the whole file sits in a group of three.
    """

    types: dict[int, str]
    decimal: str  # COMMA | POINT
    date_format: str | None
    thousands: str | None = None


def _date_regex(fmt: str) -> re.Pattern[str]:
    if fmt == "excel":
        return re.compile(r"^[2-7]\d{4}(\.0+)?$")  # 1954 … 2191
    pattern = re.escape(fmt)
    for code, rx in _FORMAT_RE.items():
        pattern = pattern.replace(re.escape(code), rx)
    if fmt == "%Y%m%d":
        pattern = r"(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])"
    return re.compile(f"^{pattern}$")


_DATE_RE = {fmt: _date_regex(fmt) for fmt in DATE_FORMATS}


def date_shape(fmt: str | None) -> str | None:
    """A regular expression (RE2 and Python alike) of a date written in ``fmt`` with a day
    of 1–31 and a month of 1–12, whether or not the calendar has it; None for an Excel
    serial date or no format."""
    if not fmt or fmt == "excel":
        return None
    return _date_regex(fmt).pattern.removeprefix("^").removesuffix("$")


def clean_number_text(value: str) -> str:
    """The digits and separators of a money text, sign first: "€ 1.234,50-" -> "-1.234,50"."""
    text = _STRIP_RE.sub("", value)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        text, negative = text[1:-1], True
    if text.endswith("-"):
        text, negative = text[:-1], True
    if text.startswith(("-", "+")):
        negative, text = text[0] == "-", text[1:]
    return ("-" if negative else "") + text


def detect_decimal(values: Iterable[str], prefer: str = COMMA) -> str:
    """COMMA or POINT: the style that reads the most sample values; ``prefer`` breaks ties."""
    # one value per line (a line break inside a value splits it: no number either way)
    sample = _STRIP_LINES_RE.sub("", "\n".join(values))
    fits = {style: sum(1 for _ in rx.finditer(sample)) for style, rx in _NUMBER_LINE_RE.items()}
    if fits[COMMA] == fits[POINT]:
        return prefer
    return COMMA if fits[COMMA] > fits[POINT] else POINT


def detect_date_format(values: Iterable[str]) -> str:
    """The first format in ``DATE_FORMATS`` that reads the most sample values."""
    values = [v.strip() for v in values if v and v.strip()]
    if not values:
        return DATE_FORMATS[0]
    counts = {fmt: sum(bool(rx.match(v)) for v in values) for fmt, rx in _DATE_RE.items()}
    best = max(counts.values())
    return next(fmt for fmt in DATE_FORMATS if counts[fmt] == best)


_HUMAN_DATE = {
    "nl": {"%d": "dd", "%m": "mm", "%Y": "jjjj", "%y": "jj", "%H": "uu", "%M": "mm", "%S": "ss"},
    "en": {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%y": "yy", "%H": "hh", "%M": "mm", "%S": "ss"},
}
_EXCEL_DATE = {"nl": "Excel-datum", "en": "Excel date"}


def human_date_format(fmt: str, lang: str = "nl") -> str:
    """A date format as people write it: ``%d-%m-%Y`` is ``dd-mm-jjjj`` (nl) or ``dd-mm-yyyy``."""
    if fmt == "excel":
        return _EXCEL_DATE[lang]
    for code, text in _HUMAN_DATE[lang].items():
        fmt = fmt.replace(code, text)
    return fmt


def number_clean_sql(column: str) -> str:
    """SQL for ``clean_number_text``: no currency or spaces, the sign in front."""
    # plain replaces first: they cost a fraction of a regex and cover nearly every value
    plain = (
        f"replace(replace(replace(replace({column}, '€', ''), ' ', ''), chr(160), ''), 'EUR', '')"
    )
    # most values are already bare ("-1.234,56"): one cheap match lets them skip the rest;
    # credit notes as (12,50) or 12,50- are rare: only those rows pay for the regexes
    return (
        f"CASE WHEN regexp_full_match({column}, '-?[0-9.,]+') THEN {column} "
        f"WHEN {column} LIKE '%-' OR {column} LIKE '%(%' THEN "
        f"regexp_replace(regexp_replace({plain}, '^\\((.*)\\)$', '-\\1'), '^(.*)-$', '-\\1') "
        f"ELSE ltrim({plain}, '+') END"
    )


def bare_number_sql(column: str, style: str) -> str:
    """SQL: whether ``column`` is already a bare number in ``style`` (``-1.234,56``), as
    nearly every value of an export is: it needs no cleaning, and one match checks it."""
    return f"regexp_full_match({column}, {literal(f'^-?(?:{_NUMBER_PATTERNS[style]})$')})"


def number_cast_sql(bare: str, style: str) -> str:
    """SQL turning a bare number in ``style`` into DECIMAL(18,4)."""
    if style == COMMA:
        digits = f"replace(replace({bare}, '.', ''), ',', '.')"
    else:
        digits = f"replace({bare}, ',', '')"
    # via DOUBLE so that 1.5E+3 reads; rounding to 4 decimals keeps cents exact
    return f"TRY_CAST(TRY_CAST({digits} AS DOUBLE) AS DECIMAL(18,4))"


def number_sql(cleaned: str, style: str) -> str:
    """SQL turning a cleaned text (see ``number_clean_sql``) into DECIMAL(18,4).

    NULL when the text does not fit ``style``; the caller rejects such rows.
    """
    return f"CASE WHEN {bare_number_sql(cleaned, style)} THEN {number_cast_sql(cleaned, style)} END"


def date_sql(column: str, fmt: str) -> str:
    """SQL that turns ``column`` (text, already trimmed) into a DATE; NULL when it does not
    fit ``fmt``."""
    if fmt == "excel":
        return (
            f"CAST(DATE '{EXCEL_EPOCH}' + TRY_CAST(floor(TRY_CAST({column} AS DOUBLE)) "
            "AS INTEGER) AS DATE)"  # TRY: a day number of 1e20 is rejected, not an error
        )
    return f"CAST(try_strptime({column}, {literal(fmt)}) AS DATE)"


def typed_read_plan(
    columns: dict[str, int],
    rows: list[list[str]],
    decimal_hint: str,
    overrides,
    thousands: bool = False,
) -> TypedRead | None:
    """A plan for DuckDB to type numbers and dates while reading, when the sample allows it.

    ``columns``: field -> column index; ``rows``: the first data rows as text. Dates are
    typed when every sampled date has one format that DuckDB reads as a DATE. Numbers are
    typed when every sampled number is bare (``-1234,56``: no ``€``, no trailing minus, no
    thousands sign) in one decimal style; otherwise they stay text and are parsed here,
    leniently, while the dates are still typed. ``None`` when nothing can be typed.
    ``thousands``: decimal-comma numbers may carry thousands dots (``1.234,56``) and are
    still typed, with the reader's ``thousands`` option; the caller must first make sure
    that no dot of the file stands out of place (``loose_dots``), or plan again without.
    """
    numbers = {f: i for f, i in columns.items() if f in NUMBER_FIELDS}
    dates = {f: i for f, i in columns.items() if f in DATE_FIELDS}

    def sample(i: int) -> list[str]:
        return [r[i] for r in rows if i < len(r) and r[i].strip()]

    typed = _typed_numbers(numbers, sample, decimal_hint, overrides, thousands)
    types = {i: "DECIMAL(18,4)" for i in typed}
    date_format = _typed_date_format(dates, sample, overrides)
    if date_format is not None:
        types |= {i: "DATE" for i in dates.values()}
    if not types:
        return None
    style = _one_style(numbers, sample, decimal_hint, overrides) or decimal_hint
    dots = "." if thousands and typed and style == COMMA else None
    return TypedRead(types=types, decimal=style, date_format=date_format, thousands=dots)


def _one_style(numbers: dict[str, int], sample, hint: str, overrides) -> str | None:
    styles = {
        (overrides.decimal or {}).get(f) or detect_decimal(sample(i), hint)
        for f, i in numbers.items()
    }
    return styles.pop() if len(styles) == 1 else None


def _typed_numbers(
    numbers: dict[str, int], sample, hint: str, overrides, thousands: bool
) -> list[int]:
    """Number columns DuckDB may type: all of them or none (one style, all bare)."""
    style = _one_style(numbers, sample, hint, overrides)
    if style is None:
        return []
    bare = re.compile(f"^-?(?:{_NUMBER_PATTERNS[style]})$")
    # DuckDB drops a thousands sign wherever it stands (see sources/csv.py): a file that writes
    # one in any sampled number keeps all its numbers as text, since a "bare" column may
    # have a 1.234,56 after the sample, which would cost a failed typed read. Unless the
    # whole file's dots were proved well placed: then the reader drops them safely
    sign = None if thousands and style == COMMA else "." if style == COMMA else ","
    if any(not bare.match(v) or (sign and sign in v) for i in numbers.values() for v in sample(i)):
        return []
    return list(numbers.values())


def _typed_date_format(dates: dict[str, int], sample, overrides) -> str | None:
    """The one date format of every date column, when DuckDB's reader can apply it."""
    if not dates:
        return None
    found = {
        (overrides.date_format or {}).get(f) or detect_date_format(sample(i))
        for f, i in dates.items()
    }
    if len(found) > 1:
        return None
    date_format = found.pop()
    if date_format == "excel" or "%H" in date_format:
        return None
    pattern = _DATE_RE.get(date_format) or _date_regex(date_format)  # a format of the user's
    if any(not pattern.match(v) for i in dates.values() for v in sample(i)):
        return None
    return date_format


def loose_dots(data: bytes) -> bool:
    """Whether a dot in ``data`` (whole lines of a file) could be read wrongly by DuckDB's
    ``thousands = '.'``.

    That reader drops the dot wherever it stands ("12.5" becomes 125; it also skips "_").
    A dot is safe in a thousands group: one to three digits after a sign, a separator or
    a space (or after the group before), exactly three after it, then a separator, a
    space, a comma or the next group's dot (``1.234``, ``-12.345.678,9``). It is also
    safe when a letter beside it (other than an exponent's e) makes its cell text that
    the reader refuses as a number ("200 st.", "B.V."). Judged on every dot at once
    (numpy, on the classes of the five bytes before and four after), since the columns
    are not known here: a dot in a text column such as "versie 2.1" only costs the fast
    read, never a wrong number.
    """
    a = np.frombuffer(data, np.uint8)
    where = np.flatnonzero(a == ord("."))
    if where.size == 0:
        return False
    window = where[:, None] + np.arange(-5, 5)
    c = _BYTE_CLASS[a[np.clip(window, 0, a.size - 1, out=window)]]
    edge = (where < 5) | (where >= a.size - 5)
    if edge.any():  # beyond the ends counts as a line end
        near = where[edge, None] + np.arange(-5, 5)
        c[edge] = np.where((near < 0) | (near >= a.size), _SEP, c[edge])
    digit = c == _DIGIT

    def text(k: int, step: int):  # a letter beside the dot that no number has there
        e_word = (c[:, k] == _EXP) & ((c[:, k + step] == _LETTER) | (c[:, k + step] == _EXP))
        return (c[:, k] == _LETTER) | e_word

    group = digit[:, 4].astype(np.int8)  # digits before the dot (column 5), up to four
    for k in (3, 2, 1):
        group += (group == 4 - k) & digit[:, k]
    before = c[np.arange(len(c)), 4 - group]
    left = (group >= 1) & (group <= 3)
    left &= (before == _SEP) | (before == _SIGN) | ((before == _DOT) & (group == 3))
    after = c[:, 9]
    right = digit[:, 6] & digit[:, 7] & digit[:, 8]
    right &= (after == _SEP) | (after == _DOT) | (after == _COMMA)
    return not bool((text(4, -1) | text(6, 1) | (left & right)).all())


def _byte_classes() -> np.ndarray:
    """The class of every byte, as ``loose_dots`` judges the bytes around a dot."""
    classes = np.full(256, _OTHER, np.uint8)
    kinds = {b"0123456789": _DIGIT, b';\t|" \r\n': _SEP, b",": _COMMA, b".": _DOT, b"-+": _SIGN}
    for chars, kind in kinds.items():
        classes[list(chars)] = kind
    classes[ord("a") : ord("z") + 1] = classes[ord("A") : ord("Z") + 1] = _LETTER
    classes[0x80:] = _LETTER  # a byte of an accented letter (cp1252, UTF-8)
    classes[[ord("e"), ord("E")]] = _EXP
    return classes


_DIGIT, _SEP, _COMMA, _DOT, _SIGN, _LETTER, _EXP, _OTHER = range(8)
_BYTE_CLASS = _byte_classes()
