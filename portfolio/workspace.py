"""The workspace's small JSON files (decisions, scenarios, plans): read, changed and
written whole while holding the file's lock, so two people saving at once are applied
one after the other and neither change is lost. Conflicting changes (both edited the
same thing) are refused by the callers, with a message; never silently overwritten.

The lock is an advisory ``flock`` on ``.<name>.lock`` beside the file: it serialises the
app's own threads and processes on one server. Writes are atomic (``atomic_write``):
a crash or a kill mid-write leaves the previous file.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from portfolio.export import atomic_write


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


def update_json(path: Path, change: Callable[[dict], dict]) -> dict:
    """Read, ``change`` and write the file under its lock; the new content. When
    ``change`` raises, nothing is written."""
    with exclusive(path):
        data = change(read_json(path))
        atomic_write(path, json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))
        return data
