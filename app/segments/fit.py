"""Fit with the offer on the segments page: code 1/2/3, and the warning about code 3's hours."""

import streamlit as st

from app import charts
from app.ratings import rating_controls
from app.segments.common import unknown_measures, unknown_note
from app.ui import View, chart, lang, share_header, tr, tr_plain
from portfolio.config import segment_rules
from portfolio.formatting import money_texts, number_texts, percent, percent_texts
from portfolio.segments.schemes import fit_summary


def show(view: View, table) -> None:
    language = lang()
    st.write(tr("seg.fit_intro"))
    summary, warn = fit_summary(table, segment_rules().fit)
    # without a customer file the hours are unknown, not 0: no bars, no figures for them
    hours_unknown = "hours" in unknown_measures(table)
    unknown_note(table, "seg.unknown_rule.fit", about=("hours",))
    if hours_unknown:
        summary = summary.assign(hours=float("nan"), hours_share=float("nan"))
    by_code = summary.set_index("code")
    summary = summary[(summary["code"] != 0) | (summary["customers"] > 0)]  # "none" if any
    if by_code.loc[0, "customers_share"] == 1:
        st.info(tr("seg.fit_missing", share=percent(1.0, language, 0)))
    elif warn:
        st.warning(tr("seg.fit_warning", share=percent(by_code.loc[3, "hours_share"], language)))
    chart((*view.key, language, "fit"), lambda: charts.fit_chart(summary, language))
    shown = summary.assign(
        code=summary["code"].map(lambda c: str(c) if c else tr("seg.fit_none")),
        customers=number_texts(summary["customers"], language),
        revenue=money_texts(summary["revenue"], language, 0),
        hours=number_texts(summary["hours"], language),
        customers_share=percent_texts(summary["customers_share"], language),
        revenue_share=percent_texts(summary["revenue_share"], language),
        hours_share=percent_texts(summary["hours_share"], language),
    ).rename(
        columns={
            "code": tr("seg.fit_code"),
            "customers": tr("col.customers"),
            "revenue": tr("col.revenue"),
            "hours": tr("col.hours"),
            "customers_share": share_header("col.customers"),
            "revenue_share": share_header("col.revenue"),
            "hours_share": share_header("col.hours"),
        }
    )
    if hours_unknown:
        shown[tr("col.hours")] = shown[share_header("col.hours")] = tr_plain("ui.unknown")
    st.dataframe(shown, hide_index=True, width="stretch")
    rating_controls(view, table)
