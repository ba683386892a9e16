"""customer_tables: the tables of P and P-1 from one pass over the lines are the very
tables customer_table gives for each period alone (portfolio/metrics.py).

The overview asks for P and P-1 at once. A table of P-1 made in P's pass must be the one
a visit to P-1 shows: the same rows in the same order, the same values to the last bit
and the same pandas types, its own previous-period columns (revenue_prev, status, years
active and in a row) included. Real files, a real DuckDB.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from portfolio import (
    Period,
    Tables,
    between,
    calendar_year,
    connect,
    customer_table,
    months_ending,
    read_customer_file,
    read_invoice_lines,
    read_product_file,
)
from portfolio.metrics import customer_tables, data_range
from portfolio.periods import shared_history
from tests.conftest import read_demo

# the demo runs from 3 Jan 2022 to 31 Dec 2025; P-1 of each of these has its own history
DEMO_PERIODS = [
    months_ending(date(2025, 12, 31), 12),
    months_ending(date(2025, 12, 31), 3),
    months_ending(date(2025, 12, 31), 1),
    months_ending(date(2025, 12, 31), 24),
    months_ending(date(2025, 6, 15), 12),
    calendar_year(2024),
    between(date(2025, 3, 10), date(2025, 7, 9)),  # steps back by days
    months_ending(date(2023, 6, 30), 24),  # P-1 starts before the first invoice
]
# months ending on the 30th: P-1 of P-1 ends on other days than P-2 of P (months clamp)
MISALIGNED = months_ending(date(2025, 3, 30), 1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    con, tables, _last = read_demo(tmp_path_factory.mktemp("demo"))
    yield con, tables
    con.close()


def _assert_alone(con, tables: Tables, period: Period, count: int = 2) -> list[pd.DataFrame]:
    together = customer_tables(con, tables, period, count)
    assert len(together) == count
    for back, table in enumerate(together):
        alone = customer_table(con, tables, period.previous(back) if back else period)
        pd.testing.assert_frame_equal(table, alone, check_exact=True)
    return together


@pytest.mark.parametrize("period", DEMO_PERIODS, ids=lambda p: p.label())
def test_the_previous_period_from_one_pass_equals_its_own_table(demo, period):
    con, tables = demo
    now, before = _assert_alone(con, tables, period)
    # P-1's table is P-1's own, not P's previous-period columns
    by_customer = now.set_index("customer")["revenue_prev"]
    shared = before.set_index("customer")["revenue"].reindex(by_customer.index).fillna(0.0)
    assert (by_customer == shared).all()


def test_three_periods_from_one_pass_equal_their_own_tables(demo):
    con, tables = demo
    _assert_alone(con, tables, months_ending(date(2025, 12, 31), 6), count=3)


def test_periods_that_step_back_differently_are_made_one_by_one(demo):
    con, tables = demo
    first, _last = data_range(con, tables)
    assert shared_history(MISALIGNED, first, 2) is None
    _assert_alone(con, tables, MISALIGNED)


# without cost price: product A-1 by margin %, B-2 unknown. Beta's 2024 line of B-2 leaves
# its margin and contribution of 2024 unknown, so the table of 2024 has an empty
# contribution rank where the table of 2025 has none: each table keeps the pandas types of
# a result of its own
LINES = (
    "Klantnummer;Klantnaam;Factuurdatum;Artikel;Aantal;Bedrag excl. btw\n"
    "001;Alfa BV;10-01-2025;A-1;10;1.000,00\n"
    "001;Alfa BV;12-02-2024;A-1;4;400,00\n"
    "002;Beta BV;11-01-2025;A-1;1;500,00\n"
    "002;Beta BV;11-03-2024;B-2;2;200,00\n"
    "003;Gamma BV;11-03-2023;A-1;2;200,00\n"
)
PRODUCTS = "Artikelcode;Marge %\nA-1;30\n"
CUSTOMERS = "Klantnummer;Uren;Uurtarief\n001;4;50\n002;2;50\n003;1;50\n"


def test_an_empty_cell_in_one_table_leaves_the_other_tables_types_alone(tmp_path):
    (tmp_path / "lines.csv").write_text(LINES, encoding="utf-8")
    (tmp_path / "products.csv").write_text(PRODUCTS, encoding="utf-8")
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    con = connect(tmp_path)
    try:
        staging = tmp_path / "staging"
        lines = read_invoice_lines(con, tmp_path / "lines.csv", staging)
        products = read_product_file(con, tmp_path / "products.csv", staging)
        customers = read_customer_file(con, tmp_path / "customers.csv", staging)
        tables = Tables(lines.table, customers.table, products.table)
        now, before = _assert_alone(con, tables, calendar_year(2025))
    finally:
        con.close()
    # by hand: 2025 30 % of Alfa's 1.000 and Beta's 500; 2024 Alfa 120, Beta unknown
    now, before = now.set_index("customer"), before.set_index("customer")
    assert now["gross_margin"].to_dict() == pytest.approx({"001": 300.0, "002": 150.0, "003": 0.0})
    assert before.loc["001", "gross_margin"] == pytest.approx(120.0)
    assert math.isnan(before.loc["002", "gross_margin"])
    assert now["contribution_rank"].notna().all() and before["contribution_rank"].isna().any()
    assert before["status"].to_dict() == {"001": "new", "002": "new", "003": "lost"}
