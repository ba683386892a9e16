"""The app on the demo data, through Streamlit's AppTest: figures equal the portfolio package."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from portfolio import (
    connect,
    customer_table,
    months_ending,
    portfolio_summary,
    read_customer_file,
    read_invoice_lines,
)
from portfolio.formatting import money, number, percent

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_DATA_DIR", str(tmp_path / "store"))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.run()
    assert not at.exception
    return at


def expected_summary(tmp_path, months: int) -> dict:
    con = connect(tmp_path / "check")
    lines = read_invoice_lines(con, DATA / "demo_verkoopregels.csv", tmp_path / "check" / "s")
    cust = read_customer_file(con, DATA / "demo_klanten.csv", tmp_path / "check" / "s")
    from portfolio import Tables, data_range

    tables = Tables(lines.table, cust.table)
    period = months_ending(data_range(con, tables)[1], months)
    return portfolio_summary(customer_table(con, tables, period), period)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_headline_figures_equal_the_portfolio_package(app, tmp_path):
    want = expected_summary(tmp_path, 12)
    shown = metrics(app)
    assert shown["Klanten"] == number(want["customers"], "nl")
    assert shown["Omzet"] == money(want["revenue"], "nl", 0)
    assert shown["Bijdrage"] == money(want["contribution"], "nl", 0)
    assert shown["Klantbehoud"] == percent(want["customer_retention"], "nl")


def test_language_switch_changes_text_and_number_format(app, tmp_path):
    want = expected_summary(tmp_path, 12)
    app.radio(key="lang").set_value("en").run()
    shown = metrics(app)
    assert "Revenue" in shown and "Omzet" not in shown
    assert shown["Revenue"] == money(want["revenue"], "en", 0)
    assert "," in shown["Revenue"] and "." not in shown["Revenue"]


def test_period_change_updates_the_figures(app, tmp_path):
    before = metrics(app)["Omzet"]
    app.slider(key="months").set_value(6).run()
    assert not app.exception
    want = expected_summary(tmp_path, 6)
    assert metrics(app)["Omzet"] == money(want["revenue"], "nl", 0)
    assert metrics(app)["Omzet"] != before
