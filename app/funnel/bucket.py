"""Around the steps: the bucket (revenue and its temperature, now and after the plan)
and the plan's downloads."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app import charts
from app.funnel.common import money_or_unknown, pct
from app.ui import View, assumptions, delta_args, lang, tr, tr_plain
from portfolio.formatting import number
from portfolio.funnel.plan import load_plan, prospects_frame
from portfolio.funnel.report import plan_summary, plan_summary_html, plan_summary_pdf, plan_workbook
from portfolio.funnel.steps import group_summary, remediation_totals, weighted_budget
from portfolio.store import data_dir


def bucket_view(figures: dict) -> None:
    """The water level and its temperature, now and after the plan."""
    language = lang()
    st.subheader(tr("fn.bucket"))
    left, right = st.columns([1, 1])
    with left:
        st.write(tr("fn.bucket_intro"))
        level = figures["revenue_after"] - figures["revenue_now"]
        st.metric(
            tr("fn.water_level"),
            money_or_unknown(figures["revenue_after"], language),
            **delta_args(level, money_or_unknown(level, language)),
        )
        now, after = figures["margin_now"], figures["margin_after"]
        change = None if now is None or after is None else (after - now) * 100
        points = (
            tr_plain("ui.points", value=number(change, language, 1)) if change is not None else None
        )
        st.metric(
            tr("fn.temperature"),
            pct(after, language),
            **delta_args(None if change is None else change / 100, points),
        )
        if change is not None and change > 0 and level >= 0:
            st.success(tr("fn.bucket_good"))
        elif level < 0:
            st.warning(tr("fn.bucket_level_drops", amount=money_or_unknown(-level, language)))
        elif change is not None and change <= 0:
            st.warning(tr("fn.bucket_colder"))
    with right:
        st.vega_lite_chart(charts.bucket_chart(figures, language), width="stretch")


def downloads(
    view: View, figures: dict, selected, remedied, appointments, opportunities, table
) -> None:
    """The plan for the weekly sales meeting (xlsx) and the one-page summary (HTML)."""
    language = lang()
    plan = load_plan(data_dir(), view.name)
    notes = tuple(note for note in assumptions(view) if note)
    left, middle, right = st.columns(3)
    left.download_button(
        tr("fn.download_xlsx"),
        file_name="plan.xlsx",
        key="fn_xlsx",
        on_click="ignore",
        data=lambda: plan_workbook(
            language,
            selected,
            remedied,
            appointments,
            opportunities,
            prospects_frame(plan),
            notes,
            figures,
        ),
    )

    def summary():
        return plan_summary(
            language,
            view.name,
            view.period.label(),
            date.today(),
            figures,
            group_summary(selected),
            remediation_totals(remedied),
            appointments,
            weighted_budget(opportunities) if len(opportunities) else None,
            notes,
            prospects_frame(plan),
        )

    middle.download_button(
        tr("fn.download_summary"),
        file_name="plan.html",
        mime="text/html",
        key="fn_html",
        on_click="ignore",
        data=lambda: plan_summary_html(summary()).encode("utf-8"),
    )
    right.download_button(
        tr("fn.download_pdf"),
        file_name="plan.pdf",
        mime="application/pdf",
        key="fn_pdf",
        on_click="ignore",
        data=lambda: plan_summary_pdf(summary()),
    )
