"""CSV and text exports: DuckDB reads the file straight into the parsed table.

There is no text copy of the file in between: ``ingest`` gives the SELECT that
types and checks every cell, and ``CsvSource.materialize`` runs it over
``read_csv(...)`` itself. That saves a pass over a million lines and their
memory. The attempts, fastest first:

1. a *typed* read: DuckDB converts the number and date columns the first rows
   allow (``parsing.typed_read_plan``); one value it refuses ends the attempt.
   Thousands dots (``1.234,56``) are typed too when no dot of the file stands out
   of place (``parsing.loose_dots``, judged in the pass that counts the lines);
2. a *text* read: every cell as text, checked by the SELECT, so a bad value
   rejects only its row; malformed lines are logged by DuckDB and rejected;
3. either one again in file order (``parallel = false``) when the rows read do
   not add up to the file's lines.

Windows-1252 without the bytes 0x80–0x9F is Latin-1, which DuckDB decodes
itself; other files are transcoded to UTF-8 first.
"""

from __future__ import annotations

import codecs
import os
import re
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from portfolio.config import thresholds
from portfolio.db import literal
from portfolio.errors import Count, InputError
from portfolio.ingest import parsing, sniff
from portfolio.ingest.parsing import TypedRead
from portfolio.ingest.sources.base import Source, check_width, find_headers, row_sql

_CHUNK = 16 * 1024 * 1024
_SAMPLE_BUFFER = 1024 * 1024
_BLANK_LINE = re.compile(rb"\n(?=\r?\n)")
_PYTHON_ENCODING = {"utf-8": "utf-8-sig", "latin-1": "latin-1"}


@dataclass(kw_only=True)
class CsvSource(Source):
    """A CSV that is read when it is materialized; ``relation`` is the current read."""

    staged: Path  # the file DuckDB reads, inside the data folder
    original: Path
    delimiter: str  # a CSV always has one (sniffed or chosen)
    duck_encoding: str = "utf-8"
    total_lines: int = 0
    header_index: int = 0
    plan: TypedRead | None = None
    name: str = ""
    rows_are_lines: bool = False  # every row is one line of the file (after reading)

    def read_sql(
        self, plan: TypedRead | None, *, serial: bool = False, log: bool = True, buffer: int = 0
    ) -> str:
        """``read_csv(...)`` of the staged file: typed by ``plan`` or all text; ``buffer``:
        the reader's buffer in bytes (0: DuckDB's default)."""
        types = plan.types if plan else {}
        width = len(self.headers)
        columns = ", ".join(f"'c{i}': {literal(types.get(i, 'VARCHAR'))}" for i in range(width))
        extra = ""
        if plan:
            # DuckDB drops a thousands sign anywhere ("12.5" -> 125 and "1,234.56" -> 1.2346
            # in a comma file): only a file whose every dot was proved well placed gets the
            # option; in others such a value fails the typed read and is rejected as text
            separator = "," if plan.decimal == parsing.COMMA else "."
            extra = f", decimal_separator = {literal(separator)}"
            if plan.thousands:
                extra += f", thousands = {literal(plan.thousands)}"
            if plan.date_format:
                extra += f", dateformat = {literal(plan.date_format)}"
        elif log:  # malformed lines are kept aside, with their line number and text
            extra += (
                f", store_rejects = true, rejects_table = {literal(self.name + '_rejects')}, "
                f"rejects_scan = {literal(self.name + '_rejects_scan')}"
            )
        else:
            extra += ", ignore_errors = true"
        if buffer:
            extra += f", buffer_size = {int(buffer)}"
        return f"""read_csv({literal(str(self.staged))}, delim = {literal(self.delimiter)},
            quote = '"', escape = '"', header = false, skip = {self.header_index + 1},
            columns = {{{columns}}}, null_padding = true, auto_detect = false,
            strict_mode = true, encoding = {literal(self.duck_encoding)},
            parallel = {str(not serial).lower()}{extra})"""

    @property
    def sample_relations(self) -> tuple[str, ...]:
        # in file order: a parallel read would start on every part of the file for a few rows.
        # DuckDB's default buffer (16 MiB) is parsed whole for a few thousand rows; a small one
        # is read first, and refuses a line longer than itself: then the default is used
        return tuple(
            f"(SELECT * FROM {self.read_sql(self.typed, serial=True, log=False, buffer=b)})"
            for b in (_SAMPLE_BUFFER, 0)
        )

    @property
    def cells_from_file(self) -> bool:
        # a typed read's cells are not the file's (a date is 2025-03-01): read back anyway
        return self.typed is not None

    def materialize(self, con, target: str, select: Callable[[Source], str]) -> None:
        for plan in [self.plan, None] if self.plan else [None]:
            self.typed = plan
            if plan is None:  # only a read that logs bad lines pays for very wide rows
                _check_overflow(
                    self.staged,
                    self.file,
                    self.delimiter,
                    len(self.headers),
                    self.header_index,
                    self.total_lines,
                )
            try:
                self._create(con, target, select)
                return
            except duckdb.Error as exc:  # a value the typed read refuses, a line it cannot split
                con.execute(f"DROP TABLE IF EXISTS {target}")
                self._drop_logs(con)
                if plan is None:
                    raise InputError(
                        "file_unreadable_csv", file=self.file, reason=str(exc).split("\n")[0]
                    ) from exc

    def _create(self, con, target: str, select, serial: bool = False) -> None:
        self.relation = self.read_sql(self.typed, serial=serial)
        try:
            con.execute(f"CREATE TABLE {target} AS {select(self)}")
        except duckdb.Error as exc:
            # a line break inside a quoted cell: only the reader in file order can split it
            if serial or "parallel" not in str(exc):
                raise
            con.execute(f"DROP TABLE IF EXISTS {target}")
            self._drop_logs(con)
            self._create(con, target, select, serial=True)
            return
        bad = self._bad_lines(con)
        loaded = con.execute(f"SELECT count(*) FROM {target}").fetchall()[0][0]
        expected = self.total_lines - (self.header_index + 1)
        blank_lines = []
        if loaded + len(bad) != expected:
            # DuckDB skipped lines without a word: find the blank ones to keep row numbers true
            blank_lines = [n for n in _blank_lines(self.staged) if n > self.header_index + 1]
        if not serial and loaded + len(bad) + len(blank_lines) != expected:
            # the rows do not add up to the file's lines: the parallel reader split a quoted
            # field (seen once in 10M lines; also line breaks inside quotes). Read it in order.
            con.execute(f"DROP TABLE {target}")
            self._create(con, target, select, serial=True)
            return
        # a quoted line break makes one row of two lines: then a row is no line number
        self.rows_are_lines = loaded + len(bad) + len(blank_lines) == expected
        skipped = [(int(line), "bad_field_count", text or "") for line, text in bad]
        skipped += [(n, "empty_row", "") for n in blank_lines]
        self.skipped = sorted(skipped)
        self.row_sql = row_sql(self.header_index + 2, sorted({r for r, _k, _t in skipped}))

    def _bad_lines(self, con) -> list[tuple[int, str]]:
        if self.typed is not None:
            return []  # a typed read stops at the first problem: there is nothing to log
        # DuckDB logs one error per extra field, so one bad line can appear several times;
        # in CRLF files its text starts with the "\n" of the line end before it
        bad = con.execute(
            f"""SELECT line, trim(any_value(csv_line), chr(13) || chr(10))
                FROM {self.name}_rejects GROUP BY line ORDER BY line"""
        ).fetchall()
        self._drop_logs(con)
        return bad

    def _drop_logs(self, con) -> None:
        for log in (f"{self.name}_rejects", f"{self.name}_rejects_scan"):
            con.execute(f"DROP TABLE IF EXISTS {log}")

    def file_cells(self, rows: list[int]) -> dict[int, list[str]] | None:
        """The cells of the file's lines ``rows`` (1-based, as the spreadsheet numbers
        them), split as the reader splits them; one pass, up to the last line asked for.
        None when a quoted line break made some row span two lines."""
        if not self.rows_are_lines:
            return None
        wanted, found = set(rows), {}
        last = max(wanted, default=0)
        with open(self.staged, encoding=_PYTHON_ENCODING[self.duck_encoding], newline="") as fh:
            for number, line in enumerate(fh, start=1):
                if number in wanted:
                    found[number] = sniff.split_line(line, self.delimiter)
                if number >= last:
                    break
        return found

    def release(self, con) -> None:
        if self.staged is not None and self.staged != self.original:
            self.staged.unlink(missing_ok=True)


def load_csv(path: Path, staging: Path, shape: str, options, fields=None) -> CsvSource:
    """Sniff and stage a CSV; it is read when ``materialize`` runs."""
    with open(path, "rb") as fh:
        head = fh.read(sniff.SAMPLE_BYTES)
    encoding = options.encoding or sniff.detect_encoding(head)
    if encoding is None:
        raise InputError("file_binary", file=path.name)
    if encoding == "utf-8" and not options.encoding and not _all_utf8(path):
        encoding = "cp1252"  # ASCII in the sample, a Windows-1252 accent further down
    try:
        lines = sniff.read_text_head(path, encoding)
    except UnicodeError as exc:  # utf-16 without a BOM, say: the user's choice of encoding
        raise InputError(
            "encoding_wrong", file=path.name, encoding=encoding, reason=str(exc).split("\n")[0]
        ) from exc
    delimiter = options.delimiter or sniff.detect_delimiter(lines)
    rows = sniff.split_lines(lines, delimiter)
    header_index, headers = find_headers(rows, shape, options)
    # before any work per column: 20,000 columns cost DuckDB minutes
    check_width(path.name, len(headers), max((len(r) for r in rows), default=0), rows)
    plan = None
    if fields and headers:
        body = rows[header_index + 1 :]
        plan = _plan(fields(headers), body, options, delimiter in ";\t|")
    dots = plan is not None and plan.thousands is not None
    staged, total_lines, duck_encoding, loose = _stage(path, staging, encoding, dots)
    if dots and loose:  # a dot out of place somewhere: numbers with dots stay text
        plan = _plan(fields(headers), body, options, False)
    name = f"csv_{uuid.uuid4().hex[:12]}"
    return CsvSource(
        relation="",
        file=path.name,
        kind="csv",
        headers=headers,
        header_row=header_index + 1,
        encoding=encoding,
        delimiter=delimiter,
        staged=staged,
        original=path,
        duck_encoding=duck_encoding,
        total_lines=total_lines,
        header_index=header_index,
        plan=plan,
        name=name,
    )


def _plan(columns: dict[str, int], body, options, thousands: bool) -> TypedRead | None:
    return parsing.typed_read_plan(columns, body, parsing.COMMA, options, thousands)


def _stage(
    path: Path, staging: Path, encoding: str, dots: bool = False
) -> tuple[Path, int, str, bool]:
    """(the file for DuckDB inside ``staging``, its line count, the encoding DuckDB reads,
    whether a dot near a digit stands outside a thousands group: ``parsing.loose_dots``).

    A UTF-8 file, or a Windows-1252 one that is Latin-1 (no bytes 0x80–0x9F), is
    hard-linked where the file system allows, else copied; others are transcoded (and
    their dots not looked at). ``dots``: look at the dots, in the same pass.
    """
    staging.mkdir(parents=True, exist_ok=True)
    utf8 = encoding in ("utf-8", "utf-8-sig")
    if utf8 or encoding == "cp1252":
        total, latin1, loose = _scan(path, dots)
        if utf8 or latin1:
            if path.resolve().parent == staging.resolve():
                return path, total, "utf-8" if utf8 else "latin-1", loose
            target = staging / f"{uuid.uuid4().hex}.csv"
            if not _hard_link(path, target):
                _copy(path, target)
            return target, total, "utf-8" if utf8 else "latin-1", loose
    target = staging / f"{uuid.uuid4().hex}.csv"
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    with open(path, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(_CHUNK):  # an incremental decoder never cuts a character
            dst.write(decoder.decode(chunk).encode("utf-8"))
        dst.write(decoder.decode(b"", final=True).encode("utf-8"))
    return target, _count_lines(target), "utf-8", True


def _scan(path: Path, dots: bool = False) -> tuple[int, bool, bool]:
    """(line count, whether there is no byte 0x80–0x9F, whether a dot stands out of place
    (``parsing.loose_dots``): only looked for when ``dots``) in one pass over the file.

    Windows-1252 without those bytes (€, curly quotes) is Latin-1, which DuckDB reads.
    The chunks are judged by numpy, which lets go of the GIL: two threads use both cores
    while this one reads on. A chunk ends on a line end, so no number is cut in two.
    """
    found, last = [], b"\n"
    with open(path, "rb") as fh, ThreadPoolExecutor(2) as pool:
        pending: deque = deque()
        while chunk := fh.read(_CHUNK):
            chunk += fh.readline()
            last = chunk[-1:]
            pending.append(pool.submit(_scan_chunk, chunk, dots))
            if len(pending) > 2:  # only a few chunks in memory at a time
                found.append(pending.popleft().result())
        found += [future.result() for future in pending]
    lines = sum(n for n, _c1, _dot in found)
    latin1 = not any(c1 for _n, c1, _dot in found)
    return lines + (last != b"\n"), latin1, any(dot for _n, _c1, dot in found)


def _scan_chunk(chunk: bytes, dots: bool) -> tuple[int, bool, bool]:
    """(line ends, whether a byte 0x80–0x9F is there, whether a dot is out of place)."""
    a = np.frombuffer(chunk, np.uint8)
    c1 = bool(np.any((a & 0xE0) == 0x80))
    return int(np.count_nonzero(a == ord("\n"))), c1, dots and parsing.loose_dots(chunk)


def _hard_link(path: Path, target: Path) -> bool:
    """Link ``path`` as ``target`` when both are on one file system (a copy costs a pass)."""
    try:
        os.link(path, target)
    except OSError:
        return False
    return True


def _copy(path: Path, target: Path) -> None:
    with open(path, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(_CHUNK):
            dst.write(chunk)


def _all_utf8(path: Path) -> bool:
    """Whether the whole file is UTF-8 (the encoding is sniffed from its first bytes only)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _count_lines(path: Path) -> int:
    lines, last = 0, b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            lines, last = lines + chunk.count(b"\n"), chunk[-1:]
    return lines + (last != b"\n")


def _blank_lines(path: Path) -> list[int]:
    """1-based numbers of empty lines (DuckDB skips them, so rows must be renumbered)."""
    found: list[int] = []
    line = 1
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            chunk += fh.readline()  # chunks end on a line end, so a blank line is never cut
            if chunk.startswith((b"\n", b"\r\n")):
                found.append(line)
            seen = 0
            for match in _BLANK_LINE.finditer(chunk):
                line += chunk.count(b"\n", seen, match.start() + 1)
                seen = match.start() + 1
                found.append(line)
            line += chunk.count(b"\n", seen)
    return found


def _check_overflow(
    path: Path, file: str, delimiter: str, width: int, header_index: int, lines: int
) -> None:
    """Refuse rows with far more fields than the header before DuckDB reads them with
    ``store_rejects``. A typed read refuses such a row at once (strict mode, nothing
    logged), so a clean file never pays for this pass; the text read that follows does.

    DuckDB logs a row with extra fields once per extra field, each time with the whole
    line: one row of 20,000 fields under a header of 3 took minutes and 13 GB. Counted
    here, per line, at C speed (``bytes.count``); a line with a quote is split properly.
    Only files with more delimiters than their lines and header explain are scanned.
    """
    limit = thresholds().ingest
    sep, overflow_bytes, rows, example = delimiter.encode(), 0, 0, None
    with open(path, "rb") as fh:
        # cheap first: the whole file's delimiters against what the header allows
        total = sum(chunk.count(sep) for chunk in iter(lambda: fh.read(_CHUNK), b""))
    if total <= (width - 1) * lines and os.path.getsize(path) > _CHUNK:
        return  # a large file that adds up: scanning each line would cost a second pass
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, start=1):
            if number <= header_index + 1 or line.count(sep) < width:
                continue
            fields = line.count(sep) + 1
            if b'"' in line:
                fields = len(sniff.split_line(line.decode("utf-8", "replace"), delimiter))
            if fields <= width:
                continue
            if fields > limit.max_columns:
                raise InputError(
                    "row_too_many_fields",
                    file=file,
                    row=Count(number),
                    fields=Count(fields),
                    limit=Count(limit.max_columns),
                )
            rows, overflow_bytes = rows + 1, overflow_bytes + (fields - width) * len(line)
            example = example or (number, fields)
            if overflow_bytes > limit.max_overflow_mb * 2**20:
                raise InputError(
                    "rows_overflow",
                    file=file,
                    rows=Count(rows),
                    columns=Count(width),
                    row=Count(example[0]),
                    fields=Count(example[1]),
                )
