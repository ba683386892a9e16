"""Step 2, remediate: new conditions for the unprofitable customers (the ice cubes), what
they bring if accepted, and their status."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.funnel.common import (
    EDITOR_ROWS,
    edited_customers,
    money_column,
    money_or_unknown,
    save_editor,
)
from app.funnel.settings import setting
from app.ui import View, delta_args, lang, tr
from portfolio.config import funnel_rules
from portfolio.formatting import number
from portfolio.funnel.plan import Plan, remediation_frame, save_remediation
from portfolio.funnel.steps import GROUPS, STATUSES, remediation, remediation_totals
from portfolio.links import bounds
from portfolio.store import data_dir


def step_remediate(view: View, plan: Plan, table, selected: pd.DataFrame):
    """The unprofitable customers (groups remediate and part) with their new condition and
    status; returns them (per customer) and their totals for the bucket."""
    language = lang()
    rules = funnel_rules()
    st.write(tr("fn.remediate_intro"))
    acceptance = st.slider(
        tr("fn.acceptance"),
        *bounds("fn_acceptance"),
        step=5,
        format="%d%%",
        key=setting(plan, "acceptance", round(rules.acceptance * 100)),
    )
    ice = selected[selected["group"].isin(["remediate", "part"])]
    columns = ["customer", "revenue", "gross_margin", "cost_to_serve", "contribution"]
    candidates = (
        table.loc[ice.index, columns]
        .assign(customer_name=ice["customer_name"], group=ice["group"])
        .sort_values("contribution", kind="stable")
    )
    framed = remediation_frame(plan, candidates, next(iter(rules.conditions)))
    remedied = remediation(framed, rules.conditions, acceptance / 100)
    totals = remediation_totals(remedied)
    if remedied.empty:
        st.info(tr("fn.no_ice"))
        return remedied, totals
    cells = [*st.columns(3), *st.columns(3)]
    cells[0].metric(tr("fn.ice_customers"), number(totals["customers"], language))
    revenue_change = totals["expected_revenue"] - totals["revenue"]
    cells[1].metric(
        tr("fn.ice_revenue"),
        money_or_unknown(totals["revenue"], language),
        **delta_args(revenue_change, money_or_unknown(revenue_change, language)),
    )
    heat_change = totals["expected_contribution"] - totals["contribution"]
    cells[2].metric(
        tr("fn.ice_contribution"),
        money_or_unknown(totals["contribution"], language),
        **delta_args(heat_change, money_or_unknown(heat_change, language)),
    )
    cells[3].metric(tr("fn.revenue_at_risk"), money_or_unknown(totals["revenue_at_risk"], language))
    cells[4].metric(
        tr("fn.contribution_at_risk"), money_or_unknown(totals["contribution_at_risk"], language)
    )
    cells[5].metric(
        tr("fn.replacement_needed"),
        money_or_unknown(totals["replacement_needed"], language),
        help=tr("fn.replacement_help"),
    )
    conditions = {tr(f"fn.condition.{k}"): k for k in rules.conditions}
    statuses = {tr(f"fn.status.{s}"): s for s in STATUSES}
    names = {v: k for k, v in conditions.items()}
    status_names = {v: k for k, v in statuses.items()}
    shown = remedied.head(EDITOR_ROWS)
    edit = pd.DataFrame(
        {
            "customer": shown["customer"].astype(str),
            "customer_name": shown["customer_name"],
            "group": shown["group"].map({g: tr(f"fn.group.{g}") for g in GROUPS}),
            # amounts as the language writes them: the editor's own euro format follows the
            # browser's language, not the page's ("€190,954.11" on a Dutch page)
            "revenue": money_column(shown["revenue"], language),
            "contribution": money_column(shown["contribution"], language),
            "condition": shown["condition"].map(names),
            "if_accepted": money_column(shown["contribution_if_accepted"], language),
            "status": shown["status"].map(status_names),
            "note": shown["note"],
        }
    )
    with st.form("fn_remediate_form", border=False):
        edited = st.data_editor(
            edit,
            key="fn_remediate",
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            disabled=[
                "customer",
                "customer_name",
                "group",
                "revenue",
                "contribution",
                "if_accepted",
            ],
            column_config={
                "customer": st.column_config.TextColumn(tr("col.customer")),
                "customer_name": st.column_config.TextColumn(tr("col.customer_name")),
                "group": st.column_config.TextColumn(tr("fn.group")),
                "revenue": st.column_config.TextColumn(tr("col.revenue")),
                "contribution": st.column_config.TextColumn(tr("col.contribution")),
                "condition": st.column_config.SelectboxColumn(
                    tr("fn.condition"), options=list(conditions), required=True
                ),
                "if_accepted": st.column_config.TextColumn(tr("fn.if_accepted")),
                "status": st.column_config.SelectboxColumn(
                    tr("fn.status"), options=list(statuses), required=True
                ),
                "note": st.column_config.TextColumn(tr("fn.note")),
            },
        )
        if st.form_submit_button(tr("fn.save")):
            rows = pd.DataFrame(
                {
                    "customer": edited["customer"],
                    "condition": edited["condition"].map(conditions),
                    "status": edited["status"].map(statuses),
                    "note": edited["note"],
                }
            )
            save_editor(
                "fn_remediate",
                lambda: save_remediation(
                    data_dir(),
                    view.name,
                    rows,
                    rules.conditions,
                    base=plan.remediation,
                    edited=edited_customers("fn_remediate", edit),
                ),
                "fn.saved",
            )
    if len(remedied) > EDITOR_ROWS:
        st.caption(tr("fn.rows_limited", rows=number(EDITOR_ROWS, language)))
    return remedied, totals
