"""Files uploaded in the browser, kept in the data folder until they are read.

DuckDB may only read inside the data folder, so an upload is written there
first: ``uploads/<sha256 of the bytes>/<the user's file name>``. The same bytes
land in the same place (nothing is written twice), the user's own file name
stays visible in every message, and the write is atomic.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from portfolio.config import thresholds
from portfolio.errors import InputError
from portfolio.export import atomic_write

_UNSAFE = re.compile(r"[^\w .,()-]")  # path separators, control characters, quotes …


def file_hash(data: bytes) -> str:
    """SHA-256 of the whole file (~19 ms for 21 MB): the identity of an upload."""
    return hashlib.sha256(data).hexdigest()


def safe_file_name(name: str) -> str:
    """The user's file name without any path or unusual character, 100 characters at most."""
    base = Path(str(name).replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip(" .") or "upload"
    stem, dot, suffix = cleaned.rpartition(".")
    if dot and len(suffix) <= 8:
        return f"{stem[: 100 - len(suffix) - 1]}.{suffix}"
    return cleaned[:100]


def keep_upload(root: Path, file_name: str, data: bytes) -> Path:
    """Write an uploaded file into ``root/uploads`` and return its path.

    Raises ``InputError`` for an empty file or one above ``ingest.max_file_mb``.
    """
    name = safe_file_name(file_name)
    limit_mb = thresholds().ingest.max_file_mb
    if len(data) > limit_mb * 1024 * 1024:
        raise InputError("file_too_large", file=name, size_mb=round(len(data) / 2**20),
                         limit_mb=limit_mb)  # fmt: skip
    if not data:
        raise InputError("file_empty", file=name)
    path = root / "uploads" / file_hash(data) / name
    if not path.is_file() or path.stat().st_size != len(data):
        atomic_write(path, data)
    return path
