"""What every source gives DuckDB: one text column per header (``Source``), typed only
where safe, and the helpers the file kinds share (headers, width, spreadsheet rows).

``ingest`` parses and checks every value, so that a value that cannot be read
becomes a rejected row with a reason instead of a failed load. Rows keep the
number the user sees in their spreadsheet (``Source.row``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from portfolio.config import thresholds
from portfolio.errors import Count, InputError
from portfolio.ingest import sniff
from portfolio.ingest.parsing import TypedRead


@dataclass
class Source:
    """A file's rows for DuckDB: ``relation`` is a table (xlsx, parquet: loaded as text)
    or a ``read_csv(...)`` that runs when the rows are materialized (``sources.csv``).

    Columns are ``c0`` …; ``headers[i]`` is the header of ``c{i}``. ``skipped`` lists
    rows the loader could not turn into fields (row number, reason key, raw text).
    """

    relation: str
    file: str
    kind: str
    headers: list[str]
    header_row: int  # 1-based; 0 when the file has no header row
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    row_sql: str = "{rowid} + 1"  # the spreadsheet row of a row, over its rowid
    typed: TypedRead | None = None  # set when numbers and dates were typed while reading

    @property
    def columns(self) -> list[str]:
        return [f"c{i}" for i in range(len(self.headers))]

    @property
    def sample_relations(self) -> tuple[str, ...]:
        """Where a few values can be looked at before the rows are materialized: the
        first that reads wins (a cheap read first, one that copes with anything next)."""
        return (self.relation,)

    @property
    def cells_from_file(self) -> bool:
        """Whether rejected rows get their cells back from the file (``file_cells``), so
        the parsed rows need not keep them."""
        return False

    def row(self, rowid: str = "rowid") -> str:
        """SQL for the spreadsheet row of a materialized row whose rowid is ``rowid``."""
        return self.row_sql.format(rowid=rowid)

    def materialize(self, con, target: str, select: Callable[[Source], str]) -> None:
        """``CREATE TABLE target AS select(self)``: one row per source row, in file order."""
        con.execute(f"CREATE TABLE {target} AS {select(self)}")

    def file_cells(self, rows: list[int]) -> dict[int, list[str]] | None:
        """The file's own cells of spreadsheet rows ``rows``, where the source can read them
        back (a CSV); None for a table loaded as text, whose cells are the file's already."""
        return None

    def release(self, con) -> None:
        """Free what only reading needed (the text table, a staged copy)."""
        con.execute(f"DROP TABLE IF EXISTS {self.relation}")


def unique_headers(cells: list[object]) -> list[str]:
    """Header texts made unique and non-empty, as a user would recognise them."""
    out: list[str] = []
    seen: set[str] = set()
    next_number: dict[str, int] = {}  # a set and counters: 4,000 equal headers took a minute
    for i, cell in enumerate(cells):
        name = str(cell).strip() if cell is not None and str(cell).strip() else f"kolom {i + 1}"
        base, n = name, next_number.get(name, 2)
        while name in seen:
            name, n = f"{base} ({n})", n + 1
        next_number[base] = n
        seen.add(name)
        out.append(name)
    return out


def find_headers(rows: list[list[str]], shape: str, options, width: int | None = None):
    """(0-based index of the header row, the headers made unique) from a file's first rows;
    the user's choice of header row wins; -1 when there is none (positional columns)."""
    if options.header_row is not None:
        header_index = max(options.header_row - 1, -1)
    else:
        header_index = sniff.detect_header_row(rows, shape)
    if header_index >= 0:
        return header_index, unique_headers(rows[header_index] if header_index < len(rows) else [])
    if width is None:
        width = max((len(r) for r in rows), default=0)
    return header_index, unique_headers([None] * width)


def check_width(file: str, columns: int, widest: int, rows: list[list[str]] | None = None) -> None:
    """Refuse a file with more columns (or a first row with more fields) than
    ``ingest.max_columns``: an export of invoice lines has a few dozen."""
    limit = thresholds().ingest.max_columns
    if columns > limit:
        raise InputError("too_many_columns", file=file, columns=Count(columns), limit=Count(limit))
    if widest > limit:
        row = next(i for i, r in enumerate(rows or [], 1) if len(r) == widest)
        raise InputError(
            "row_too_many_fields",
            file=file,
            row=Count(row),
            fields=Count(widest),
            limit=Count(limit),
        )


def row_sql(offset: int, missing_lines: list[int]) -> str:
    """Spreadsheet row of a table row (a template over ``{rowid}``), given the file lines
    that produced no table row."""
    if not missing_lines:
        return f"{{rowid}} + {offset}"
    # the k-th missing line (sorted) shifts every table row from index (line - offset - k) on
    breaks = [line - offset - k for k, line in enumerate(sorted(missing_lines))]
    # DuckDB 2.0 refuses the old arrow lambda (b -> …): a Binder Error on every file with
    # a blank or malformed line. The Python-style lambda works in 1.3 and later.
    return f"{{rowid}} + {offset} + len(list_filter({breaks}, lambda b: b <= {{rowid}}))"


def create_from_arrow(con, table: str, body, select: list[str]) -> None:
    view = f"{table}_arrow"
    con.register(view, body)
    try:
        con.execute(f"CREATE TABLE {table} AS SELECT {', '.join(select)} FROM {view}")
    finally:
        con.unregister(view)
