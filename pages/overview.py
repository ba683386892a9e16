"""Overview: the headline figures against the previous period, Pareto and whale curves."""

import streamlit as st

from app import changes, charts, door
from app.ui import (
    caption,
    chart,
    delta_args,
    lang,
    others_note,
    sidebar,
    table_and_summaries,
    tr,
    tr_plain,
    unknown_contribution,
)
from portfolio.concentration import exact_customers_for_share, pareto_curve, whale_curve
from portfolio.formatting import money, number, percent
from portfolio.kpis import headline_figures

door.guard()  # first: nothing is shown before the door, whatever the request

view = sidebar()
# P and P-1 in one pass, first: the caption's note on estimated margins reads P's table
table, now, before = table_and_summaries(view)
st.title(tr("ui.app_title"))
caption(view)
language = lang()
previous = view.period.previous()

# rows of three: a wider row cuts off amounts in the millions
cells = [*st.columns(3), *st.columns(3), *st.columns(3)]
compared = view.covers(previous)  # honest comparisons: only against a period in the data
figures = headline_figures(
    now, before, previous_covered=compared, earlier_covered=view.covers(previous.previous())
)
for cell, figure in zip(cells, figures, strict=False):
    value = figure.value
    if figure.kind == "money":
        shown, delta = money(value, language, 0), money(figure.delta, language, 0)
    elif figure.kind == "share":
        shown = percent(value, language)
        delta = tr_plain(
            "ui.points",
            value=number(figure.delta * 100 if figure.delta is not None else None, language, 1),
        )
    else:
        shown, delta = number(value, language), number(figure.delta, language)
    cell.metric(
        tr(f"ui.{figure.key}"),
        shown or tr("ui.unknown"),
        **delta_args(figure.delta, delta, inverse=figure.key == "lost_customers"),
    )

others_note(table, portfolio_total=True)
if compared:
    st.caption(tr("ui.previous_period", period=previous.label()))
else:
    st.caption(
        tr("ui.no_comparison", first=view.first.strftime("%d-%m-%Y"), period=previous.label())
    )

st.subheader(tr("ui.pareto_title"))
has_margin = table["contribution"].notna().any()
tabs = st.tabs([tr("ui.by_revenue"), tr("ui.by_contribution")])
buying = table[table["revenue"] > 0]  # the period's customers, for both curves
for tab, column in zip(tabs, ("revenue", "contribution"), strict=True):
    with tab:
        curve = pareto_curve(buying, column)
        if column == "revenue":
            st.write(
                tr(
                    "ui.pareto_sentence",
                    share=percent(now["customers_for_80pct_revenue_share"], language),
                    top=percent(now["top20_revenue_share"], language),
                )
            )
        elif not has_margin:
            st.info(unknown_contribution(table))
            continue
        elif (share := exact_customers_for_share(buying, column, 0.8)) is None:
            st.write(tr("ui.pareto_no_positive"))
        else:
            st.write(tr("ui.pareto_contribution_sentence", share=percent(share, language)))
        title = tr(f"ui.{column}")
        chart(
            (*view.key, language, "pareto", column),
            lambda c=curve, t=title: charts.pareto_chart(c, language, t),
        )
        grouped = curve[curve["customers"] > 1]
        if len(grouped):
            single = int((curve["customers"] == 1).sum())
            st.caption(
                tr(
                    "ui.grouped_note",
                    single=number(single, language),
                    rest=number(len(buying) - single, language),
                    size=number(int(grouped["customers"].max()), language),
                )
            )

st.subheader(tr("ui.whale_title"))
if has_margin:
    whale = whale_curve(table)
    peak = whale[whale["is_peak"]].iloc[0]
    loss = peak["cumulative_contribution"] - now["contribution"]
    st.write(
        tr(
            "ui.whale_peak",
            peak=money(peak["cumulative_contribution"], language, 0),
            peak_share=percent(now["whale_peak_share"], language),
            share=percent(peak["customer_share"], language),
            loss=money(loss, language, 0),
        )
    )
    chart((*view.key, language, "whale"), lambda: charts.whale_chart(whale, language))
else:
    st.info(unknown_contribution(table))

changes.since_last_upload(view)
