"""Segment migration on Klantbehoud: a scheme's split of the period shown against an
earlier period (and the finalized split against the split now), as a matrix of customers
or revenue from segment to segment, and who made each move (a row opens the card)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app import card
from app.ui import View, lang, table_for, tr, tr_plain
from portfolio.decisions import Decisions
from portfolio.formatting import money_texts, number, number_texts
from portfolio.segments.migration import (
    LOST,
    NEW,
    finalized_now,
    matrix_grid,
    migration_matrix,
    moves,
    segments_of,
)

SCHEMES = ("grid", "value", "types", "fit", "profit")
MOST_BACK = 3  # periods back to compare with
LISTED = 200  # customers listed per move


def _scheme_name(scheme: str) -> str:
    return tr_plain(f"sc.split.{scheme}")


def _segment_name(segment: str) -> str:
    if segment in (NEW, LOST):
        return tr_plain(f"mig.{segment}")
    if segment in ("profitable", "loss_making", "unknown"):
        return tr_plain(f"mig.profit.{segment}")
    return str(segment)


def section(view: View, table: pd.DataFrame, decisions: Decisions) -> None:
    st.subheader(tr("mig.title"))
    st.caption(tr("mig.intro"))
    # asked for, not drawn with every step of the period slider: the earlier period's
    # table is a pass over the lines of its own (the sidebar's slider stays quick)
    if not st.toggle(tr("mig.show_moves"), key="mig_on"):
        return
    # options as the words shown (no format function): a list keeps its choice when the
    # language changes only if its options do not depend on it, so one list per language
    language = lang()
    schemes = {_scheme_name(s): s for s in SCHEMES}
    left, middle, right = st.columns(3)
    scheme = schemes[left.selectbox(tr("mig.scheme"), list(schemes), key=f"mig_s_{language}")]
    earlier = [view.period.previous(k) for k in range(1, MOST_BACK + 1)]
    earlier = {p.label(): p for p in earlier if view.covers(p)}
    if not earlier:
        st.info(tr("mig.too_short"))
        return
    before = earlier[middle.selectbox(tr("mig.against"), list(earlier), key="mig_back")]
    measures = {tr_plain("mig.customers"): "customers", tr_plain("mig.revenue"): "revenue"}
    shown = right.radio(tr("mig.show"), list(measures), key=f"mig_m_{language}", horizontal=True)
    measure = measures[shown]
    then = table_for(view, before)
    moved = moves(segments_of(then, scheme), segments_of(table, scheme))
    revenue_then = then.set_index(then["customer"].astype(str))["revenue"]
    revenue_now = table.set_index(table["customer"].astype(str))["revenue"]
    matrix = migration_matrix(moved, revenue_then, revenue_now)
    st.caption(tr("mig.periods", before=before.label(), now=view.period.label()))
    _matrix(matrix, measure)
    _who(moved, revenue_then, revenue_now, table, then, f"{scheme}_{language}")
    if decisions.final:
        _finalized(table, decisions, measure, revenue_now)


def _matrix(matrix: pd.DataFrame, measure: str) -> None:
    """The grid of moves: customers, or revenue (now; the lost customers' revenue then)."""
    language = lang()
    matrix = matrix.assign(
        revenue=np.where(matrix["to"] == LOST, matrix["revenue_before"], matrix["revenue_now"])
    )
    order = sorted((set(matrix["from"]) | set(matrix["to"])) - {NEW, LOST})
    grid = matrix_grid(matrix, order, measure)
    texts = money_texts if measure == "revenue" else number_texts
    shown = grid.apply(lambda column: texts(column, language, 0))
    shown.index = [tr_plain("mig.from", segment=_segment_name(s)) for s in grid.index]
    shown.columns = [tr_plain("mig.to", segment=_segment_name(s)) for s in grid.columns]
    st.dataframe(shown, width="stretch")


def _who(moved, revenue_then, revenue_now, table, then, key: str) -> None:
    """The customers of one move, largest now first, each row opening the card."""
    language = lang()
    names = pd.concat([_names(then), _names(table)])
    names = names[~names.index.duplicated(keep="last")]
    left, right = st.columns(2)
    froms = {_segment_name(s): s for s in sorted(moved["from"].unique(), key=_order)}
    tos = {_segment_name(s): s for s in sorted(moved["to"].unique(), key=_order)}
    start = froms[left.selectbox(tr("mig.who_from"), list(froms), key=f"mig_from_{key}")]
    end = tos[right.selectbox(tr("mig.who_to"), list(tos), key=f"mig_to_{key}")]
    made = moved[(moved["from"] == start) & (moved["to"] == end)]
    listed = (
        made.assign(
            then=made["customer"].map(revenue_then).fillna(0.0),
            now=made["customer"].map(revenue_now).fillna(0.0),
        )
        .sort_values(["now", "then"], ascending=False, kind="stable")
        .head(LISTED)
    )
    st.caption(tr("mig.who", n=number(len(made), language)))
    if listed.empty:
        return
    shown = pd.DataFrame(
        {
            tr_plain("col.customer"): listed["customer"],
            tr_plain("col.customer_name"): listed["customer"].map(names).fillna(""),
            tr_plain("ch.col.revenue_before"): money_texts(listed["then"], language, 0),
            tr_plain("ch.col.revenue_now"): money_texts(listed["now"], language, 0),
        }
    )
    opens = card.row_opens_card(f"mig_list_{key}", listed["customer"])
    st.dataframe(shown, hide_index=True, width="stretch", **opens)
    card.follow_click()


def _names(table: pd.DataFrame) -> pd.Series:
    return table.set_index(table["customer"].astype(str))["customer_name"]


def _order(segment: str) -> tuple:
    return (segment == NEW, segment == LOST, str(segment))


def _finalized(table: pd.DataFrame, decisions: Decisions, measure: str, revenue_now) -> None:
    """The split the team finalized against the split the same scheme gives now."""
    final = decisions.final
    st.markdown(f"**{tr('mig.final_title')}**")
    st.caption(tr("mig.final_intro", scheme=_scheme_name(final["scheme"])))
    saved = pd.Series(final.get("segments", {}), dtype=object)
    now = finalized_now(table, final)
    matrix = migration_matrix(moves(saved, now), revenue_now * 0, revenue_now)
    _matrix(matrix, measure)
