"""The grid on the segments page: revenue × qualities, cut into A, B and C."""

import streamlit as st

from app import charts
from app.segments.common import (
    check_and_finalize,
    some_margins_unknown_note,
    summary_table,
    threshold_sliders,
    unknown_measures,
    unknown_note,
    with_overrides,
)
from app.ui import View, chart, lang, tr
from portfolio.config import segment_rules, thresholds
from portfolio.formatting import money, number, percent
from portfolio.links import bounds
from portfolio.segments.schemes import grid_cells, grid_rules_from, grid_segments


def _sliders() -> dict:
    grid, sizes = segment_rules().grid, thresholds().size_class
    return {  # key: (label, default, low, high, step, format)
        key: (f"seg.{key.removeprefix('seg_')}", default, *bounds(key), step, fmt)
        for key, default, step, fmt in (
            ("seg_medium_from", sizes.medium_from, 1_000.0, "€ %d"),
            ("seg_large_from", sizes.large_from, 5_000.0, "€ %d"),
            ("seg_margin_pct_from", grid.margin_pct_from * 100, 1.0, "%d%%"),
            ("seg_contribution_per_hour_from", grid.contribution_per_hour_from, 5.0, "€ %d"),
            ("seg_days_late_max", grid.days_late_max, 1.0, "%d"),
            ("seg_innovation_from", grid.innovation_from, 0.5, "%.1f"),
            ("seg_network_from", grid.network_from, 0.5, "%.1f"),
        )
    }


def _rules_in_words(rules, medium: float, large: float) -> None:
    language = lang()
    lines = (
        tr("seg.rule_size", medium=money(medium, language, 0), large=money(large, language, 0)),
        tr(
            "seg.rule_margin",
            pct=percent(rules.margin_pct_from, language, 0),
            per_hour=money(rules.contribution_per_hour_from, language, 0),
        ),
        tr("seg.rule_cashflow", days=number(rules.days_late_max, language, 1)),
        tr(
            "seg.rule_scores",
            innovation=number(rules.innovation_from, language, 1),
            network=number(rules.network_from, language, 1),
        ),
        tr(
            "seg.rule_cut",
            **{f"a_{s}": v for s, v in rules.a_from.items()},
            **{f"b_{s}": v for s, v in rules.b_from.items()},
        ),
    )
    st.markdown("\n".join(f"- {line}" for line in lines))


def show(view: View, table) -> None:
    st.write(tr("seg.grid_intro"))
    unknown = unknown_measures(table)
    meaning = None
    if "margin_pct" in unknown:
        meaning = "seg.unknown_rule.grid_margin"
    elif "per_hour" in unknown:
        meaning = "seg.unknown_rule.grid_per_hour"
    unknown_note(table, meaning)
    some_margins_unknown_note(table)
    disabled = {
        key
        for key, figure in (
            ("seg_margin_pct_from", "margin_pct"),
            ("seg_contribution_per_hour_from", "per_hour"),
        )
        if figure in unknown
    }
    with st.expander(tr("seg.thresholds"), expanded=True):
        values = threshold_sliders(_sliders(), disabled=frozenset(disabled))
    chosen = {k.removeprefix("seg_"): v for k, v in values.items()}  # as shown and saved
    rules, medium, large = grid_rules_from(chosen, segment_rules().grid, thresholds().size_class)
    with st.expander(tr("seg.rules")):
        _rules_in_words(rules, medium, large)
    # an unknown margin does not count against the customer (``grid_answers``)
    segments = with_overrides(view, "grid", grid_segments(table, rules, medium, large))
    if segments.empty:
        st.info(tr("seg.no_data"))
        return
    st.markdown(f"**{tr('seg.grid_chart')}**")
    cells = grid_cells(segments, table, rules)
    key = (*view.key, lang(), "grid", tuple(values.values()))
    chart(key, lambda: charts.grid_chart(cells, lang()))
    st.markdown(f"**{tr('seg.per_segment')}**")
    summary_table("grid", segments, table, lambda s: f"{s} · {tr('channel.' + rules.channels[s])}")
    check_and_finalize(view, "grid", chosen, segments, ("A", "B", "C"), table)
