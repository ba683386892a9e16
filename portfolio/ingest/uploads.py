"""Files uploaded in the browser, kept in the data folder until they are read.

DuckDB may only read inside the data folder, so an upload is written there
first: ``uploads/<sha256 of the bytes>/<the user's file name>``. The same bytes
land in the same place (nothing is written twice), the user's own file name
stays visible in every message, and the write is atomic.

Nothing here outlives the session that uploaded it. Once read, an upload's raw file
is no longer needed: the readers copy the rows into DuckDB tables, and a save writes
them as Parquet under ``datasets/``. ``discard`` removes one upload, ``sweep`` every
upload untouched for ``ingest.upload_ttl_minutes``, and ``drop_unsaved_tables``
the DuckDB tables of imports no session holds any more.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

import duckdb

from portfolio.config import thresholds
from portfolio.errors import InputError
from portfolio.export import atomic_write

_UNSAFE = re.compile(r"[^\w .,()-]")  # path separators, control characters, quotes …
_SHA = re.compile(r"[0-9a-f]{64}(?:-[0-9a-f]{8,32})?")  # "-<reader>": one reader's own copy
# the tables an import makes while reading (sources/ "src_", sources/csv.py "csv_",
# read.py "p_" with "_used", "_rejects_out", "_dup"): a random id of 12 hex digits
_STAGING_TABLE = re.compile(r"(?:p|src|csv)_[0-9a-f]{12}(?:_[a-z_]+)?")


def file_hash(data: bytes) -> str:
    """SHA-256 of the whole file (~19 ms for 21 MB): the identity of an upload."""
    return hashlib.sha256(data).hexdigest()


def safe_file_name(name: str) -> str:
    """The user's file name without any path or unusual character, 100 characters at most."""
    base = Path(str(name).replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip(" .") or "upload"
    stem, dot, suffix = cleaned.rpartition(".")
    if not (dot and len(suffix) <= 8):
        stem, suffix = cleaned, ""
    # 100 characters, and 120 bytes: a file system allows 255 bytes, and 100 Chinese or
    # Japanese characters are 300 (cut on a character boundary)
    stem = stem[: 100 - (len(suffix) + 1 if suffix else 0)]
    stem = stem.encode()[:120].decode("utf-8", "ignore")
    return f"{stem}.{suffix}" if suffix else stem


def keep_upload(root: Path, file_name: str, data: bytes, reader: str = "") -> Path:
    """Write an uploaded file into ``root/uploads`` and return its path.

    ``reader`` (hex): a copy of that reader's own, which it may ``discard`` when done
    without pulling the file from under another session reading the same bytes.

    Raises ``InputError`` for an empty file or one above ``ingest.max_file_mb``.
    """
    name = safe_file_name(file_name)
    limit_mb = thresholds().ingest.max_file_mb
    if len(data) > limit_mb * 1024 * 1024:
        raise InputError(
            "file_too_large", file=name, size_mb=round(len(data) / 2**20), limit_mb=limit_mb
        )
    if not data:
        raise InputError("file_empty", file=name)
    if reader and not re.fullmatch(r"[0-9a-f]{8,32}", reader):
        raise ValueError(f"reader must be 8 to 32 hex digits, not {reader!r}")
    folder = file_hash(data) + (f"-{reader}" if reader else "")
    path = root / "uploads" / folder / name
    if not path.is_file() or path.stat().st_size != len(data):
        atomic_write(path, data)
    else:  # used again: its age counts from now, so ``sweep`` leaves it while it is read
        os.utime(path.parent)
    return path


def discard(path: Path) -> None:
    """Remove one upload (the folder ``uploads/<sha>`` of the file ``path`` that
    ``keep_upload`` returned): when its session ends, or once it is saved. Anything not
    an upload of that shape is left alone."""
    folder = Path(path).parent
    if _SHA.fullmatch(folder.name) and folder.parent.name == "uploads":
        shutil.rmtree(folder, ignore_errors=True)


def sweep(root: Path, max_age_seconds: float | None = None, now: float | None = None) -> list[Path]:
    """Remove every upload under ``root/uploads`` untouched for ``max_age_seconds``
    (default ``ingest.upload_ttl_minutes``; 0 removes them all). The folders removed."""
    if max_age_seconds is None:
        max_age_seconds = thresholds().ingest.upload_ttl_minutes * 60
    now = time.time() if now is None else now
    removed = []
    for folder in sorted((root / "uploads").glob("*")):
        if not _SHA.fullmatch(folder.name):
            continue
        try:
            touched = max(p.stat().st_mtime for p in [folder, *folder.iterdir()])
        except FileNotFoundError:  # discarded meanwhile
            continue
        if now - touched >= max_age_seconds:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def import_tables(imports: Iterable) -> set[str]:
    """The DuckDB tables and views behind ``imports`` (``Import`` objects): what a
    session still needs, for ``drop_unsaved_tables(keep=...)``."""
    return {name for imp in imports for name in (imp.table, imp.rejects, *imp.backing)}


def staging_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The tables and views imports made (shared by every cursor), saved or not."""
    rows = con.execute(
        """SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main'
           UNION ALL
           SELECT view_name FROM duckdb_views() WHERE NOT temporary AND schema_name = 'main'"""
    ).fetchall()
    return {name for (name,) in rows if _STAGING_TABLE.fullmatch(name)}


def drop_unsaved_tables(
    con: duckdb.DuckDBPyConnection,
    keep: Iterable[str] = (),
    first_seen: dict[str, float] | None = None,
    max_age_seconds: float = 0,
    now: float | None = None,
) -> list[str]:
    """Drop the tables of imports no session holds (``keep``: ``import_tables`` of the
    live sessions' imports). The names dropped.

    A table an import is making right now is in no session yet: call this every few
    minutes with the same ``first_seen`` (a dict you keep: table -> when first found
    unheld) and a ``max_age_seconds`` well above an import's duration; a table is
    dropped only once unheld for that long. Without ``first_seen``, every unheld table
    goes at once (a single-user tool, or when no import can be running).
    """
    now = time.time() if now is None else now
    seen = {} if first_seen is None else first_seen
    unheld = staging_tables(con) - set(keep)
    for name in [n for n in seen if n not in unheld]:
        del seen[name]
    for name in unheld:
        seen.setdefault(name, now)
    due = sorted(n for n in unheld if now - seen[n] >= max_age_seconds)
    views = {n for (n,) in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    for name in sorted(due, key=lambda n: n not in views):  # views first: they read tables
        con.execute(f"DROP {'VIEW' if name in views else 'TABLE'} IF EXISTS {name}")
        del seen[name]
    return due
