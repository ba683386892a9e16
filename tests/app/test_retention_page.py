"""The retention page: flows per period and the cohort table, equal to portfolio.retention."""

from portfolio import months_ending
from portfolio.formatting import money_texts
from portfolio.retention import retention_by_period
from tests.app.conftest import open_page


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
