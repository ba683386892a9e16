"""Shared page pieces: the DuckDB connection, the demo dataset, cached loaders, the sidebar.

Caching lives here, never in ``portfolio/``. Cache keys are small values
(dataset name, version, period bounds, language), never large DataFrames.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app import ahead, housekeeping
from app.housekeeping import Holdings
from portfolio import (
    Period,
    PortfolioError,
    connect,
    customer_table,
    data_range,
    months_ending,
    portfolio_summary,
    read_customer_file,
    read_invoice_lines,
)
from portfolio.config import thresholds
from portfolio.decisions import Decisions
from portfolio.estimates import describe as describe_estimates
from portfolio.estimates import hours_note
from portfolio.estimates import sources as estimate_sources
from portfolio.formatting import moment, money, number
from portfolio.i18n import as_text, t, t_markdown
from portfolio.kpis import covers
from portfolio.links import bounds, from_params, to_params
from portfolio.metrics import customer_places_and_products, customer_tables
from portfolio.periods import between, calendar_year, neighbours
from portfolio.retention import cohort_table, retention_by_period, retention_flows
from portfolio.segments.schemes import split_segments
from portfolio.store import (
    average_margin,
    data_dir,
    dataset_info,
    dataset_versions,
    list_datasets,
    open_dataset,
    save_dataset,
)
from portfolio.summary import (
    MEASURES,
    contribution_unknown_because,
    known_total,
    without_revenue,
)

DEMO_NAME = "Demo"
MOST_MONTHS = bounds("months")[1]  # the sidebar's period slider: months ending at the last date
DEMO_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_LINES = DEMO_DIR / "demo_verkoopregels.csv"
DEMO_CUSTOMERS = DEMO_DIR / "demo_klanten.csv"
PENDING_DATASET = "_pending_dataset"  # set by the upload page; the sidebar selects it next run


# One hardened DuckDB per data folder for the server's life, with the bookkeeping of the
# sessions' unsaved imports. Module globals, not ``st.cache_resource``: a client may send
# ``clear_cache`` before the door, and an unsaved import must survive it.
_CONNECTIONS: dict[Path, tuple[duckdb.DuckDBPyConnection, Holdings]] = {}
_CONNECTIONS_LOCK = threading.Lock()


def _server() -> Runtime | None:
    """Streamlit's runtime when this is a real server (AppTest runs on a stand-in)."""
    return Runtime.instance() if Runtime.exists() and type(Runtime.instance()) is Runtime else None


def _session_active(session_id: str) -> bool:
    server = _server()
    return server is None or server.is_active_session(session_id)


def _connection(root: Path) -> tuple[duckdb.DuckDBPyConnection, Holdings]:
    with _CONNECTIONS_LOCK:
        if root not in _CONNECTIONS:
            housekeeping.at_start(root)
            con = connect(root)
            grace = float(st.get_option("server.disconnectedSessionTTL") or 0)
            holdings = Holdings(_session_active, grace)
            if _server():  # not AppTest: sessions end, and their imports are swept
                housekeeping.start_sweeper(holdings, con, root)
            _CONNECTIONS[root] = (con, holdings)
        return _CONNECTIONS[root]


def cursor():
    """A cursor of the one hardened DuckDB of this data folder (platform notes: one
    connection cannot be used from several session threads; cursors can)."""
    return _connection(data_dir())[0].cursor()


def holdings() -> Holdings:
    """Which session holds which unsaved import (``app.housekeeping``)."""
    return _connection(data_dir())[1]


def session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else ""


@st.cache_resource
def _ensure_demo(root: Path) -> str:
    if DEMO_NAME not in list_datasets(root):
        cur = cursor()
        lines = read_invoice_lines(cur, DEMO_LINES, root / "staging")
        customers = read_customer_file(cur, DEMO_CUSTOMERS, root / "staging")
        save_dataset(cur, root, DEMO_NAME, lines, customers)
        lines.drop(cur)
        customers.drop(cur)
    return DEMO_NAME


def ensure_demo() -> str:
    """Import the bundled demo export into the store once, so every page has data."""
    return _ensure_demo(data_dir())


@dataclass(frozen=True)
class View:
    """What every page shows: a saved dataset (name and version) over a period."""

    name: str
    version: str
    period: Period
    first: date  # the data's first and last invoice date
    last: date

    def covers(self, period: Period) -> bool:
        """Whether the data covers ``period`` whole (else a comparison with it is not fair)."""
        return covers(self.first, self.last, period.start, period.end)

    @property
    def key(self) -> tuple:
        return self.key_of(self.period)

    def key_of(self, period: Period) -> tuple:
        """The cache key of ``period`` in this view's dataset."""
        return (self.name, self.version, period.start, period.end, period.months)


def dataset_tables(cur, name: str, version: str):
    """The views of ``version`` of dataset ``name`` for this session's cursor."""
    return open_dataset(cur, dataset_info(data_dir(), name, version))


@st.cache_data(max_entries=64, show_spinner=False)
def _customer_table(name: str, version: str, start: date, end: date, months: int | None):
    cur = cursor()
    return customer_table(cur, dataset_tables(cur, name, version), Period(start, end, months))


# the views whose table the overview made together with the previous period's: the other
# pages take it from there rather than make it again (a hint: that cache may have let go)
_WITH_PREVIOUS: set[tuple] = set()


def _hint(hints: set[tuple], keys: list[tuple]) -> None:
    if len(hints) > 1000:  # keys only, but never without end
        hints.clear()
    hints.update(keys)


def table_for(view: View, period: Period | None = None) -> pd.DataFrame:
    """The per-customer table of the view (or of ``period`` in the same dataset)."""
    key = view.key_of(period or view.period)
    if key in _WITH_PREVIOUS:
        return _with_previous(*key)[0]
    return _customer_table(*key)


@st.cache_data(max_entries=32, show_spinner=False)
def _with_previous(name: str, version: str, start: date, end: date, months: int | None):
    _hint(_MADE, [(name, version, start, end, months)])
    cur = cursor()
    period = Period(start, end, months)
    now, before = customer_tables(cur, dataset_tables(cur, name, version), period, 2)
    return now, portfolio_summary(now, period), portfolio_summary(before, period.previous())


# the keys ``_with_previous`` has made (a hint, as above): a guess made already is not
# fetched from the cache again, which copies the tables (~20 ms of a rerun's time)
_MADE: set[tuple] = set()
# the tables of the periods one step away on the sidebar, made while the page is read
_AHEAD = ahead.Ahead(lambda key: key in _MADE or _with_previous(*key), delay=0.5)


def _prepare_neighbours(view: View) -> None:
    """Have the tables of the periods next to the view's made in the background."""
    periods = neighbours(view.period, view.first, view.last, MOST_MONTHS)
    keys = [view.key_of(p) for p in periods]
    _hint(_WITH_PREVIOUS, keys)
    _AHEAD.request(session_id(), view.key, keys)


def table_and_summaries(view: View) -> tuple[pd.DataFrame, dict, dict]:
    """The per-customer table of the view's period, with ``portfolio_summary`` of that
    period and of the period before it: both tables come from one pass over the lines."""
    _hint(_WITH_PREVIOUS, [view.key])
    return _with_previous(*view.key)


def split_for(view: View, table: pd.DataFrame, decisions: Decisions, split: str) -> pd.Series:
    """``split_segments`` of ``table`` (the view's table with the team's ratings), kept per
    view, split, ratings and the finalized split's making: the grid costs a tenth of a
    slider's rerun on the scenario and five steps pages, which ask for it on every one."""
    final = decisions.final
    # its segments follow from the table, its scheme, thresholds and overrides
    made = {k: final.get(k) for k in ("scheme", "thresholds", "overrides", "at")} if final else {}
    decided = json.dumps([decisions.ratings, made], sort_keys=True, default=str)
    return _split(view.key, split, decided, table, final)


@st.cache_data(max_entries=32, show_spinner=False)
def _split(key: tuple, split: str, decided: str, _table: pd.DataFrame, _final) -> pd.Series:
    return split_segments(_table, split, _final)


@st.cache_data(max_entries=64, show_spinner=False)
def _chart_spec(key: tuple, _build) -> dict:
    return _build()


def chart(key: tuple, build) -> None:
    """Draw the Vega-Lite spec ``build()`` makes (``app.charts``), kept per ``key``
    (dataset, period, language, which chart): making a chart's JSON costs more than
    everything else in a rerun."""
    st.vega_lite_chart(_chart_spec(key, build), width="stretch")


@st.cache_data(max_entries=32, show_spinner=False)
def _retention(name: str, version: str, start: date, end: date, months: int | None):
    cur = cursor()
    tables, period = dataset_tables(cur, name, version), Period(start, end, months)
    return retention_by_period(cur, tables, period), retention_flows(cur, tables, period)


def retention_for(view: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(retention per period, flows per period) of the view."""
    return _retention(*view.key)


@st.cache_data(max_entries=16, show_spinner=False)
def _places(name: str, version: str, start: date, end: date, months: int | None):
    cur = cursor()
    tables = dataset_tables(cur, name, version)
    return customer_places_and_products(cur, tables, Period(start, end, months))


def places_for(view: View) -> pd.DataFrame:
    """Where each customer is and what it buys most, in the view's period."""
    return _places(*view.key)


@st.cache_data(max_entries=16, show_spinner=False)
def _cohorts(name: str, version: str) -> pd.DataFrame:
    cur = cursor()
    return cohort_table(cur, dataset_tables(cur, name, version))


def cohorts_for(view: View) -> pd.DataFrame:
    return _cohorts(view.name, view.version)


@st.cache_data(max_entries=32, show_spinner=False)
def _date_range(name: str, version: str) -> tuple[date, date]:
    cur = cursor()
    return data_range(cur, dataset_tables(cur, name, version))


def _logger() -> logging.Logger:
    """The app's log: one line per upload, save and error, to the server's stderr. Never
    customer data: counts, sizes, durations, message keys and dataset names only. Set up
    once per process (not in a cache a client can clear: that would add a handler)."""
    logger = logging.getLogger("portfolio")
    if not any(h.get_name() == "portfolio-stderr" for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.set_name("portfolio-stderr")
        fmt = "%(asctime)s portfolio %(levelname)s %(message)s"
        handler.setFormatter(logging.Formatter(fmt))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def log_event(event: str, **fields: object) -> None:
    """``event key=value …`` in the app's log."""
    _logger().info(" ".join([event, *(f"{k}={v}" for k, v in fields.items())]))


def show_error(exc: PortfolioError) -> None:
    """The error in the user's language; in the log only its kind (the message may hold
    a value from the user's file)."""
    st.error(exc.message(lang(), markdown=True))
    _logger().warning("error key=%s", getattr(exc, "key", type(exc).__name__))


def lang() -> str:
    return st.session_state.get("lang", "nl")


def tr(key: str, **params) -> str:
    """The message in this run's language, for a place that renders Markdown (nearly every
    Streamlit element): a name or value from a file or a link in ``params`` stays text."""
    return t_markdown(key, lang(), **params)


def tr_plain(key: str, **params) -> str:
    """The message for a place that shows text as it is (a metric's delta, a file name)."""
    return t(key, lang(), **params)


def labels(key_of):
    """A widget's ``format_func``: the message ``key_of(option)`` in this run's language,
    bound now (Streamlit, and AppTest, may call it again outside the run)."""
    language = lang()
    return lambda option: t(key_of(option), language)


# the sidebar's choices, kept across pages (``keep_values``; the entry script could hold
# the widgets instead, but AppTest does not rerun those)
SHARED_WIDGETS = ("lang", "dataset", "period_kind", "months", "year", "range")


def keep_values(keys) -> None:
    """Keep the values of the widgets ``keys`` when a run does not draw them (another
    page, a closed tab): Streamlit forgets such a value, but not one written back at the
    start of the run, which makes it the session's own."""
    for key in list(keys):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def sidebar() -> View:
    """Language, dataset and period, chosen in the sidebar (drawn by every page)."""
    _read_link()
    keep_values(SHARED_WIDGETS)
    with st.sidebar:
        st.radio(
            "Taal / Language",
            ["nl", "en"],
            key="lang",
            horizontal=True,
            format_func=lambda c: {"nl": "Nederlands", "en": "English"}[c],
        )
        ensure_demo()
        names = list_datasets(data_dir())
        if PENDING_DATASET in st.session_state:  # a dataset just saved on the upload page
            st.session_state["dataset"] = st.session_state.pop(PENDING_DATASET)
        if st.session_state.get("dataset") not in names:
            st.session_state["dataset"] = DEMO_NAME
        name = st.selectbox(
            tr("ui.dataset"),
            names,
            key="dataset",
            on_change=lambda: st.session_state.pop(LINK_MISSING, None),
        )
        version = _version_choice(name)
        first, last = _date_range(name, version)
        period = _period_choice(first, last)
        _link_notes()
    if missing := st.session_state.get(LINK_MISSING):
        _missing_dataset(missing)  # stops the page; the address keeps the link as it was
    # the address bar always holds the view: copying it shares what one sees
    st.query_params.from_dict(to_params(dict(st.session_state)))
    view = View(name, version, period, first, last)
    _prepare_neighbours(view)
    return view


VERSION_KEY = "dataset_version"


def _version_choice(name: str) -> str:
    """The version of ``name`` shown: the one in use, or an earlier one kept (a list under
    the dataset once there is more than one). Saving, rating and planning stay with the
    dataset, whatever version is shown."""
    current = dataset_info(data_dir(), name).version
    kept = dataset_versions(data_dir(), name)
    if len(kept) < 2:
        st.session_state.pop(VERSION_KEY, None)
        return current
    labels = {info.version: version_label(info) for info in kept}
    # the list's labels are in the language, so the list is one per language (a choice
    # sent back in the other language's words would match no label); the version chosen
    # is kept apart and carried from one to the other
    key = f"{VERSION_KEY}_{lang()}"
    wanted = st.session_state.get(key, st.session_state.get(VERSION_KEY))
    st.session_state[key] = wanted if wanted in labels else current
    chosen = st.selectbox(
        tr("ui.version"), list(labels), key=key, format_func=labels.get, help=tr("ui.version_help")
    )
    st.session_state[VERSION_KEY] = chosen
    if chosen != current:
        st.warning(tr("ui.version_old"))
    return chosen


def version_label(info) -> str:
    """A kept version as the lists name it: when it was saved, and by whom."""
    meta = info.meta
    text = moment(meta.get("saved_at"), lang()) or info.version[:8]
    if by := meta.get("saved_by"):
        text += " · " + str(by)
    return text


def _missing_dataset(name: str) -> None:
    """A share link to a dataset that is not here: say so where the figures would be, and
    show none of another dataset's until the user picks one."""
    st.title(tr("ui.link_dataset_missing_title"))
    st.warning(tr("ui.link_dataset_missing", name=name))
    if st.button(tr("ui.link_dataset_choose", name=DEMO_NAME), key="link_missing_ok"):
        st.session_state.pop(LINK_MISSING, None)
        st.rerun()
    st.stop()


LINK_READ, LINK_NOTES = "_link_read", "_link_notes"
LINK_MISSING = "_link_missing"  # the dataset a share link asked for, not in this workspace


def _read_link() -> None:
    """A session opened from a share link starts with the link's view (once)."""
    if LINK_READ in st.session_state:
        return
    st.session_state[LINK_READ] = True
    state, refused = from_params(st.query_params.to_dict())
    notes = [("ui.link_refused", {"keys": ", ".join(refused)})] if refused else []
    dataset = state.pop("dataset", None)
    if dataset is not None:
        if dataset in list_datasets(data_dir()):
            st.session_state["dataset"] = dataset
        else:  # deleted, renamed, or in another team's workspace: no other dataset's figures
            st.session_state[LINK_MISSING] = dataset
    for key, value in state.items():
        st.session_state[key] = value
    st.session_state[LINK_NOTES] = notes


def _link_notes() -> None:
    for key, params in st.session_state.pop(LINK_NOTES, []):
        st.warning(tr(key, **params))


def _period_choice(first: date, last: date) -> Period:
    kinds = {
        "months": "ui.period_kind_months",
        "year": "ui.period_kind_year",
        "range": "ui.period_kind_range",
    }
    if "period_kind" not in st.session_state and first.year == last.year:
        st.session_state["period_kind"] = "year"  # data of one year: that year, not 12 months
    kind = st.radio(
        tr("ui.period"), list(kinds), key="period_kind", format_func=labels(lambda k: kinds[k])
    )
    # defaults through the session state, not the widgets: a widget given both warns
    if kind == "year":
        years = list(range(last.year, first.year - 1, -1))
        if st.session_state.get("year") not in years:  # a new dataset, other years
            st.session_state["year"] = years[0]
        return calendar_year(st.selectbox(tr("ui.period_year"), years, key="year"))
    if kind == "range":
        st.session_state.setdefault("range", (months_ending(last).start, last))
        chosen = st.date_input(tr("ui.period_range"), format="DD-MM-YYYY", key="range")
        if isinstance(chosen, tuple) and len(chosen) == 2:
            return between(*chosen)
        st.caption(tr("ui.period_range_incomplete"))
    st.session_state.setdefault("months", thresholds().period.months)
    months = st.slider(tr("ui.period_months"), *bounds("months"), key="months")
    return months_ending(last, months)


def delta_args(value: float | None, text: str | None, *, inverse: bool = False) -> dict:
    """``st.metric``'s delta for a change written as text. Streamlit reads the direction
    from the text's first character, and Dutch money starts with the euro sign
    (``€ -1.234``): the arrow and colour are taken from ``value`` instead."""
    if value is None or text is None:
        return {"delta": None}
    if abs(value) < 0.005:
        return {"delta": text, "delta_color": "off", "delta_arrow": "off"}
    good = (value > 0) != inverse
    return {
        "delta": text,
        "delta_color": "green" if good else "red",
        "delta_arrow": "up" if value > 0 else "down",
    }


def share_header(key: str) -> str:
    """The header of a column of shares of ``key``'s total: "Aandeel brutomarge", never
    "Brutomarge %", which elsewhere means the margin on revenue."""
    return tr_plain("ui.share_of", what=tr_plain(key).lower())


def choices_note(found: int, offered: int) -> None:
    """Under a list of customers to choose from that shows at most ``offered`` of the
    ``found``: that the others are a search away, or that the search found none."""
    if found > offered:
        st.caption(tr("ui.choices_more", shown=number(offered, lang()), n=number(found, lang())))
    elif found == 0:
        st.caption(tr("ui.choices_none"))


def unknown_contribution(table: pd.DataFrame, key: str = "ui.no") -> str:
    """Why margin or contribution cannot be shown, and how to add what is missing."""
    return tr(f"{key}_{contribution_unknown_because(table) or 'cost'}")


def others_note(table: pd.DataFrame, *, portfolio_total: bool) -> None:
    """One line wherever a total counts other customers than a neighbouring page: the
    overview's totals include the customers without revenue whose figures still count
    (credit notes, cost to serve); segments, scenarios and the five steps count the
    customers with revenue. Both name the figures of both groups."""
    others = without_revenue(table)
    if not others.count:
        return
    language = lang()
    active = table[table["revenue"] > 0]
    # the measures in which the others differ from zero, for both groups alike
    shown = [m for m in MEASURES if getattr(others, m) is not None and round(getattr(others, m), 2)]

    def parts(figure) -> str:
        return ", ".join(
            f"{t(f'col.{m}', language).lower()} "
            f"{money(figure(m), language, 0) or tr_plain('ui.unknown')}"
            for m in shown
        )

    key = "ui.others_included" if portfolio_total else "ui.others_excluded"
    st.caption(
        tr(
            key,
            n=number(others.count, language),
            parts=parts(lambda m: getattr(others, m)),
            active=parts(lambda m: known_total(active[m])),
        )
    )


def caption(view: View) -> None:
    """Which dataset and period the page shows (every page says so), and which of its
    margins are estimates rather than the export's own cost price."""
    st.caption(tr("ui.showing", name=view.name, period=view.period.label()))
    if view.name == DEMO_NAME:
        st.info(tr("ui.demo_note"), icon="ℹ️")
    margin, hours = assumptions(view)
    if margin:
        st.info(as_text(margin), icon=":material/calculate:")
    if hours:
        st.caption(as_text(hours))


def assumptions(view: View) -> tuple[str | None, str | None]:
    """(which margins are estimates, hours read for another period), as plain text in this
    run's language: said under every page's title and on every download of the plan."""
    meta = dataset_info(data_dir(), view.name, view.version).meta
    average = average_margin(meta)
    margin = None
    if estimate_sources(meta, average):  # else no page needs the table for this line
        margin = describe_estimates(meta, average, table_for(view), lang())
    return margin, hours_note(meta, view.period, lang())
