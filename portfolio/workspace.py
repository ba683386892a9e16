"""The workspace's small JSON files (decisions, scenarios, plans): read, changed and
written whole while holding the file's lock, so two people saving at once are applied
one after the other and neither change is lost. Conflicting changes (both edited the
same thing) are refused by the callers, with a message; never silently overwritten.

The lock is an advisory ``flock`` on ``.<name>.lock`` beside the file: it serialises the
app's own threads and processes on one server. Writes are atomic (``atomic_write``):
a crash or a kill mid-write leaves the previous file. Only finite numbers are written:
``NaN`` or ``Infinity`` would make the file invalid JSON, so callers refuse them where
values come in (``require_finite``) and ``write_json`` refuses them as a last guard.
"""

from __future__ import annotations

import fcntl
import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from portfolio.errors import InputError
from portfolio.export import atomic_write

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


class _Unchecked:
    def __repr__(self) -> str:
        return "UNCHECKED"


# A save that checks what the user saw takes ``seen``: the version, revision or moment
# of the thing as the user last saw it (None: there was none yet). A teammate's save
# since then is a ``ConflictError``. ``UNCHECKED`` saves without that check (the demo,
# the command line, a test setting things up).
UNCHECKED = _Unchecked()


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the lock of ``path`` until the block ends."""
    lock = path.with_name(f".{path.name}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_json(path: Path) -> dict:
    """The file's content; an empty mapping when there is none yet."""
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, data: dict) -> None:
    """Write ``data`` atomically (hold the file's lock around it). A non-finite number
    raises ``ValueError`` and writes nothing: it is a bug, the boundary should have
    refused it."""
    atomic_write(path, json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False).encode())


def update_json(path: Path, change: Callable[[dict], dict]) -> dict:
    """Read, ``change`` and write the file under its lock; the new content. When
    ``change`` raises, nothing is written."""
    with exclusive(path):
        data = change(read_json(path))
        write_json(path, data)
        return data


def update_record(path: Path, record: Callable[[dict], T], change: Callable[[T], None]) -> T:
    """``update_json`` for a file that holds one dataclass: ``record(data)`` reads it,
    ``change`` changes it in place (or raises: nothing is written), and it is written back
    whole; the record as saved."""

    def apply(data: dict) -> dict:
        current = record(data)
        change(current)
        return asdict(current)

    return record(update_json(path, apply))


def require_finite(values: object, where: str = "") -> None:
    """Raise ``InputError`` ("value_not_finite") when ``values`` (a number, or a mapping
    or list of them, nested) holds NaN or ±Infinity; ``where`` names the setting."""
    if isinstance(values, dict):
        for key, value in values.items():
            require_finite(value, f"{where}.{key}" if where else str(key))
    elif isinstance(values, list | tuple):
        for value in values:
            require_finite(value, where)
    elif isinstance(values, float) and not math.isfinite(values):
        raise InputError("value_not_finite", setting=where or "?", value=values)
