"""The overview through Streamlit's AppTest: figures equal the portfolio package."""

from portfolio import calendar_year, months_ending, portfolio_summary
from portfolio.formatting import money, number, percent
from tests.app.conftest import open_page, shown, table_of


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def deltas(at) -> dict[str, str]:
    return {m.label: m.delta for m in at.metric}


def summary(demo, period) -> dict:
    return portfolio_summary(table_of(demo, period), period)


def test_headline_figures_equal_the_portfolio_package(app, demo):
    period = months_ending(demo[2], 12)
    want = summary(demo, period)
    shown = metrics(app)
    assert shown["Klanten"] == number(want["customers"], "nl")
    assert shown["Omzet"] == money(want["revenue"], "nl", 0)
    assert shown["Bijdrage"] == money(want["contribution"], "nl", 0)
    assert shown["Klantbehoud"] == percent(want["customer_retention"], "nl")
    assert shown["Bruto omzetbehoud"] == percent(want["gross_revenue_retention"], "nl")
    assert shown["Verloren klanten"] == number(want["lost_customers"], "nl")


def test_each_figure_shows_its_change_against_the_previous_period(app, demo):
    period = months_ending(demo[2], 12)
    now, before = summary(demo, period), summary(demo, period.previous())
    shown = deltas(app)
    assert shown["Omzet"] == money(now["revenue"] - before["revenue"], "nl", 0)
    assert shown["Klanten"] == number(now["customers"] - before["customers"], "nl")
    points = (now["customer_retention"] - before["customer_retention"]) * 100
    assert shown["Klantbehoud"] == f"{number(points, 'nl', 1)} procentpunt"


def test_language_switch_changes_text_and_number_format(app, demo):
    want = summary(demo, months_ending(demo[2], 12))
    app.radio(key="lang").set_value("en").run()
    shown = metrics(app)
    assert "Revenue" in shown and "Omzet" not in shown
    assert shown["Revenue"] == money(want["revenue"], "en", 0)
    assert "," in shown["Revenue"] and "." not in shown["Revenue"]
    assert any("of customers bring 80% of revenue" in m.value for m in app.markdown)


def test_period_change_updates_the_figures(app, demo):
    before = metrics(app)["Omzet"]
    app.slider(key="months").set_value(6).run()
    assert not app.exception
    want = summary(demo, months_ending(demo[2], 6))
    assert metrics(app)["Omzet"] == money(want["revenue"], "nl", 0)
    assert metrics(app)["Omzet"] != before


def test_a_calendar_year_can_be_chosen_as_the_period(app, demo):
    app.radio(key="period_kind").set_value("year").run()
    app.selectbox(key="year").set_value(2024).run()
    assert not app.exception
    want = summary(demo, calendar_year(2024))
    assert metrics(app)["Omzet"] == money(want["revenue"], "nl", 0)
    assert any("01-01-2024 – 31-12-2024" in shown(c.value) for c in app.caption)


def test_the_pareto_sentence_states_the_80_percent_share(app, demo):
    want = summary(demo, months_ending(demo[2], 12))
    share = percent(want["customers_for_80pct_revenue_share"], "nl")
    assert any(
        m.value.startswith(f"{share} van de klanten brengt 80% van de omzet") for m in app.markdown
    )


def test_contribution_totals_agree_and_say_which_customers_they_count(app, demo):
    table = table_of(demo)
    active = table[table["revenue"] > 0]
    others = table[~(table["revenue"] > 0) & (table["contribution"].round(2) != 0)]
    assert len(others)  # the demo has customers with hours but no revenue this period
    portfolio = money(table["contribution"].sum(), "nl", 0)
    assert metrics(app)["Bijdrage"] == portfolio
    note = next(shown(c.value) for c in app.caption if "zonder omzet" in shown(c.value))
    assert (
        f"Incl. {len(others)} klanten zonder omzet in deze periode (bijdrage "
        f"{money(others['contribution'].sum(), 'nl', 0)}" in note
    )
    assert f"samen: bijdrage {money(active['contribution'].sum(), 'nl', 0)}" in note
    for page in ("segments", "scenarios", "funnel"):
        at = open_page(app, page)
        note = next(shown(c.value) for c in at.caption if "zonder omzet" in shown(c.value))
        assert f"(bijdrage {money(active['contribution'].sum(), 'nl', 0)})" in note, page
