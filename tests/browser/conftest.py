"""Browser tests: the real app as a subprocess on a free port, driven by Playwright in the
system chromium (Debian package; `make test` installs it; never `playwright install`)."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not become healthy in {seconds} s")


def _serve(
    store: Path,
    extra: list[str] = (),
    *,
    secrets: Path | None = None,
    bare: bool = False,
    environ: dict[str, str] | None = None,
):
    """Start the app on a free port (loopback only) as ``make serve`` does, or with a bare
    ``streamlit run`` (``bare``); yields its address."""
    port = _free_port()
    env = dict(
        os.environ,
        PORTFOLIO_DATA_DIR=str(store),
        PORTFOLIO_PORT=str(port),
        PORTFOLIO_SECRETS=str(secrets or store.parent / "no-secrets.toml"),
        **(environ or {}),
    )
    if bare:
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "streamlit_app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *extra,
        ]
        if secrets:
            cmd += ["--secrets.files", str(secrets)]
    else:
        cmd = [sys.executable, str(ROOT / "deploy" / "serve.py")]
    store.parent.mkdir(parents=True, exist_ok=True)
    log = open(store.parent / f"server-{port}.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    yield from _serve(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def locked_app_url(tmp_path_factory):
    """The app with a team password (in a secrets file of the test's own)."""
    folder = tmp_path_factory.mktemp("locked")
    yield from _serve(folder / "store", secrets=team_secrets(folder))


def team_secrets(folder: Path) -> Path:
    secrets = folder / "secrets.toml"
    secrets.write_text('[team]\npassword = "Zomer2026!"\n', encoding="utf-8")
    return secrets


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    yield context.new_page()
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Until the app's script has finished its run (Streamlit marks its root element)."""
    from playwright.sync_api import expect

    idle = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(idle).to_be_attached(timeout=timeout)


def choose(page, combobox, option: str, attempts: int = 4) -> None:
    """Pick ``option`` in the select box ``combobox`` by clicking it in its list. A rerun
    that redraws the box closes the list (a busy machine: the list opened, the run came
    after), so the list is opened again until the option could be clicked."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    for _ in range(attempts):
        wait_for_app(page)
        combobox.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        expect(page.get_by_role("listbox")).to_have_count(0)
        expect(combobox).to_have_value(option)
        return
    raise AssertionError(f"option {option!r} could not be chosen in {attempts} attempts")
