"""Customer card: one customer whole. Its figures against the period before, revenue and
margin per month over the whole history, its segment in every scheme and why, its place
in the five steps, and its largest lines; shared by address (``?customer=…``)."""

import streamlit as st

from app import card, door
from app.funnel import plan_of
from app.ui import caption, sidebar, table_for, tr, tr_plain
from portfolio.decisions import apply_ratings, load_decisions
from portfolio.i18n import as_text
from portfolio.store import data_dir

door.guard()  # first: nothing is shown before the door, whatever the request

address = st.query_params.get("customer")  # read before the sidebar writes the address
view = sidebar()
st.title(tr("card.title"))
caption(view)
decisions = load_decisions(data_dir(), view.name)
table = apply_ratings(table_for(view), decisions.ratings)
customer = card.choose_customer(table, address)
if customer is None:
    st.stop()
st.query_params["customer"] = customer  # the address shares this card

row = table[table["customer"].astype(str) == customer].iloc[0]
# the name is the user's data: written as text, never as Markdown or HTML
st.subheader(as_text(f"{row['customer_name']} ({customer})"))
st.caption(tr("card.status", status=tr_plain(f"status.{row['status']}")))
card.figures(view, table, customer)
card.periods(view, table, customer)
card.history(view, customer)
card.segments(table, customer, decisions)
card.plan(table, customer, decisions, plan_of(view))
card.largest_lines(view, customer)
