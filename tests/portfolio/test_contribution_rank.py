"""contribution_rank is a rank of known contributions only (portfolio/metrics.py).

Without a cost price there is no gross margin and so no contribution: the rank and the
running sum are empty, not 1, 2, 3 in revenue or customer order.
"""

from __future__ import annotations

import pandas as pd

from portfolio import Tables, calendar_year, connect, customer_table, read_invoice_lines

LINES = [
    "Klantnummer;Klantnaam;Factuurnummer;Factuurdatum;Bedrag excl. btw",
    "1001;Alfa;F1;15-03-2025;300,00",
    "1002;Beta;F2;15-04-2025;200,00",
    "1003;Gamma;F3;15-04-2024;100,00",  # lost in 2025
]


def test_without_a_cost_price_the_contribution_rank_is_empty(tmp_path):
    path = tmp_path / "verkoop.csv"
    path.write_bytes(("\r\n".join(LINES) + "\r\n").encode("cp1252"))
    con = connect(tmp_path)
    try:
        imp = read_invoice_lines(con, path, tmp_path / "staging")
        table = customer_table(con, Tables(imp.table), calendar_year(2025))
    finally:
        con.close()
    assert list(table["customer"]) == ["1001", "1002", "1003"]
    assert table["contribution"].isna().all()
    assert table["contribution_rank"].isna().all()
    assert table["cumulative_contribution"].isna().all()
    assert pd.isna(table["cumulative_contribution_share"]).all()
    # the revenue side is unaffected: shares of C(P)'s 500, nothing for the lost customer
    assert table["revenue_share"].tolist() == [0.6, 0.4, 0.0]
    assert table["cumulative_share"].tolist()[:2] == [0.6, 1.0]
    assert pd.isna(table["cumulative_share"].iloc[2])
