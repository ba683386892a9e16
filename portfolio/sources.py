"""Load an export into DuckDB as text: one table per file, one text column per header.

Every value stays text here; ``ingest`` parses it, so that a value that cannot
be read becomes a rejected row with a reason instead of a failed load. Rows
keep the number the user sees in their spreadsheet (``_row``).
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from portfolio import formats, sniff
from portfolio.columns import DATE_FIELDS, NUMBER_FIELDS
from portfolio.errors import InputError
from portfolio.formats import TypedRead

_CHUNK = 16 * 1024 * 1024
_BLANK_LINE = re.compile(rb"\n(?=\r?\n)")
_NOT_LATIN1 = "not latin-1 encoded"  # DuckDB's words for bytes 0x80-0x9F (€, curly quotes)


@dataclass
class Source:
    """A file loaded into the DuckDB table ``table`` (columns ``c0`` … as text).

    ``headers[i]`` is the header of ``c{i}``. ``skipped`` lists rows the loader
    could not turn into fields (row number, reason key, raw text).
    """

    table: str
    file: str
    kind: str
    headers: list[str]
    header_row: int  # 1-based; 0 when the file has no header row
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    row_sql: str = "rowid + 1"  # SQL giving the spreadsheet row of a row of ``table``
    typed: TypedRead | None = None  # set when DuckDB typed numbers and dates while reading

    @property
    def columns(self) -> list[str]:
        return [f"c{i}" for i in range(len(self.headers))]


def load_source(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    staging: Path,
    shape: str,
    options: sniff.ReadOptions | None = None,
    fields: Callable[[list[str]], dict[str, int]] | None = None,
) -> Source:
    """Load ``path`` into a new table; raises ``InputError`` when it cannot be read.

    Every column is text, unless ``fields(headers)`` (field -> column index) names the
    number and date columns: then a CSV reader may type them itself when its first rows
    allow it, and xlsx cells that are numbers and dates keep their type.
    """
    options = options or sniff.ReadOptions()
    path = Path(path)
    kind = sniff.file_kind(path)
    table = f"src_{uuid.uuid4().hex[:12]}"
    if kind == "csv":
        source = _load_csv(con, path, staging, table, shape, options, fields)
    elif kind == "xlsx":
        source = _load_xlsx(con, path, staging, table, shape, options, fields)
    else:
        source = _load_parquet(con, path, staging, table, shape, options)
    if not source.headers:
        raise InputError("file_empty", file=path.name)
    return source


def unique_headers(cells: list[object]) -> list[str]:
    """Header texts made unique and non-empty, as a user would recognise them."""
    out: list[str] = []
    for i, cell in enumerate(cells):
        name = str(cell).strip() if cell is not None and str(cell).strip() else f"kolom {i + 1}"
        base, n = name, 2
        while name in out:
            name, n = f"{base} ({n})", n + 1
        out.append(name)
    return out


def _row_sql(offset: int, missing_lines: list[int]) -> str:
    """Spreadsheet row of a table row, given file lines that produced no table row."""
    if not missing_lines:
        return f"rowid + {offset}"
    # the k-th missing line (sorted) shifts every table row from index (line - offset - k) on
    breaks = [line - offset - k for k, line in enumerate(sorted(missing_lines))]
    # DuckDB 2.0 refuses the old arrow lambda (b -> …): a Binder Error on every file with
    # a blank or malformed line. The Python-style lambda works in 1.3 and later.
    return f"rowid + {offset} + len(list_filter({breaks}, lambda b: b <= rowid))"


def _load_csv(con, path, staging, table, shape, options, fields=None) -> Source:
    with open(path, "rb") as fh:
        head = fh.read(sniff.SAMPLE_BYTES)
    encoding = options.encoding or sniff.detect_encoding(head)
    if encoding is None:
        raise InputError("file_binary", file=path.name)
    if encoding == "utf-8" and not options.encoding and not _all_utf8(path):
        encoding = "cp1252"  # ASCII in the sample, a Windows-1252 accent further down
    lines = sniff.read_text_head(path, encoding)
    delimiter = options.delimiter or sniff.detect_delimiter(lines)
    rows = sniff.split_lines(lines, delimiter)
    if options.header_row is not None:
        header_index = max(options.header_row - 1, -1)
    else:
        header_index = sniff.detect_header_row(rows, shape)
    if header_index >= 0:
        headers = unique_headers(rows[header_index] if header_index < len(rows) else [])
    else:  # no header row: positional columns, mapped by hand
        width = max((len(r) for r in rows), default=0)
        headers = unique_headers([None] * width)
    plan = None
    if fields:
        body = rows[header_index + 1 :]
        plan = formats.typed_read_plan(fields(headers), body, formats.COMMA, options)
    csv = _CsvRead(path, staging, table, delimiter, header_index, len(headers))
    try:
        bad, blank_lines, typed = csv.run(con, encoding, plan)
    except duckdb.Error as exc:
        raise InputError(
            "file_unreadable_csv", file=path.name, reason=str(exc).split("\n")[0]
        ) from exc
    skipped = [(int(line), "bad_field_count", text or "") for line, text in bad]
    skipped += [(n, "empty_row", "") for n in blank_lines]
    missing = sorted({row for row, _r, _t in skipped})
    return Source(
        table=table, file=path.name, kind="csv", headers=headers,
        header_row=header_index + 1, encoding=encoding, delimiter=delimiter,
        skipped=sorted(skipped), row_sql=_row_sql(header_index + 2, missing), typed=typed,
    )  # fmt: skip


@dataclass
class _CsvRead:
    """One CSV into DuckDB, trying the fast ways first.

    Windows-1252 without the bytes 0x80–0x9F is Latin-1, which DuckDB decodes itself;
    otherwise Python transcodes. A ``TypedRead`` plan lets DuckDB type numbers and
    dates; one value it cannot convert and the file is read as text instead, where
    each cell is checked and a bad one rejects only its row.
    """

    path: Path
    staging: Path
    table: str
    delimiter: str
    header_index: int
    width: int

    def run(self, con, encoding: str, plan: TypedRead | None):
        latin1 = encoding == "cp1252"
        staged, total_lines = _stage_utf8(self.path, self.staging, "utf-8" if latin1 else encoding)
        try:
            try:
                return self._read(con, staged, total_lines, "latin-1" if latin1 else "utf-8", plan)
            except duckdb.InvalidInputException as exc:
                if not (latin1 and _NOT_LATIN1 in str(exc)):
                    raise
            if staged != self.path:
                staged.unlink(missing_ok=True)
            staged, total_lines = _stage_utf8(self.path, self.staging, encoding)
            return self._read(con, staged, total_lines, "utf-8", plan)
        finally:
            if staged != self.path:
                staged.unlink(missing_ok=True)

    def _read(self, con, staged, total_lines, encoding, plan):
        if plan is not None:
            try:
                return (*self._read_typed(con, staged, total_lines, encoding, plan), plan)
            except duckdb.Error as exc:  # a value DuckDB cannot convert, a malformed line
                if _NOT_LATIN1 in str(exc):
                    raise
                con.execute(f"DROP TABLE IF EXISTS {self.table}")
        return (*self._read_typed(con, staged, total_lines, encoding, None), None)

    def _read_typed(self, con, staged, total_lines, encoding, plan, serial=False):
        types = plan.types if plan else {}
        columns = ", ".join(f"'c{i}': '{types.get(i, 'VARCHAR')}'" for i in range(self.width))
        extra = ""
        if plan:
            # no thousands option: DuckDB then drops that sign anywhere ("12.5" -> 125 and
            # "1,234.56" -> 1.2346 in a comma file); without it such a value fails the typed
            # read and the file is read as text, where it is rejected
            extra = f", decimal_separator = '{',' if plan.decimal == 'comma' else '.'}'"
            if plan.date_format:
                extra += f", dateformat = '{plan.date_format}'"
        rejects = f"{self.table}_rejects"
        if not plan:  # text: malformed lines are kept aside; typed: any problem means text
            extra += (f", store_rejects = true, rejects_table = '{rejects}', "
                      f"rejects_scan = '{rejects}_scan'")  # fmt: skip
        sql = f"""CREATE TABLE {self.table} AS SELECT * FROM read_csv(?, delim = ?, quote = '"',
                escape = '"', header = false, skip = ?, columns = {{{columns}}},
                null_padding = true, auto_detect = false, strict_mode = true,
                encoding = '{encoding}', parallel = {str(not serial).lower()}{extra})"""
        con.execute(sql, [str(staged), self.delimiter, self.header_index + 1])
        bad = []
        if not plan:
            # DuckDB logs one error per extra field, so one bad line can appear several times;
            # in CRLF files its text starts with the "\n" of the line end before it
            bad = con.execute(
                f"""SELECT line, trim(any_value(csv_line), chr(13) || chr(10)) FROM {rejects}
                    GROUP BY line ORDER BY line"""
            ).fetchall()
            for name in (rejects, f"{rejects}_scan"):  # DuckDB's logs: read, no longer needed
                con.execute(f"DROP TABLE IF EXISTS {name}")
        loaded = con.execute(f"SELECT count(*) FROM {self.table}").fetchall()[0][0]
        blank_lines = []
        expected = total_lines - (self.header_index + 1)
        if loaded + len(bad) != expected:
            # DuckDB skipped lines without a word: find the blank ones to keep row numbers true
            blank_lines = [n for n in _blank_lines(staged) if n > self.header_index + 1]
        if not serial and loaded + len(bad) + len(blank_lines) != expected:
            # the rows do not add up to the file's lines: the parallel reader split a quoted
            # field (seen once in 10M lines; also line breaks inside quotes). Read it in order.
            con.execute(f"DROP TABLE {self.table}")
            return self._read_typed(con, staged, total_lines, encoding, plan, serial=True)
        return bad, blank_lines


def _stage_utf8(path: Path, staging: Path, encoding: str) -> tuple[Path, int]:
    """A UTF-8 copy of ``path`` inside ``staging`` (DuckDB reads only there), and its line count.

    One pass over the file; a UTF-8 file already in ``staging`` is only counted, one
    elsewhere is hard-linked into it where the file system allows.
    """
    staging.mkdir(parents=True, exist_ok=True)
    utf8 = encoding in ("utf-8", "utf-8-sig")
    target = (
        path
        if utf8 and path.resolve().parent == staging.resolve()
        else (staging / f"{uuid.uuid4().hex}.csv")
    )
    if encoding == "utf-16":  # two bytes per character: lines cannot be cut on raw bytes
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        with open(path, "rb") as src, open(target, "wb") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(decoder.decode(chunk).encode("utf-8"))
            dst.write(decoder.decode(b"", final=True).encode("utf-8"))
        return target, _count_lines(target)
    if utf8 and target != path and _hard_link(path, target):
        return target, _count_lines(target)  # no copy: the same bytes under the data folder
    lines, last = 0, b"\n"
    with open(path, "rb") as src, open(os.devnull if target == path else target, "wb") as dst:
        while chunk := src.read(_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
            # single-byte encodings (cp1252) decode chunk by chunk; no character is ever cut
            dst.write(chunk if utf8 else chunk.decode(encoding, errors="replace").encode("utf-8"))
    return target, lines + (last != b"\n")


def _hard_link(path: Path, target: Path) -> bool:
    """Link ``path`` as ``target`` when both are on one file system (a copy costs a pass)."""
    try:
        os.link(path, target)
    except OSError:
        return False
    return True


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


def _load_xlsx(con, path, staging, table, shape, options, fields=None) -> Source:
    import fastexcel  # imported here: only uploads of .xlsx need it

    try:
        reader = fastexcel.read_excel(str(path))
        sheets = list(reader.sheet_names)
        sheet = options.sheet or _best_sheet(reader, sheets, shape)
        if sheet not in sheets:
            raise InputError("sheet_missing", file=path.name, sheet=sheet, sheets=", ".join(sheets))
        typed = _load_xlsx_typed(con, reader, sheet, table, shape, options, fields)
        if typed is not None:
            headers, plan = typed
            return Source(
                table=table, file=path.name, kind="xlsx", headers=headers, header_row=1,
                sheet=sheet, sheets=sheets, row_sql=_row_sql(2, []), typed=plan,
            )  # fmt: skip
        # every cell as text: one parser for csv and xlsx; header row found by us
        data = reader.load_sheet(sheet, header_row=None, dtypes="string").to_arrow()
    except InputError:
        raise
    except Exception as exc:  # fastexcel raises its own types for corrupt files
        raise InputError(
            "file_unreadable_xlsx", file=path.name, reason=str(exc).split("\n")[0]
        ) from exc
    rows = [
        [("" if v is None else str(v)) for v in r.values()] for r in data.slice(0, 50).to_pylist()
    ]
    if options.header_row is not None:
        header_index = max(options.header_row - 1, -1)
    else:
        header_index = sniff.detect_header_row(rows, shape)
    if header_index >= 0:
        headers = unique_headers(rows[header_index] if header_index < len(rows) else [])
    else:
        headers = unique_headers([None] * data.num_columns)
    body = data.slice(header_index + 1)
    body = body.rename_columns([f"c{i}" for i in range(body.num_columns)])
    _create_from_arrow(con, table, body, [f"c{i}" for i in range(len(headers))])
    return Source(
        table=table, file=path.name, kind="xlsx", headers=headers,
        header_row=header_index + 1, sheet=sheet, sheets=sheets,
        row_sql=_row_sql(header_index + 2, []),
    )  # fmt: skip


# fastexcel names an empty header cell "__UNNAMED__3" and a repeated one "Klant_1"
_FASTEXCEL_NAME = re.compile(r"__UNNAMED__\d+|(?P<base>.*)_\d+")
_INTEGRAL_MAX = 10**15  # doubles below this print as integers when they are whole


def _load_xlsx_typed(con, reader, sheet, table, shape, options, fields):
    """The sheet read once with its number and date cells typed: (headers, plan), or None.

    The common case: the header on row 1 and the amounts and dates stored as numbers and
    dates. Excel then says exactly what a cell holds, so there is nothing to parse or
    guess, and fastexcel skips turning each cell into text. Any other sheet (title rows
    above the header, unnamed or repeated headers, a number too large) is read as text.
    """
    if not fields or options.header_row not in (None, 1):
        return None
    logging.getLogger("fastexcel").setLevel(logging.ERROR)  # "falling back to string"
    # every row decides a column's type: with a sample, a text cell further down the
    # column would come back empty instead of being rejected
    batch = reader.load_sheet(sheet, header_row=0, schema_sample_rows=None, eager=True)
    names = batch.schema.names
    for i, name in enumerate(names):
        match = _FASTEXCEL_NAME.fullmatch(name)
        if match and (match["base"] is None or match["base"] in names[:i]):
            return None
    head = [names] + [[_cell_text(v) for v in r.values()] for r in batch.slice(0, 49).to_pylist()]
    if not names or (options.header_row is None and sniff.detect_header_row(head, shape) != 0):
        return None
    headers = unique_headers(names)
    uses = {i: f for f, i in fields(headers).items()}
    types: dict[int, str] = {}
    select = []
    for i, kind in enumerate(batch.schema.types):
        column = f"c{i}"
        numeric = pa.types.is_floating(kind) or pa.types.is_integer(kind)
        if numeric and uses.get(i) in NUMBER_FIELDS:
            types[i] = "DECIMAL(18,4)"
            select.append(f"CAST({column} AS DECIMAL(18,4)) AS {column}")
        elif (pa.types.is_timestamp(kind) or pa.types.is_date(kind)) and uses.get(i) in DATE_FIELDS:
            types[i] = "DATE"
            select.append(f"CAST({column} AS DATE) AS {column}")
        elif numeric:  # a customer number stored as a number: 10015, not 10015.0
            select.append(
                f"CASE WHEN {column} = trunc({column}) AND abs({column}) < {_INTEGRAL_MAX} "
                f"THEN CAST(CAST({column} AS BIGINT) AS VARCHAR) "
                f"ELSE CAST({column} AS VARCHAR) END AS {column}"
            )
        else:
            select.append(f"CAST({column} AS VARCHAR) AS {column}")
    body = batch.rename_columns([f"c{i}" for i in range(len(names))])
    try:
        _create_from_arrow(con, table, body, select)
    except duckdb.Error:  # a number too large for DECIMAL(18,4): rejected on the text path
        con.execute(f"DROP TABLE IF EXISTS {table}")
        return None
    date_format = "excel" if "DATE" in types.values() else None
    return headers, TypedRead(types=types, decimal=formats.POINT, date_format=date_format)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _create_from_arrow(con, table: str, body, select: list[str]) -> None:
    view = f"{table}_arrow"
    con.register(view, body)
    try:
        con.execute(f"CREATE TABLE {table} AS SELECT {', '.join(select)} FROM {view}")
    finally:
        con.unregister(view)


def _best_sheet(reader, sheets: list[str], shape: str) -> str:
    """The sheet whose first rows look most like a header for ``shape``."""
    if len(sheets) == 1:  # peeking costs a whole read of the sheet: fastexcel parses it all
        return sheets[0]
    best, best_score = sheets[0], -1
    for name in sheets:
        head = reader.load_sheet(name, header_row=None, n_rows=30, dtypes="string").to_arrow()
        rows = [[("" if v is None else str(v)) for v in r.values()] for r in head.to_pylist()]
        score = max((sniff.header_score(r, shape) for r in rows), default=0)
        if score > best_score:
            best, best_score = name, score
    return best


def _load_parquet(con, path, staging, table, shape, options) -> Source:
    staging.mkdir(parents=True, exist_ok=True)
    staged = path
    if path.resolve().parent != staging.resolve():
        staged = staging / f"{uuid.uuid4().hex}.parquet"
        shutil.copyfile(path, staged)
    try:
        names = [
            r[0]
            for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(staged)]).fetchall()
        ]
        headers = unique_headers(names)
        select = ", ".join(
            f'CAST("{n.replace(chr(34), chr(34) * 2)}" AS VARCHAR) AS c{i}'
            for i, n in enumerate(names)
        )
        con.execute(f"CREATE TABLE {table} AS SELECT {select} FROM read_parquet(?)", [str(staged)])
    except duckdb.Error as exc:
        raise InputError(
            "file_unreadable_parquet", file=path.name, reason=str(exc).split("\n")[0]
        ) from exc
    finally:
        if staged != path:
            staged.unlink(missing_ok=True)
    return Source(
        table=table,
        file=path.name,
        kind="parquet",
        headers=headers,
        header_row=1,
        row_sql="rowid + 1",
    )
