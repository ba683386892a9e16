"""Reading a list of prospects (step 5, grow externally): the companies sales could approach,
with where they are and how large they may be. CSV, xlsx or parquet, read like every
other file (``portfolio.ingest.sources``) and mapped with ``config/columns.yaml``.

A prospect list is small (hundreds or thousands of rows), so its rows come back as a
DataFrame. A row without a name cannot be used: it is counted and listed, not dropped
silently.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from portfolio.errors import InputError
from portfolio.ingest import parsing
from portfolio.ingest.columns import map_columns
from portfolio.ingest.sniff import ReadOptions
from portfolio.ingest.sources import Source, load_source


@dataclass
class Prospects:
    frame: pd.DataFrame  # name, region, sector, revenue (euro or None)
    file: str
    rows_read: int
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row, reason key)


def read_prospects(
    con: duckdb.DuckDBPyConnection, path: Path, staging: Path, options: ReadOptions | None = None
) -> Prospects:
    """The prospects in ``path``; raises ``InputError`` when it has no name column."""
    source = load_source(con, Path(path), staging, "prospects", options or ReadOptions())
    mapping = map_columns(source.headers, "prospects")
    if "name" not in mapping.fields:
        source.release(con)
        raise InputError(
            "no_prospect_name_column", file=Path(path).name, headers=", ".join(source.headers)
        )
    column = {f: f"c{source.headers.index(h)}" for f, h in mapping.fields.items()}
    table = f"prospects_{uuid.uuid4().hex[:10]}"
    source.materialize(con, table, lambda s: _select(s, column))
    try:
        # the spreadsheet row of each row, over the materialized table's rowid
        rows = con.execute(f"SELECT {source.row()} AS row, * FROM {table} ORDER BY rowid").df()
    finally:
        con.execute(f"DROP TABLE IF EXISTS {table}")
        source.release(con)
    return _prospects(rows, Path(path).name)


def _select(source: Source, column: dict[str, str]) -> str:
    def text(f: str) -> str:
        return f"nullif(trim(CAST({column[f]} AS VARCHAR)), '')" if f in column else "NULL"

    return (
        f"SELECT {text('name')} AS name, {text('region')} AS region, "
        f"{text('sector')} AS sector, {text('revenue')} AS revenue_text FROM {source.relation}"
    )


def _prospects(rows: pd.DataFrame, file: str) -> Prospects:
    texts = rows["revenue_text"].dropna().astype(str)
    style = parsing.detect_decimal(texts.head(500))
    revenue = rows["revenue_text"].map(lambda v: _amount(v, style))
    rejected = [(int(r), "prospect_no_name") for r in rows.loc[rows["name"].isna(), "row"]]
    rejected += [
        (int(r), "prospect_revenue_unreadable")
        for r in rows.loc[
            rows["revenue_text"].notna() & revenue.isna() & rows["name"].notna(), "row"
        ]
    ]  # a revenue that cannot be read leaves the prospect in, without revenue
    frame = rows.loc[rows["name"].notna(), ["name", "region", "sector"]].assign(
        revenue=revenue[rows["name"].notna()]
    )
    return Prospects(frame.reset_index(drop=True), file, len(rows), sorted(rejected))


def _amount(value, style: str) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = parsing.clean_number_text(str(value))
    if style == parsing.COMMA:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None
