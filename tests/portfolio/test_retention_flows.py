"""Retention flows and cohorts (portfolio/retention.py), every figure worked out by hand.

A Dutch export (``;``, decimal comma, dd-mm-jjjj) over three calendar years;
P is 2025, so the periods are 2025, 2024 and 2023 (the oldest, without P-1).

    cust  name      2023      2024              2025    story
    1001  Alfa     100,10    200,20            300,30   retained every year
    1002  Beta        -      400,00            500,00   new in 2024, retained in 2025
    1003  Gamma    600,00    700,00              -      retained in 2024, lost in 2025
    1004  Delta    800,00      -               900,00   lost in 2024, back (reactivated) in 2025
    1005  Epsilon 1.000,00  1.000 - 1.000 = 0    -      lost in 2024: a credit note cancels it
    1006  Zeta        -        -              -100,00   only a credit note: never a buyer

Flows (oldest first; the revenue of a lost customer is its P-1 revenue):

    2024  retained  Alfa, Gamma        2    200,20 + 700,00   =   900,20
          new       Beta               1                          400,00
          lost      Delta, Epsilon     2    800,00 + 1.000,00 = 1.800,00
    2025  retained  Alfa, Beta         2    300,30 + 500,00   =   800,30
          new       Delta              1                          900,00
          lost      Gamma              1                          700,00

Cohorts (the year of a customer's first invoice):

    cohort  year  customers  revenue                                      kept
    2023    2023  4          100,10 + 600 + 800 + 1.000 = 2.500,10       1
    2023    2024  2          200,20 + 700 + 0           =   900,20       900,20 / 2.500,10
    2023    2025  2          300,30 + 900               = 1.200,30       1.200,30 / 2.500,10
    2024    2024  1          400,00                                      1
    2024    2025  1          500,00                                      1,25
    2025    2025  0          -100,00                                     unknown (first year <= 0)
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pandas as pd
import pytest

from portfolio import Tables, between, calendar_year, connect, read_invoice_lines
from portfolio.retention import cohort_table, retention_by_period, retention_flows

HEADER = "Klantnummer;Klantnaam;Factuurnummer;Factuurdatum;Bedrag excl. btw"
LINES = [
    "1001;Alfa;F23-01;15-03-2023;100,10",
    "1001;Alfa;F24-01;15-03-2024;200,20",
    "1001;Alfa;F25-01;15-03-2025;300,30",
    "1002;Beta;F24-02;01-06-2024;400,00",
    "1002;Beta;F25-02;01-06-2025;500,00",
    "1003;Gamma;F23-02;01-02-2023;600,00",
    "1003;Gamma;F24-03;01-02-2024;700,00",
    "1004;Delta;F23-03;01-05-2023;800,00",
    "1004;Delta;F25-03;01-05-2025;900,00",
    "1005;Epsilon;F23-04;01-07-2023;1.000,00",
    "1005;Epsilon;F24-04;01-07-2024;1.000,00",
    "1005;Epsilon;F24-05;15-07-2024;-1.000,00",
    "1006;Zeta;F25-04;01-12-2025;-100,00",
]

COLUMNS = ["period_start", "period_end", "flow", "customers", "revenue"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """(connection, tables) of the three-year export above."""
    tmp = tmp_path_factory.mktemp("flows")
    path = tmp / "verkoop.csv"
    path.write_bytes(("\r\n".join([HEADER, *LINES]) + "\r\n").encode("cp1252"))
    con = connect(tmp)
    imp = read_invoice_lines(con, path, tmp / "staging")
    assert imp.rows_used == len(LINES)
    yield con, Tables(imp.table)
    con.close()


@pytest.fixture(scope="module")
def flows(dataset) -> pd.DataFrame:
    con, tables = dataset
    return retention_flows(con, tables, calendar_year(2025))


def _flow(flows: pd.DataFrame, year: int, flow: str) -> tuple[int, float]:
    row = flows[(flows["period_start"] == date(year, 1, 1)) & (flows["flow"] == flow)]
    assert len(row) == 1
    return int(row["customers"].iloc[0]), float(row["revenue"].iloc[0])


# --- retention_flows ------------------------------------------------------------------------


def test_from_to_over_half_a_year_gives_calendar_halves_oldest_first(dataset):
    # from/to 1 Jan - 30 Jun 2025: the periods are the halves of the calendar, not 181-day
    # steps that drifted by days (4 Jul - 31 Dec 2024, 5 Jan - 3 Jul 2024, …)
    con, tables = dataset
    flows = retention_flows(con, tables, between(date(2025, 1, 1), date(2025, 6, 30)))
    periods = list(dict.fromkeys(zip(flows["period_start"], flows["period_end"], strict=True)))
    assert periods == [
        (date(2023, 7, 1), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 6, 30)),
    ]
    # Jan - Jun 2025: Alfa (Mar), Delta (May) and Beta (Jun) bought; in Jul - Dec 2024 only
    # Epsilon's invoice and credit note (net 0): all three are new, none retained or lost
    half = flows[flows["period_start"] == date(2025, 1, 1)].set_index("flow")
    assert half["customers"].to_dict() == {"retained": 0, "new": 3, "lost": 0}
    assert half.loc["new", "revenue"] == pytest.approx(300.30 + 500.00 + 900.00)


def test_from_to_over_days_keeps_both_days_and_steps_back_by_the_same_number_of_days(dataset):
    # from/to 1 May - 1 Jun 2025 (32 days, not whole months): Delta's invoice of 1 May and
    # Beta's of 1 Jun are both in P, however the dates are turned into periods
    con, tables = dataset
    flows = retention_flows(con, tables, between(date(2025, 5, 1), date(2025, 6, 1)))
    periods = list(dict.fromkeys(zip(flows["period_start"], flows["period_end"], strict=True)))
    assert periods[-2:] == [
        (date(2025, 3, 30), date(2025, 4, 30)),
        (date(2025, 5, 1), date(2025, 6, 1)),
    ]
    assert all((end - start).days + 1 == 32 for start, end in periods)
    for (_, older_end), (newer_start, _) in pairwise(periods):
        assert newer_start == older_end + timedelta(days=1)  # no day lost, none counted twice
    last = flows[flows["period_start"] == date(2025, 5, 1)].set_index("flow")
    assert last["customers"].to_dict() == {"retained": 0, "new": 2, "lost": 0}
    assert last.loc["new", "revenue"] == pytest.approx(900.00 + 500.00)  # Delta, Beta
    oldest = retention_by_period(con, tables, between(date(2025, 5, 1), date(2025, 6, 1)))
    assert oldest["period_start"].iloc[-1] <= date(2023, 2, 1)  # back to Gamma's first invoice


def test_flows_are_one_row_per_period_and_flow_oldest_first_without_the_oldest_period(flows):
    assert list(flows.columns) == COLUMNS
    assert [(r.period_start, r.period_end, r.flow) for r in flows.itertuples()] == [
        (date(2024, 1, 1), date(2024, 12, 31), "retained"),
        (date(2024, 1, 1), date(2024, 12, 31), "new"),
        (date(2024, 1, 1), date(2024, 12, 31), "lost"),
        (date(2025, 1, 1), date(2025, 12, 31), "retained"),
        (date(2025, 1, 1), date(2025, 12, 31), "new"),
        (date(2025, 1, 1), date(2025, 12, 31), "lost"),
    ]


def test_retained_customers_bought_in_both_periods_with_their_current_revenue(flows):
    assert _flow(flows, 2024, "retained") == (2, 900.20)  # Alfa, Gamma
    assert _flow(flows, 2025, "retained") == (2, 800.30)  # Alfa, Beta


def test_new_customers_include_a_reactivated_one_with_its_current_revenue(flows):
    assert _flow(flows, 2024, "new") == (1, 400.00)  # Beta
    assert _flow(flows, 2025, "new") == (1, 900.00)  # Delta, back after a year away


def test_lost_customers_carry_the_revenue_that_went_away(flows):
    # Epsilon's 2024 invoice is cancelled by a credit note: net 0 counts as lost
    assert _flow(flows, 2024, "lost") == (2, 1800.00)  # Delta 800 + Epsilon 1.000 of 2023
    assert _flow(flows, 2025, "lost") == (1, 700.00)  # Gamma's 2024 revenue


def test_a_customer_with_only_a_credit_note_is_in_no_flow(flows):
    # Zeta (-100 in 2025) neither bought in 2024 nor in 2025
    assert flows[flows["period_start"] == date(2025, 1, 1)]["customers"].sum() == 2 + 1 + 1


def test_retained_and_new_customers_are_the_customers_of_the_period(dataset, flows):
    con, tables = dataset
    by_period = retention_by_period(con, tables, calendar_year(2025)).set_index("period_start")

    for year in (2024, 2025):
        start = date(year, 1, 1)
        retained, _ = _flow(flows, year, "retained")
        new, _ = _flow(flows, year, "new")
        lost, _ = _flow(flows, year, "lost")
        assert retained + new == by_period.loc[start, "customers"] == 3
        assert new == by_period.loc[start, "new_customers"]
        assert lost == by_period.loc[start, "lost_customers"]


def test_retained_and_lost_customers_are_the_customers_of_the_period_before(dataset, flows):
    con, tables = dataset
    customers = retention_by_period(con, tables, calendar_year(2025)).set_index("period_start")[
        "customers"
    ]

    assert customers[date(2023, 1, 1)] == 4  # Alfa, Gamma, Delta, Epsilon
    for year in (2024, 2025):
        retained, _ = _flow(flows, year, "retained")
        lost, _ = _flow(flows, year, "lost")
        assert retained + lost == customers[date(year - 1, 1, 1)]


def test_a_period_without_a_period_before_it_has_no_flows(dataset):
    con, tables = dataset

    # 2023 starts before the first invoice: it is the only period, so there is no P-1
    flows = retention_flows(con, tables, calendar_year(2023))

    assert flows.empty
    assert list(flows.columns) == COLUMNS


# --- cohort_table ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cohorts(dataset) -> pd.DataFrame:
    con, tables = dataset
    return cohort_table(con, tables)


def test_cohort_table_has_one_row_per_cohort_and_year_in_order(cohorts):
    assert [(int(r.cohort), int(r.year)) for r in cohorts.itertuples()] == [
        (2023, 2023),
        (2023, 2024),
        (2023, 2025),
        (2024, 2024),
        (2024, 2025),
        (2025, 2025),
    ]


def test_cohort_revenue_per_year_matches_hand_worked_sums(cohorts):
    assert cohorts["revenue"].tolist() == pytest.approx(
        [2500.10, 900.20, 1200.30, 400.00, 500.00, -100.00], abs=1e-9
    )


def test_cohort_customers_count_only_those_with_revenue_that_year(cohorts):
    # 2023/2024: Epsilon's invoice and credit note make 0, so only Alfa and Gamma count;
    # 2025/2025: Zeta's credit note is no revenue
    assert cohorts["customers"].tolist() == [4, 2, 2, 1, 1, 0]


def test_kept_is_revenue_against_the_cohorts_first_year(cohorts):
    kept = cohorts["kept"].tolist()

    assert kept[:5] == pytest.approx(
        [1.0, 900.20 / 2500.10, 1200.30 / 2500.10, 1.0, 1.25], rel=1e-12
    )


def test_kept_is_unknown_when_the_first_year_brought_no_revenue(cohorts):
    zeta = cohorts[cohorts["cohort"] == 2025]

    assert len(zeta) == 1
    assert pd.isna(zeta["kept"].iloc[0])
