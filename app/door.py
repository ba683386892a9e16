"""The door of a shared deployment (``portfolio.access``): single sign-on, a team
password, or open on localhost.

Two layers inside the app (an authenticating proxy in front is the first, see
``deploy/``): the entry script shows the door instead of running any page, and every
page calls ``guard()`` before it shows anything, so a page that runs without the entry
script (Streamlit's old multipage mode, below) still shows only the door.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from portfolio.access import (
    Throttle,
    auth_mode,
    client_address,
    password_matches,
    trusted_proxies,
)
from portfolio.i18n import t

log = logging.getLogger("portfolio")
ADMITTED = "_admitted"

# A module global, not ``st.cache_resource``: any client can send ``clear_cache`` over
# the websocket before the door, which empties every Streamlit cache (platform notes)
_THROTTLE = Throttle()


def old_multipage_mode() -> bool:
    """Whether Streamlit runs a page straight from ``pages/`` without the entry script.

    With a folder named ``pages/`` next to the entry script, Streamlit 1.67 starts in
    its old multipage mode: until ``st.navigation`` has run once in the process, a first
    request such as ``/customers`` runs ``pages/customers.py`` alone, with a sidebar of
    file names (``_mpa_v1`` in ``streamlit/runtime/scriptrunner/script_runner.py``).
    ``deploy/serve.py`` switches that mode off before the server starts; this is the
    check for an app started with a bare ``streamlit run``.
    """
    return bool(PagesManager.uses_pages_directory)


def leave_old_multipage_mode() -> None:
    """From now on every run starts in the entry script (what ``st.navigation`` does)."""
    PagesManager.uses_pages_directory = False


def guard() -> None:
    """The first call of every page: show the door and stop unless this session is in.

    In the old multipage mode the run is started again through the entry script, which
    builds the navigation and the door; the page's address (and so the share link) is
    kept.
    """
    if old_multipage_mode():
        leave_old_multipage_mode()
        st.rerun()
    if not admitted():
        door()
        st.stop()


def _lang() -> str:
    return st.session_state.get("lang", "nl")


def _client() -> str:
    """Who is knocking, for slowing down wrong passwords: the address (the forwarded one
    only from a configured trusted proxy, else every user behind it shares one counter),
    hashed for the log."""
    try:
        trusted = trusted_proxies(st.secrets, os.environ)
    except FileNotFoundError:  # no secrets file
        trusted = trusted_proxies({}, os.environ)
    address = client_address(st.context.ip_address, st.context.headers, trusted)
    return hashlib.sha256(address.encode()).hexdigest()[:12]


def mode() -> str:
    try:
        return auth_mode(st.secrets)
    except FileNotFoundError:  # no secrets file: an open, local app
        return "open"


def admitted() -> bool:
    """Whether this session may see the app."""
    kind = mode()
    if kind == "oidc":
        return bool(st.user.get("is_logged_in", False))  # absent before any sign-in
    if kind == "password":
        return bool(st.session_state.get(ADMITTED))
    return True


def who() -> str:
    """Who is saving, for "saved by": the signed-in account with single sign-on; else the
    name this session gave (a team password says nothing about the person)."""
    if mode() == "oidc":
        user = st.user
        return str(user.get("email") or user.get("name") or "")
    return str(st.session_state.get("user_name", "")).strip()[:60]


def forward_to(page: st.Page) -> Callable[[], None]:
    """A page that sends an old address on to ``page``, keeping the link's settings."""

    def forward() -> None:
        st.switch_page(page, query_params=st.query_params.to_dict())

    return forward


def door() -> None:
    """The page shown instead of the app until this session is admitted."""
    lang = _lang()
    st.title(t("ac.title", lang))
    if mode() == "oidc":
        st.write(t("ac.sso", lang))
        st.button(t("ac.sign_in", lang), on_click=st.login, type="primary")
        return
    with st.form("door"):
        given = st.text_input(t("ac.password", lang), type="password", key="door_password")
        if st.form_submit_button(t("ac.enter", lang), type="primary"):
            _try(given, lang)


def _try(given: str, lang: str) -> None:
    client = _client()
    wait = _THROTTLE.wait_seconds(client)
    if wait > 0:
        st.error(t("ac.wait", lang, seconds=round(wait)))
        return
    if password_matches(given, st.secrets["team"]):
        _THROTTLE.succeeded(client)
        st.session_state[ADMITTED] = True
        log.info("login ok client=%s", client)
        st.rerun()
    _THROTTLE.failed(client)
    log.warning("login refused client=%s", client)
    time.sleep(1)  # a guess a second at most, whatever the throttle allows
    st.error(t("ac.wrong", lang))


def sign_out_button() -> None:
    """In the sidebar, for a session that signed in."""
    kind = mode()
    if kind == "oidc":
        st.sidebar.button(t("ac.sign_out", _lang()), on_click=st.logout)
    elif kind == "password":
        # a team password says nothing about the person: "saved by" uses this name
        st.session_state["user_name"] = st.session_state.get("user_name", "")
        st.sidebar.text_input(t("ac.your_name", _lang()), key="user_name", max_chars=60)
        st.sidebar.button(
            t("ac.sign_out", _lang()), on_click=lambda: st.session_state.pop(ADMITTED, None)
        )
