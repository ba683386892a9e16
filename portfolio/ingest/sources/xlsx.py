"""Excel workbooks (.xlsx), read with fastexcel into a table: typed where Excel says what
a cell holds, else every cell as text. The zip's directory is checked before anything is
unpacked (a small file can unpack to gigabytes)."""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from pathlib import Path

import duckdb
import pyarrow as pa

from portfolio.config import thresholds
from portfolio.errors import Count, InputError
from portfolio.ingest import parsing, sniff
from portfolio.ingest.columns import DATE_FIELDS, NUMBER_FIELDS
from portfolio.ingest.parsing import TypedRead
from portfolio.ingest.sources.base import (
    Source,
    check_width,
    create_from_arrow,
    find_headers,
    row_sql,
    unique_headers,
)


def check_xlsx_size(path: Path) -> None:
    """Refuse an xlsx that unpacks to more than ``ingest.max_xlsx_unpacked_mb``, whose parts
    are packed more than ``ingest.max_xlsx_ratio`` times smaller, or whose first rows are
    wider than ``ingest.max_columns``. fastexcel reads in this process, outside DuckDB's
    memory limit: 1.5 MB of shared strings that inflate to 1.5 GiB took gigabytes. The zip's
    directory says it without unpacking."""
    limit = thresholds().ingest
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            total = sum(p.file_size for p in parts)
            too_packed = [p for p in parts if p.file_size > _largest_unpacked(p)]
            if total > limit.max_xlsx_unpacked_mb * 2**20 or too_packed:
                part = (too_packed or [max(parts, key=lambda p: p.file_size)])[0]
                raise InputError(
                    "xlsx_unpacks_too_large",
                    file=path.name,
                    part=part.filename,
                    size_mb=Count(max(total // 2**20, 1)),
                    limit_mb=Count(limit.max_xlsx_unpacked_mb),
                    ratio=Count(limit.max_xlsx_ratio),
                )
            _check_sheet_widths(archive, parts, path.name)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
        raise InputError("file_unreadable_xlsx", file=path.name, reason=str(exc)) from exc


def _largest_unpacked(part: zipfile.ZipInfo) -> int:
    """The largest unpacked size allowed for a zip part of its packed size (1 MB at least:
    small parts of repeated XML pack very well)."""
    return max(thresholds().ingest.max_xlsx_ratio * max(part.compress_size, 1), 2**20)


_XLSX_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_XLSX_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_HEAD_BYTES = 4 * 2**20
_HEAD_PIECE = 64 * 2**10


def _check_sheet_widths(archive: zipfile.ZipFile, parts, file: str) -> None:
    """The first rows of every sheet counted in its XML, before fastexcel reads it: fastexcel
    makes the header's names unique pairwise (16,000 equal cells did not finish in minutes)."""
    for part in parts:
        if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
            with archive.open(part) as stream:
                rows = _first_rows(stream, 50)
            check_width(file, max((len(_XLSX_CELL.findall(r)) for r in rows), default=0), 0)


def _first_rows(
    stream, count: int, limit: int = _HEAD_BYTES, piece_size: int = _HEAD_PIECE
) -> list[bytes]:
    """The XML of the first ``count`` rows of a sheet, within its first ``limit`` bytes
    (the last one cut there if need be), read a piece at a time: unpacking the whole head
    of a large sheet cost more than the rest of this check."""
    head, ends = b"", list[int]()
    while len(ends) < count and len(head) < limit:
        piece = stream.read(piece_size)
        if not piece:
            break
        # from a little before the new piece (a row's end tag may straddle the two), never
        # before the last row end found (each is found once)
        start = max(len(head) - 32, ends[-1] if ends else 0)
        head = (head + piece)[:limit]
        ends += [m.end() for m in _XLSX_ROW_END.finditer(head, start)]
    bounds = [0, *ends[:count]]
    rows = [head[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    return rows if len(rows) == count else [*rows, head[bounds[-1] :]]


def load_xlsx(con, path, staging, table, shape, options, fields=None) -> Source:
    import fastexcel  # imported here: only uploads of .xlsx need it

    check_xlsx_size(path)
    try:
        reader = fastexcel.read_excel(str(path))
        sheets = list(reader.sheet_names)
        sheet = options.sheet or _best_sheet(reader, sheets, shape)
        if sheet not in sheets:
            raise InputError("sheet_missing", file=path.name, sheet=sheet, sheets=", ".join(sheets))
        typed = _load_xlsx_typed(con, reader, sheet, table, shape, options, fields, path.name)
        if typed is not None:
            headers, plan = typed
            return Source(
                relation=table,
                file=path.name,
                kind="xlsx",
                headers=headers,
                header_row=1,
                sheet=sheet,
                sheets=sheets,
                row_sql=row_sql(2, []),
                typed=plan,
            )
        # every cell as text: one parser for csv and xlsx; header row found by us
        data = reader.load_sheet(sheet, header_row=None, dtypes="string").to_arrow()
        if data.num_columns == 0 or data.num_rows == 0:
            raise InputError("sheet_empty", file=path.name, sheet=sheet)
        check_width(path.name, data.num_columns, 0)
    except InputError:
        raise
    except Exception as exc:  # fastexcel raises its own types for corrupt files
        raise InputError(
            "file_unreadable_xlsx", file=path.name, reason=str(exc).split("\n")[0]
        ) from exc
    rows = [
        [("" if v is None else str(v)) for v in r.values()] for r in data.slice(0, 50).to_pylist()
    ]
    header_index, headers = find_headers(rows, shape, options, data.num_columns)
    body = data.slice(header_index + 1)
    body = body.rename_columns([f"c{i}" for i in range(body.num_columns)])
    create_from_arrow(con, table, body, [f"c{i}" for i in range(len(headers))])
    return Source(
        relation=table,
        file=path.name,
        kind="xlsx",
        headers=headers,
        header_row=header_index + 1,
        sheet=sheet,
        sheets=sheets,
        row_sql=row_sql(header_index + 2, []),
    )


# fastexcel names an empty header cell "__UNNAMED__3" and a repeated one "Klant_1"
_FASTEXCEL_NAME = re.compile(r"__UNNAMED__\d+|(?P<base>.*)_\d+")
_INTEGRAL_MAX = 10**15  # doubles below this print as integers when they are whole


def _load_xlsx_typed(con, reader, sheet, table, shape, options, fields, file=""):
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
    check_width(file, batch.num_columns, 0)
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
        create_from_arrow(con, table, body, select)
    except duckdb.Error:  # a number too large for DECIMAL(18,4): rejected on the text path
        con.execute(f"DROP TABLE IF EXISTS {table}")
        return None
    date_format = "excel" if "DATE" in types.values() else None
    return headers, TypedRead(types=types, decimal=parsing.POINT, date_format=date_format)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
