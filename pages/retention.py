"""Retention: customers and revenue per period (retained, new, lost) and the cohort table."""

import streamlit as st

from app import charts, door, migration
from app.ui import (
    caption,
    chart,
    cohorts_for,
    labels,
    lang,
    retention_for,
    sidebar,
    table_for,
    tr,
)
from portfolio.decisions import load_decisions
from portfolio.formatting import money_texts, number_texts, percent_texts
from portfolio.store import data_dir

door.guard()  # first: nothing is shown before the door, whatever the request

view = sidebar()
st.title(tr("ui.retention_title"))
caption(view)
language = lang()
per_period, flows = retention_for(view)

st.write(tr("ui.retention_intro"))
if flows.empty:
    st.info(tr("ui.too_short"))
else:
    left, right = st.columns(2)
    for column, measure in ((left, "customers"), (right, "revenue")):
        with column:
            st.markdown(f"**{tr(f'ui.flows_{measure}')}**")
            chart(
                (*view.key, language, "flows", measure),
                lambda m=measure: charts.flows_chart(flows, language, m),
            )

st.subheader(tr("ui.retention_table"))
shown = per_period.copy()
for col in ("period_start", "period_end"):
    shown[col] = [f"{d:%d-%m-%Y}" for d in shown[col]]
shown["revenue"] = money_texts(shown["revenue"], language, 0)
for col in ("customers", "new_customers", "lost_customers"):
    shown[col] = number_texts(shown[col].astype(float), language)
for col in ("customer_retention", "net_revenue_retention", "gross_revenue_retention"):
    shown[col] = percent_texts(shown[col], language)
st.dataframe(shown.rename(columns=lambda c: tr(f"col.{c}")), hide_index=True, width="stretch")

st.subheader(tr("ui.cohort_title"))
st.caption(tr("ui.cohort_intro"))
cohorts = cohorts_for(view)
measures = {
    "revenue": "ui.cohort_revenue",
    "kept": "ui.cohort_kept",
    "customers": "ui.cohort_customers",
}
measure = st.radio(
    tr("ui.cohort_show"),
    list(measures),
    key="cohort_measure",
    horizontal=True,
    format_func=labels(lambda m: measures[m]),
)
chart(
    (view.name, view.version, language, "cohorts", measure),
    lambda: charts.cohort_chart(cohorts, language, measure),
)

migration.section(view, table_for(view), load_decisions(data_dir(), view.name))
