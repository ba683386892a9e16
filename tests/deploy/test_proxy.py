"""The authenticating reverse proxy of a shared deployment: a real caddy with
``deploy/Caddyfile`` in front of the real app started by ``deploy/serve.py``.

Without credentials nothing of Streamlit answers — not its pages, not ``/_stcore/metrics``,
not an upload, not the websocket. With them the app works as before, behind its own door.
Needs Debian's ``caddy`` (``make test`` installs it when run as root)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from portfolio.config import thresholds
from tests.browser.conftest import _free_port, _wait_healthy

ROOT = Path(__file__).resolve().parents[2]
CADDYFILE = ROOT / "deploy" / "Caddyfile"
USER, PASSWORD = "team", "Herfst-2026!"
DOOR_PASSWORD = "Zomer2026!"  # the app's own door behind the proxy
WS_KEY = base64.b64encode(b"portfolio-proxy!").decode()
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455

REFUSED = [
    ("GET", "/"),
    ("GET", "/klanten"),
    ("GET", "/_stcore/health"),
    ("GET", "/_stcore/metrics"),
    ("PUT", "/_stcore/upload_file/x/y"),
    ("GET", "/media/x"),
    ("GET", "/static/x"),
]


def _caddy() -> str:
    found = shutil.which("caddy") or ("/usr/bin/caddy" if Path("/usr/bin/caddy").exists() else "")
    if found:
        return found
    # a skipped proxy test proves nothing: without caddy the suite fails and says why
    pytest.fail(
        "caddy is not installed: run `make system-packages` (or `make test`) as "
        "root, or `sudo apt-get install caddy`"
    )


def _caddy_env(folder: Path, **settings: str) -> dict[str, str]:
    """The environment caddy runs in: its own home (no certificates, no autosave elsewhere),
    no admin endpoint, and the Caddyfile's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTFOLIO_", "CADDY_"))}
    env.update(
        HOME=str(folder),
        XDG_DATA_HOME=str(folder / "data"),
        XDG_CONFIG_HOME=str(folder / "config"),
        CADDY_ADMIN="off",
        **settings,
    )
    return env


@contextlib.contextmanager
def _running_caddy(caddy: str, folder: Path, **settings: str) -> Iterator[str]:
    """Run caddy with ``deploy/Caddyfile`` on a free port; yields its ``host:port``."""
    port = _free_port()
    folder.mkdir(parents=True, exist_ok=True)
    env = _caddy_env(folder, PORTFOLIO_SITE=f"http://127.0.0.1:{port}", **settings)
    log = (folder / "caddy.log").open("wb")
    proc = subprocess.Popen(
        [caddy, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"caddy exited: {(folder / 'caddy.log').read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError("caddy did not listen in 10 s") from None
                time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _request(address: str, method: str, path: str, headers=None, body: bytes | None = None):
    """One request; (status, headers, body)."""
    conn = http.client.HTTPConnection(address, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def _upgrade(address: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """A websocket handshake on ``/_stcore/stream`` as the browser does it: (status, head)."""
    lines = [
        "GET /_stcore/stream HTTP/1.1",
        f"Host: {address}",
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Version: 13",
        f"Sec-WebSocket-Key: {WS_KEY}",
        "Sec-WebSocket-Protocol: streamlit",
        *(f"{k}: {v}" for k, v in (headers or {}).items()),
    ]
    host, port = address.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                break
            head += chunk
    text = head.decode("latin-1")
    match = re.match(r"HTTP/1\.1 (\d{3})", text)
    return (int(match.group(1)) if match else 0), text


@pytest.fixture(scope="module")
def caddy() -> str:
    return _caddy()


@pytest.fixture(scope="module")
def password_hash(caddy) -> str:
    done = subprocess.run(
        [caddy, "hash-password", "--plaintext", PASSWORD],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[tuple[str, subprocess.Popen]]:
    """The app as ``make serve`` starts it, with a team password, on a free port: (address,
    process), still starting (``proxy`` waits for it, so that caddy hashes meanwhile)."""
    folder = tmp_path_factory.mktemp("app")
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[team]\npassword = "{DOOR_PASSWORD}"\n', encoding="utf-8")
    port = _free_port()
    env = dict(os.environ, PORTFOLIO_ADDRESS="127.0.0.1", PORTFOLIO_PORT=str(port))
    env.update(PORTFOLIO_DATA_DIR=str(folder / "store"), PORTFOLIO_SECRETS=str(secrets))
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "serve.py")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def proxy(caddy, app, password_hash, tmp_path_factory) -> Iterator[str]:
    """caddy with deploy/Caddyfile in front of the app; yields its ``host:port``."""
    upstream, process = app
    _wait_healthy(f"http://{upstream}", process)
    with _running_caddy(
        caddy,
        tmp_path_factory.mktemp("caddy"),
        PORTFOLIO_UPSTREAM=upstream,
        PORTFOLIO_PROXY_USER=USER,
        PORTFOLIO_PROXY_HASH=password_hash,
    ) as address:
        yield address


@pytest.mark.parametrize(("method", "path"), REFUSED)
def test_without_credentials_the_proxy_refuses_every_path(proxy, method, path):
    body = b"x" * 4096 if method == "PUT" else None
    status, headers, _ = _request(proxy, method, path, body=body)
    assert status == 401
    assert headers["WWW-Authenticate"].startswith("Basic ")  # caddy's answer, not the app's
    assert headers["X-Frame-Options"] == "DENY"  # the security headers are on refusals too


def test_without_credentials_the_websocket_is_refused(proxy, app):
    status, head = _upgrade(proxy)
    assert status == 401, head
    assert _upgrade(app[0])[0] == 101  # the app itself would have accepted it


def test_a_wrong_password_or_user_is_refused(proxy):
    # each wrong try costs caddy a bcrypt comparison (about a second): two only
    assert _request(proxy, "GET", "/_stcore/health", _basic(USER, "herfst-2026!"))[0] == 401
    assert _upgrade(proxy, _basic("admin", PASSWORD))[0] == 401


def test_with_credentials_the_app_answers_through_the_proxy(proxy):
    status, headers, body = _request(proxy, "GET", "/_stcore/health", _basic(USER, PASSWORD))
    assert (status, body) == (200, b"ok")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    status, _, body = _request(proxy, "GET", "/", _basic(USER, PASSWORD))
    assert status == 200 and b"<html" in body.lower()

    status, head = _upgrade(proxy, _basic(USER, PASSWORD))
    assert status == 101, head
    accept = base64.b64encode(hashlib.sha1((WS_KEY + WS_GUID).encode()).digest()).decode()
    assert f"sec-websocket-accept: {accept}".lower() in head.lower()


class _Recorder(http.server.BaseHTTPRequestHandler):
    """An upstream that records what reaches it (instead of the app)."""

    seen: list[dict] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            received = len(self.rfile.read(length)) if length else 0
        except OSError:
            received = -1
        self.seen.append({"headers": dict(self.headers), "received": received})
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_PUT = _answer

    def log_message(self, *args) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a connection the proxy cut


@pytest.fixture(scope="module")
def recorded(caddy, password_hash, tmp_path_factory) -> Iterator[tuple[str, list[dict]]]:
    """caddy in front of a recording upstream, with a 1 MiB body limit."""
    server = _QuietServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    upstream = f"127.0.0.1:{server.server_address[1]}"
    try:
        with _running_caddy(
            caddy,
            tmp_path_factory.mktemp("caddy-rec"),
            PORTFOLIO_UPSTREAM=upstream,
            PORTFOLIO_PROXY_USER=USER,
            PORTFOLIO_PROXY_HASH=password_hash,
            PORTFOLIO_MAX_BODY="1MiB",
        ) as address:
            yield address, _Recorder.seen
    finally:
        server.shutdown()
        server.server_close()


def test_the_app_gets_the_clients_address_and_never_the_password(recorded):
    address, seen = recorded
    seen.clear()
    spoofed = {**_basic(USER, PASSWORD), "X-Forwarded-For": "6.6.6.6"}
    assert _request(address, "GET", "/", spoofed)[0] == 200
    headers = {k.lower(): v for k, v in seen[-1]["headers"].items()}
    assert headers["x-forwarded-for"] == "127.0.0.1"  # what caddy saw, not what was sent
    assert "authorization" not in headers


def test_a_body_over_the_limit_does_not_reach_the_app_whole(recorded):
    address, seen = recorded
    seen.clear()
    status, _, _ = _request(
        address,
        "PUT",
        "/_stcore/upload_file/x/y",
        _basic(USER, PASSWORD),
        b"x" * (1024 * 1024 - 10),
    )
    assert status == 200 and seen[-1]["received"] == 1024 * 1024 - 10
    seen.clear()
    try:
        status, _, _ = _request(
            address,
            "PUT",
            "/_stcore/upload_file/x/y",
            _basic(USER, PASSWORD),
            b"x" * (2 * 1024 * 1024),
        )
    except OSError:
        status = None  # the proxy may cut the connection
    assert status in (None, 413, 502), status
    assert all(0 <= r["received"] < 2 * 1024 * 1024 for r in seen if r["received"] != -1)


def test_the_body_limit_matches_the_upload_limit():
    default = re.search(r"\{\$PORTFOLIO_MAX_BODY:(\d+)MiB\}", CADDYFILE.read_text())
    assert default, "deploy/Caddyfile: request_body max_size {$PORTFOLIO_MAX_BODY:<n>MiB}"
    assert int(default.group(1)) == thresholds().ingest.max_file_mb + 1


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"PORTFOLIO_PROXY_USER": USER},
        {"PORTFOLIO_PROXY_HASH": "$2a$14$" + "x" * 53},
        {"PORTFOLIO_PROXY_USER": USER, "PORTFOLIO_PROXY_HASH": PASSWORD},
    ],
)
def test_caddy_refuses_to_start_without_a_user_and_a_hash(caddy, tmp_path, settings):
    env = _caddy_env(tmp_path, PORTFOLIO_SITE="http://127.0.0.1:9", **settings)
    command = [caddy, "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode != 0, done.stdout + done.stderr
