"""Price scenarios: per segment a price change and the customers it costs,
the break-even beside each, and the portfolio before and after."""

import streamlit as st

from app import door
from app import scenarios as ui
from app.ui import caption, labels, others_note, sidebar, table_for, tr
from portfolio.decisions import apply_ratings, load_decisions
from portfolio.store import data_dir

door.guard()  # first: nothing is shown before the door, whatever the request


view = sidebar()
st.title(tr("sc.title"))
caption(view)
st.write(tr("sc.intro"))
decisions = load_decisions(data_dir(), view.name)
final = decisions.final
table = apply_ratings(table_for(view), decisions.ratings)
others_note(table, portfolio_total=False)

choices = ui.split_choices(final)
if st.session_state.get("sc_split") not in choices:
    st.session_state["sc_split"] = choices[0]  # the finalized split when there is one
split = st.selectbox(
    tr("sc.split"), choices, key="sc_split", format_func=labels(lambda s: f"sc.split.{s}")
)
customers = ui.customers_for(view, table, split, decisions)
if customers.empty:
    st.info(tr("seg.no_data"))
    st.stop()
order = sorted(customers["segment"].unique())
names = {s: ui.segment_label(split, s, final) for s in order}

st.subheader(tr("sc.levers"))
st.caption(tr("sc.model"))
ui.cost_note(customers)  # without a cost price: one line on what is off and how to add it
ui.preset_buttons(split, customers, order)
levers = ui.lever_controls(split, customers, order, final)

st.subheader(tr("sc.results"))
effects, seg = ui.compute(customers, levers, order, view.period.days)
ui.headline(seg)
st.dataframe(ui.result_table(seg, names, effects), hide_index=True, width="stretch")
ui.charts(seg, effects, names)

if not ui.no_cost_price(customers):  # the table is all contribution: cost_note says why
    st.subheader(tr("sc.sensitivity"))
    ui.sensitivity_table(customers, order, names)

st.subheader(tr("sc.saved_title"))
ui.saved_scenarios(view, split, levers, table, decisions)
