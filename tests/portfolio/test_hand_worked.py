"""A portfolio of 10 customers worked out by hand, every figure pinned (docs/method.md).

The analysis period P is calendar year 2025; P-1 is 2024, P-2 is 2023 (needed
for the reactivated customer). The invoice lines are a Dutch export
(Windows-1252, ``;``, decimal comma, thousands dots, dd-mm-jjjj) with a
``Totaal`` row at the bottom; the customer file gives hours, hourly rate,
other costs and payment term.

Revenue in P per customer (euro), with 2024 and 2023 beside it:

    cust  name               2025      2024     2023   status       why
    1001  Bakkerij Jansen    40.000    30.000   20.000  retained     bought 2024 and 2025
    1002  Garage De Vries    25.000    20.000       -   retained
    1003  Drukkerij Smit     15.000        -        -   new          first purchase in 2025
    1004  Bloemen Bakker      8.000        -     6.000  reactivated  not in 2024, but in 2023
    1005  Transport Visser    5.000    10.000    4.000  retained
    1006  Schilder Mulder     4.000     3.000       -   retained     4.500 invoice - 500 credit
    1007  Kapper Bos          2.500        -        -   new          2 × 1.250, an exact duplicate
    1008  Café De Hoek        1.000     1.000       -   retained
    1009  Bouwbedrijf Kok      -500     5.000       -   lost         only a credit note in 2025
    1010  Slagerij Dekker         0        -     1.000  inactive     300 invoice - 300 credit

    net revenue of all customers          = 100.000  (the summary's revenue)
    C(P), customers with revenue > 0      = 1001 … 1008, 8 customers, 100.500 together
                                            (the total for revenue share)
"""

from __future__ import annotations

import math

import pytest

from portfolio import (
    Tables,
    calendar_year,
    connect,
    customer_table,
    portfolio_summary,
    read_customer_file,
    read_invoice_lines,
)

HEADER = (
    "Klantnummer;Klantnaam;Factuurnummer;Factuurdatum;Vervaldatum;Betaaldatum;"
    "Bedrag excl. btw;Kostprijs"
)
LINES = [
    # 1001: 2025 = 10.000 + 5.000 (one invoice, two lines) + 25.000 = 40.000; cost 24.000
    "1001;Bakkerij Jansen;F23-001;15-03-2023;;;20.000,00;12.000,00",
    "1001;Bakkerij Jansen;F24-001;10-04-2024;;;30.000,00;18.000,00",
    "1001;Bakkerij Jansen;F25-001;15-01-2025;14-02-2025;14-02-2025;10.000,00;6.000,00",
    "1001;Bakkerij Jansen;F25-001;15-01-2025;14-02-2025;14-02-2025;5.000,00;3.000,00",
    "1001;Bakkerij Jansen;F25-002;01-06-2025;01-07-2025;11-07-2025;25.000,00;15.000,00",
    # 1002: exactly 25.000 in 2025, the lower bound of "large"
    "1002;Garage De Vries;F24-002;01-03-2024;;;20.000,00;16.000,00",
    "1002;Garage De Vries;F25-003;01-02-2025;03-03-2025;13-03-2025;25.000,00;20.000,00",
    "1003;Drukkerij Smit;F25-004;01-03-2025;31-03-2025;30-04-2025;15.000,00;9.000,00",
    # 1004: no due date, so days late = days to pay - payment term from the customer file
    "1004;Bloemen Bakker;F23-002;01-05-2023;;;6.000,00;3.000,00",
    "1004;Bloemen Bakker;F25-005;02-01-2025;;01-03-2025;8.000,00;4.000,00",
    # 1005: exactly 5.000 in 2025, the lower bound of "medium"; not paid yet
    "1005;Transport Visser;F23-003;01-06-2023;;;4.000,00;3.000,00",
    "1005;Transport Visser;F24-003;01-06-2024;;;10.000,00;7.000,00",
    "1005;Transport Visser;F25-006;01-07-2025;31-07-2025;;5.000,00;3.500,00",
    # 1006: the paid credit note does not count for payment behaviour (amount <= 0)
    "1006;Schilder Mulder;F24-004;01-09-2024;;;3.000,00;1.800,00",
    "1006;Schilder Mulder;F25-007;01-09-2025;01-10-2025;01-10-2025;4.500,00;2.700,00",
    "1006;Schilder Mulder;F25-008;15-09-2025;15-10-2025;15-09-2025;-500,00;-300,00",
    # 1007: the same line twice: flagged as a duplicate, still counted
    "1007;Kapper Bos;F25-009;01-10-2025;;;1.250,00;500,00",
    "1007;Kapper Bos;F25-009;01-10-2025;;;1.250,00;500,00",
    "1008;Café De Hoek;F24-005;01-11-2024;;;1.000,00;400,00",
    "1008;Café De Hoek;F25-010;01-11-2025;01-12-2025;21-11-2025;1.000,00;400,00",
    "1009;Bouwbedrijf Kok;F24-006;01-12-2024;;;5.000,00;4.000,00",
    "1009;Bouwbedrijf Kok;F25-011;15-01-2025;;;-500,00;-400,00",
    "1010;Slagerij Dekker;F23-004;01-02-2023;;;1.000,00;600,00",
    "1010;Slagerij Dekker;F25-012;01-04-2025;;;300,00;200,00",
    "1010;Slagerij Dekker;F25-013;15-04-2025;;;-300,00;-200,00",
    # 31.000 (2023) + 69.000 (2024) + 100.000 (2025)
    "Totaal;;;;;;200.000,00;",
]
# cost to serve = hours × rate + other costs; no rate -> 75 (config/thresholds.yaml)
CUSTOMERS = [
    "Klantnummer;Klantnaam;Uren;Uurtarief;Overige kosten;Betalingstermijn",
    "1001;Bakkerij Jansen;40;100;1.000,00;30",  # 40 × 100 + 1.000 = 5.000
    "1002;Garage De Vries;20;;;30",  # 20 × 75 (default rate) = 1.500
    "1003;Drukkerij Smit;10;80;200,00;30",  # 10 × 80 + 200 = 1.000
    "1004;Bloemen Bakker;30;100;;30",  # 30 × 100 = 3.000
    "1005;Transport Visser;10;75;;",  # 10 × 75 = 750
    "1006;Schilder Mulder;8;100;;30",  # 8 × 100 = 800
    "1007;Kapper Bos;;;100,00;14",  # no hours: 100 other costs only
    "1008;Café De Hoek;10;100;;30",  # 10 × 100 = 1.000
    "1009;Bouwbedrijf Kok;2;100;;30",  # 2 × 100 = 200
    # 1010 is not in the customer file: cost to serve 0
]

APPROX = {"rel": 1e-12, "abs": 1e-9}
NAN = math.nan


@pytest.fixture(scope="module")
def portfolio_2025(tmp_path_factory):
    """(invoice import, customer import, customer table, summary) for calendar year 2025."""
    tmp = tmp_path_factory.mktemp("hand_worked")
    lines = tmp / "verkoop.csv"
    lines.write_bytes(("\r\n".join([HEADER, *LINES]) + "\r\n").encode("cp1252"))
    customers = tmp / "klanten.csv"
    customers.write_bytes(("\r\n".join(CUSTOMERS) + "\r\n").encode("cp1252"))
    con = connect(tmp)
    imp = read_invoice_lines(con, lines, tmp / "staging")
    cust = read_customer_file(con, customers, tmp / "staging")
    table = customer_table(con, Tables(imp.table, cust.table), calendar_year(2025))
    yield imp, cust, table.set_index("customer"), portfolio_summary(table, calendar_year(2025))
    con.close()


def _check(row, expected: dict) -> None:
    for column, want in expected.items():
        got = row[column]
        if isinstance(want, float) and math.isnan(want):
            assert got is None or math.isnan(got), f"{column}: {got!r}, expected empty"
        elif isinstance(want, (bool, str)):
            assert got == want, f"{column}: {got!r}, expected {want!r}"
        else:
            assert got == pytest.approx(want, **APPROX), f"{column}: {got!r}, expected {want!r}"


def test_import_counts_every_row_and_rejects_the_totals_row(portfolio_2025):
    imp, cust, _table, _summary = portfolio_2025
    # 25 invoice lines + the Totaal row; the duplicate of 1007 counts as used
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (26, 25, 1)
    assert imp.reasons == {"totals_row": 1}
    assert imp.duplicates == 1
    assert (cust.rows_read, cust.rows_used, cust.rows_rejected) == (9, 9, 0)


def test_table_has_one_row_per_customer_sorted_by_revenue(portfolio_2025):
    _imp, _cust, table, _summary = portfolio_2025
    assert list(table.index) == [
        "1001",
        "1002",
        "1003",
        "1004",
        "1005",
        "1006",
        "1007",
        "1008",
        "1010",
        "1009",
    ]
    assert table.loc["1008", "customer_name"] == "Café De Hoek"


# Revenue share = revenue / 100.500, the revenue of C(P), the total the summary's top-20 %
# and 80 % figures use; cumulative share is the running sum in rank order / 100.500, only
# for the customers of C(P): it ends at exactly 1 with 1008 and never passes it (against
# the net 100.000 of all customers it reached 1.005 before the credit note of 1009).
# The Pareto group is the customers that together bring 80 % of it (80.400):
# 1001-1003 bring 80.000 < 80.400, so 1004 (cumulative before it 80.000) is still needed.
# Size class: large from 25.000, medium from 5.000 (both bounds inclusive).
C = 100_500
REVENUE = [
    # cust    revenue  share         rank cumulative     pareto size
    ("1001", 40_000, 40_000 / C, 1, 40_000 / C, True, "large"),
    ("1002", 25_000, 25_000 / C, 2, 65_000 / C, True, "large"),
    ("1003", 15_000, 15_000 / C, 3, 80_000 / C, True, "medium"),
    ("1004", 8_000, 8_000 / C, 4, 88_000 / C, True, "medium"),
    ("1005", 5_000, 5_000 / C, 5, 93_000 / C, False, "medium"),
    ("1006", 4_000, 4_000 / C, 6, 97_000 / C, False, "small"),
    ("1007", 2_500, 2_500 / C, 7, 99_500 / C, False, "small"),
    ("1008", 1_000, 1_000 / C, 8, 1.0, False, "small"),
    ("1010", 0, 0.0, 9, NAN, False, "small"),
    ("1009", -500, -500 / C, 10, NAN, False, "small"),
]


@pytest.mark.parametrize(
    ("customer", "revenue", "share", "rank", "cumulative", "pareto", "size"), REVENUE
)
def test_revenue_share_rank_pareto_group_and_size_class(
    portfolio_2025, customer, revenue, share, rank, cumulative, pareto, size
):
    row = portfolio_2025[2].loc[customer]
    _check(
        row,
        {
            "revenue": float(revenue),
            "revenue_share": share,
            "cumulative_share": cumulative,
            "pareto_group": pareto,
            "size_class": size,
        },
    )
    assert row["rank"] == rank


# Invoices: distinct invoice numbers in 2025 (a credit note is one too).
# Gross margin = revenue - cost price; margin % = margin / revenue (empty when revenue <= 0).
# Contribution = gross margin - cost to serve. Contribution rank: largest first; cumulative
# contribution / total contribution 22.750 (the whale curve; it peaks at 23.450).
PROFIT = [
    # cust  inv  margin   margin%  hours  rate  to serve  contrib  c.rank  cumulative
    ("1001", 2, 16_000, 0.40, 40, 100, 5_000, 11_000, 1, 11_000),
    ("1002", 1, 5_000, 0.20, 20, 75, 1_500, 3_500, 3, 19_500),
    ("1003", 1, 6_000, 0.40, 10, 80, 1_000, 5_000, 2, 16_000),
    ("1004", 1, 4_000, 0.50, 30, 100, 3_000, 1_000, 5, 21_900),
    ("1005", 1, 1_500, 0.30, 10, 75, 750, 750, 7, 23_450),
    ("1006", 2, 1_600, 0.40, 8, 100, 800, 800, 6, 22_700),
    ("1007", 1, 1_500, 0.60, NAN, NAN, 100, 1_400, 4, 20_900),
    ("1008", 1, 600, 0.60, 10, 100, 1_000, -400, 10, 22_750),
    ("1009", 1, -100, NAN, 2, 100, 200, -300, 9, 23_150),
    ("1010", 2, 0, NAN, NAN, NAN, 0, 0, 8, 23_450),
]


@pytest.mark.parametrize(
    (
        "customer",
        "invoices",
        "margin",
        "margin_pct",
        "hours",
        "rate",
        "cost_to_serve",
        "contribution",
        "contribution_rank",
        "cumulative",
    ),
    PROFIT,
)
def test_margin_cost_to_serve_and_contribution(
    portfolio_2025,
    customer,
    invoices,
    margin,
    margin_pct,
    hours,
    rate,
    cost_to_serve,
    contribution,
    contribution_rank,
    cumulative,
):
    row = portfolio_2025[2].loc[customer]
    _check(
        row,
        {
            "gross_margin": float(margin),
            "margin_pct": margin_pct,
            "hours": float(hours),
            "hourly_rate": float(rate),
            "cost_to_serve": float(cost_to_serve),
            "contribution": float(contribution),
            "cumulative_contribution": float(cumulative),
            "cumulative_contribution_share": cumulative / 22_750,
        },
    )
    assert (row["invoices"], row["contribution_rank"]) == (invoices, contribution_rank)


# History: revenue_prev is 2024; change = 2025 - 2024, change % only when 2024 > 0.
# Years active: calendar years (2023-2025) with revenue > 0. Years in a row: the unbroken
# run of such years back from 2025 (0 when 2025 itself is not > 0).
HISTORY = [
    # cust    prev     change   change %   status         active  in a row
    ("1001", 30_000, 10_000, 1 / 3, "retained", 3, 3),
    ("1002", 20_000, 5_000, 0.25, "retained", 2, 2),
    ("1003", 0, 15_000, NAN, "new", 1, 1),
    ("1004", 0, 8_000, NAN, "reactivated", 2, 1),
    ("1005", 10_000, -5_000, -0.5, "retained", 3, 3),
    ("1006", 3_000, 1_000, 1 / 3, "retained", 2, 2),
    ("1007", 0, 2_500, NAN, "new", 1, 1),
    ("1008", 1_000, 0, 0.0, "retained", 2, 2),
    ("1009", 5_000, -5_500, -1.1, "lost", 1, 0),
    ("1010", 0, 0, NAN, "inactive", 1, 0),
]


@pytest.mark.parametrize(
    ("customer", "prev", "change", "change_pct", "status", "active", "in_a_row"), HISTORY
)
def test_revenue_history_status_and_years(
    portfolio_2025, customer, prev, change, change_pct, status, active, in_a_row
):
    row = portfolio_2025[2].loc[customer]
    _check(
        row,
        {
            "revenue_prev": float(prev),
            "revenue_change": float(change),
            "revenue_change_pct": change_pct,
            "status": status,
        },
    )
    assert (row["years_active"], row["years_in_a_row"]) == (active, in_a_row)


# Payment, weighted by amount, over 2025 lines with amount > 0 and a payment date:
# 1001: (10.000 × 30 + 5.000 × 30 + 25.000 × 40) / 40.000 = 36,25 days to pay;
#       late: (15.000 × 0 + 25.000 × 10) / 40.000 = 6,25 days
# 1002: 01-02 -> 13-03 = 40 days; due 03-03 -> 10 days late
# 1003: 01-03 -> 30-04 = 60 days; due 31-03 -> 30 days late
# 1004: 02-01 -> 01-03 = 58 days; no due date: 58 - 30 (payment term) = 28 days late
# 1006: 01-09 -> 01-10 = 30 days, 0 late (the paid credit note of -500 does not count)
# 1008: 01-11 -> 21-11 = 20 days, due 01-12: paid 10 days early
# 1005 (unpaid), 1007, 1009, 1010 (no payment dates): empty
PAYMENT = [
    ("1001", 36.25, 6.25),
    ("1002", 40.0, 10.0),
    ("1003", 60.0, 30.0),
    ("1004", 58.0, 28.0),
    ("1005", NAN, NAN),
    ("1006", 30.0, 0.0),
    ("1007", NAN, NAN),
    ("1008", 20.0, -10.0),
    ("1009", NAN, NAN),
    ("1010", NAN, NAN),
]


@pytest.mark.parametrize(("customer", "days_to_pay", "days_late"), PAYMENT)
def test_days_to_pay_and_days_late_are_amount_weighted(
    portfolio_2025, customer, days_to_pay, days_late
):
    _check(portfolio_2025[2].loc[customer], {"days_to_pay": days_to_pay, "days_late": days_late})


# Summary for 2025:
# customers: C(P) = 1001-1008 = 8
# revenue: net, all customers = 100.000; gross margin 36.100; cost to serve 13.350;
#   contribution 36.100 - 13.350 = 22.750
# top 20 %: ceil(0,2 × 8) = 2 customers: (40.000 + 25.000) / 100.500
# customers for 80 %: 1001-1003 bring 80.000 / 100.500 = 79,6 %, so 4 of 8 = 0,5
# whale peak: cumulative contribution peaks at 23.450 (after 1005), 23.450 / 22.750
# retention: P-1 customers (revenue 2024 > 0): 1001, 1002, 1005, 1006, 1008, 1009 = 6,
#   of which 5 bought again: 5 / 6. Their 2024 revenue: 69.000.
#   net: (40.000 + 25.000 + 5.000 + 4.000 + 1.000 - 500) / 69.000 = 74.500 / 69.000
#   gross: min(max(rev 2025, 0), rev 2024) = 30.000 + 20.000 + 5.000 + 3.000 + 1.000 + 0
#          = 59.000 / 69.000
# new: 1003, 1007 (new) + 1004 (reactivated) = 3; reactivated 1; lost: 1009 = 1
SUMMARY = [
    ("customers", 8),
    ("revenue", 100_000.0),
    ("gross_margin", 36_100.0),
    ("cost_to_serve", 13_350.0),
    ("contribution", 22_750.0),
    ("top20_revenue_share", 65_000 / 100_500),
    ("customers_for_80pct_revenue_share", 0.5),
    ("whale_peak_contribution", 23_450.0),
    ("whale_peak_share", 23_450 / 22_750),
    ("customer_retention", 5 / 6),
    ("net_revenue_retention", 74_500 / 69_000),
    ("gross_revenue_retention", 59_000 / 69_000),
    ("new_customers", 3),
    ("reactivated_customers", 1),
    ("lost_customers", 1),
    ("period_start", "2025-01-01"),
    ("period_end", "2025-12-31"),
]


@pytest.mark.parametrize(("key", "expected"), SUMMARY)
def test_portfolio_summary_figures(portfolio_2025, key, expected):
    got = portfolio_2025[3][key]
    if isinstance(expected, (int, str)):
        assert got == expected
        assert type(got) is type(expected)
    else:
        assert got == pytest.approx(expected, **APPROX)


def test_pareto_group_is_the_customers_the_summary_counts_for_80pct(portfolio_2025):
    _imp, _cust, table, summary = portfolio_2025
    share = table["pareto_group"].sum() / summary["customers"]
    assert share == summary["customers_for_80pct_revenue_share"]


def test_months_with_a_purchase_count_positive_invoices_only(portfolio_2025):
    table = portfolio_2025[2]  # indexed by customer
    months = {"1001": 2, "1002": 1, "1006": 1, "1009": 0, "1010": 1}  # 1009: a credit only
    assert {c: table.loc[c, "active_months"] for c in months} == months
    assert table["discount"].isna().all()  # the file has no discount column
    assert table["discount_pct"].isna().all()
