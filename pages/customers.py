"""Customers: the per-customer table with every measure, searchable, sortable, downloadable."""

import streamlit as st

from app import card, door
from app.ui import caption, labels, lang, sidebar, table_for, tr
from portfolio.customer_view import (
    KINDS,
    SORTABLE,
    display_table,
    export_kinds,
    export_table,
    of_kind,
    search,
)
from portfolio.decisions import load_decisions
from portfolio.export import to_csv_bytes, to_xlsx_bytes
from portfolio.formatting import number
from portfolio.store import data_dir

door.guard()  # first: nothing is shown before the door, whatever the request


ROWS_SHOWN = 1000  # formatting and sending 10,000 rows on every rerun takes half a second

view = sidebar()
st.title(tr("ui.nav_customers"))
caption(view)
language = lang()
table = table_for(view)
final = load_decisions(data_dir(), view.name).final
if final:  # the finalized split: every page and teammate uses the same segments
    table = table.assign(segment=table["customer"].astype(str).map(final["segments"]))

counts = {kind: number(len(of_kind(table, kind)), language) for kind in KINDS}
kind_label = labels(lambda k: f"ui.kind_{k}")
kind = st.segmented_control(
    tr("ui.customers_shown"),
    KINDS,
    key="customer_kind",
    default="active",
    format_func=lambda k: f"{kind_label(k)} ({counts[k]})",
)
kind = kind or "active"  # a second click on the chosen one unselects it
st.caption(tr("ui.kinds_help"))
table = of_kind(table, kind)
left, middle, right = st.columns([3, 2, 1])
query = left.text_input(tr("ui.search"), key="search")
sort = middle.selectbox(
    tr("ui.sort_by"), SORTABLE, key="sort", format_func=labels(lambda c: f"col.{c}")
)
descending = right.toggle(tr("ui.descending"), value=True, key="descending")
found = search(table, query).sort_values(
    sort, ascending=not descending, kind="stable", na_position="last"
)
st.caption(
    tr("ui.rows_shown", shown=number(len(found), language), total=number(len(table), language))
)


# the first rows of the chosen order; search and the download reach every customer
shown = display_table(found.head(ROWS_SHOWN), language)
if len(found) > ROWS_SHOWN:
    st.caption(tr("ui.rows_limited", rows=number(ROWS_SHOWN, language)))
# st.dataframe shows text as text: customer names are never rendered as HTML
st.caption(tr("card.open"))
opens = card.row_opens_card("customers_table", found["customer"].head(ROWS_SHOWN))
st.dataframe(shown, hide_index=True, width="stretch", height=560, **opens)
card.follow_click()
a, b = st.columns(2)
# the files are made when a button is pressed, not on every rerun (xlsx takes seconds)
a.download_button(
    tr("ui.download_csv"),
    file_name="klanten.csv",
    mime="text/csv",
    data=lambda: to_csv_bytes(export_table(found, language), dutch=language == "nl"),
)
b.download_button(
    tr("ui.download_xlsx"),
    file_name="klanten.xlsx",
    data=lambda: to_xlsx_bytes(export_table(found, language), kinds=export_kinds(language)),
)
