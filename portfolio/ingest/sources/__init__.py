"""An export's rows for DuckDB, by kind of file: ``csv`` (read by DuckDB straight into the
parsed table), ``xlsx`` and ``parquet`` (loaded into a table first). ``load_source`` picks
the reader; ``base`` holds what they share."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import duckdb

from portfolio.errors import InputError
from portfolio.ingest import sniff
from portfolio.ingest.sources.base import Source
from portfolio.ingest.sources.csv import load_csv
from portfolio.ingest.sources.parquet import load_parquet
from portfolio.ingest.sources.xlsx import load_xlsx

__all__ = ["Source", "load_source"]


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
    source: Source
    if kind == "csv":
        source = load_csv(path, staging, shape, options, fields)
    elif kind == "xlsx":
        source = load_xlsx(con, path, staging, table, shape, options, fields)
    else:
        source = load_parquet(con, path, staging, table, shape, options)
    if not source.headers:
        raise InputError("file_empty", file=path.name)
    return source
