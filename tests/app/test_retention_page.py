"""The retention page: flows per period and the cohort table, equal to portfolio.retention."""

import json
from datetime import date

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from app.charts import flows_chart
from portfolio import between, connect, months_ending, read_invoice_lines
from portfolio.formatting import money_texts
from portfolio.i18n import t
from portfolio.metrics import data_range
from portfolio.periods import history
from portfolio.retention import period_label, retention_by_period
from portfolio.store import save_dataset
from tests.app.conftest import ROOT, open_page
from tests.shapes import make_shape, write_shape


def test_the_period_table_equals_retention_by_period(app, demo):
    at = open_page(app, "retention")
    con, tables, last = demo
    want = retention_by_period(con, tables, months_ending(last, 12))
    frame = at.dataframe[0].value
    assert list(frame["Omzet"]) == money_texts(want["revenue"], "nl", 0)
    assert len(at.get("vega_lite_chart")) == 3  # customers, revenue, cohorts


def test_the_cohort_view_can_show_the_share_kept(app):
    at = open_page(app, "retention")
    at.radio(key="cohort_measure").set_value("kept").run()
    assert not at.exception


# --- from–to periods: one bar per period, named apart, oldest left ----------------------------


def from_to(at: AppTest, start: date, end: date) -> AppTest:
    """The sidebar's from–to period set to ``start``–``end``, then the retention page."""
    at.radio(key="period_kind").set_value("range").run()
    at.date_input(key="range").set_value((start, end)).run()
    return open_page(at, "retention")


def bars(at: AppTest, chart: int) -> tuple[list[str], list[date]]:
    """(the x axis's order of bars, the periods' starts in the chart's data in that order)."""
    element = at.get("vega_lite_chart")[chart].proto
    order = json.loads(element.spec)["encoding"]["x"]["sort"]
    data = pa.ipc.open_stream(element.datasets[0].data.data).read_pandas()
    starts = data.drop_duplicates("period").set_index("period")["period_start"]
    assert sorted(starts.index) == sorted(order)  # every bar in the order, none twice
    return order, [pd.Timestamp(starts[label]).date() for label in order]


def test_a_from_to_of_three_months_gives_bars_named_by_their_months_in_time_order(app, demo):
    at = from_to(app, date(2025, 3, 1), date(2025, 5, 31))
    con, tables, _last = demo
    first, _ = data_range(con, tables)
    periods = history(between(date(2025, 3, 1), date(2025, 5, 31)), first)[:-1]  # oldest: no P-1
    for chart in (0, 1):  # customers, revenue
        order, starts = bars(at, chart)
        assert order == [period_label(p.start, p.end, "nl") for p in reversed(periods)]
        assert order[:2] == ["mrt–mei 2022", "jun–aug 2022"]
        assert order[-3:] == ["sep–nov 2024", "dec 2024 – feb 2025", "mrt–mei 2025"]
        assert len(set(order)) == len(order)
        assert starts == sorted(starts)
    # the table's periods are calendar quarters of months, not shifted by a day
    table = at.dataframe[0].value
    assert list(zip(table["Van"], table["Tot"], strict=True))[:3] == [
        ("01-03-2025", "31-05-2025"),
        ("01-12-2024", "28-02-2025"),
        ("01-09-2024", "30-11-2024"),
    ]


def test_the_bars_are_named_in_english_in_the_english_ui(app):
    app.radio(key="lang").set_value("en").run()
    at = from_to(app, date(2025, 3, 1), date(2025, 5, 31))
    order, _ = bars(at, 0)
    assert order[-2:] == ["Dec 2024 – Feb 2025", "Mar–May 2025"]


def test_a_from_to_of_ten_days_gives_a_bar_per_period_even_within_one_month(app):
    # by the end month (the old label) the three periods of December were one bar "12-2025"
    at = from_to(app, date(2025, 12, 1), date(2025, 12, 10))
    order, starts = bars(at, 0)
    assert order[-4:] == ["1–10 nov 2025", "11–20 nov 2025", "21–30 nov 2025", "1–10 dec 2025"]
    assert len(set(order)) == len(order)
    assert starts == sorted(starts)
    assert all((b - a).days == 10 for a, b in zip(starts, starts[1:], strict=False))


def test_flows_chart_orders_bars_by_the_periods_start_not_by_their_names():
    # newest first, as "sep–nov" comes after "dec … – feb …" in the alphabet
    periods = [(date(2024, 12, 1), date(2025, 2, 28)), (date(2024, 9, 1), date(2024, 11, 30))]
    flows = pd.DataFrame(
        [
            {"period_start": s, "period_end": e, "flow": f, "customers": 1, "revenue": 1.0}
            for s, e in periods
            for f in ("lost", "new", "retained")
        ]
    )
    spec = flows_chart(flows, "nl", "customers")
    assert spec["encoding"]["x"]["sort"] == ["sep–nov 2024", "dec 2024 – feb 2025"]
    rows = next(iter(spec["datasets"].values()))
    assert [(r["period"], r["flow"]) for r in rows][:3] == [
        ("sep–nov 2024", "retained"),
        ("sep–nov 2024", "new"),
        ("sep–nov 2024", "lost"),
    ]


# --- data of one calendar year ----------------------------------------------------------------


def opened_one_year(tmp_path, monkeypatch) -> AppTest:
    """The app on a dataset of one calendar year (2024), saved as the upload page does."""
    store = tmp_path / "store"
    monkeypatch.setenv("PORTFOLIO_DATA_DIR", str(store))
    lines_file, _customers = write_shape(make_shape("one_year"), store / "files")
    con = connect(store)
    save_dataset(con, store, "one_year", read_invoice_lines(con, lines_file, store / "staging"))
    con.close()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.query_params["dataset"] = "one_year"
    at.run()
    assert not at.exception
    return at


def test_data_of_one_year_has_no_flows_for_that_year_but_has_them_for_its_quarters(
    tmp_path, monkeypatch
):
    at = open_page(opened_one_year(tmp_path, monkeypatch), "retention")
    assert at.radio(key="period_kind").value == "year"  # 2024, the only year: no 2023 to compare
    assert t("ui.too_short", "nl") in [i.value for i in at.info]
    assert len(at.get("vega_lite_chart")) == 1  # the cohorts only

    at = from_to(at, date(2024, 7, 1), date(2024, 9, 30))
    order, starts = bars(at, 0)
    assert order == ["apr–jun 2024", "jul–sep 2024"]  # jan–mar 2024 holds the first invoice
    assert starts == [date(2024, 4, 1), date(2024, 7, 1)]
