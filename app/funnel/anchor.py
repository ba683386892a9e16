"""Step 3, anchor: an appointment with every customer worth keeping, spread over the
weeks ahead (a calendar, iCalendar to take along)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app import charts
from app.funnel.common import EDITOR_ROWS, edited_customers, save_editor
from app.ui import View, lang, tr
from portfolio.config import funnel_rules
from portfolio.formatting import number
from portfolio.funnel.ics import appointments_ics
from portfolio.funnel.plan import Plan, appointments_frame, save_appointments
from portfolio.funnel.steps import appointment_state, calendar_weeks, default_appointments
from portfolio.i18n import template
from portfolio.store import data_dir


def step_anchor(view: View, plan: Plan, selected: pd.DataFrame, today: date) -> pd.DataFrame:
    """A fixed appointment for every profitable customer (groups anchor and grow)."""
    language = lang()
    rules = funnel_rules()
    st.write(tr("fn.anchor_intro", months=rules.months_ahead))
    anchored = selected[selected["group"].isin(["anchor", "grow"])].sort_values(
        "revenue", ascending=False, kind="stable"
    )
    defaults = default_appointments(len(anchored), today, rules.months_ahead, rules.per_day)
    appointments = appointments_frame(plan, anchored, defaults)
    appointments["state"] = [
        appointment_state(d, done, today, rules.soon_days)
        for d, done in zip(appointments["date"], appointments["done"], strict=True)
    ]
    overdue = appointments[appointments["state"] == "overdue"]
    if len(overdue):
        names = ", ".join(overdue["customer_name"].astype(str).head(10))
        st.error(tr("fn.overdue", n=len(overdue), names=names), icon="⏰")
    shown = appointments.head(EDITOR_ROWS)
    edit = shown.assign(
        customer=shown["customer"].astype(str),
        state=shown["state"].map({s: tr(f"fn.state.{s}") for s in set(shown["state"])}),
    )[["customer", "customer_name", "state", "date", "attendees", "topic", "done"]]
    with st.form("fn_anchor_form", border=False):
        edited = st.data_editor(
            edit,
            key="fn_anchor",
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            disabled=["customer", "customer_name", "state"],
            column_config={
                "customer": st.column_config.TextColumn(tr("col.customer")),
                "customer_name": st.column_config.TextColumn(tr("col.customer_name")),
                "state": st.column_config.TextColumn(tr("fn.state")),
                "date": st.column_config.DateColumn(tr("fn.date"), format="DD-MM-YYYY"),
                "attendees": st.column_config.TextColumn(tr("fn.attendees")),
                "topic": st.column_config.TextColumn(tr("fn.topic")),
                "done": st.column_config.CheckboxColumn(tr("fn.done")),
            },
        )
        if st.form_submit_button(tr("fn.save")):
            save_editor(
                "fn_anchor",
                lambda: save_appointments(
                    data_dir(),
                    view.name,
                    edited,
                    base=plan.appointments,
                    edited=edited_customers("fn_anchor", edit),
                ),
                "fn.saved",
            )
    if len(appointments) > EDITOR_ROWS:
        st.caption(tr("fn.rows_limited", rows=number(EDITOR_ROWS, language)))
    st.markdown(f"**{tr('fn.calendar')}**")
    weeks = calendar_weeks(appointments, today, rules.calendar_weeks)
    if weeks["count"].sum() == 0:
        st.info(tr("fn.calendar_none"))
    else:
        if weeks["week_start"].iloc[0] > today:  # the coming weeks have none
            first = weeks.loc[weeks["count"] > 0, "week_start"].iloc[0]
            st.caption(
                tr("fn.calendar_later", weeks=rules.calendar_weeks, date=f"{first:%d-%m-%Y}")
            )
        st.vega_lite_chart(charts.calendar_chart(weeks, language), width="stretch")
    coming = weeks[weeks["count"] > 0].head(4)
    for row in coming.itertuples():
        names = row.customers.split(", ")
        more = tr("fn.and_more", n=len(names) - 8) if len(names) > 8 else ""
        # customer names are the user's data: shown as text, never as Markdown or HTML
        st.text(f"{row.week_start:%d-%m-%Y}: {', '.join(names[:8])}{more}")
    # made when clicked, in another thread: everything it needs is taken along now
    summary = template("fn.ics_summary", language)
    description = template("fn.ics_description", language)
    st.download_button(
        tr("fn.download_ics"),
        file_name="afspraken.ics",
        mime="text/calendar",
        key="fn_ics",
        on_click="ignore",
        data=lambda: appointments_ics(appointments, summary, description),
    )
    return appointments
