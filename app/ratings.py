"""Rating customers by hand on the segments page: fit code and scores, one by one in a
table or a fit code for several customers at once (the team rates them together)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.ui import View, choices_note, log_event, show_error, tr, tr_plain
from portfolio import PortfolioError
from portfolio.customer_view import search
from portfolio.decisions import RATINGS, set_ratings
from portfolio.segments.schemes import segmented_customers
from portfolio.store import data_dir

ROWS = 1000  # the largest customers; search reaches the others
CHOICES = 200  # customers offered to rate at once, the largest of those found


def _changes(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, dict]:
    """``{customer: {field: value or None}}`` for the cells the user changed."""
    out: dict[str, dict] = {}
    for key in RATINGS:
        old, new = before[key], after[key]
        changed = ~((old == new) | (old.isna() & new.isna()))
        for customer, value in zip(after.loc[changed, "customer"], new[changed], strict=True):
            out.setdefault(str(customer), {})[key] = None if pd.isna(value) else float(value)
    return out


def rating_controls(view: View, table: pd.DataFrame) -> None:
    st.markdown(f"**{tr('seg.rate_title')}** — {tr('seg.rate_help')}")
    active = segmented_customers(table).sort_values("revenue", ascending=False)
    found = search(active, st.text_input(tr("ui.search"), key="rate_search"))
    frame = found.head(ROWS)[["customer", "customer_name", *RATINGS]].reset_index(drop=True)
    columns = {
        "customer": st.column_config.TextColumn(tr("col.customer"), disabled=True),
        "customer_name": st.column_config.TextColumn(tr("col.customer_name"), disabled=True),
        "fit_code": st.column_config.NumberColumn(
            tr("col.fit_code"), min_value=1, max_value=3, step=1
        ),
    }
    for key in ("innovation", "network", "satisfaction"):
        columns[key] = st.column_config.NumberColumn(
            tr(f"col.{key}"), min_value=0, max_value=5, step=0.5
        )
    edited = st.data_editor(
        frame,
        column_config=columns,
        hide_index=True,
        width="stretch",
        height=300,
        key=f"ratings_{view.name}",
    )
    if st.button(tr("seg.rate_save"), key="rate_save"):
        _save(view, _changes(frame, edited))
    # the customers found, the largest few: every option is held in the page, and 10,000
    # cost the browser more than the rest of a rerun; the ones chosen stay while searching
    names = dict(zip(active["customer"].astype(str), active["customer_name"], strict=True))
    kept = [c for c in st.session_state.get("bulk_customers", []) if c in names]
    offered = list(dict.fromkeys([*kept, *found["customer"].astype(str).head(CHOICES)]))
    choices_note(len(found), CHOICES)
    left, middle, right = st.columns([4, 1, 1])
    chosen = left.multiselect(
        tr("seg.bulk_customers"),
        offered,
        key="bulk_customers",
        format_func=lambda c: f"{c} — {names[c]}",
        placeholder=tr_plain("ui.choose"),
    )
    code = middle.selectbox(tr("seg.bulk_code"), (1, 2, 3), key="bulk_code")
    if right.button(tr("seg.bulk_apply"), key="bulk_apply") and chosen:
        _save(view, {c: {"fit_code": float(code)} for c in chosen})


def _save(view: View, changes: dict[str, dict]) -> None:
    if not changes:
        return
    try:
        set_ratings(data_dir(), view.name, changes)
        log_event("save", what="ratings", dataset=view.name, customers=len(changes))
    except PortfolioError as exc:
        show_error(exc)
        return
    st.toast(tr("seg.rate_saved", n=sum(len(v) for v in changes.values())))
    st.rerun()
