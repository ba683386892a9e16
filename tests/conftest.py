"""Shared fixtures: a hardened DuckDB in ``tmp_path`` and helpers to write and read exports.

Every test works on real files written to ``tmp_path`` and a real DuckDB from
``portfolio.connect``; nothing is mocked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from portfolio import (
    Import,
    ReadOptions,
    Tables,
    connect,
    data_range,
    read_customer_file,
    read_invoice_lines,
    read_product_file,
)

DEMO = Path(__file__).resolve().parents[1] / "data"


def read_demo(folder: Path):
    """The bundled demo export and customer file, read with the product's own readers into
    a DuckDB of ``folder``: (connection, tables, last invoice date)."""
    con = connect(folder)
    lines = read_invoice_lines(con, DEMO / "demo_verkoopregels.csv", folder / "staging")
    customers = read_customer_file(con, DEMO / "demo_klanten.csv", folder / "staging")
    tables = Tables(lines.table, customers.table)
    return con, tables, data_range(con, tables)[1]


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """The product's DuckDB, allowed to touch ``tmp_path`` only."""
    connection = connect(tmp_path)
    yield connection
    connection.close()


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    return tmp_path / "staging"


@pytest.fixture
def write_text(tmp_path: Path) -> Callable[..., Path]:
    """``write_text(name, text, encoding="cp1252")``: a text file in ``tmp_path``, bytes as given.

    Line ends are written exactly as they appear in ``text``.
    """

    def write(name: str, text: str, encoding: str = "cp1252") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def read_lines(con, staging) -> Callable[..., Import]:
    """``read_lines(path, **options)``: ``read_invoice_lines`` with ``ReadOptions(**options)``."""

    def read(path: Path, **options: object) -> Import:
        return read_invoice_lines(con, path, staging, ReadOptions(**options))

    return read


@pytest.fixture
def read_customers(con, staging) -> Callable[..., Import]:
    def read(path: Path, **options: object) -> Import:
        return read_customer_file(con, path, staging, ReadOptions(**options))

    return read


@pytest.fixture
def read_products(con, staging) -> Callable[..., Import]:
    def read(path: Path, **options: object) -> Import:
        return read_product_file(con, path, staging, ReadOptions(**options))

    return read


@pytest.fixture
def fetch(con) -> Callable[[str], pd.DataFrame]:
    """``fetch(table)``: a DuckDB table as a DataFrame, in source row order."""

    def get(table: str) -> pd.DataFrame:
        return con.execute(f'SELECT * FROM {table} ORDER BY "row"').df()

    return get


@pytest.fixture
def records(con) -> Callable[..., list[dict]]:
    """``records(table, columns)``: rows as dicts in source row order, SQL NULL as ``None``."""

    def get(table: str, columns: Sequence[str] = ("row", "reason", "column", "value")):
        select = ", ".join('"' + c + '"' for c in columns)
        rows = con.execute(f'SELECT {select} FROM {table} ORDER BY "row"').fetchall()
        return [dict(zip(columns, r, strict=True)) for r in rows]

    return get
