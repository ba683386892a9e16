"""Shared page pieces: the DuckDB connection, the demo dataset, cached loaders, the sidebar.

Caching lives here, never in ``portfolio/``. Cache keys are small strings
(dataset name, version, period), never large DataFrames.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from portfolio import (
    connect,
    customer_table,
    data_range,
    months_ending,
    read_customer_file,
    read_invoice_lines,
)
from portfolio.i18n import t
from portfolio.store import data_dir, dataset_info, list_datasets, open_dataset, save_dataset

DEMO_NAME = "Demo"
DEMO_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_LINES = DEMO_DIR / "demo_verkoopregels.csv"
DEMO_CUSTOMERS = DEMO_DIR / "demo_klanten.csv"


@st.cache_resource
def _connection(root: str):
    return connect(Path(root))


def connection():
    """One hardened DuckDB per data folder; sessions use ``.cursor()`` (platform notes)."""
    return _connection(str(data_dir()))


@st.cache_resource
def _ensure_demo(root: Path) -> str:
    if DEMO_NAME not in list_datasets(root):
        cur = connection().cursor()
        lines = read_invoice_lines(cur, DEMO_LINES, root / "staging")
        customers = read_customer_file(cur, DEMO_CUSTOMERS, root / "staging")
        save_dataset(cur, root, DEMO_NAME, lines, customers)
        lines.drop(cur)
        customers.drop(cur)
    return DEMO_NAME


def ensure_demo() -> str:
    """Import the bundled demo export into the store once, so every page has data."""
    return _ensure_demo(data_dir())


@st.cache_data(max_entries=32, show_spinner=False)
def load_table(name: str, version: str, start: date, end: date, months: int) -> pd.DataFrame:
    """The per-customer table; keyed by dataset version and period, not by data."""
    from portfolio.periods import Period

    cur = connection().cursor()
    tables = open_dataset(cur, dataset_info(data_dir(), name))
    return customer_table(cur, tables, Period(start, end, months))


@st.cache_data(max_entries=32, show_spinner=False)
def last_date(name: str, version: str) -> date:
    cur = connection().cursor()
    return data_range(cur, open_dataset(cur, dataset_info(data_dir(), name)))[1]


def lang() -> str:
    return st.session_state.get("lang", "nl")


def tr(key: str, **params) -> str:
    return t(key, lang(), **params)


def sidebar() -> tuple[str, str, object]:
    """Language, dataset and period chosen in the sidebar: (name, version, Period)."""
    with st.sidebar:
        st.radio("Taal / Language", ["nl", "en"], key="lang", horizontal=True,
                 format_func=lambda c: {"nl": "Nederlands", "en": "English"}[c])  # fmt: skip
        ensure_demo()
        names = list_datasets(data_dir())
        name = st.selectbox(tr("ui.dataset"), names, index=names.index(DEMO_NAME), key="dataset")
        version = dataset_info(data_dir(), name).version
        months = st.slider(tr("ui.period_months"), 1, 36, 12, key="months")
        period = months_ending(last_date(name, version), months)
    return name, version, period
