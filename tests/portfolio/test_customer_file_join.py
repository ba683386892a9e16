"""The customer file joins the invoice lines on the number, or on the name when it has none."""

import pytest

from portfolio import (
    Tables,
    calendar_year,
    connect,
    customer_table,
    read_customer_file,
    read_invoice_lines,
)

LINES = (
    "Klantnummer;Klantnaam;Factuurdatum;Bedrag excl. btw;Kostprijs\n"
    "001;Alfa BV;10-01-2025;1.000,00;400,00\n"
    "002;Beta BV;11-01-2025;500,00;300,00\n"
)
BY_NUMBER = "Klantnummer;Uren;Uurtarief\n001;4;50\n002;2;50\n003;1;50\n"
BY_NAME = "Klantnaam;Uren;Uurtarief\nalfa bv;4;50\nBeta BV;2;50\nGamma;1;50\n"


@pytest.mark.parametrize("customers", [BY_NUMBER, BY_NAME], ids=["by number", "by name"])
def test_cost_to_serve_reaches_the_right_customer(tmp_path, customers):
    (tmp_path / "lines.csv").write_text(LINES, encoding="utf-8")
    (tmp_path / "customers.csv").write_text(customers, encoding="utf-8")
    con = connect(tmp_path)
    lines = read_invoice_lines(con, tmp_path / "lines.csv", tmp_path / "staging")
    file = read_customer_file(con, tmp_path / "customers.csv", tmp_path / "staging")
    table = customer_table(con, Tables(lines.table, file.table), calendar_year(2025))
    by_key = table.set_index("customer")
    # by hand: Alfa 600 margin − 4 h × 50 = 400; Beta 200 − 2 × 50 = 100
    assert by_key.loc["001", "contribution"] == 400.0
    assert by_key.loc["002", "contribution"] == 100.0
    # the third customer is in the file only: no revenue, but its hours still cost 50
    orphan = table[~table["customer"].isin(["001", "002"])]
    assert len(orphan) == 1 and orphan["revenue"].iloc[0] == 0
    assert orphan["contribution"].iloc[0] == -50.0
