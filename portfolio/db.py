"""The DuckDB connection: hardened, because uploaded files are untrusted.

DuckDB may read and write only inside the data folder; extensions are never
installed or loaded on demand; the configuration is locked so that no query
can undo this. The order of the settings matters (DuckDB refuses other orders).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

MEMORY_LIMIT = "1536MB"  # keeps 10M invoice lines under 2 GiB; DuckDB spills to the data folder


def connect(
    data_dir: Path, *, threads: int | None = None, also: tuple[Path, ...] = ()
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that can only touch files under ``data_dir`` (and ``also``: the
    command line comparing a file with a saved dataset reads the data folder too).

    Use ``con.cursor()`` per thread (Streamlit session); a cursor inherits
    these settings.
    """
    data_dir = Path(data_dir).resolve()
    spill = data_dir / "tmp"
    spill.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET enable_progress_bar = false")  # it would print into the CLI's output
    con.execute("SET temp_directory = ?", [str(spill)])
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    allowed = [str(data_dir), *(str(Path(folder).resolve()) for folder in also)]
    con.execute("SET allowed_directories = ?", [allowed])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple:
    """The first row of a query, with the result closed.

    ``fetchone()`` leaves DuckDB's result open, and a later ``register()`` on the
    same connection then fails with ResourceInUseException (DuckDB 2.0).
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else ()


def ident(name: str) -> str:
    """A name (a column, a table) for SQL, quoted: any text, a header of the user's file
    included. The one way names go into SQL."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A text as an SQL string literal, for SQL that is kept and run later (a view, a
    reader's options, the checks an import's SELECT makes), where a parameter cannot go.
    A value of a query run now goes as a parameter (``$name`` or ``?``) instead."""
    return "'" + text.replace("'", "''") + "'"
