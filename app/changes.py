"""What changed since the last upload, on the overview: the version shown against an
earlier one kept (by default the one saved before it), from ``portfolio.changes``."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from app import card
from app.ui import View, cursor, dataset_tables, lang, tr, tr_plain, version_label
from portfolio.changes import Changes, Version, compare
from portfolio.errors import PortfolioError
from portfolio.formatting import money, money_texts, number
from portfolio.store import data_dir, dataset_info, dataset_versions

SHOWN = 10  # customers per list
MONEY_COLUMNS = (
    "revenue",
    "contribution",
    "revenue_before",
    "revenue_now",
    "revenue_change",
    "contribution_change",
)


@st.cache_data(max_entries=16, show_spinner=False)
def _changes(name: str, old: str, new: str) -> Changes:
    cur = cursor()
    before, now = (
        Version(dataset_tables(cur, name, v), dataset_info(data_dir(), name, v).meta, v)
        for v in (old, new)
    )
    return compare(cur, before, now)


def since_last_upload(view: View) -> None:
    """The section, when the dataset has a version saved before the one shown."""
    kept = dataset_versions(data_dir(), view.name)
    ids = [info.version for info in kept]
    if view.version not in ids or ids.index(view.version) == len(ids) - 1:
        return  # the first version: nothing to compare with
    older = kept[ids.index(view.version) + 1 :]
    labels = {info.version: version_label(info) for info in older}
    st.subheader(tr("ch.title"))
    key = f"ch_against_{lang()}"  # labels in the language: one list per language
    if st.session_state.get(key) not in labels:
        st.session_state[key] = older[0].version
    old = st.selectbox(tr("ch.against"), list(labels), key=key, format_func=labels.get)
    try:
        changes = _changes(view.name, old, view.version)
    except (PortfolioError, duckdb.Error):  # its files damaged or removed since it was listed
        st.warning(tr("version_missing", name=view.name, version=labels[old]))
        return
    _headline(changes)
    _drift(changes)
    _lists(changes)


def _headline(changes: Changes) -> None:
    language = lang()
    st.caption(
        tr(
            "ch.periods",
            before=changes.before_period.label(),
            now=changes.now_period.label(),
        )
    )
    cells = st.columns(4)
    counts = (
        ("ch.new", len(changes.new), money(changes.new["revenue"].sum(), language, 0)),
        ("ch.lost", len(changes.lost), money(changes.lost["revenue"].sum(), language, 0)),
        ("ch.moved_segment", len(changes.segments), None),
        ("ch.drift", len(changes.drift), None),
    )
    for cell, (key, count, amount) in zip(cells, counts, strict=True):
        cell.metric(tr(key), number(count, language))
        if amount and count:
            cell.caption(tr("ch.revenue_of", amount=amount))


def _drift(changes: Changes) -> None:
    """The data's own changes, each in a sentence: what to check in the export."""
    language = lang()
    for found in changes.drift:
        kind = found["kind"]
        params = {k: v for k, v in found.items() if k != "kind"}
        if "field" in params:
            params["field"] = tr_plain(f"field.{params['field']}")
        if "file" in params:
            params["file"] = tr_plain(f"ch.file.{params['file']}")
        if "month" in params:
            params["month"] = pd.Timestamp(params["month"]).strftime("%m-%Y")
        for amount in ("revenue", "reference"):
            if amount in params:
                params[amount] = money(params[amount], language, 0)
        if "reason" in params:
            params["reason"] = _reason(params["reason"])
        st.warning(tr(f"ch.drift.{kind}", **params))


def _lists(changes: Changes) -> None:
    """Who is new, who left, who moved most, whose segment changed; a row opens the card."""
    language = lang()
    lists = {
        "ch.list.new": changes.new.head(SHOWN),
        "ch.list.lost": changes.lost.head(SHOWN),
        "ch.list.revenue_up": changes.biggest("revenue", True, SHOWN),
        "ch.list.revenue_down": changes.biggest("revenue", False, SHOWN),
        "ch.list.contribution_up": changes.biggest("contribution", True, SHOWN),
        "ch.list.contribution_down": changes.biggest("contribution", False, SHOWN),
        "ch.list.segments": changes.segments.head(50),
    }
    tabs = st.tabs([tr(key) for key in lists])
    for tab, (key, frame) in zip(tabs, lists.items(), strict=True):
        with tab:
            if frame.empty:
                st.caption(tr("ch.none"))
                continue
            shown = pd.DataFrame(
                {
                    tr_plain("col.customer"): frame["customer"].astype(str),
                    tr_plain("col.customer_name"): frame["customer_name"].astype(str),
                }
            )
            for column in MONEY_COLUMNS:
                if column in frame:
                    shown[tr_plain(f"ch.col.{column}")] = money_texts(frame[column], language, 0)
            for column in ("from", "to"):
                if column in frame:
                    shown[tr_plain(f"ch.col.{column}")] = frame[column].astype(str)
            opens = card.row_opens_card(f"ch_{key}", frame["customer"].astype(str))
            st.dataframe(shown, hide_index=True, width="stretch", **opens)
    card.follow_click()


def _reason(key: str) -> str:
    try:
        return tr_plain(f"reason.{key}")
    except KeyError:  # a reason of an older version, since renamed
        return key
