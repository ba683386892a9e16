"""Saved datasets: Parquet files in the data folder, written atomically.

Layout under the data folder (``PORTFOLIO_DATA_DIR``, default ``data/store``)::

    datasets/<name>/<version>/lines.parquet, customers.parquet, rejects_*.parquet, meta.json
    datasets/<name>/CURRENT      the version in use (replaced atomically)

A save writes a new version folder under ``tmp/`` and renames it into place,
then replaces ``CURRENT``: a crash or a failed upload leaves the previous
version readable and intact.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from portfolio.errors import InputError
from portfolio.export import atomic_write
from portfolio.ingest import Import
from portfolio.metrics import Tables
from portfolio.workspace import exclusive

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "store"
_NAME = re.compile(r"^[\w][\w \-]{0,59}$")


def data_dir() -> Path:
    """The folder DuckDB may read and write; everything saved lives here."""
    path = Path(os.environ.get("PORTFOLIO_DATA_DIR", DEFAULT_DATA_DIR)).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    version: str
    path: Path
    meta: dict


def dataset_folder(root: Path, name: str) -> Path:
    """The folder of dataset ``name`` (its versions and decisions); the name is checked."""
    if not _NAME.fullmatch(name or ""):
        raise InputError("dataset_name_invalid", name=name)
    return root / "datasets" / name


ANY_VERSION = object()  # save_dataset without a check (the demo, the command line)


def save_dataset(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    name: str,
    lines: Import,
    customers: Import | None = None,
    replaces: str | None | object = ANY_VERSION,
) -> DatasetInfo:
    """Save the imported tables as a new version of dataset ``name``.

    ``replaces``: the version of ``name`` the user saw (None: there was none). When a
    teammate saved another version since, nothing is saved: ``InputError``.
    """
    folder = dataset_folder(root, name)
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    work = root / "tmp" / f"save-{uuid.uuid4().hex}"
    work.mkdir(parents=True)
    try:
        parts = {"lines": lines.table, "rejects_lines": lines.rejects}
        if customers:
            parts |= {"customers": customers.table, "rejects_customers": customers.rejects}
        for part, table in parts.items():
            con.execute(f"COPY (SELECT * FROM {table}) TO '{work / part}.parquet' (FORMAT parquet)")
        meta = {
            "name": name,
            "version": version,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": {key: _import_meta(imp) for key, imp in
                      (("lines", lines), ("customers", customers)) if imp},
        }  # fmt: skip
        (work / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        os.rename(work, folder / version)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    with exclusive(folder / "CURRENT"):
        current = _current_version(folder)
        if replaces is not ANY_VERSION and current != replaces:
            shutil.rmtree(folder / version, ignore_errors=True)
            raise InputError("dataset_conflict", name=name)
        atomic_write(folder / "CURRENT", version.encode())
    return DatasetInfo(name, version, folder / version, meta)


def _current_version(folder: Path) -> str | None:
    try:
        return (folder / "CURRENT").read_text().strip()
    except FileNotFoundError:
        return None


def current_version(root: Path, name: str) -> str | None:
    """The version of dataset ``name`` in use, or None when there is no such dataset."""
    return _current_version(dataset_folder(root, name))


def _import_meta(imp: Import) -> dict:
    return {
        "file": imp.file,
        "rows_read": imp.rows_read,
        "rows_used": imp.rows_used,
        "rows_rejected": imp.rows_rejected,
        "duplicates": imp.duplicates,
        "reasons": imp.reasons,
        "mapping": imp.mapping.fields,
        "year_columns": {str(y): h for y, h in imp.mapping.year_columns.items()},
    }


def list_datasets(root: Path) -> list[str]:
    """Names of the saved datasets, alphabetically."""
    base = root / "datasets"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / "CURRENT").is_file())


def dataset_info(root: Path, name: str) -> DatasetInfo:
    folder = dataset_folder(root, name)
    try:
        version = (folder / "CURRENT").read_text().strip()
        meta = json.loads((folder / version / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError("dataset_missing", name=name) from exc
    return DatasetInfo(name, version, folder / version, meta)


def open_dataset(con: duckdb.DuckDBPyConnection, info: DatasetInfo) -> Tables:
    """Views over the dataset's Parquet files, private to ``con`` (a cursor per session)."""
    prefix = "ds_" + uuid.uuid4().hex[:10]
    views = {}
    for part in ("lines", "customers"):
        file = info.path / f"{part}.parquet"
        if file.is_file():
            path = str(file).replace("'", "''")
            con.execute(f"CREATE TEMP VIEW {prefix}_{part} AS SELECT * FROM read_parquet('{path}')")
            views[part] = f"{prefix}_{part}"
    return Tables(views["lines"], views.get("customers"))


def suggest_name(file_name: str) -> str:
    """A dataset name from an uploaded file's name: ``Verkoop 2025 (Exact).csv`` gives
    ``Verkoop 2025 Exact``."""
    stem = Path(file_name).stem
    cleaned = re.sub(r"[^\w \-]+", " ", stem)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()[:60].strip()
    return cleaned if _NAME.fullmatch(cleaned) else "Upload"
