"""Customers: the per-customer table with every measure, searchable, sortable, downloadable."""

import streamlit as st

from pages._ui import caption, lang, sidebar, table_for, tr
from portfolio.customer_view import SORTABLE, display_table, export_table, search
from portfolio.export import to_csv_bytes, to_xlsx_bytes

view = sidebar()
st.title(tr("ui.nav_customers"))
caption(view)
language = lang()
table = table_for(view)

left, middle, right = st.columns([3, 2, 1])
query = left.text_input(tr("ui.search"), key="search")
sort = middle.selectbox(tr("ui.sort_by"), SORTABLE, key="sort",
                        format_func=lambda c: tr(f"col.{c}"))  # fmt: skip
descending = right.toggle(tr("ui.descending"), value=True, key="descending")
found = search(table, query).sort_values(sort, ascending=not descending, kind="stable",
                                         na_position="last")  # fmt: skip
st.caption(tr("ui.rows_shown", shown=len(found), total=len(table)))


@st.cache_data(max_entries=16, show_spinner=False)
def _shown(key: tuple, language: str, _table):
    """Formatted once per dataset, period and language: babel for 10,000 rows takes a while."""
    return display_table(_table, language)


shown = _shown(view.key, language, table).loc[found.index]
# st.dataframe shows text as text: customer names are never rendered as HTML
st.dataframe(shown, hide_index=True, width="stretch", height=560)
out = export_table(found, language)
a, b = st.columns(2)
a.download_button(tr("ui.download_csv"), to_csv_bytes(out, dutch=language == "nl"),
                  file_name="klanten.csv", mime="text/csv")  # fmt: skip
b.download_button(tr("ui.download_xlsx"), to_xlsx_bytes(out), file_name="klanten.xlsx")
