"""Run the app for a team (``make serve``): headless, XSRF protection on, usage
statistics off, the upload limit of ``config/thresholds.yaml``, address and port from
the environment.

    PORTFOLIO_ADDRESS   where to listen (default 127.0.0.1)
    PORTFOLIO_PORT      the port (default 8501)
    PORTFOLIO_DATA_DIR  the workspace: datasets, decisions, plans (default data/store)
    PORTFOLIO_SECRETS   the secrets file (default .streamlit/secrets.toml)

Without a team password or single sign-on in the secrets the app is open, so it is
only started on localhost: a shared address needs one of the two.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portfolio.access import (  # noqa: E402
    LOOPBACK,
    TRUSTED_PROXIES_ENV,
    auth_mode,
    trusted_proxies,
)
from portfolio.config import thresholds  # noqa: E402


def command(env: dict[str, str]) -> list[str]:
    """The ``streamlit run`` command line; ``SystemExit`` when it would be open to others."""
    address = env.get("PORTFOLIO_ADDRESS", "127.0.0.1")
    port = str(int(env.get("PORTFOLIO_PORT", "8501")))
    secrets_file = Path(env.get("PORTFOLIO_SECRETS", ROOT / ".streamlit" / "secrets.toml"))
    try:
        secrets = tomllib.loads(secrets_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        secrets = {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SystemExit(f"{secrets_file}: cannot be read ({type(exc).__name__})") from None
    try:
        proxies = trusted_proxies(secrets, env)
    except ValueError as exc:  # a typo would otherwise surface only at the door
        raise SystemExit(f"{secrets_file} or {TRUSTED_PROXIES_ENV}: {exc}") from None
    if auth_mode(secrets) == "open" and proxies:
        raise SystemExit(
            "Not starting: a trusted proxy is configured, so this app serves a team, but "
            f"{secrets_file} has no team password ([team] password) or single sign-on "
            "([auth]). The proxy's password is the first lock; the app's door is the second."
        )
    if auth_mode(secrets) == "open" and address not in LOOPBACK:
        raise SystemExit(
            f"Not starting on {address}: without a team password ([team] password) or single "
            f"sign-on ([auth]) in {secrets_file} the app is open to anyone who can reach it. "
            "Configure one, or listen on 127.0.0.1 only."
        )
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "streamlit_app.py"),
        "--server.headless",
        "true",
        "--server.address",
        address,
        "--server.port",
        port,
        "--server.enableXsrfProtection",
        "true",
        "--server.enableCORS",
        "true",
        "--server.maxUploadSize",
        str(thresholds().ingest.max_file_mb),
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--client.showErrorDetails",
        "none",  # no stack trace or server path in a browser
        "--runner.postScriptGC",
        "false",  # see .streamlit/config.toml: 150-250 ms a run
        "--secrets.files",
        str(secrets_file),
    ]


def start(cmd: list[str]) -> None:
    """Run Streamlit in this process, in the navigation mode of ``st.navigation`` from
    the first request on.

    With a folder named ``pages/`` beside the entry script Streamlit would otherwise
    serve the first request after a start in its old multipage mode: a deep link runs
    the page file without the entry script (its door and navigation) and lists the files
    in the sidebar. Every page checks the door itself as well (``app.door.guard``).
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False  # read once, when the first session starts
    sys.argv = ["streamlit", *cmd[3:]]  # [python, -m, streamlit, run, …]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    cmd = command(dict(os.environ))
    os.chdir(ROOT)
    start(cmd)
