"""Who may use a shared deployment: a team password or single sign-on, from
``.streamlit/secrets.toml`` (never from the repository).

- ``[auth]`` with Streamlit's OIDC settings (``client_id`` …): sign in with ``st.login``;
- ``[team] password = "…"`` (or ``password_sha256`` for its SHA-256 in hex): one password
  for the team, compared in constant time, wrong attempts slowed down per client;
- neither: the app runs open, and ``deploy/serve.py`` then only listens on localhost.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Mapping

LOOPBACK = ("localhost", "127.0.0.1", "::1")


def auth_mode(secrets: Mapping) -> str:
    """ "oidc", "password" or "open", from the secrets (a mapping like ``st.secrets``)."""
    auth = secrets.get("auth")
    if isinstance(auth, Mapping) and (auth.get("client_id") or any(
            isinstance(v, Mapping) and v.get("client_id") for v in auth.values())):  # fmt: skip
        return "oidc"
    team = secrets.get("team")
    if isinstance(team, Mapping) and (team.get("password") or team.get("password_sha256")):
        return "password"
    return "open"


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def password_matches(given: str, team: Mapping) -> bool:
    """Whether ``given`` is the team password. Both sides are hashed first, so the
    comparison takes the same time whatever the length or the first wrong character."""
    if team.get("password_sha256"):
        try:
            expected = bytes.fromhex(str(team["password_sha256"]).strip())
        except ValueError:
            return False
    else:
        expected = _digest(str(team.get("password", "")))
    return hmac.compare_digest(_digest(given or ""), expected)


class Throttle:
    """Wrong passwords per client: after ``free`` wrong attempts within ``window`` seconds,
    each further attempt must wait ``delay`` seconds more than the one before (capped at
    ``window``). Kept in memory for the server process; thread-safe."""

    def __init__(self, free: int = 5, window: float = 600.0, delay: float = 5.0) -> None:
        self.free, self.window, self.delay = free, window, delay
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, client: str, now: float | None = None) -> float:
        """How long ``client`` must wait before it may try again (0: now)."""
        now = time.time() if now is None else now
        with self._lock:
            recent = [t for t in self._failures.get(client, []) if now - t < self.window]
            self._failures[client] = recent
            extra = len(recent) - self.free
            if extra < 0:
                return 0.0
            return max(0.0, recent[-1] + min(self.delay * (extra + 1), self.window) - now)

    def failed(self, client: str, now: float | None = None) -> None:
        with self._lock:
            self._failures.setdefault(client, []).append(time.time() if now is None else now)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
