"""The customer card's figures: one customer's months and largest lines, with the margin
rule of the per-customer table (a line without a margin leaves its month's margin
unknown), and its segment under every scheme with the reason in words."""

from datetime import date

import pytest

from portfolio import customer_table, months_ending
from portfolio.metrics import Tables, customer_lines, customer_months
from portfolio.segments.reasons import placements
from tests.conftest import read_demo

LINES = (
    "Klant;Factuurnummer;Factuurdatum;Artikel;Bedrag;Kostprijs\r\n"
    "K1;F1;05-01-2025;Kaas;100,00;60,00\r\n"
    "K1;F2;20-01-2025;Melk;50,00;30,00\r\n"
    "K1;F3;03-02-2025;Boter;-20,00;-12,00\r\n"  # a credit note
    "K1;F4;10-03-2025;Eieren;80,00;\r\n"  # an empty cost in a cost column: a free item
    "K2;F5;10-03-2025;Kaas;999,00;500,00\r\n"
)


@pytest.fixture
def tables(con, write_text, read_lines) -> Tables:
    return Tables(read_lines(write_text("verkoop.csv", LINES)).table)


def test_a_customers_months_with_revenue_and_margin_as_the_table_counts_them(con, tables):
    months = customer_months(con, tables, "K1")
    assert months["month"].dt.date.tolist() == [
        date(2025, 1, 1),
        date(2025, 2, 1),
        date(2025, 3, 1),
    ]
    assert months["revenue"].tolist() == [150.0, -20.0, 80.0]
    assert months["gross_margin"].tolist() == [60.0, -8.0, 80.0]


def test_without_a_cost_column_every_months_margin_is_unknown_not_zero(con, write_text, read_lines):
    text = "\r\n".join(line.rsplit(";", 1)[0] for line in LINES.split("\r\n"))
    tables = Tables(read_lines(write_text("zonder_kostprijs.csv", text)).table)
    months = customer_months(con, tables, "K1")
    assert months["revenue"].tolist() == [150.0, -20.0, 80.0]
    assert months["gross_margin"].isna().all()


def test_a_customers_largest_lines_of_the_period_credit_notes_by_their_size(con, tables):
    lines = customer_lines(con, tables, "K1", months_ending(date(2025, 2, 28), 2), top=2)
    assert lines["invoice_number"].tolist() == ["F1", "F2"]
    everything = customer_lines(con, tables, "K1", months_ending(date(2025, 3, 31), 3))
    assert everything["amount"].tolist() == [100.0, 80.0, 50.0, -20.0]


def test_a_customer_name_with_a_quote_is_a_value_not_sql(con, tables):
    assert customer_months(con, tables, "K1' OR '1'='1").empty


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    con, tables, last = read_demo(tmp_path_factory.mktemp("demo"))
    period = months_ending(last, 12)
    return con, tables, period, customer_table(con, tables, period)


def test_the_months_of_the_period_add_up_to_the_customers_row_in_the_table(demo):
    con, tables, period, table = demo
    for row in table.head(5).itertuples():
        months = customer_months(con, tables, row.customer)
        inside = months[months["month"].dt.date.between(period.start, period.end)]
        assert inside["revenue"].sum() == pytest.approx(row.revenue)
        assert inside["gross_margin"].sum() == pytest.approx(row.gross_margin)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_largest_customer_is_placed_in_every_scheme_with_a_reason(demo, lang):
    table = demo[3]
    found = {p.scheme: p for p in placements(table, table.iloc[0]["customer"], lang)}
    assert set(found) == {"grid", "value", "types", "fit"}
    assert all(p.why for p in found.values())
    assert found["grid"].segment in {"A", "B", "C"}
    assert found["value"].why.startswith("nummer 1 van" if lang == "nl" else "number 1 of")


def test_a_customer_without_revenue_in_the_period_is_not_segmented_and_says_why(demo):
    table = demo[3]
    lost = table[table["revenue"] <= 0].iloc[0]["customer"]
    found = placements(table, lost, "nl")
    assert [p.segment for p in found[:3]] == [None, None, None]
    assert "geen omzet" in found[0].why
