"""Segments: the four schemes of the method over the same per-customer table."""

import streamlit as st

from app import door
from app.segments import customer_types, fit, grid, value
from app.segments.common import keep_scheme_settings, open_scheme, scheme_tabs
from app.ui import caption, others_note, sidebar, table_for, tr
from portfolio.decisions import apply_ratings, load_decisions
from portfolio.store import data_dir

door.guard()  # first: nothing is shown before the door, whatever the request


view = sidebar()
keep_scheme_settings()  # a scheme's sliders keep their values while another tab is open
st.title(tr("seg.title"))
caption(view)
# the scores and fit codes the team rated by hand count in every scheme
table = apply_ratings(table_for(view), load_decisions(data_dir(), view.name).ratings)
others_note(table, portfolio_total=False)
schemes = {"grid": grid, "value": value, "types": customer_types, "fit": fit}
# only the open tab runs (a tab switch reruns the page): the four schemes at 10,000
# customers took a second on every period change, where one takes a quarter of it
for scheme, tab in scheme_tabs(tuple(schemes), open_scheme(tuple(schemes))).items():
    if tab.open:
        with tab:  # a fragment: a slider reruns its own scheme, not the page
            st.fragment(schemes[scheme].show)(view, table)
