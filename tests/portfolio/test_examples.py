"""The example exports against figures computed separately with plain pandas.

``tests/fixtures/examples`` holds a copy of the shared examples (a Windows-1252
export of 2023-2025 with a totals row, and a customer file); ``expected.json``
gives the summary figures per case. Money must match to the cent, fractions to
1e-9; the top-20 % share may lie anywhere between floor and ceil of 20 % of
customers.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from portfolio import (
    Tables,
    calendar_year,
    connect,
    customer_table,
    months_ending,
    portfolio_summary,
    read_customer_file,
    read_invoice_lines,
)

EXAMPLES = Path(__file__).parents[1] / "fixtures" / "examples"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))["verkoopregels.csv"]
MONEY = ("revenue", "gross_margin", "contribution")
CASES = {
    "summary --year 2025": (calendar_year(2025), False),
    "summary --year 2025 --customers klanten.csv": (calendar_year(2025), True),
    "summary --period-end 2024-12-31 --months 12": (months_ending(date(2024, 12, 31), 12), False),
}


FIGURES = [
    pytest.param(period, with_customers, key.split(" (")[0], value, id=f"{case}: {key}")
    for case, (period, with_customers) in CASES.items()
    for key, value in EXPECTED[case].items()
]


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """(invoice import, customer import, hardened connection) of the example exports."""
    tmp = tmp_path_factory.mktemp("examples")
    con = connect(tmp)
    lines = read_invoice_lines(con, EXAMPLES / "verkoopregels.csv", tmp / "staging")
    customers = read_customer_file(con, EXAMPLES / "klanten.csv", tmp / "staging")
    yield lines, customers, con
    con.close()


def test_every_case_of_expected_json_is_checked():
    assert {k for k in EXPECTED if k.startswith("summary")} == set(CASES)


def test_totals_row_is_the_only_rejected_row(examples):
    lines, customers, _con = examples
    assert lines.rows_read == EXPECTED["rows_read"]
    assert lines.rows_rejected == EXPECTED["rows_rejected"]
    assert lines.reasons == {"totals_row": 1}
    assert lines.rows_used + lines.rows_rejected == lines.rows_read
    assert customers.rows_rejected == 0


@pytest.mark.parametrize(("period", "with_customers", "name", "expected"), FIGURES)
def test_summary_matches_the_independent_figures(examples, period, with_customers, name, expected):
    lines, customers, con = examples
    tables = Tables(lines.table, customers.table if with_customers else None)
    got = portfolio_summary(customer_table(con, tables, period), period)[name]
    if isinstance(expected, list):
        low, high = expected
        assert low - 1e-12 <= got <= high + 1e-12
    elif name in MONEY:
        assert got == pytest.approx(expected, abs=0.005)
    elif isinstance(expected, float):
        assert got == pytest.approx(expected, rel=1e-9)
    else:
        assert got == expected


@pytest.mark.parametrize("case", list(CASES))
def test_pareto_group_of_the_table_is_the_share_the_summary_reports(examples, case):
    # the example data has lost customers with net credit notes in P (2025: 14 against 15
    # customers before the Pareto group was measured against the revenue of C(P))
    lines, customers, con = examples
    period, with_customers = CASES[case]
    tables = Tables(lines.table, customers.table if with_customers else None)
    table = customer_table(con, tables, period)
    summary = portfolio_summary(table, period)
    assert (table["revenue"] < 0).any()
    assert table["pareto_group"].sum() == round(
        summary["customers_for_80pct_revenue_share"] * summary["customers"]
    )
