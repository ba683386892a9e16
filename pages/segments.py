"""Segments: the four schemes of the method over the same per-customer table."""

import streamlit as st

from pages import _scheme_fit, _scheme_grid, _scheme_types, _scheme_value
from pages._ui import caption, sidebar, table_for, tr

view = sidebar()
st.title(tr("seg.title"))
caption(view)
table = table_for(view)
schemes = {"grid": _scheme_grid, "value": _scheme_value, "types": _scheme_types,
           "fit": _scheme_fit}  # fmt: skip
for tab, module in zip(st.tabs([tr(f"seg.{s}_tab") for s in schemes]), schemes.values(),
                       strict=True):  # fmt: skip
    with tab:
        module.show(view, table)
