"""What the server keeps of a user's data, and for how long. The import page and the
README say the same; change them together.

- **A raw upload** (the file's bytes on disk, so DuckDB may read it): only while it is
  read. It is removed right after, whatever the outcome; one left behind by a crash is
  removed at the next start or after ``ingest.upload_ttl_minutes``.
- **The rows read from an upload that is not saved**: in the server's memory (DuckDB
  tables with random names), for the session that uploaded them. They are dropped when
  the session ends: a closed tab is forgotten by Streamlit after
  ``server.disconnectedSessionTTL`` seconds (a reconnect within that time keeps them),
  then the next sweep drops them. Tables no session holds (an import cut off by a
  crash of its session) go after ``ingest.upload_ttl_minutes``; all go with a restart.
- **A saved dataset**: until someone deletes it (with its decisions, scenarios, plan and
  kept versions); the newest ``store.keep_versions`` versions are kept.

The bookkeeping lives in module globals, not in ``st.cache_resource``: a client can send
``clear_cache`` over the websocket, which must never drop someone's unsaved import.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from portfolio import store
from portfolio.config import thresholds
from portfolio.ingest import uploads

log = logging.getLogger("portfolio")


class Holdings:
    """The DuckDB tables of each session's unsaved imports; thread-safe.

    ``is_active(session_id)`` tells whether a session is still connected; a session that
    is not is given ``grace`` seconds to come back before its tables are dropped.
    """

    def __init__(self, is_active: Callable[[str], bool], grace: float) -> None:
        self.is_active, self.grace = is_active, grace
        self._held: dict[str, set[str]] = {}
        self._gone_since: dict[str, float] = {}
        self._unheld_since: dict[str, float] = {}  # for drop_unsaved_tables
        self._lock = threading.Lock()

    def hold(self, session: str, tables: Iterable[str]) -> None:
        with self._lock:
            self._held.setdefault(session, set()).update(tables)

    def release(self, session: str, tables: Iterable[str]) -> None:
        with self._lock:
            self._held.get(session, set()).difference_update(tables)

    def held(self) -> set[str]:
        with self._lock:
            return set().union(*self._held.values())

    def ended(self, now: float) -> dict[str, set[str]]:
        """Take out the sessions gone for longer than the grace: {session: its tables}."""
        with self._lock:
            gone = {}
            for session in list(self._held):
                if self.is_active(session):
                    self._gone_since.pop(session, None)
                    continue
                since = self._gone_since.setdefault(session, now)
                if now - since >= self.grace:
                    gone[session] = self._held.pop(session)
                    del self._gone_since[session]
            return gone

    def sweep(self, con: duckdb.DuckDBPyConnection, root: Path, now: float | None = None) -> int:
        """Drop the tables of ended sessions, and those no session holds for longer than
        ``ingest.upload_ttl_minutes``; remove raw uploads as old. The tables dropped."""
        now = time.time() if now is None else now
        ttl = thresholds().ingest.upload_ttl_minutes * 60
        ended = self.ended(now)
        with self._lock:
            for tables in ended.values():  # due at once
                self._unheld_since.update(dict.fromkeys(tables, now - ttl))
            keep = set().union(*self._held.values())
            dropped = uploads.drop_unsaved_tables(con, keep, self._unheld_since, ttl, now)
        uploads.sweep(root, ttl, now)
        return len(dropped)


def at_start(root: Path) -> None:
    """What a previous run of the server left: raw uploads (its tables died with it)
    and interrupted saves or deletes."""
    removed = uploads.sweep(root, 0)
    orphans = store.sweep_orphans(root)
    if removed or orphans:
        log.info("start_cleanup uploads=%d orphans=%d", len(removed), len(orphans))


def start_sweeper(holdings: Holdings, con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """Sweep every ``store.sweep_seconds`` in a daemon thread, for the server's life."""
    interval = thresholds().store.sweep_seconds

    def loop() -> None:
        cursor = con.cursor()
        while True:
            time.sleep(interval)
            try:
                if dropped := holdings.sweep(cursor, root):
                    log.info("unsaved_dropped tables=%d", dropped)
            except Exception:  # keep sweeping; the log says what failed (no customer data)
                log.exception("sweep failed")

    threading.Thread(target=loop, name="portfolio-sweeper", daemon=True).start()
