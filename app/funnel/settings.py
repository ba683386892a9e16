"""The five steps' settings (thresholds, acceptance, prospects): the user's own while
exploring, the team's only when saved on purpose, with who and when (``plan.json``)."""

from __future__ import annotations

import streamlit as st

from app import door
from app.ui import View, lang, log_event, show_error, tr, tr_plain
from portfolio import PortfolioError
from portfolio.formatting import moment
from portfolio.funnel.plan import Plan, save_settings
from portfolio.store import data_dir

SETTINGS = (
    "profitable_from",
    "strategic_from",
    "fit_code_max",
    "growth_from",
    "interesting_segments",
    "acceptance",
    "top_prospects",
    "conversion",
)
SETTINGS_SEEN = "fn_settings_seen"  # (dataset, the team settings' revision the view began at)
TEAM_VALUES = "fn_team_values"  # the team's value of each setting (saved, else the default)


def setting(plan: Plan, key: str, default) -> str:
    """The session-state key of a step's setting, holding the session's value, else the
    team's saved one, else ``default``."""
    state, team = f"fn_{key}", plan.settings.get(key, default)
    st.session_state.setdefault(TEAM_VALUES, {})[key] = team  # to tell whether ours differ
    if state not in st.session_state:
        st.session_state[state] = team
    return state


def _own_settings() -> dict:
    return {k: st.session_state[f"fn_{k}"] for k in SETTINGS if f"fn_{k}" in st.session_state}


def team_settings(view: View, plan: Plan) -> None:
    """The steps' settings are the user's own until saved for the team (exploring is
    private): who saved the team's and when, whether this view differs, save or go back."""
    seen = st.session_state.get(SETTINGS_SEEN)
    if seen is None or seen[0] != view.name:
        seen = (view.name, plan.revisions.get("settings", 0))
        st.session_state[SETTINGS_SEEN] = seen
    own, team = _own_settings(), st.session_state.get(TEAM_VALUES, {})
    differs = any(team.get(k) != v for k, v in own.items() if k in team)
    saved = plan.settings_saved
    if saved:
        when = moment(saved.get("at"), lang())
        text = tr(
            "fn.team_settings_saved", who=saved.get("by") or tr_plain("fn.a_teammate"), when=when
        )
    else:
        text = tr("fn.team_settings_none")
    left, middle, right = st.columns([3, 1, 1], vertical_alignment="center")
    left.caption(text + " " + tr("fn.own_view" if differs else "fn.team_view"))
    if middle.button(
        tr("fn.save_team_settings"), key="fn_save_settings", disabled=not differs, width="stretch"
    ):
        try:
            save_settings(data_dir(), view.name, own, seen=seen[1], by=door.who())
        except PortfolioError as exc:
            st.session_state.pop(SETTINGS_SEEN, None)  # start again from the teammate's
            show_error(exc)
        else:
            log_event("plan_settings_saved", dataset=view.name, settings=len(own))
            st.session_state[SETTINGS_SEEN] = (view.name, seen[1] + 1)
            st.session_state["fn_saved"] = "fn.saved"
            st.rerun()
    if right.button(
        tr("fn.back_to_team_settings"),
        key="fn_reset_settings",
        disabled=not differs,
        width="stretch",
    ):
        for k in SETTINGS:
            st.session_state.pop(f"fn_{k}", None)
        st.session_state.pop(SETTINGS_SEEN, None)
        st.rerun()
