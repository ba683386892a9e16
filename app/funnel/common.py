"""What the five steps' sections share: the plan of the view, the split they run over,
amounts as the page writes them, and saving an editor's rows."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.ui import View, log_event, show_error, split_for, tr, tr_plain
from portfolio import PortfolioError
from portfolio.decisions import Decisions
from portfolio.errors import ConflictError
from portfolio.formatting import money, money_texts, percent
from portfolio.funnel.plan import Plan, load_plan
from portfolio.segments.schemes import FINAL
from portfolio.store import data_dir

EDITOR_ROWS = 1000  # the largest customers of a step are edited; the export has them all


def plan_of(view: View) -> Plan:
    return load_plan(data_dir(), view.name)


def segments_for(view: View, table: pd.DataFrame, decisions: Decisions) -> tuple[pd.Series, str]:
    """The finalized split, else the revenue × qualities grid with its defaults, and the
    scheme it is of (``table``: the view's table with the team's ratings)."""
    final = decisions.final
    segments = split_for(view, table, decisions, FINAL if final else "grid")
    return segments, final["scheme"] if final else "grid"


def money_or_unknown(value, language: str) -> str:
    """An amount, or the word for unknown (no cost price or hours): never a bare dash that
    reads as zero, and the same word as every other page."""
    return money(value, language, 0) or tr_plain("ui.unknown")


def money_column(values: pd.Series, language: str) -> list[str]:
    """``money_or_unknown`` for a column of a table, fast."""
    unknown = tr_plain("ui.unknown")
    return [text or unknown for text in money_texts(values, language, 0)]


def pct(value, language: str) -> str:
    return percent(value, language) or "–"


def note_saved(message_key: str) -> None:
    st.session_state["fn_saved"] = message_key


def show_saved() -> None:
    """The outcome of the save just done (the rerun after it cleared the editor): saved,
    or a teammate's conflicting save, whose version the editor now shows."""
    if key := st.session_state.pop("fn_saved", None):
        st.success(tr(key))
    if conflict := st.session_state.pop("fn_conflict", None):
        show_error(conflict)


def edited_customers(editor_key: str, shown: pd.DataFrame) -> set[str]:
    """The customers of the rows the user changed in a data editor (its own record)."""
    rows = st.session_state.get(editor_key, {}).get("edited_rows", {})
    return {str(shown["customer"].iloc[int(i)]) for i in rows}


def save_editor(editor_key: str, save, message_key: str) -> None:
    """Run ``save()``; then forget the editor's edits (they are in the file now, or a
    teammate's version stands and is shown instead)."""
    try:
        save()
    except ConflictError as exc:  # a teammate's save came first: show their version
        st.session_state["fn_conflict"] = exc
    except PortfolioError as exc:
        show_error(exc)
        return
    else:
        log_event("save", what=editor_key.removeprefix("fn_"))
        note_saved(message_key)
    st.session_state.pop(editor_key, None)
    st.rerun()
