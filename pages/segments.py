"""Segments: the four schemes of the method over the same per-customer table."""

import streamlit as st

from pages import _scheme_fit, _scheme_grid, _scheme_types, _scheme_value
from pages._ui import caption, sidebar, table_for, tr
from portfolio.decisions import apply_ratings, load_decisions
from portfolio.store import data_dir

view = sidebar()
st.title(tr("seg.title"))
caption(view)
# the scores and fit codes the team rated by hand count in every scheme
table = apply_ratings(table_for(view), load_decisions(data_dir(), view.name).ratings)
schemes = {"grid": _scheme_grid, "value": _scheme_value, "types": _scheme_types,
           "fit": _scheme_fit}  # fmt: skip
for tab, module in zip(st.tabs([tr(f"seg.{s}_tab") for s in schemes]), schemes.values(),
                       strict=True):  # fmt: skip
    with tab:
        module.show(view, table)
