"""Segments: the four schemes of the method over the same per-customer table."""

import streamlit as st

from app import door
from app.segments import customer_types, fit, grid, value
from app.ui import caption, others_note, sidebar, table_for, tr
from portfolio.decisions import apply_ratings, load_decisions
from portfolio.store import data_dir

door.guard()  # first: nothing is shown before the door, whatever the request


view = sidebar()
st.title(tr("seg.title"))
caption(view)
# the scores and fit codes the team rated by hand count in every scheme
table = apply_ratings(table_for(view), load_decisions(data_dir(), view.name).ratings)
others_note(table, portfolio_total=False)
schemes = {"grid": grid, "value": value, "types": customer_types, "fit": fit}
for tab, module in zip(st.tabs([tr(f"seg.{s}_tab") for s in schemes]), schemes.values(),
                       strict=True):  # fmt: skip
    with tab:  # a fragment: a slider reruns its own scheme, not the four of them
        st.fragment(module.show)(view, table)
