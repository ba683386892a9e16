"""Step 1, select: which customers are profitable, which are interesting, and the groups
that makes (grow, keep, remediate, part)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from app import charts
from app.funnel.common import money_or_unknown, pct
from app.funnel.settings import setting
from app.ui import View, labels, lang, share_header, tr, tr_plain, unknown_contribution
from portfolio.config import funnel_rules
from portfolio.formatting import number, number_texts
from portfolio.funnel.plan import Plan
from portfolio.funnel.steps import funnel_flows, group_summary, select
from portfolio.links import bounds


def step_select(view: View, plan: Plan, table, segments: pd.Series) -> pd.DataFrame:
    language = lang()
    defaults = funnel_rules().select
    st.write(tr("fn.select_intro"))
    left, middle, right = st.columns(3)
    profitable = left.number_input(
        tr("fn.profitable_from"),
        step=100.0,
        format="%.0f",
        key=setting(plan, "profitable_from", defaults.profitable_from),
    )
    strategic_key = setting(plan, "strategic_from", defaults.strategic_from)
    strategic = middle.select_slider(  # 3,5 in Dutch: a slider's own format writes 3.50
        tr("fn.strategic_from"),
        sorted({i / 2 for i in range(11)} | {float(st.session_state[strategic_key])}),
        format_func=lambda v: number(v, language, 1),
        key=strategic_key,
    )
    fit = right.slider(
        tr("fn.fit_code_max"),
        *bounds("fn_fit_code_max"),
        key=setting(plan, "fit_code_max", defaults.fit_code_max),
        help=tr("fn.fit_code_max_help"),
    )
    left, right = st.columns(2)
    growth = left.slider(
        tr("fn.growth_from"),
        *bounds("fn_growth_from"),
        step=5,
        format="%d%%",
        key=setting(plan, "growth_from", round(defaults.growth_from * 100)),
    )
    options = sorted(segments.dropna().unique())
    chosen = right.multiselect(
        tr("fn.interesting_segments"),
        options,
        key=setting(
            plan, "interesting_segments", [s for s in defaults.interesting_segments if s in options]
        ),
        placeholder=tr_plain("ui.choose"),
    )
    rules = replace(
        defaults,
        profitable_from=float(profitable),
        strategic_from=float(strategic),
        fit_code_max=int(fit),
        growth_from=growth / 100,
        interesting_segments=tuple(chosen),
    )
    selected = select(table, segments, rules)
    if table["contribution"].isna().all():
        st.info(unknown_contribution(table, "fn.no"))
    summary = group_summary(selected)
    shown = pd.DataFrame(
        {
            tr("fn.group"): summary["group"].map(lambda g: tr(f"fn.group.{g}")),
            tr("col.customers"): number_texts(summary["customers"], language),
            share_header("col.customers"): summary["customers_share"].map(
                lambda s: pct(s, language)
            ),
            tr("col.revenue"): summary["revenue"].map(lambda v: money_or_unknown(v, language)),
            share_header("col.revenue"): summary["revenue_share"].map(lambda s: pct(s, language)),
            tr("col.contribution"): summary["contribution"].map(
                lambda v: money_or_unknown(v, language)
            ),
            tr("fn.next_step"): summary["group"].map(lambda g: tr(f"fn.next.{g}")),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    measure = st.radio(
        tr("fn.flow_measure"),
        ["customers", "revenue"],
        horizontal=True,
        key="fn_flow_measure",
        format_func=labels(lambda m: f"col.{m}"),
    )
    flows = funnel_flows(selected)
    flows["label"] = flows["part"].map(lambda p: tr(f"fn.part.{p}"))
    st.vega_lite_chart(charts.funnel_chart(flows, language, measure), width="stretch")
    return selected
