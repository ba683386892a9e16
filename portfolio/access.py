"""Who may use a shared deployment: a team password or single sign-on, from
``.streamlit/secrets.toml`` (never from the repository).

- ``[auth]`` with Streamlit's OIDC settings (``client_id`` …): sign in with ``st.login``;
- ``[team] password = "…"`` (or ``password_sha256`` for its SHA-256 in hex): one password
  for the team, compared in constant time, wrong attempts slowed down per client;
- neither: the app runs open, and ``deploy/serve.py`` then only listens on localhost.

Behind a reverse proxy (``deploy/Caddyfile``) every request comes from the proxy's address;
``client_address`` finds the person's own address in ``X-Forwarded-For``, but only when the
request came from a proxy named in ``[proxy] trusted`` (secrets) or
``PORTFOLIO_TRUSTED_PROXIES`` (environment), so nobody can pick a counter of their own by
sending the header themselves.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import threading
import time
from collections.abc import Iterable, Mapping, Sequence

LOOPBACK = ("localhost", "127.0.0.1", "::1")
TRUSTED_PROXIES_ENV = "PORTFOLIO_TRUSTED_PROXIES"

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def auth_mode(secrets: Mapping) -> str:
    """ "oidc", "password" or "open", from the secrets (a mapping like ``st.secrets``)."""
    auth = secrets.get("auth")
    if isinstance(auth, Mapping) and (
        auth.get("client_id")
        or any(isinstance(v, Mapping) and v.get("client_id") for v in auth.values())
    ):
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


def trusted_proxies(secrets: Mapping, environ: Mapping[str, str]) -> tuple[str, ...]:
    """The reverse proxies whose ``X-Forwarded-For`` is believed: ``[proxy] trusted`` in the
    secrets (a list of addresses or networks, e.g. ``["127.0.0.1", "172.30.0.0/24"]``) and
    ``PORTFOLIO_TRUSTED_PROXIES`` (the same, separated by commas or spaces), together.
    ``ValueError`` names an entry that is neither an address nor a network."""
    proxy = secrets.get("proxy")
    listed = proxy.get("trusted", []) if isinstance(proxy, Mapping) else []
    if isinstance(listed, str):
        listed = [listed]
    from_env = environ.get(TRUSTED_PROXIES_ENV, "").replace(",", " ").split()
    entries = [str(item).strip() for item in [*listed, *from_env] if str(item).strip()]
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(
                f"not an address or network in the trusted proxies: {entry!r}"
            ) from None
    return tuple(dict.fromkeys(entries))


def _networks(entries: Iterable[str]) -> list[_Network]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            continue  # trusted_proxies() reports these; here they only trust nobody
    return networks


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from a header entry: ``1.2.3.4``, ``1.2.3.4:5678``, ``[::1]:80``, ``::1``."""
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])  # no IPv6 zone ids
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address, networks: Sequence[_Network]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(
    peer: str | None, headers: Mapping[str, str], trusted_proxies: Sequence[str]
) -> str:
    """The address to slow down wrong passwords by.

    ``peer`` is the address the connection came from (``st.context.ip_address``; ``None``,
    which Streamlit gives for a loopback peer, counts as ``127.0.0.1``). Only when it is one
    of ``trusted_proxies`` (addresses or networks) is ``X-Forwarded-For`` read, from the
    right: the first entry that is not itself a trusted proxy is the client; if every entry
    is a trusted proxy, the left-most one is. The header of anyone else is ignored, and an
    entry that is not an address ends the reading: the last proxy before it is returned
    (those behind it share one counter, rather than choose their own)."""
    loopback = ipaddress.ip_address("127.0.0.1")
    address = loopback if not peer else _ip(peer)
    if address is None:
        return str(peer)
    networks = _networks(trusted_proxies)
    if not _trusted(address, networks):
        return str(address)
    get_all = getattr(headers, "get_all", None)  # st.context.headers keeps repeated headers
    if callable(get_all):
        values = list(get_all("X-Forwarded-For"))
    else:
        values = [v for k, v in headers.items() if str(k).lower() == "x-forwarded-for"]
    hops = [hop for value in values for hop in str(value).split(",")]
    for hop in reversed(hops):
        forwarded = _ip(hop)
        if forwarded is None:
            return str(address)  # garbage: stop believing the chain at the last proxy
        address = forwarded
        if not _trusted(address, networks):
            return str(address)
    return str(address)
