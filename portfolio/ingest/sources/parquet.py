"""Parquet files: loaded into a table of text columns, like every other source."""

from __future__ import annotations

import shutil
import uuid

import duckdb

from portfolio.db import ident
from portfolio.errors import InputError
from portfolio.ingest.sources.base import Source, unique_headers


def load_parquet(con, path, staging, table, shape, options) -> Source:
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
        select = ", ".join(f"CAST({ident(n)} AS VARCHAR) AS c{i}" for i, n in enumerate(names))
        con.execute(f"CREATE TABLE {table} AS SELECT {select} FROM read_parquet(?)", [str(staged)])
    except duckdb.Error as exc:
        raise InputError(
            "file_unreadable_parquet", file=path.name, reason=str(exc).split("\n")[0]
        ) from exc
    finally:
        if staged != path:
            staged.unlink(missing_ok=True)
    return Source(
        relation=table,
        file=path.name,
        kind="parquet",
        headers=headers,
        header_row=1,
        row_sql="{rowid} + 2",  # column names count as row 1, as they would in a spreadsheet
    )
