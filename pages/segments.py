"""Segments: revenue × qualities (seed 001) and fit code 1/2/3 (seed 003)."""

from dataclasses import replace

import streamlit as st

from pages import _charts
from pages._segment_ui import export_buttons, finalize_controls, override_controls, with_overrides
from pages._ui import caption, chart, lang, sidebar, table_for, tr
from portfolio.config import segment_rules, thresholds
from portfolio.formatting import money, money_texts, number, number_texts, percent, percent_texts
from portfolio.segmentation import fit_summary, grid_cells, grid_segments, segment_summary

view = sidebar()
st.title(tr("seg.title"))
caption(view)
language = lang()
table = table_for(view)
defaults, sizes = segment_rules(), thresholds().size_class
GRID_KEYS = {  # widget key: (config default, slider bounds, step, printf format)
    "seg_medium_from": (sizes.medium_from, 0.0, 250_000.0, 1_000.0, "€ %d"),
    "seg_large_from": (sizes.large_from, 0.0, 1_000_000.0, 5_000.0, "€ %d"),
    "seg_margin_pct_from": (defaults.grid.margin_pct_from * 100, 0.0, 100.0, 1.0, "%d%%"),
    "seg_contribution_per_hour_from": (
        defaults.grid.contribution_per_hour_from, 0.0, 500.0, 5.0, "€ %d"),
    "seg_days_late_max": (defaults.grid.days_late_max, -30.0, 90.0, 1.0, "%d"),
    "seg_innovation_from": (defaults.grid.innovation_from, 0.0, 5.0, 0.5, "%.1f"),
    "seg_network_from": (defaults.grid.network_from, 0.0, 5.0, 0.5, "%.1f"),
}  # fmt: skip


def _reset() -> None:
    for key in GRID_KEYS:
        st.session_state.pop(key, None)


grid_tab, fit_tab = st.tabs([tr("seg.grid_tab"), tr("seg.fit_tab")])
with grid_tab:
    st.write(tr("seg.grid_intro"))
    with st.expander(tr("seg.thresholds"), expanded=True):
        cols = st.columns(2)
        values = {}
        for i, (key, (default, low, high, step, fmt)) in enumerate(GRID_KEYS.items()):
            st.session_state.setdefault(key, float(default))
            values[key] = cols[i % 2].slider(tr(key.replace("seg_", "seg.")), low, high,
                                             step=step, format=fmt, key=key)  # fmt: skip
        st.button(tr("seg.reset"), on_click=_reset)
    rules = replace(
        defaults.grid,
        margin_pct_from=values["seg_margin_pct_from"] / 100,
        contribution_per_hour_from=values["seg_contribution_per_hour_from"],
        days_late_max=values["seg_days_late_max"],
        innovation_from=values["seg_innovation_from"],
        network_from=values["seg_network_from"],
    )
    medium, large = values["seg_medium_from"], values["seg_large_from"]
    segments = with_overrides(view, "grid", grid_segments(table, rules, medium, large))
    with st.expander(tr("seg.rules"), expanded=False):
        st.markdown(
            "\n".join(f"- {line}" for line in (
                tr("seg.rule_size", medium=money(medium, language, 0),
                   large=money(large, language, 0)),
                tr("seg.rule_margin", pct=percent(rules.margin_pct_from, language, 0),
                   per_hour=money(rules.contribution_per_hour_from, language, 0)),
                tr("seg.rule_cashflow", days=number(rules.days_late_max, language, 1)),
                tr("seg.rule_scores", innovation=number(rules.innovation_from, language, 1),
                   network=number(rules.network_from, language, 1)),
                tr("seg.rule_cut", **{f"a_{s}": v for s, v in rules.a_from.items()},
                   **{f"b_{s}": v for s, v in rules.b_from.items()}),
            ))
        )  # fmt: skip
    if segments.empty:
        st.info(tr("seg.no_data"))
    else:
        st.markdown(f"**{tr('seg.grid_chart')}**")
        cells = grid_cells(segments, table, rules)
        key = (*view.key, language, "grid", tuple(values.values()))
        chart(key, lambda: _charts.grid_chart(cells, language))
        st.markdown(f"**{tr('seg.per_segment')}**")
        summary = segment_summary(segments, table)
        shown = summary[["segment"]].assign(
            **{tr("seg.channel"): summary["segment"].map(
                lambda s: tr(f"channel.{rules.channels[s]}"))},
            **{tr("col.customers"): number_texts(summary["customers"], language),
               tr("col.revenue"): money_texts(summary["revenue"], language, 0),
               tr("ui.revenue") + " %": percent_texts(summary["revenue_share"], language),
               tr("col.contribution"): money_texts(summary["contribution"], language, 0),
               tr("col.hours"): number_texts(summary["hours"], language),
               tr("col.hours") + " %": percent_texts(summary["hours_share"], language),
               tr("seg.treatment"): summary["segment"].map(lambda s: tr(f"seg.treatment_{s}"))},
        ).rename(columns={"segment": tr("seg.segment")})  # fmt: skip
        st.dataframe(shown, hide_index=True, width="stretch")
        override_controls(view, "grid", segments, ("A", "B", "C"))
        thresholds_used = {k.removeprefix("seg_"): v for k, v in values.items()}
        finalize_controls(view, "grid", thresholds_used, segments)
        export_buttons("grid", segments, table)

with fit_tab:
    st.write(tr("seg.fit_intro"))
    summary, warn = fit_summary(table, defaults.fit)
    by_code = summary.set_index("code")
    summary = summary[(summary["code"] != 0) | (summary["customers"] > 0)]  # "none" if any
    if by_code.loc[0, "customers_share"] == 1:
        st.info(tr("seg.fit_missing", share=percent(1.0, language, 0)))
    elif warn:
        st.warning(tr("seg.fit_warning", share=percent(by_code.loc[3, "hours_share"], language)))
    chart((*view.key, language, "fit"), lambda: _charts.fit_chart(summary, language))
    shown = summary.assign(
        code=summary["code"].map(lambda c: str(c) if c else tr("seg.fit_none")),
        customers=number_texts(summary["customers"], language),
        revenue=money_texts(summary["revenue"], language, 0),
        hours=number_texts(summary["hours"], language),
        customers_share=percent_texts(summary["customers_share"], language),
        revenue_share=percent_texts(summary["revenue_share"], language),
        hours_share=percent_texts(summary["hours_share"], language),
    ).rename(columns={"code": tr("seg.fit_code"), "customers": tr("col.customers"),
                      "revenue": tr("col.revenue"), "hours": tr("col.hours"),
                      "customers_share": tr("col.customers") + " %",
                      "revenue_share": tr("col.revenue") + " %",
                      "hours_share": tr("col.hours") + " %"})  # fmt: skip
    st.dataframe(shown, hide_index=True, width="stretch")
