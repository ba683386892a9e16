"""Exports without cost price: margin stays unknown until the user gives an estimate
(an average, a file per product, the customer file's margin column), and then every
line without a cost price of its own gets that estimate, flagged as such."""

import math

import pandas as pd
import pytest

from portfolio import (
    Tables,
    calendar_year,
    connect,
    customer_table,
    portfolio_summary,
    read_customer_file,
    read_invoice_lines,
    read_product_file,
)
from portfolio.estimates import describe, estimated_revenue, product_coverage
from portfolio.store import dataset_info, open_dataset, save_dataset

# no cost column: an Exact Online sales report
LINES = (
    "Klantnummer;Klantnaam;Factuurdatum;Artikel;Aantal;Bedrag excl. btw\n"
    "001;Alfa BV;10-01-2025;A-1;10;1.000,00\n"
    "001;Alfa BV;12-02-2025;B-2;4;400,00\n"
    "002;Beta BV;11-01-2025;C-3;1;500,00\n"
    "003;Gamma BV;11-03-2025;A-1;2;200,00\n"
)
# A-1 by margin (30 written as a percentage), B-2 by cost price per unit; C-3 not listed
PRODUCTS = "Artikelcode;Marge %;Kostprijs per stuk\na-1 ;30;\nB-2;;60\n"
YEAR = calendar_year(2025)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "lines.csv").write_text(LINES, encoding="utf-8")
    (tmp_path / "products.csv").write_text(PRODUCTS, encoding="utf-8")
    con = connect(tmp_path)
    lines = read_invoice_lines(con, tmp_path / "lines.csv", tmp_path / "staging")
    return tmp_path, con, lines


def _read(tmp_path, con, name, text, reader):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return reader(con, tmp_path / name, tmp_path / "staging")


def test_without_cost_price_or_estimate_margin_is_unknown_not_zero(files):
    _tmp, con, lines = files
    table = customer_table(con, Tables(lines.table), YEAR)
    assert table["gross_margin"].isna().all() and table["margin_pct"].isna().all()
    assert not table["margin_estimated"].any()


def test_an_average_margin_estimates_every_line_and_matches_pandas(files):
    _tmp, con, lines = files
    table = customer_table(con, Tables(lines.table, average_margin=0.25), YEAR)
    raw = pd.read_csv(_tmp / "lines.csv", sep=";", decimal=",", thousands=".", dtype=str)
    raw["amount"] = raw["Bedrag excl. btw"].str.replace(".", "").str.replace(",", ".").astype(float)
    expected = (raw.groupby("Klantnummer")["amount"].sum() * 0.25).to_dict()
    got = table.set_index("customer")["gross_margin"].to_dict()
    assert got == pytest.approx(expected)
    assert table["margin_estimated"].all()
    assert table["margin_pct"].tolist() == pytest.approx([0.25] * 3)


def test_a_product_file_estimates_its_products_and_leaves_the_rest_unknown(files):
    tmp_path, con, lines = files
    products = _read(tmp_path, con, "products.csv", PRODUCTS, read_product_file)
    table = customer_table(con, Tables(lines.table, products=products.table), YEAR)
    by_key = table.set_index("customer")
    # by hand: Alfa A-1 30 % of 1.000 = 300, B-2 400 − 4 × 60 = 160; Gamma 30 % of 200 = 60
    assert by_key.loc["001", "gross_margin"] == pytest.approx(460.0)
    assert by_key.loc["003", "gross_margin"] == pytest.approx(60.0)
    # Beta buys only C-3, which the file does not list: unknown, not 0 and not 500
    assert math.isnan(by_key.loc["002", "gross_margin"])
    assert by_key.loc["001", "margin_estimated"]


def test_the_average_fills_what_the_product_file_leaves_open(files):
    tmp_path, con, lines = files
    products = _read(tmp_path, con, "products.csv", PRODUCTS, read_product_file)
    tables = Tables(lines.table, products=products.table, average_margin=0.1)
    by_key = customer_table(con, tables, YEAR).set_index("customer")
    assert by_key.loc["002", "gross_margin"] == pytest.approx(50.0)  # 10 % of 500
    assert by_key.loc["001", "gross_margin"] == pytest.approx(460.0)  # the file wins


def test_the_customer_files_margin_column_reads_percentages_and_fractions(files):
    tmp_path, con, lines = files
    for name, text in (
        ("pct.csv", "Klantnummer;Marge %\n001;40\n002;20\n"),
        ("frac.csv", "Klantnummer;Marge\n001;0,4\n002;0,2\n"),
    ):
        file = _read(tmp_path, con, name, text, read_customer_file)
        by_key = customer_table(con, Tables(lines.table, file.table), YEAR).set_index("customer")
        assert by_key.loc["001", "gross_margin"] == pytest.approx(560.0)  # 40 % of 1.400
        assert by_key.loc["002", "gross_margin"] == pytest.approx(100.0)
        # Gamma is not in the file and nothing else estimates it: unknown
        assert math.isnan(by_key.loc["003", "gross_margin"])


def test_a_lines_own_cost_price_wins_over_any_estimate(tmp_path):
    text = (
        "Klant;Factuurdatum;Bedrag;Kostprijs\n"
        "Alfa;10-01-2025;1.000,00;700,00\n"
        "Alfa;11-01-2025;100,00;\n"
    )
    (tmp_path / "lines.csv").write_text(text, encoding="utf-8")
    con = connect(tmp_path)
    lines = read_invoice_lines(con, tmp_path / "lines.csv", tmp_path / "staging")
    plain = customer_table(con, Tables(lines.table), YEAR)
    # without an estimate a line without cost counts as cost 0, as always: 300 + 100
    assert plain["gross_margin"].iloc[0] == pytest.approx(400.0)
    assert not plain["margin_estimated"].iloc[0]
    estimated = customer_table(con, Tables(lines.table, average_margin=0.2), YEAR)
    assert estimated["gross_margin"].iloc[0] == pytest.approx(300.0 + 20.0)
    assert estimated["margin_estimated"].iloc[0]


def test_a_product_file_keeps_every_row_used_or_rejected_with_a_reason(tmp_path):
    text = "Artikel;Marge %\nA;30\na ;20\nB;\n;10\nC;45,5\n"
    con = connect(tmp_path)
    products = _read(tmp_path, con, "p.csv", text, read_product_file)
    assert products.rows_read == products.rows_used + products.rows_rejected == 5
    assert products.reasons == {
        "product_duplicate": 1,
        "product_no_estimate": 1,
        "product_missing": 1,
    }
    query = f"SELECT product_key, margin_pct FROM {products.table} ORDER BY 1"
    kept = con.execute(query).fetchall()
    assert kept == [("a", pytest.approx(0.30)), ("c", pytest.approx(0.455))]


def test_a_file_without_product_or_estimate_column_says_which_columns_it_has(tmp_path):
    con = connect(tmp_path)
    with pytest.raises(Exception) as raised:
        _read(tmp_path, con, "p.csv", "Artikel;Omzet\nA;10\n", read_product_file)
    assert raised.value.key == "no_estimate_column"
    assert "Omzet" in raised.value.message("nl")


def test_a_saved_dataset_keeps_its_estimates_and_every_page_can_say_so(files):
    tmp_path, con, lines = files
    products = _read(tmp_path, con, "products.csv", PRODUCTS, read_product_file)
    info = save_dataset(con, tmp_path, "Geschat", lines, products=products, average_margin=0.1)
    opened = open_dataset(con, dataset_info(tmp_path, "Geschat"))
    assert opened.average_margin == 0.1 and opened.products is not None
    table = customer_table(con, opened, YEAR)
    assert estimated_revenue(table) == (3, pytest.approx(1.0))
    note = describe(info.meta, opened.average_margin, table, "nl")
    assert "products.csv" in note and "10,0%" in note.replace("\u00a0", "") and "3 klanten" in note


def test_the_coverage_of_a_product_file_names_what_it_misses(files):
    tmp_path, con, lines = files
    products = _read(tmp_path, con, "products.csv", PRODUCTS, read_product_file)
    share, missing = product_coverage(con, lines.table, products.table)
    # A-1 (1.000 + 200) and B-2 (400, with a quantity) of 2.100; C-3 (500) is missing
    assert share == pytest.approx(1600 / 2100) and missing == ["C-3"]


def test_one_customer_with_an_unknown_margin_makes_the_portfolio_total_unknown(files):
    tmp_path, con, lines = files
    products = _read(tmp_path, con, "products.csv", PRODUCTS, read_product_file)
    table = customer_table(con, Tables(lines.table, products=products.table), YEAR)
    summary = portfolio_summary(table, YEAR)
    # Beta's margin is unknown: a total of Alfa and Gamma alone would pass for the whole
    assert summary["gross_margin"] is None and summary["revenue"] == 2100.0
