"""The five steps: select, remediate, anchor, grow internally, grow externally,
over the finalized split, with the bucket (revenue and its temperature) before and after."""

from datetime import date

import streamlit as st

from app import door
from app import funnel as ui
from app.funnel.settings import team_settings
from app.ui import caption, lang, others_note, places_for, sidebar, table_for, tr
from portfolio.decisions import apply_ratings, load_decisions
from portfolio.funnel.steps import bucket
from portfolio.store import data_dir
from portfolio.summary import known_total

door.guard()  # first: nothing is shown before the door, whatever the request


view = sidebar()
st.title(tr("fn.title"))
caption(view)
language = lang()
decisions = load_decisions(data_dir(), view.name)
table = apply_ratings(table_for(view), decisions.ratings)
others_note(table, portfolio_total=False)
segments, scheme = ui.segments_for(view, table, decisions)
st.caption(
    tr("fn.split_final" if decisions.final else "fn.split_default", scheme=tr(f"seg.{scheme}_tab"))
)
ui.show_saved()
plan = ui.plan_of(view)
team_settings(view, plan)
bucket_area = st.container()  # drawn last, shown first: it sums up every step
today = date.today()

steps = st.tabs([tr(f"fn.step{i}") for i in range(1, 6)])
with steps[0]:
    selected = ui.step_select(view, plan, table, segments)
with steps[1]:
    remedied, ice = ui.step_remediate(view, plan, table, selected)
with steps[2]:
    appointments = ui.step_anchor(view, plan, selected, today)
with steps[3]:
    opportunities = ui.step_grow(view, plan, table, selected)
with steps[4]:
    new_revenue = ui.step_external(view, plan, table, selected, places_for(view))

buying = table[table["revenue"] > 0]
contribution = known_total(buying["contribution"])
weighted = float((opportunities["revenue"] * opportunities["chance"]).sum())
figures = bucket(
    float(buying["revenue"].sum()),
    None if contribution != contribution else float(contribution),
    ice,
    weighted,
    new_revenue,
)
with bucket_area:
    ui.bucket_view(figures)
    ui.downloads(view, figures, selected, remedied, appointments, opportunities, table)
