"""Work made in the background for what a person will most likely ask next.

The sidebar's period slider mostly moves one step at a time, and a new period is a pass
over every invoice line: its neighbours are made while the person reads the page, so
that step finds its tables made. One worker for the whole server, so guesses never
crowd out the runs people wait for; only a session's latest request counts (a slider
moved on makes the guesses for the old position stale), and the work begins a moment
after the request: on two cores it would otherwise slow the drawing of the page the
person is waiting for.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger("portfolio")


class Ahead:
    """Calls ``make(key)`` for guessed keys in one background thread, ``delay`` seconds
    after each request, skipping the keys of a request its session has since replaced.
    ``make`` is expected to keep its results (a cache); a failure is logged and ignored:
    the page makes the same thing when it is really asked for."""

    def __init__(self, make: Callable[[Hashable], object], delay: float, sessions: int = 1000):
        self._make = make
        self._delay = delay
        self._sessions = sessions
        self._latest: dict[str, Hashable] = {}
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ahead")

    def request(self, session: str, latest: Hashable, keys: Iterable[Hashable]) -> Future:
        """Make ``keys`` unless ``session`` asks again (with another ``latest``) first."""
        with self._lock:
            if len(self._latest) >= self._sessions:  # ids only, but never without end
                self._latest.clear()
            self._latest[session] = latest
        due = time.monotonic() + self._delay
        return self._worker.submit(self._run, session, latest, list(keys), due)

    def _current(self, session: str, latest: Hashable) -> bool:
        with self._lock:
            return self._latest.get(session) == latest

    def _run(self, session: str, latest: Hashable, keys: list, due: float) -> None:
        if not self._current(session, latest):  # stale while queued: no wait for it
            return
        time.sleep(max(0.0, due - time.monotonic()))
        for key in keys:
            if not self._current(session, latest):  # the person has moved on
                return
            try:
                self._make(key)
            except Exception:
                log.debug("made ahead in vain: %s", key, exc_info=True)
