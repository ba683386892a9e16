"""Step 4, grow internally: cross- and up-sell opportunities per customer, weighted by
their chance."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import charts
from app.funnel.common import money_or_unknown, pct, save_editor
from app.ui import View, lang, tr
from portfolio.formatting import money_texts
from portfolio.frames import among
from portfolio.funnel.plan import OPPORTUNITY_KINDS, Plan, opportunities_frame, save_opportunities
from portfolio.funnel.steps import weighted_budget
from portfolio.store import data_dir


def step_grow(view: View, plan: Plan, table, selected: pd.DataFrame) -> pd.DataFrame:
    """Opportunities per customer, and the weighted plan per quarter as the budget."""
    language = lang()
    st.write(tr("fn.grow_intro"))
    growers = selected[selected["group"].isin(["grow", "anchor"])]
    # lists first: iterating a column of Arrow text costs a call per value
    names = growers["customer_name"].tolist()
    choices = dict(zip(growers["customer"].astype(str).tolist(), names, strict=True))
    kinds = {tr(f"fn.kind.{k}"): k for k in OPPORTUNITY_KINDS}
    kind_names = {v: k for k, v in kinds.items()}
    opportunities = opportunities_frame(plan)
    edit = opportunities.assign(kind=opportunities["kind"].map(kind_names))
    with st.form("fn_grow_form", border=False):
        edited = st.data_editor(
            edit,
            key="fn_grow",
            hide_index=True,
            width="stretch",
            num_rows="dynamic",
            column_config={
                "customer": st.column_config.SelectboxColumn(
                    tr("col.customer"),
                    options=list(choices),
                    required=True,
                    help=tr("fn.customer_help"),
                ),
                "description": st.column_config.TextColumn(tr("fn.description")),
                "kind": st.column_config.SelectboxColumn(
                    tr("fn.kind"), options=list(kinds), default=next(iter(kinds))
                ),
                "condition": st.column_config.TextColumn(tr("fn.opportunity_condition")),
                "date": st.column_config.DateColumn(tr("fn.expected_date"), format="DD-MM-YYYY"),
                "revenue": st.column_config.NumberColumn(
                    tr("fn.estimated_revenue"), min_value=0, format="euro"
                ),
                "chance": st.column_config.NumberColumn(
                    tr("fn.chance"), min_value=0.0, max_value=1.0, step=0.05, format="percent"
                ),
            },
        )
        if st.form_submit_button(tr("fn.save")):
            rows = edited.assign(kind=edited["kind"].map(lambda k: kinds.get(k, k)))
            everyone = set(table["customer"].astype(str))
            save_editor(
                "fn_grow",
                lambda: save_opportunities(
                    data_dir(),
                    view.name,
                    rows,
                    everyone,
                    seen=plan.revisions.get("opportunities", 0),
                ),
                "fn.saved",
            )
    if opportunities.empty:
        st.caption(tr("fn.no_opportunities"))
        return opportunities
    budget = weighted_budget(opportunities)
    involved = table[among(table["customer"], opportunities["customer"])]
    last_year = float(involved["revenue"].sum())
    weighted = float(budget["weighted"].sum())
    cells = st.columns(3)
    cells[0].metric(tr("fn.weighted_plan"), money_or_unknown(weighted, language))
    cells[1].metric(tr("fn.their_revenue"), money_or_unknown(last_year, language))
    cells[2].metric(
        tr("fn.growth_share"), pct(weighted / last_year if last_year else None, language)
    )
    shown = pd.DataFrame(
        {
            tr("fn.quarter"): budget["quarter"].fillna(tr("fn.unplanned")),
            tr("fn.opportunities"): budget["opportunities"],
            tr("fn.estimated_revenue"): money_texts(budget["revenue"], language, 0),
            tr("fn.weighted"): money_texts(budget["weighted"], language, 0),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    st.vega_lite_chart(
        charts.budget_chart(budget.fillna({"quarter": tr("fn.unplanned")}), language),
        width="stretch",
    )
    return opportunities
