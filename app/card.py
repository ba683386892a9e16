"""The customer card's parts: choosing a customer, its figures against the period before,
its history, its segment in every scheme, its place in the five steps and its lines.

Every figure is read from the per-customer table (``table_for``) or from the domain
package; nothing here computes a measure of its own.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app import charts
from app.ui import (
    View,
    chart,
    choices_note,
    cursor,
    dataset_tables,
    delta_args,
    lang,
    tr,
    tr_plain,
)
from portfolio.config import funnel_rules, segment_rules, thresholds
from portfolio.customer_view import search
from portfolio.decisions import Decisions
from portfolio.formatting import money, money_texts, number, number_texts, percent
from portfolio.funnel.plan import Plan
from portfolio.funnel.steps import appointment_state, select, team_select_rules
from portfolio.i18n import as_text
from portfolio.metrics import customer_lines, customer_months, customer_tables
from portfolio.periods import Period
from portfolio.segments.reasons import placements
from portfolio.segments.schemes import default_split, final_split

PAGE = "pages/customer.py"
CHOICES = 200  # the largest customers offered in the list; the search reaches the others
STATE = "card_customer"
ADDRESS_SEEN = "_card_address_seen"  # the customer the address named when last read


def open_card(customer: str) -> None:
    """Go to the card of ``customer`` (from a table's row, a list of a segment). The
    address names it, so the sidebar's settings travel as the session's state."""
    st.switch_page(PAGE, query_params={"customer": str(customer)})


CLICKED = "_card_clicked"  # the customer of a row just clicked, opened after the run


def row_opens_card(key: str, customers: pd.Series) -> dict:
    """``st.dataframe`` arguments that open the card of the row clicked (``customers``: the
    shown rows' customer numbers, in their order). A change of the selection, not the
    selection itself, opens it: coming back to the table, the row is still selected."""

    def clicked() -> None:
        rows = st.session_state[key].selection.rows
        if rows:
            st.session_state[CLICKED] = str(customers.iloc[rows[0]])

    return {"key": key, "on_select": clicked, "selection_mode": "single-row"}


def follow_click() -> None:
    """Open the card of a row clicked in this run's tables (``row_opens_card``)."""
    if customer := st.session_state.pop(CLICKED, None):
        open_card(customer)


@st.cache_data(max_entries=256, show_spinner=False)
def _months(name: str, version: str, customer: str) -> pd.DataFrame:
    cur = cursor()
    return customer_months(cur, dataset_tables(cur, name, version), customer)


@st.cache_data(max_entries=256, show_spinner=False)
def _lines(name: str, version: str, customer: str, start, end, months) -> pd.DataFrame:
    cur = cursor()
    tables = dataset_tables(cur, name, version)
    return customer_lines(cur, tables, customer, Period(start, end, months))


def choose_customer(table: pd.DataFrame, address: str | None) -> str | None:
    """The customer shown: the one the address names when it names a new one, else the
    one chosen in the list (the 200 largest found by the search, and the one shown)."""
    known = table["customer"].astype(str)
    if address and address != st.session_state.get(ADDRESS_SEEN):
        st.session_state[ADDRESS_SEEN] = address
        if (known == address).any():
            st.session_state[STATE] = address
        else:
            st.warning(tr("card.not_in_dataset", customer=as_text(address)))
    left, right = st.columns([1, 2])
    found = search(table, left.text_input(tr("ui.search"), key="card_q"))
    offered = found.sort_values("revenue", ascending=False, kind="stable").head(CHOICES)
    ids = offered["customer"].astype(str).tolist()
    current = st.session_state.get(STATE)
    if current is not None and current not in ids and (known == current).any():
        ids.insert(0, current)  # the customer shown stays in the list, searched or not
    names = dict(zip(known, table["customer_name"].astype(str), strict=True))
    if not ids:
        st.info(tr("card.none_found"))
        return None
    if st.session_state.get(STATE) not in ids:
        st.session_state[STATE] = ids[0]
    chosen = right.selectbox(
        tr("card.customer"), ids, key=STATE, format_func=lambda c: f"{c} — {names.get(c, '')}"
    )
    choices_note(len(found), CHOICES)
    return chosen


def _row(table: pd.DataFrame, customer: str) -> pd.Series | None:
    match = table[table["customer"].astype(str) == customer]
    return None if match.empty else match.iloc[0]


def figures(view: View, table: pd.DataFrame, customer: str) -> None:
    """The period's figures, each against the period before (when the data covers it)."""
    language = lang()
    row = _row(table, customer)
    previous = view.period.previous()
    earlier = earlier_tables(view)
    before = _row(earlier[0], customer) if earlier else None
    cells = [*st.columns(4), *st.columns(4)]
    shown = (
        ("col.revenue", "revenue", "money"),
        ("col.gross_margin", "gross_margin", "money"),
        ("col.cost_to_serve", "cost_to_serve", "money"),
        ("col.contribution", "contribution", "money"),
        ("col.revenue_share", "revenue_share", "share"),
        ("col.margin_pct", "margin_pct", "share"),
        ("col.days_to_pay", "days_to_pay", "days"),
        ("col.days_late", "days_late", "days"),
    )
    for cell, (label, column, kind) in zip(cells, shown, strict=True):
        value = _value(row, column)
        was = _value(before, column) if before is not None else None
        change = None if value is None or was is None else value - was
        if kind == "money":
            text, delta = money(value, language, 0), money(change, language, 0)
        elif kind == "share":
            text = percent(value, language)
            points = None if change is None else change * 100
            delta = tr_plain("ui.points", value=number(points, language, 1))
        else:
            text, delta = number(value, language, 1), number(change, language, 1)
        inverse = column in ("cost_to_serve", "days_to_pay", "days_late")
        cell.metric(
            tr(label),
            text or tr("ui.unknown"),
            **delta_args(change, delta if change is not None else None, inverse=inverse),
        )
    term = _value(row, "payment_term_days")
    hours, rate = _value(row, "hours"), _value(row, "hourly_rate")
    st.caption(
        tr(
            "card.service",
            hours=number(hours, language, 1) or tr_plain("ui.unknown"),
            rate=money(rate, language, 0) or tr_plain("ui.unknown"),
            other=money(_value(row, "other_costs"), language, 0) or tr_plain("ui.unknown"),
            term=number(term, language) or tr_plain("ui.unknown"),
        )
    )
    if before is not None:
        st.caption(tr("ui.previous_period", period=previous.label()))


MOST_EARLIER = 2  # periods before the view's on the card: one pass over the lines for three
KEPT = ["customer", "revenue", "gross_margin", "cost_to_serve", "contribution"]
KEPT += ["revenue_share", "margin_pct", "days_to_pay", "days_late"]


@st.cache_data(max_entries=16, show_spinner=False)
def _earlier(name: str, version: str, start, end, months, count: int) -> list[pd.DataFrame]:
    """The tables of the ``count`` periods before the view's, in one pass over the lines
    (``customer_tables``), only the columns the card shows: every customer's card then
    reads them from here."""
    cur = cursor()
    tables = dataset_tables(cur, name, version)
    found = customer_tables(cur, tables, Period(start, end, months), count + 1)[1:]
    return [table[KEPT] for table in found]


def earlier_tables(view: View) -> list[pd.DataFrame]:
    """The per-customer tables of up to ``MOST_EARLIER`` periods before the view's, as long
    as the data covers them whole, nearest first."""
    count = 0
    while count < MOST_EARLIER and view.covers(view.period.previous(count + 1)):
        count += 1
    if not count:
        return []
    period = view.period
    return _earlier(view.name, view.version, period.start, period.end, period.months, count)


def periods(view: View, table: pd.DataFrame, customer: str) -> None:
    """Revenue, gross margin, cost to serve and contribution in this period and the ones
    before it: the history of the contribution, one definition (the table's)."""
    earlier = earlier_tables(view)
    if not earlier:
        return
    rows = [(view.period, _row(table, customer))]
    rows += [(view.period.previous(k + 1), _row(t, customer)) for k, t in enumerate(earlier)]
    columns = ("revenue", "gross_margin", "cost_to_serve", "contribution")
    shown = pd.DataFrame({tr_plain("ui.axis_period"): [period.label() for period, _ in rows]})
    for column in columns:
        shown[tr_plain(f"col.{column}")] = [_money_or_why(row, column) for _, row in rows]
    st.subheader(tr("card.periods"))
    st.dataframe(shown, hide_index=True, width="stretch")


def _money_or_why(row: pd.Series | None, column: str) -> str:
    """An amount of the card's period table: unknown where the data lacks it, and for a
    period in which the customer was none of the table's (bought nothing, no file row)."""
    if row is None:
        return tr_plain("card.not_then")
    return money(_value(row, column), lang(), 0) or tr_plain("ui.unknown")


def _value(row: pd.Series | None, column: str) -> float | None:
    if row is None or column not in row.index or pd.isna(row[column]):
        return None
    return float(row[column])


def history(view: View, customer: str) -> None:
    """Revenue and gross margin per month over the whole history."""
    language = lang()
    months = _months(view.name, view.version, customer)
    st.subheader(tr("card.history"))
    if months.empty:
        st.info(tr("card.no_lines"))
        return
    chart(
        (view.name, view.version, language, "card", customer),
        lambda: charts.customer_months_chart(months, language),
    )
    if months["gross_margin"].isna().any():
        st.caption(tr("card.margin_gaps"))


SEGMENT_NAMES = {
    "grid": lambda s: s,
    "value": lambda s: tr_plain(f"seg.value_name.{s}"),
    "types": lambda s: tr_plain(f"seg.type.{s}"),
    "fit": lambda s: f"{tr_plain('seg.fit_code')} {s}",
}


def segments(table: pd.DataFrame, customer: str, decisions: Decisions) -> None:
    """The customer's segment in every scheme with the reason in words; an override by
    hand and the finalized split beside it."""
    language = lang()
    st.subheader(tr("card.segments"))
    rows = []
    for placed in placements(table, customer, language):
        segment = SEGMENT_NAMES[placed.scheme](placed.segment) if placed.segment else "–"
        override = decisions.overrides.get(placed.scheme, {}).get(customer)
        by_hand = ""
        if override:
            by_hand = tr_plain(
                "card.override",
                segment=SEGMENT_NAMES[placed.scheme](str(override.get("segment", ""))),
                reason=str(override.get("reason", "")),
            )
        rows.append(
            {
                tr_plain("card.scheme"): tr_plain(f"seg.{placed.scheme}_tab"),
                tr_plain("seg.segment"): segment,
                tr_plain("seg.why"): placed.why,
                tr_plain("card.by_hand"): by_hand,
            }
        )
    # st.dataframe shows text as text: a reason holding a customer's words stays text
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={tr_plain("seg.why"): st.column_config.TextColumn(width="large")},
    )
    final = decisions.final
    if final:
        finalized = final.get("segments", {}).get(customer)
        st.caption(
            tr(
                "card.finalized",
                scheme=tr_plain(f"seg.{final['scheme']}_tab"),
                segment=as_text(finalized) if finalized else tr_plain("card.not_in_final"),
            )
        )
    st.caption(tr("card.segments_rules"))


def plan(table: pd.DataFrame, customer: str, decisions: Decisions, saved: Plan) -> None:
    """Where the five steps put the customer (the team's saved settings) and what the
    plan holds for it: the new condition, the appointment, the opportunities."""
    language = lang()
    st.subheader(tr("card.plan"))
    if decisions.final:
        split = final_split(table, decisions.final)
    else:
        split = default_split(table, "grid", segment_rules(), thresholds().size_class)
    rules = team_select_rules(funnel_rules().select, saved.settings)
    selected = select(table, split, rules)
    mine = selected[selected["customer"].astype(str) == customer]
    lines = []
    if mine.empty:
        lines.append(tr("card.no_group"))
    else:
        lines.append(tr("card.group", group=tr_plain(f"fn.group.{mine.iloc[0]['group']}")))
    if condition := saved.remediation.get(customer):
        lines.append(
            tr(
                "card.condition",
                condition=tr_plain(f"fn.condition.{condition.get('condition')}"),
                status=tr_plain(f"fn.status.{condition.get('status')}"),
            )
        )
    if meeting := saved.appointments.get(customer):
        when = date.fromisoformat(meeting["date"]) if meeting.get("date") else None
        state = appointment_state(when, bool(meeting.get("done")), date.today())
        lines.append(
            tr(
                "card.appointment",
                date=f"{when:%d-%m-%Y}" if when else tr_plain("fn.state.unplanned"),
                state=tr_plain(f"fn.state.{state}"),
                topic=as_text(meeting.get("topic") or "–"),
                attendees=as_text(meeting.get("attendees") or "–"),
            )
        )
    chances = [o for o in saved.opportunities if str(o.get("customer")) == customer]
    for chance in chances:
        lines.append(
            tr(
                "card.opportunity",
                description=as_text(chance.get("description") or "–"),
                revenue=money(chance.get("revenue"), language, 0),
                chance=percent(chance.get("chance"), language, 0),
            )
        )
    if len(lines) == 1:
        lines.append(tr("card.plan_empty"))
    st.markdown("\n".join(f"- {line}" for line in lines))


def largest_lines(view: View, customer: str) -> None:
    """The customer's largest invoice lines of the period."""
    language = lang()
    period = view.period
    found = _lines(view.name, view.version, customer, period.start, period.end, period.months)
    st.subheader(tr("card.lines", count=number(len(found), language)))
    if found.empty:
        st.info(tr("card.no_lines_in_period"))
        return
    shown = pd.DataFrame(
        {
            tr_plain("card.date"): [f"{d:%d-%m-%Y}" for d in found["invoice_date"]],
            tr_plain("card.invoice"): found["invoice_number"].fillna(""),
            tr_plain("card.product"): found["product"].fillna(""),
            tr_plain("card.quantity"): number_texts(found["quantity"], language, 1),
            tr_plain("col.revenue"): money_texts(found["amount"], language),
            tr_plain("col.gross_margin"): money_texts(found["gross_margin"], language),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
