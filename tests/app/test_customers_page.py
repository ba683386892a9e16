"""The customers page: every customer with every measure, searchable, sortable, in the
user's language."""

from portfolio.formatting import money
from tests.app.conftest import open_page, table_of


def shown_frame(at):
    return at.dataframe[0].value


def test_the_table_lists_the_periods_customers_with_dutch_money(app, demo):
    at = open_page(app, "customers")
    want = table_of(demo)
    want = want[want["revenue"] > 0]  # the customers of the period, as the overview counts
    frame = shown_frame(at)
    assert len(want) < 1000  # the demo fits on the page whole
    assert frame["Klantnaam"].tolist() == want["customer_name"].tolist()
    assert frame["Omzet"].tolist() == [money(v, "nl") for v in want["revenue"]]


def test_lost_customers_and_those_without_revenue_are_listed_when_asked_for(app, demo):
    at = open_page(app, "customers")
    table = table_of(demo)
    active, lost = table["revenue"] > 0, table["status"] == "lost"
    group = at.button_group(key="customer_kind")
    assert list(group.options) == [
        f"Met omzet in deze periode ({active.sum()})",
        f"Verloren ({(~active & lost).sum()})",
        f"Zonder omzet ({(~active & ~lost).sum()})",
        f"Alle ({len(table)})",
    ]
    group.set_value("lost").run()
    assert set(shown_frame(at)["Klantnummer"]) == set(table.loc[~active & lost, "customer"])
    at.button_group(key="customer_kind").set_value("all").run()
    assert len(shown_frame(at)) == len(table)
    assert metric_customers(at) is None  # this page has no headline; the overview counts
    overview = open_page(at, "overview")
    assert next(m.value for m in overview.metric if m.label == "Klanten") == str(active.sum())


def metric_customers(at):
    return next((m.value for m in at.metric if m.label == "Klanten"), None)


def test_search_keeps_matching_customers_only(app, demo):
    at = open_page(app, "customers")
    at.button_group(key="customer_kind").set_value("all").run()
    table = table_of(demo)
    name = table.iloc[3]["customer_name"]
    at.text_input(key="search").set_value(name.upper()).run()
    frame = shown_frame(at)
    matching = table["customer_name"].str.lower().str.contains(name.lower(), regex=False)
    assert 1 <= len(frame) < len(table)
    assert frame["Klantnummer"].tolist() == table.loc[matching, "customer"].tolist()


def test_sorting_by_contribution_puts_the_most_profitable_first(app, demo):
    at = open_page(app, "customers")
    at.button_group(key="customer_kind").set_value("all").run()
    at.selectbox(key="sort").set_value("contribution").run()
    best = table_of(demo).sort_values("contribution", ascending=False).iloc[0]
    assert shown_frame(at).iloc[0]["Klantnummer"] == best["customer"]
    at.toggle(key="descending").set_value(False).run()
    worst = table_of(demo).sort_values("contribution").iloc[0]
    assert shown_frame(at).iloc[0]["Klantnummer"] == worst["customer"]


def test_english_headers_and_money_after_the_language_switch(app, demo):
    at = open_page(app, "customers")
    at.radio(key="lang").set_value("en").run()
    frame = shown_frame(at)
    assert "Revenue" in frame.columns and "Omzet" not in frame.columns
    assert frame.iloc[0]["Revenue"] == money(table_of(demo).iloc[0]["revenue"], "en")
