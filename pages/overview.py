"""Overview: headline figures and the per-customer table of the chosen dataset and period."""

import streamlit as st

from pages._ui import load_table, sidebar, tr
from portfolio.export import to_csv_bytes, to_xlsx_bytes
from portfolio.formatting import money, number, percent
from portfolio.summary import portfolio_summary

name, version, period = sidebar()
lang = st.session_state.get("lang", "nl")
st.title(tr("ui.app_title"))
st.caption(tr("ui.showing", name=name, period=period.label()))

table = load_table(name, version, period.start, period.end, period.months)
summary = portfolio_summary(table, period)

# two rows of three: a 6-column row cuts off amounts in the millions
cols = [*st.columns(3), *st.columns(3)]
cols[0].metric(tr("ui.customers"), number(summary["customers"], lang))
cols[1].metric(tr("ui.revenue"), money(summary["revenue"], lang, 0))
cols[2].metric(tr("ui.gross_margin"), money(summary["gross_margin"], lang, 0))
cols[3].metric(tr("ui.contribution"), money(summary["contribution"], lang, 0))
cols[4].metric(tr("ui.customer_retention"), percent(summary["customer_retention"], lang))
cols[5].metric(tr("ui.net_revenue_retention"), percent(summary["net_revenue_retention"], lang))
st.write(
    tr("ui.pareto_sentence",
       share=percent(summary["customers_for_80pct_revenue_share"], lang),
       top=percent(summary["top20_revenue_share"], lang))
)  # fmt: skip

st.subheader(tr("ui.table"))
money_cols = ["revenue", "gross_margin", "cost_to_serve", "contribution", "revenue_prev"]
share_cols = ["revenue_share", "cumulative_share", "margin_pct", "cumulative_contribution_share"]
shown = table.copy()
for col in money_cols:
    shown[col] = shown[col].map(lambda v: money(v, lang))
for col in share_cols:
    shown[col] = shown[col].map(lambda v: percent(v, lang))
# st.dataframe shows text as text: customer names are never rendered as HTML
dates = {c: st.column_config.DateColumn(format="DD-MM-YYYY") for c in ("first_date", "last_date")}
st.dataframe(shown, hide_index=True, width="stretch", column_config=dates)
left, right = st.columns(2)
left.download_button(tr("ui.download_csv"), to_csv_bytes(table, dutch=lang == "nl"),
                     file_name="klanten.csv", mime="text/csv")  # fmt: skip
right.download_button(tr("ui.download_xlsx"), to_xlsx_bytes(table), file_name="klanten.xlsx")
