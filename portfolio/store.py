"""Saved datasets: Parquet files in the data folder, written atomically.

Layout under the data folder (``PORTFOLIO_DATA_DIR``, default ``data/store``)::

    datasets/<name>/<version>/lines.parquet, customers.parquet, rejects_*.parquet, meta.json
    datasets/<name>/CURRENT      the version in use (replaced atomically)

    datasets/<name>/decisions.json, scenarios.json, plan.json   what the team entered

A save writes a new version folder under ``tmp/`` and renames it into place,
then replaces ``CURRENT``: a crash or a failed upload leaves the previous
version readable and intact. After a save only the newest ``store.keep_versions``
versions stay (``CURRENT`` always among them). Deleting a dataset renames its folder
to ``tmp/deleted-<id>`` first, so a crash never leaves half a dataset visible;
``sweep_orphans`` removes what interrupted saves and deletes left in ``tmp/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from portfolio import estimates
from portfolio.config import thresholds
from portfolio.db import literal
from portfolio.errors import ConflictError, InputError
from portfolio.export import atomic_write
from portfolio.ingest import Import
from portfolio.metrics import Tables
from portfolio.workspace import UNCHECKED, exclusive

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "store"
_NAME = re.compile(r"^[\w][\w \-]{0,59}$")
# Windows device names, also with an extension ("CON.csv"): such a folder cannot be
# made, copied or backed up on Windows
_RESERVED = re.compile(r"(?:con|prn|aux|nul|com[1-9]|lpt[1-9])(?:\..*)?", re.IGNORECASE)
# the save's start time in UTC (microseconds; whole seconds in older saves), a random id
_VERSION = re.compile(r"(\d{8}T\d{6}(?:\d{6})?)-[0-9a-f]{6}")


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


def normalise_dataset_name(name: str) -> str:
    """``name`` as the store keeps it: Unicode look-alikes folded (NFKC: fullwidth
    ``Ｄｅｍｏ`` is ``Demo``, a no-break space a space), spaces trimmed and runs of them
    made one. Raises ``InputError``: "dataset_name_reserved" for a Windows device name
    (CON, PRN, AUX, NUL, COM1–9, LPT1–9, any case, also with an extension) or a name
    starting with ``_`` or ``.``; "dataset_name_invalid" for anything but letters,
    digits, spaces, ``-`` and ``_`` (control characters are refused, not trimmed) or
    more than 60 characters."""
    text = unicodedata.normalize("NFKC", "" if name is None else str(name))
    text = re.sub(r" {2,}", " ", text).strip(" ")
    if text.startswith(("_", ".")) or _RESERVED.fullmatch(text):
        raise InputError("dataset_name_reserved", name=text)
    if not _NAME.fullmatch(text):
        raise InputError("dataset_name_invalid", name=name)
    return text


def dataset_folder(root: Path, name: str) -> Path:
    """The folder of dataset ``name`` (its versions and decisions); the name is normalised
    (``normalise_dataset_name``) and, when no folder has exactly that name, one whose name
    differs only in case is the same dataset (on Windows and macOS it is the same folder)."""
    name = normalise_dataset_name(name)
    base = root / "datasets"
    folder = base / name
    if folder.is_dir() or not base.is_dir():
        return folder
    same = sorted(p for p in base.iterdir() if p.name.casefold() == name.casefold())
    return same[0] if same else folder


def resolve_dataset_name(root: Path, name: str) -> str:
    """The name under which ``name`` is (or would be) saved: ``"Demo "`` and ``"demo"``
    give ``"Demo"`` when that dataset exists. Raises ``InputError`` as
    ``normalise_dataset_name``."""
    return dataset_folder(root, name).name


def save_dataset(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    name: str,
    lines: Import,
    customers: Import | None = None,
    seen: str | None | object = UNCHECKED,
    products: Import | None = None,
    average_margin: float | None = None,
    by: str = "",
) -> DatasetInfo:
    """Save the imported tables as a new version of dataset ``name`` (``by``: who saves it,
    kept with the version).

    ``seen``: the version of ``name`` the user saw (None: there was none). When a
    teammate saved another version since, nothing is saved: ``ConflictError``.
    ``products`` and ``average_margin`` estimate the gross margin of lines without a
    cost price (``metrics.margin_sql``); they are kept with the version.
    """
    folder = dataset_folder(root, name)
    name = folder.name
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:6]
    work = root / "tmp" / f"save-{uuid.uuid4().hex}"
    work.mkdir(parents=True)
    try:
        parts = {"lines": lines.table, "rejects_lines": lines.rejects}
        if customers:
            parts |= {"customers": customers.table, "rejects_customers": customers.rejects}
        if products:
            parts |= {"products": products.table, "rejects_products": products.rejects}
        for part, table in parts.items():
            target = literal(f"{work / part}.parquet")
            con.execute(f"COPY (SELECT * FROM {table}) TO {target} (FORMAT parquet)")
        meta = {
            "name": name,
            "version": version,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "saved_by": by,
            "files": {
                key: import_meta(imp)
                for key, imp in (("lines", lines), ("customers", customers), ("products", products))
                if imp
            },
            "estimates": {"average_margin": average_margin},
        }
        (work / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        os.rename(work, folder / version)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    with exclusive(folder / "CURRENT"):
        if not (folder / version).is_dir():  # the dataset was deleted while this was saved
            raise InputError("dataset_deleted_while_saving", name=name)
        current = _current_version(folder)
        if seen is not UNCHECKED and current != seen:
            shutil.rmtree(folder / version, ignore_errors=True)
            raise ConflictError("dataset_conflict", name=name)
        atomic_write(folder / "CURRENT", version.encode())
        _prune(root, folder, thresholds().store.keep_versions)
    return DatasetInfo(name, version, folder / version, meta)


def _versions(folder: Path) -> list[Path]:
    """The dataset's version folders, newest first (by the save time in the name)."""
    found = {p: _VERSION.fullmatch(p.name) for p in folder.iterdir() if p.is_dir()}
    stamped = {p: m.group(1).ljust(21, "0") for p, m in found.items() if m}
    return sorted(stamped, key=lambda p: (stamped[p], p.name), reverse=True)


def _prune(root: Path, folder: Path, keep: int) -> list[str]:
    """Remove all but the newest ``keep`` (at least 1) versions, never ``CURRENT``; the
    caller holds the dataset's lock. The removed versions' names, newest first."""
    current = _current_version(folder)
    old = [p for p in _versions(folder)[max(keep, 1) :] if p.name != current]
    for version in old:
        _remove(root, version)
    return [p.name for p in old]


def prune_versions(root: Path, name: str, keep: int | None = None) -> list[str]:
    """Remove the versions of dataset ``name`` beyond the newest ``keep`` (default
    ``store.keep_versions``), never the one in use; ``save_dataset`` does this after every
    save. The removed versions' names, newest first."""
    folder = dataset_folder(root, name)
    if not folder.is_dir():
        return []
    keep = thresholds().store.keep_versions if keep is None else keep
    with exclusive(folder / "CURRENT"):
        return _prune(root, folder, keep)


def _remove(root: Path, path: Path) -> None:
    """Take ``path`` out of sight in one rename (into ``tmp/deleted-<id>``), then delete it:
    a crash halfway leaves nothing half-deleted in place (``sweep_orphans`` ends the job)."""
    gone = root / "tmp" / f"deleted-{uuid.uuid4().hex}"
    gone.parent.mkdir(parents=True, exist_ok=True)
    os.rename(path, gone)
    shutil.rmtree(gone, ignore_errors=True)


def delete_dataset(root: Path, name: str) -> None:
    """Erase dataset ``name`` (the right to erasure): every version, its decisions,
    scenarios and plan. Renamed away under the dataset's lock first, so a teammate's save
    at that moment is refused and a crash never leaves half a dataset visible. Raises
    ``InputError`` ("dataset_missing") when there is no such dataset."""
    folder = dataset_folder(root, name)
    if not folder.is_dir():
        raise InputError("dataset_missing", name=name)
    gone = root / "tmp" / f"deleted-{uuid.uuid4().hex}"
    gone.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(folder / "CURRENT"):
        os.rename(folder, gone)
    shutil.rmtree(gone, ignore_errors=True)


def sweep_orphans(
    root: Path, max_age_seconds: float | None = None, now: float | None = None
) -> list[Path]:
    """Remove what interrupted work left behind, once untouched for ``max_age_seconds``
    (default ``store.orphan_minutes``): ``tmp/save-*`` and ``tmp/deleted-*`` folders,
    staged copies in ``staging/``, half-written ``.*.tmp`` files and dataset folders
    without ``CURRENT`` (a first save that never finished, or a write that came after a
    delete). The age keeps a save or import in progress in another process safe. Call it
    when the server starts. The paths removed."""
    limit = thresholds().store.orphan_minutes * 60 if max_age_seconds is None else max_age_seconds
    now = time.time() if now is None else now
    candidates = [
        *root.glob("tmp/save-*"),
        *root.glob("tmp/deleted-*"),
        *root.glob("staging/*"),
        *root.glob("datasets/*/.*.tmp"),
        *(p for p in root.glob("datasets/*") if p.is_dir() and not (p / "CURRENT").is_file()),
    ]
    removed = []
    for path in candidates:
        if now - _last_touched(path) >= limit:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _last_touched(path: Path) -> float:
    """When ``path`` or anything directly in it last changed (written, renamed, linked)."""
    try:
        paths = [path, *path.iterdir()] if path.is_dir() else [path]
        stats = [p.lstat() for p in paths]
    except FileNotFoundError:  # removed meanwhile by its owner
        return float("inf")
    return max(max(s.st_mtime, s.st_ctime) for s in stats)


def _current_version(folder: Path) -> str | None:
    try:
        return (folder / "CURRENT").read_text().strip()
    except FileNotFoundError:
        return None


def current_version(root: Path, name: str) -> str | None:
    """The version of dataset ``name`` in use, or None when there is no such dataset."""
    return _current_version(dataset_folder(root, name))


def import_meta(imp: Import) -> dict:
    """What a version keeps of an imported file: its name, counts, rejects per reason and
    which column is which field (``changes`` compares them between versions)."""
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
    return sorted(p.name for p in base.iterdir() if (p / "CURRENT").is_file() and _usable(p.name))


def _usable(name: str) -> bool:
    """Whether a folder name is a dataset name still accepted (not one saved before the
    reserved names were refused: such a dataset cannot be opened)."""
    try:
        return normalise_dataset_name(name) == name
    except InputError:
        return False


def dataset_info(root: Path, name: str, version: str | None = None) -> DatasetInfo:
    """Dataset ``name`` in its version in use, or in an earlier ``version`` still kept.
    Raises ``InputError``: "dataset_missing", or "version_missing" for a version that is
    gone or no longer opens."""
    folder = dataset_folder(root, name)
    name = folder.name
    if version is None:
        try:
            version = (folder / "CURRENT").read_text().strip()
        except OSError as exc:
            raise InputError("dataset_missing", name=name) from exc
        missing = "dataset_missing"
    else:
        missing = "version_missing"
    if not _VERSION.fullmatch(version):  # a name from a link: never a path
        raise InputError(missing, name=name, version=version)
    try:
        meta = json.loads((folder / version / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(missing, name=name, version=version) from exc
    if not isinstance(meta, dict) or not (folder / version / "lines.parquet").is_file():
        raise InputError(missing, name=name, version=version)
    return DatasetInfo(name, version, folder / version, meta)


def previous_version(root: Path, name: str) -> DatasetInfo | None:
    """The newest kept version of dataset ``name`` saved before the one in use, if any."""
    current = current_version(root, name)
    kept = dataset_versions(root, name)  # newest first
    names = [v.version for v in kept]
    if current not in names:
        return None
    older = kept[names.index(current) + 1 :]
    return older[0] if older else None


def dataset_versions(root: Path, name: str) -> list[DatasetInfo]:
    """The kept versions of dataset ``name`` that still open, newest first (the one in use
    among them); a version that no longer opens is left out."""
    folder = dataset_folder(root, name)
    if not folder.is_dir():
        return []
    found = []
    for path in _versions(folder):
        try:
            found.append(dataset_info(root, folder.name, path.name))
        except InputError:
            continue
    return found


def open_dataset(con: duckdb.DuckDBPyConnection, info: DatasetInfo) -> Tables:
    """Views over the dataset's Parquet files, private to ``con`` (a cursor per session)."""
    prefix = "ds_" + uuid.uuid4().hex[:10]
    views = {}
    for part in ("lines", "customers", "products"):
        file = info.path / f"{part}.parquet"
        if file.is_file():
            source = f"read_parquet({literal(str(file))})"  # a view keeps no parameters
            con.execute(f"CREATE TEMP VIEW {prefix}_{part} AS SELECT * FROM {source}")
            views[part] = f"{prefix}_{part}"
    return Tables(
        views["lines"], views.get("customers"), views.get("products"), average_margin(info.meta)
    )


def average_margin(meta: dict) -> float | None:
    """The average gross margin assumed for the saved dataset's lines without cost price
    (``estimates.average_margin``: the one saved with it, else the configured default)."""
    return estimates.average_margin((meta.get("estimates") or {}).get("average_margin"))


def suggest_name(file_name: str) -> str:
    """A dataset name from an uploaded file's name: ``Verkoop 2025 (Exact).csv`` gives
    ``Verkoop 2025 Exact``."""
    stem = Path(file_name).stem
    cleaned = re.sub(r"[^\w \-]+", " ", stem)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()[:60].strip()
    try:
        return normalise_dataset_name(cleaned)
    except InputError:  # nothing usable left, or a reserved name such as CON
        return "Upload"
