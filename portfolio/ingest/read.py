"""Read an export into clean tables: every source row used or rejected with a reason.

``read_invoice_lines`` and ``read_customer_file`` load a file (csv, txt, xlsx,
parquet), map its headers to fields, parse numbers and dates as the file
writes them, and create two DuckDB tables: the usable rows and the rejected
ones (row, column, value, reason). ``rows_read = rows_used + rows_rejected``
always holds; exact duplicate lines are flagged, not dropped.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from portfolio.config import column_synonyms, thresholds
from portfolio.db import first_row, ident, literal
from portfolio.errors import InputError
from portfolio.ingest import parsing, sniff
from portfolio.ingest.columns import (
    CUSTOMER_FIELDS,
    CUSTOMER_FIGURES,
    DATE_FIELDS,
    LINE_FIELDS,
    NUMBER_FIELDS,
    PRODUCT_FIELDS,
    ColumnMapping,
    check_mapping,
    map_columns,
    normalize_header,
)
from portfolio.ingest.row_checks import (
    CREDIT,
    explain,
    field_sql,
    first_failing,
    row_checks,
    year_checks,
)
from portfolio.ingest.sources import Source, load_source

REJECT_COLUMNS = ("row", "reason", "column", "value")


@dataclass
class Import:
    """The outcome of reading one file.

    ``table``: one row per usable line (invoice lines) or customer (customer
    file). ``rejects``: one row per rejected source row, with ``row``,
    ``reason`` (a message key), ``column``, ``value`` and the original cells.
    """

    source: Source
    mapping: ColumnMapping
    decimal: dict[str, str]
    date_format: dict[str, str]
    table: str
    rejects: str
    rows_read: int = 0
    rows_used: int = 0
    rows_rejected: int = 0
    duplicates: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    backing: list[str] = field(default_factory=list)  # tables behind ``table`` when a view

    def drop(self, con: duckdb.DuckDBPyConnection) -> None:
        """Free the import's tables (after saving it, or when the user starts over)."""
        kind = "VIEW" if self.backing else "TABLE"
        con.execute(f"DROP {kind} IF EXISTS {self.table}")
        for name in (self.rejects, *self.backing):
            con.execute(f"DROP TABLE IF EXISTS {name}")

    @property
    def file(self) -> str:
        return self.source.file


def read_invoice_lines(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    staging: Path,
    options: sniff.ReadOptions | None = None,
) -> Import:
    """Read invoice lines (or revenue per customer per year, unpivoted) from ``path``.

    Creates table ``Import.table`` with one row per used line: ``row``,
    ``customer`` (the key: id, else name), ``customer_id``, ``customer_name``,
    ``invoice_date`` (DATE), ``amount`` (euro excl. VAT, DECIMAL), ``cost``,
    ``quantity``, ``discount``, ``invoice_number``, ``due_date``,
    ``paid_date``, ``product``, ``region``, ``is_duplicate``.
    Raises ``InputError`` when the file cannot be used at all.
    """
    options = options or sniff.ReadOptions()
    sniff.check_options(con, options)

    def fields(headers: list[str]) -> dict[str, int]:
        """The number and date fields of a file of lines (none for revenue per year)."""
        check_mapping(headers, options.mapping, LINE_FIELDS, Path(path).name)
        mapping = map_columns(headers, "lines", options.mapping)
        if mapping.is_wide:
            return {}
        index = {h: i for i, h in enumerate(headers)}
        return {f: index[h] for f, h in mapping.fields.items() if h in index}

    source = load_source(con, path, staging, "lines", options, fields)
    try:
        check_mapping(source.headers, options.mapping, LINE_FIELDS, source.file)
        mapping = map_columns(source.headers, "lines", options.mapping)
        _require_line_fields(source, mapping)
        return _parse(con, source, mapping, LINE_FIELDS, options)
    finally:
        source.release(con)


def read_customer_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    staging: Path,
    options: sniff.ReadOptions | None = None,
) -> Import:
    """Read the optional per-customer file: hours, rate, costs, payment term, scores.

    Creates table ``Import.table`` with one row per customer: ``row``,
    ``customer``, ``customer_id``, ``customer_name``, ``hours``,
    ``hourly_rate``, ``other_costs``, ``payment_term_days``, ``innovation``,
    ``network``, ``satisfaction``, ``fit_code``, ``margin_pct`` (a fraction: the
    customer's gross margin on revenue, an estimate where the lines have no cost price).
    """
    required = [({"customer_id", "customer_name"}, "no_customer_column")]
    return _read_small_file(con, path, staging, options, "customers", required)


def read_product_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    staging: Path,
    options: sniff.ReadOptions | None = None,
) -> Import:
    """Read the optional file of estimates for invoice lines without cost price.

    Creates table ``Import.table`` with one row per product (or product group, whatever
    the invoice lines' product column holds): ``row``, ``product``, ``product_key``
    (trimmed, lower case: what the lines are matched on), ``margin_pct`` (a fraction)
    and ``unit_cost`` (euro per unit: needs a quantity on the lines).
    """
    required = [
        ({"product"}, "no_product_column"),
        ({"margin_pct", "unit_cost"}, "no_estimate_column"),
    ]
    return _read_small_file(con, path, staging, options, "products", required)


_SHAPE_FIELDS = {"customers": CUSTOMER_FIELDS, "products": PRODUCT_FIELDS}


def _read_small_file(con, path: Path, staging: Path, options, shape: str, required) -> Import:
    """A file of one row per customer or product: its headers mapped to ``shape``'s fields,
    each of ``required`` (a set of fields, one of which the file must have, and the message
    key when it has none) checked, then every row parsed."""
    options = options or sniff.ReadOptions()
    sniff.check_options(con, options)
    source = load_source(con, path, staging, shape, options)
    try:
        check_mapping(source.headers, options.mapping, _SHAPE_FIELDS[shape], source.file)
        mapping = map_columns(source.headers, shape, options.mapping)
        for fields, key in required:
            if not fields & set(mapping.fields):
                raise InputError(key, file=source.file, headers=_list(source.headers))
        return _parse(con, source, mapping, _SHAPE_FIELDS[shape], options)
    finally:
        source.release(con)


def _list(headers: list[str]) -> str:
    return ", ".join(headers[:12]) + (" …" if len(headers) > 12 else "")


def _require_line_fields(source: Source, mapping: ColumnMapping) -> None:
    fields = mapping.fields
    if not {"customer_id", "customer_name"} & set(fields):
        raise InputError("no_customer_column", file=source.file, headers=_list(source.headers))
    if mapping.is_wide:
        return
    if "amount" not in fields:
        never = set(column_synonyms().never_revenue)
        if any(normalize_header(h) in never for h in source.headers):
            raise InputError("amount_only_incl_vat", file=source.file)
        raise InputError("no_amount_column", file=source.file, headers=_list(source.headers))
    if "invoice_date" not in fields:
        raise InputError("no_date_column", file=source.file, headers=_list(source.headers))


def _samples(con, source: Source, columns: list[str]) -> dict[str, list[str]]:
    """The non-empty values of ``columns`` in the first rows of the file (one small read)."""
    if not columns:
        return {}
    limit = thresholds().ingest.sample_rows
    *cheap, last = source.sample_relations
    sql = f"SELECT {', '.join(columns)} FROM {{}} LIMIT {int(limit)}"
    rows = None
    for relation in cheap:
        try:
            rows = con.execute(sql.format(relation)).fetchall()
            break
        except duckdb.Error:  # a cheap read refused the file: the last one decides
            continue
    if rows is None:
        rows = con.execute(sql.format(last)).fetchall()
    return {
        column: [v for v in values if v is not None and str(v).strip()]
        for column, values in zip(
            columns, zip(*rows, strict=True) if rows else [()] * len(columns), strict=True
        )
    }


def _detect_formats(con, source, columns: dict[str, str], options) -> tuple[dict, dict]:
    """Decimal style per number field and date format per date field (overrides win)."""
    prefer = parsing.COMMA if source.delimiter in (";", "\t", "|") else parsing.POINT
    decimal, date_format = {}, {}
    typed = source.typed.types if source.typed else {}
    # only numbers and dates the reader left as text need a sample (texts need none)
    untyped = {
        n: c
        for n, c in columns.items()
        if int(c[1:]) not in typed and (n in NUMBER_FIELDS or n in DATE_FIELDS)
    }
    chosen = {**(options.decimal or {}), **(options.date_format or {})}
    sample = _samples(con, source, sorted({c for n, c in untyped.items() if n not in chosen}))
    for name, column in columns.items():
        if name in untyped and name in NUMBER_FIELDS:
            decimal[name] = (options.decimal or {}).get(name) or parsing.detect_decimal(
                sample[column], prefer
            )
        elif name in untyped and name in DATE_FIELDS:
            date_format[name] = (options.date_format or {}).get(name) or parsing.detect_date_format(
                sample[column]
            )
        elif name in NUMBER_FIELDS:  # typed by the reader
            decimal[name] = source.typed.decimal
        elif name in DATE_FIELDS:
            date_format[name] = source.typed.date_format
    return decimal, date_format


@dataclass
class _RowPlan:
    """How one file's rows are typed and checked. ``select(src)`` is the SELECT that
    ``Source.materialize`` runs (a CSV may run it twice: typed, then as text); it records
    what it decided for that read: the formats, the checks, whether the parsed rows keep
    the file's cells of rejected rows (``keep_cells``; ``force_cells`` asks for them)."""

    con: duckdb.DuckDBPyConnection
    options: sniff.ReadOptions | None
    shape_fields: tuple
    fields: dict[str, str]  # field -> column (c0 …)
    year_fields: dict[str, str]  # "y2024" -> column, for a file with a column per year
    year_columns: dict[int, str]  # year -> header
    headers: dict[str, str]  # field -> header as the file writes it ("_first": column 1)
    to_detect: dict[str, str]  # the columns whose number and date formats are detected
    decimal: dict[str, str] = field(default_factory=dict)
    date_format: dict[str, str] = field(default_factory=dict)
    checks: list = field(default_factory=list)
    keep_cells: bool = False
    force_cells: bool = False

    @classmethod
    def of(cls, con, source: Source, mapping: ColumnMapping, shape_fields, options) -> _RowPlan:
        index = {h: f"c{i}" for i, h in enumerate(source.headers)}
        fields = {
            f: index[h] for f, h in mapping.fields.items() if f in shape_fields and h in index
        }
        wide = mapping.is_wide and shape_fields is LINE_FIELDS
        years = {y: index[h] for y, h in mapping.year_columns.items()} if wide else {}
        if wide:
            fields.pop("amount", None)
        headers = {f: mapping.fields[f] for f in fields}
        headers["_first"] = source.headers[0]
        year_fields = {f"y{y}": col for y, col in years.items()}
        to_detect = dict(fields)
        if wide:  # all year columns share one format; the latest year has the most values
            to_detect["amount"] = list(year_fields.values())[-1]
        return cls(
            con,
            options,
            shape_fields,
            fields,
            year_fields,
            mapping.year_columns if wide else {},
            headers,
            to_detect,
        )

    @property
    def wide(self) -> bool:
        return bool(self.year_columns)

    def select(self, src: Source) -> str:
        """The parsed rows of ``src`` as read now (a CSV's typed read may fall back to text)."""
        fields, year_fields = self.fields, self.year_fields
        decimal, date_format = _detect_formats(self.con, src, self.to_detect, self.options)
        decimal.update({k: decimal.get("amount", parsing.COMMA) for k in year_fields})
        read_typed = {f"c{i}" for i in src.typed.types} if src.typed else set()
        base, typed = field_sql(
            {**fields, **year_fields}, year_fields, decimal, date_format, read_typed
        )
        blank = " AND ".join(f"nullif(trim(CAST({c} AS VARCHAR)), '') IS NULL" for c in src.columns)
        products = self.shape_fields is PRODUCT_FIELDS
        keys = ("product",) if products else ("customer_id", "customer_name")
        typed_fields = frozenset(f for f, c in fields.items() if c in read_typed)
        checks = row_checks(fields, self.headers, self.wide, blank, keys, typed_fields, date_format)
        checks += year_checks(self.year_columns) if self.wide else []
        self.decimal, self.date_format, self.checks = decimal, date_format, checks
        # keep only what later steps read: texts of text fields, typed values, and the file's
        # own cells of the rows that are rejected (shown to the user as they were written)
        kept = [f"t_{f}" for f in fields if f not in NUMBER_FIELDS and f not in DATE_FIELDS]
        kept += [name for t in typed if not (name := t.rsplit(" AS ", 1)[1]).startswith("n_")]
        # a typed CSV read gives its rejected rows' cells back from the file: no million
        # empty cells to store (``_restore_file_cells``), unless the file cannot
        self.keep_cells = not src.cells_from_file or self.force_cells
        raw = _raw_cells_sql(src.columns) if self.keep_cells else []
        return f"""WITH base AS (SELECT hash({", ".join(src.columns)}) AS _hash,
                         {", ".join(src.columns)}{"".join(", " + b for b in base)}
                         FROM {src.relation}),
             typed AS (SELECT *{"".join(", " + t for t in typed)} FROM base),
             checked AS (SELECT *, {first_failing(checks)} AS _check FROM typed)
        SELECT _hash, {"".join(k + ", " for k in kept)} _check,
               CAST(NULL AS VARCHAR) AS _reason, CAST(NULL AS VARCHAR) AS _column,
               CAST(NULL AS VARCHAR) AS _value{"".join(", " + r for r in raw)}
        FROM checked"""


def _parse(con, source: Source, mapping: ColumnMapping, shape_fields, options) -> Import:
    """Type every mapped field, decide per row: used or rejected (first failing check)."""
    plan = _RowPlan.of(con, source, mapping, shape_fields, options)
    fields, year_fields = plan.fields, plan.year_fields
    parsed = f"p_{uuid.uuid4().hex[:12]}"
    source.materialize(con, parsed, plan.select)
    cells = _restore_file_cells(con, parsed, source, plan.keep_cells)
    if cells is None:  # rare: a quoted line break and a rejected row
        con.execute(f"DROP TABLE {parsed}")
        plan.force_cells = True
        source.materialize(con, parsed, plan.select)
        cells = _restore_file_cells(con, parsed, source, plan.keep_cells)
        assert cells is not None  # read again with its cells: it keeps them
    checks = plan.checks
    # the checks ran once per row (which one failed); the texts only for rejected rows
    raw = {"c0": "_raw0"} | {
        f"{prefix}{f}": f"trim(_raw{col[1:]})"
        for f, col in {**fields, **year_fields}.items()
        for prefix in ("t_", "n_")
    }
    if cells:  # without them no row failed a check (``_restore_file_cells``)
        con.execute(
            f"""UPDATE {parsed} SET _reason = {explain(checks, 1)}, _column = {explain(checks, 2)},
                _value = {explain(checks, 3, raw)} WHERE _check IS NOT NULL"""
        )
    shown_decimal = {f: s for f, s in plan.decimal.items() if f not in year_fields}
    imp = Import(
        source,
        mapping,
        shown_decimal,
        plan.date_format,
        f"{parsed}_used",
        f"{parsed}_rejects_out",
    )
    if shape_fields is LINE_FIELDS:
        _create_lines(con, parsed, imp, fields, plan.year_columns)
    elif shape_fields is PRODUCT_FIELDS:
        _create_products(con, parsed, imp, fields)
    else:
        _create_customers(con, parsed, imp, fields)
    _create_rejects(con, parsed, imp, cells)
    _count(con, parsed, imp)
    if parsed not in imp.backing:  # the rows live on in the saved tables: free their memory
        con.execute(f"DROP TABLE {parsed}")
    return imp


def _raw_cells_sql(columns: list[str]) -> list[str]:
    """Select items keeping the cells of a rejected row as text (``_raw0`` …)."""
    return [
        f"CASE WHEN _check IS NOT NULL THEN CAST({c} AS VARCHAR) END AS _raw{i}"
        for i, c in enumerate(columns)
    ]


def _restore_file_cells(con, parsed: str, source: Source, kept: bool) -> bool | None:
    """Rejected rows of a typed CSV read get their cells back as the file wrote them
    (``2025-03-01`` was ``01-03-2025``): the user must recognise the row to fix it.

    ``kept``: whether ``parsed`` keeps cells of its own (``_raw0`` …; not when the source
    reads them back: ``Source.cells_from_file``). Returns whether it has them now; None
    when it has none, a row was rejected and the file cannot give its cells back (a
    quoted line break): then it must be read again, with cells.
    """
    if source.typed is None:  # read as text: the cells kept are the file's already
        return kept
    rows = con.execute(
        f"SELECT rowid, {source.row()} FROM {parsed} WHERE _check IS NOT NULL"
    ).fetchall()
    if not rows:
        return kept
    cells = source.file_cells([row for _rid, row in rows])
    if cells is None:
        return kept or None
    width = len(source.columns)
    if not kept:
        for i in range(width):
            con.execute(f"ALTER TABLE {parsed} ADD COLUMN _raw{i} VARCHAR")
    frame = pd.DataFrame(
        [[rid, *(cells.get(row, []) + [None] * width)[:width]] for rid, row in rows],
        columns=["rid", *[f"raw{i}" for i in range(width)]],
    )
    view = f"{parsed}_file_cells"
    con.register(view, frame)
    try:
        sets = ", ".join(f"_raw{i} = f.raw{i}" for i in range(width))
        con.execute(f"UPDATE {parsed} SET {sets} FROM {view} f WHERE {parsed}.rowid = f.rid")
    finally:
        con.unregister(view)
    return True


def _text(f: str, fields: dict) -> str:
    if f not in fields:
        return "CAST(NULL AS VARCHAR)"
    # SnelStart writes HTML entities such as &amp; into names; only texts with "&" pay for it
    unescaped = f"replace(replace(replace(t_{f}, '&amp;', '&'), '&quot;', '\"'), '&#39;', '''')"
    return f"CASE WHEN contains(t_{f}, '&') THEN {unescaped} ELSE t_{f} END"


def _typed(f: str, fields: dict, sql_type: str) -> str:
    return f if f in fields else f"CAST(NULL AS {sql_type})"


def _customer_key(fields: dict) -> str:
    parts = [f"t_{f}" for f in ("customer_id", "customer_name") if f in fields]
    return f"coalesce({', '.join(parts)})"


def _create_lines(con, parsed: str, imp: Import, fields: dict, years: dict[int, str]) -> None:
    # exact duplicate lines are flagged, not dropped: every copy after the first
    dup = f"{parsed}_dup"
    con.execute(
        f"""CREATE TABLE {dup} AS SELECT _hash, min(rowid) AS first_rid FROM {parsed}
            WHERE _reason IS NULL GROUP BY _hash HAVING count(*) > 1"""
    )
    has_dups = first_row(con, f"SELECT count(*) > 0 FROM {dup}")[0]
    join = f"LEFT JOIN {dup} d USING (_hash)" if has_dups else ""  # usually no join needed
    flag = "coalesce(p.rowid > d.first_rid, false)" if has_dups else "false"
    credit = ", ".join(literal(v) for v in CREDIT)
    sign = f"CASE WHEN lower(t_side) IN ({credit}) THEN -1 ELSE 1 END" if "side" in fields else "1"
    common = f"""{imp.source.row("p.rowid")} AS row, {_customer_key(fields)} AS customer,
        {_text("customer_id", fields)} AS customer_id,
        {_text("customer_name", fields)} AS customer_name"""
    rest = f"""{sign} * {_typed("cost", fields, "DECIMAL(18,4)")} AS cost,
        {_typed("quantity", fields, "DECIMAL(18,4)")} AS quantity,
        {_typed("discount", fields, "DECIMAL(18,4)")} AS discount,
        {_text("invoice_number", fields)} AS invoice_number,
        {_typed("due_date", fields, "DATE")} AS due_date,
        {_typed("paid_date", fields, "DATE")} AS paid_date,
        {_text("product", fields)} AS product, {_text("region", fields)} AS region,
        {flag} AS is_duplicate"""
    if years:
        selects = [
            f"""SELECT {common}, make_date({y}, 12, 31) AS invoice_date,
                CAST(amount_y{y} AS DECIMAL(18,4)) AS amount, {rest}
                FROM {parsed} p {join} WHERE _reason IS NULL AND amount_y{y} IS NOT NULL"""
            for y in years
        ]
        body = " UNION ALL ".join(selects)
    else:
        body = f"""SELECT {common}, invoice_date, {sign} * amount AS amount, {rest}
                   FROM {parsed} p {join} WHERE _reason IS NULL"""
    if years:
        con.execute(f"CREATE TABLE {imp.table} AS {body}")
    else:  # a view over the parsed rows: a million lines are not copied once more
        con.execute(f"CREATE VIEW {imp.table} AS {body}")
        imp.backing = [parsed] + ([dup] if has_dups else [])
    if dup not in imp.backing:
        con.execute(f"DROP TABLE {dup}")


def _create_customers(con, parsed: str, imp: Import, fields: dict) -> None:
    key = _customer_key(fields)
    key_header = imp.mapping.fields.get("customer_id") or imp.mapping.fields["customer_name"]
    # hours, rate, scores: one figure per customer; a second row for the same customer is rejected
    con.execute(
        f"""UPDATE {parsed} SET _reason = 'customer_duplicate', _value = {key},
            _column = {literal(key_header)}
            WHERE _reason IS NULL AND rowid IN (
              SELECT rid FROM (SELECT rowid AS rid,
                                      row_number() OVER (PARTITION BY {key} ORDER BY rowid) AS n
                               FROM {parsed} WHERE _reason IS NULL) WHERE n > 1)"""
    )
    numbers = ", ".join(
        f"CAST({_typed(f, fields, 'DECIMAL(18,4)')} AS DOUBLE) AS {f}" for f in CUSTOMER_FIGURES
    )
    margin = _margin_fraction(fields)
    con.execute(
        f"""CREATE TABLE {imp.table} AS SELECT {imp.source.row()} AS row, {key} AS customer,
            {_text("customer_id", fields)} AS customer_id,
            {_text("customer_name", fields)} AS customer_name, {numbers},
            CAST({_typed("fit_code", fields, "DECIMAL(18,4)")} AS INTEGER) AS fit_code,
            {margin} AS margin_pct
            FROM {parsed} WHERE _reason IS NULL"""
    )


def _margin_fraction(fields: dict) -> str:
    """A margin column holds fractions (0,30) or percentages (30): one value above 1 in the
    column says which, so both read as 0.30."""
    margin = f"CAST({_typed('margin_pct', fields, 'DECIMAL(18,4)')} AS DOUBLE)"
    return f"CASE WHEN max(abs({margin})) OVER () > 1 THEN {margin} / 100 ELSE {margin} END"


def _create_products(con, parsed: str, imp: Import, fields: dict) -> None:
    header = imp.mapping.fields["product"]
    estimates = [f for f in ("margin_pct", "unit_cost") if f in fields]
    shown = " / ".join(imp.mapping.fields[f] for f in estimates)
    con.execute(
        f"""UPDATE {parsed} SET _reason = 'product_no_estimate', _value = NULL,
            _column = {literal(shown)}
            WHERE _reason IS NULL AND {" AND ".join(f"{f} IS NULL" for f in estimates)}"""
    )
    # one estimate per product: a second row for the same product is rejected
    key = "lower(trim(t_product))"
    con.execute(
        f"""UPDATE {parsed} SET _reason = 'product_duplicate', _value = t_product,
            _column = {literal(header)}
            WHERE _reason IS NULL AND rowid IN (
              SELECT rid FROM (SELECT rowid AS rid,
                                      row_number() OVER (PARTITION BY {key} ORDER BY rowid) AS n
                               FROM {parsed} WHERE _reason IS NULL) WHERE n > 1)"""
    )
    con.execute(
        f"""CREATE TABLE {imp.table} AS SELECT {imp.source.row()} AS row,
            t_product AS product, {key} AS product_key, {_margin_fraction(fields)} AS margin_pct,
            CAST({_typed("unit_cost", fields, "DECIMAL(18,4)")} AS DOUBLE) AS unit_cost
            FROM {parsed} WHERE _reason IS NULL"""
    )


def _create_rejects(con, parsed: str, imp: Import, cells: bool) -> None:
    """The rejected rows; ``cells``: whether ``parsed`` holds their cells (else none failed
    a check, and rows rejected later, such as a customer's second row, show none)."""
    source = imp.source
    names = [h if h not in REJECT_COLUMNS else f"{h} (bron)" for h in source.headers]
    cell = "_raw{}" if cells else "CAST(NULL AS VARCHAR)"
    shown = ", ".join(f"{cell.format(i)} AS {ident(n)}" for i, n in enumerate(names))
    con.execute(
        f"""CREATE TABLE {imp.rejects} AS SELECT {source.row()} AS row, _reason AS reason,
            _column AS "column", _value AS value, {shown}
            FROM {parsed} WHERE _reason IS NOT NULL"""
    )
    if source.skipped:
        con.executemany(
            f'INSERT INTO {imp.rejects} (row, reason, "column", value) VALUES (?, ?, NULL, ?)',
            [list(s) for s in source.skipped],
        )


def _count(con, parsed: str, imp: Import) -> None:
    parsed_rows = first_row(con, f"SELECT count(*) FROM {parsed}")[0]
    reasons = dict(
        con.execute(f"SELECT reason, count(*) FROM {imp.rejects} GROUP BY reason").fetchall()
    )
    imp.reasons = dict(Counter(reasons).most_common())
    imp.rows_read = parsed_rows + len(imp.source.skipped)
    imp.rows_rejected = sum(reasons.values())
    imp.rows_used = imp.rows_read - imp.rows_rejected
    if "is_duplicate" in [r[0] for r in con.execute(f"DESCRIBE {imp.table}").fetchall()]:
        imp.duplicates = first_row(
            con, f"SELECT count(DISTINCT row) FROM {imp.table} WHERE is_duplicate"
        )[0]
