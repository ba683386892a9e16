"""The door of a shared deployment (``portfolio.access``): single sign-on, a team
password, or open on localhost. Until someone is in, the navigation holds only this
page, so no other page can be opened by its address."""

from __future__ import annotations

import hashlib
import logging
import time

import streamlit as st

from portfolio.access import Throttle, auth_mode, password_matches
from portfolio.i18n import t

log = logging.getLogger("portfolio")
ADMITTED = "_admitted"


@st.cache_resource
def _throttle() -> Throttle:
    return Throttle()


def _lang() -> str:
    return st.session_state.get("lang", "nl")


def _client() -> str:
    """Who is knocking, for slowing down wrong passwords: the address, hashed for the log."""
    address = getattr(st.context, "ip_address", None)
    if not isinstance(address, str) or not address:  # AppTest, or a proxy that hides it
        address = "unknown"
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
    wait = _throttle().wait_seconds(client)
    if wait > 0:
        st.error(t("ac.wait", lang, seconds=round(wait)))
        return
    if password_matches(given, st.secrets["team"]):
        _throttle().succeeded(client)
        st.session_state[ADMITTED] = True
        log.info("login ok client=%s", client)
        st.rerun()
    _throttle().failed(client)
    log.warning("login refused client=%s", client)
    time.sleep(1)  # a guess a second at most, whatever the throttle allows
    st.error(t("ac.wrong", lang))


def sign_out_button() -> None:
    """In the sidebar, for a session that signed in."""
    kind = mode()
    if kind == "oidc":
        st.sidebar.button(t("ac.sign_out", _lang()), on_click=st.logout)
    elif kind == "password":
        st.sidebar.button(t("ac.sign_out", _lang()),
                          on_click=lambda: st.session_state.pop(ADMITTED, None))  # fmt: skip
