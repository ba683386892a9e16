"""The per-customer table and the summary equal an independent pandas implementation.

``reference_table`` and ``reference_summary`` below are written from
docs/method.md (and the summary's stated rules), not from the SQL: they
work on the generated lines in whole cents, assign each line to "k years
before P" by month arithmetic, and build every figure with plain pandas.
Hypothesis generates invoice lines (customers, dates over 2023-2025, credit
notes, costs, invoice numbers, due and payment dates) and an optional
customer file, writes them as a Dutch CSV, reads them through the product and
compares: money to 1e-6, shares to 1e-9, counts and labels exactly.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portfolio import (
    Period,
    Tables,
    between,
    calendar_year,
    connect,
    customer_table,
    months_ending,
    portfolio_summary,
    read_customer_file,
    read_invoice_lines,
)
from portfolio.concentration import pareto_curve

FIRST_DAY = dt.date(2023, 1, 1)
DAYS = (dt.date(2025, 12, 31) - FIRST_DAY).days
PERIODS = [
    calendar_year(2025),
    months_ending(dt.date(2025, 6, 30)),
    months_ending(dt.date(2025, 9, 30)),
    calendar_year(2024),
    months_ending(dt.date(2025, 6, 15)),
    months_ending(dt.date(2025, 5, 30), 3),
    between(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    between(dt.date(2025, 3, 10), dt.date(2025, 7, 9)),
]
# config/thresholds.yaml
MEDIUM_FROM, LARGE_FROM, DEFAULT_RATE = 5_000, 25_000, 75.0
PARETO_SHARE, TOP_SHARE = 0.8, 0.2


@dataclass(frozen=True)
class Line:
    customer: str
    day: dt.date
    amount: int  # cents
    cost: int  # cents
    invoice: str
    due: dt.date | None
    paid: dt.date | None


@dataclass(frozen=True)
class FileRow:
    customer: str
    hours: float | None
    rate: int | None
    other: int | None  # cents
    term: int | None


@dataclass(frozen=True)
class Dataset:
    lines: list[Line]
    file: list[FileRow] | None
    with_cost: bool
    with_invoice: bool
    with_due: bool
    with_paid: bool
    period: Period


def _name(customer: str) -> str:
    return f"Klant {customer}"


# --- the data ------------------------------------------------------------------------


@st.composite
def datasets(draw) -> Dataset:
    n = draw(st.integers(1, 8))
    customers = [f"K{i:02d}" for i in range(n)]
    with_cost, with_invoice, with_due, with_paid = (draw(st.booleans()) for _ in range(4))
    amounts = st.one_of(
        st.integers(-300_000, 3_000_000),
        st.integers(-3_000_000, -1),  # credit notes, some larger than the invoices
        st.sampled_from([0, 1, -1, 100_00, 500_000, 2_500_000, -100_00]),
    )
    lines = []
    for _ in range(draw(st.integers(1, 40))):
        day = FIRST_DAY + dt.timedelta(days=draw(st.integers(0, DAYS)))
        paid = None
        if with_paid and draw(st.booleans()):
            paid = day + dt.timedelta(days=draw(st.integers(0, 120)))
        lines.append(
            Line(
                customer=draw(st.sampled_from(customers)),
                day=day,
                amount=draw(amounts),
                cost=draw(st.integers(-50_000, 2_000_000)),
                invoice=f"F{draw(st.integers(1, 12)):03d}",
                due=day + dt.timedelta(days=draw(st.sampled_from([14, 30]))) if with_due else None,
                paid=paid,
            )
        )
    file = None
    if draw(st.booleans()):
        listed = draw(st.lists(st.sampled_from([*customers, "K99"]), unique=True, max_size=9))
        file = [
            FileRow(
                customer=c,
                hours=draw(st.none() | st.integers(0, 2_000).map(lambda h: h / 10)),
                rate=draw(st.none() | st.integers(40, 150)),
                other=draw(st.none() | st.integers(0, 500_000)),
                term=draw(st.none() | st.sampled_from([14, 30, 60])),
            )
            for c in listed
        ]
    return Dataset(
        lines, file, with_cost, with_invoice, with_due, with_paid, draw(st.sampled_from(PERIODS))
    )


def _money(cents: int) -> str:
    whole, part = divmod(abs(cents), 100)
    return ("-" if cents < 0 else "") + f"{whole:,}".replace(",", ".") + f",{part:02d}"


def _date(day: dt.date | None) -> str:
    return "" if day is None else day.strftime("%d-%m-%Y")


def _write(data: Dataset, folder: Path) -> tuple[Path, Path | None]:
    """The lines as a Dutch export; the customer file beside it."""
    columns = {
        "Klantnummer": lambda x: x.customer,
        "Klantnaam": lambda x: _name(x.customer),
        "Factuurnummer": (lambda x: x.invoice) if data.with_invoice else None,
        "Factuurdatum": lambda x: _date(x.day),
        "Vervaldatum": (lambda x: _date(x.due)) if data.with_due else None,
        "Betaaldatum": (lambda x: _date(x.paid)) if data.with_paid else None,
        "Bedrag excl. btw": lambda x: _money(x.amount),
        "Kostprijs": (lambda x: _money(x.cost)) if data.with_cost else None,
    }
    columns = {header: cell for header, cell in columns.items() if cell}
    rows = [";".join(columns)] + [";".join(f(x) for f in columns.values()) for x in data.lines]
    lines = folder / "verkoop.csv"
    lines.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    if data.file is None:
        return lines, None
    rows = ["Klantnummer;Klantnaam;Uren;Uurtarief;Overige kosten;Betalingstermijn"]
    for r in data.file:
        hours = "" if r.hours is None else f"{r.hours:.1f}".replace(".", ",")
        rows.append(
            ";".join(
                [
                    r.customer,
                    _name(r.customer),
                    hours,
                    "" if r.rate is None else str(r.rate),
                    "" if r.other is None else _money(r.other),
                    "" if r.term is None else str(r.term),
                ]
            )
        )
    customers = folder / "klanten.csv"
    customers.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    return lines, customers


# --- the reference: docs/method.md in pandas -------------------------------------------


def _years_back(day: pd.Series, period: Period) -> pd.Series:
    """0 for a date in P, 1 in P-1, …, for dates up to P's end.

    Month periods step back whole months from the day after P (pandas clamps 31 May - 3
    months to 28 Feb); other periods step back their number of days.
    """
    end = pd.Timestamp(period.end)
    if not period.months:
        return (end - day).dt.days // period.days
    anchor = end + pd.Timedelta(days=1)
    k = pd.Series(-1, index=day.index)
    for back in range(60):
        start = anchor - pd.DateOffset(months=period.months * (back + 1))
        k = k.where(k >= 0, np.where(day >= start, back, -1))
    return k


def _per_customer(data: Dataset) -> pd.DataFrame:
    """One row per customer with the figures that need only its own lines."""
    period = data.period
    lines = pd.DataFrame([vars(x) for x in data.lines])
    for column in ("day", "due", "paid"):
        lines[column] = pd.to_datetime(lines[column])
    lines = lines[lines["day"] <= pd.Timestamp(period.end)].copy()
    lines["k"] = _years_back(lines["day"], period)
    in_p = lines[lines["k"] == 0]
    by_year = lines.groupby(["customer", "k"])["amount"].sum().unstack(fill_value=0)
    universe = set(lines.loc[lines["k"] <= 1, "customer"])
    universe |= {r.customer for r in data.file or []}
    out = pd.DataFrame(index=sorted(universe))
    for k, column in ((0, "revenue_cents"), (1, "prev_cents")):
        year = by_year[k] if k in by_year else pd.Series(dtype="int64")
        out[column] = year.reindex(out.index, fill_value=0).astype("int64")
    out["revenue"] = out["revenue_cents"] / 100
    out["revenue_prev"] = out["prev_cents"] / 100
    margin = (in_p["amount"] - in_p["cost"]).groupby(in_p["customer"]).sum()
    out["gross_margin"] = (
        margin.reindex(out.index, fill_value=0) / 100 if data.with_cost else np.nan
    )
    count = (
        in_p.groupby("customer")["invoice"].nunique()
        if data.with_invoice
        else (in_p.groupby("customer").size())
    )
    out["invoices"] = count.reindex(out.index, fill_value=0).astype("int64")
    out["first_date"] = lines.groupby("customer")["day"].min().reindex(out.index)
    out["last_date"] = lines.groupby("customer")["day"].max().reindex(out.index)
    bought = by_year.gt(0).reindex(out.index, fill_value=False)
    out["years_active"] = bought.sum(axis=1).astype("int64")
    out["years_in_a_row"] = [_run_from_p(bought.loc[c]) for c in out.index]
    out["bought_before_prev"] = [
        bool(bought.loc[c, [k for k in bought if k >= 2]].any()) for c in out.index
    ]
    _payment(out, in_p)
    return out


def _run_from_p(bought: pd.Series) -> int:
    run = 0
    while bought.get(run, False):
        run += 1
    return run


def _payment(out: pd.DataFrame, in_p: pd.DataFrame) -> None:
    """Days to pay and days late, weighted by amount, over paid lines with amount > 0."""
    paid = in_p[(in_p["amount"] > 0) & in_p["paid"].notna()]
    weight = paid.groupby("customer")["amount"].sum()
    to_pay = (paid["amount"] * (paid["paid"] - paid["day"]).dt.days).groupby(paid["customer"])
    out["days_to_pay"] = (to_pay.sum() / weight).reindex(out.index)
    due = paid[paid["due"].notna()]
    late = (due["amount"] * (due["paid"] - due["due"]).dt.days).groupby(due["customer"]).sum()
    out["days_late_due"] = (late / due.groupby("customer")["amount"].sum()).reindex(out.index)


def reference_table(data: Dataset) -> pd.DataFrame:
    """One row per customer active in P or P-1 or in the customer file, by revenue."""
    out = _per_customer(data)
    file = pd.DataFrame(
        [vars(r) for r in data.file or []], columns=["customer", "hours", "rate", "other", "term"]
    )
    file = file.set_index("customer").reindex(out.index).astype("float64")
    out["hours"] = file["hours"]
    out["hourly_rate"] = file["rate"].fillna(DEFAULT_RATE).where(file["hours"].notna())
    out["other_costs"] = file["other"] / 100
    out["payment_term_days"] = file["term"]
    out["cost_to_serve"] = (out["hours"] * out["hourly_rate"]).fillna(0) + out[
        "other_costs"
    ].fillna(0)
    if data.file is None:  # no customer file: hours, and so cost to serve, unknown
        out["cost_to_serve"] = np.nan
    out["contribution"] = out["gross_margin"] - out["cost_to_serve"]
    out["days_late"] = out["days_late_due"].fillna(out["days_to_pay"] - out["payment_term_days"])
    out["status"] = [_status(r) for r in out.itertuples()]
    out["size_class"] = np.select(
        [out["revenue"] >= LARGE_FROM, out["revenue"] >= MEDIUM_FROM], ["large", "medium"], "small"
    )
    out["revenue_change"] = out["revenue"] - out["revenue_prev"]
    out["revenue_change_pct"] = (out["revenue"] / out["revenue_prev"] - 1).where(
        out["revenue_prev"] > 0
    )
    out["margin_pct"] = (out["gross_margin"] / out["revenue"]).where(out["revenue"] > 0)
    out = out.rename_axis("customer").reset_index()
    out = out.sort_values(["revenue_cents", "customer"], ascending=[False, True], ignore_index=True)
    _concentration(out)
    _whale(out)
    return out


def _status(r) -> str:
    if r.revenue_cents > 0:
        if r.prev_cents > 0:
            return "retained"
        return "reactivated" if r.bought_before_prev else "new"
    return "lost" if r.prev_cents > 0 else "inactive"


def _concentration(out: pd.DataFrame) -> None:
    """Share, rank, cumulative share; the Pareto group in exact cents (out is sorted).

    Shares are of the revenue of C(P) (revenue above zero), the summary's total; the
    cumulative share only for C(P)'s customers, who come first in the sorted table."""
    buying = out["revenue_cents"].clip(lower=0)
    total = buying.sum()
    out["rank"] = np.arange(1, len(out) + 1)
    out["revenue_share"] = out["revenue_cents"] / total if total else np.nan
    cumulative = buying.cumsum() / total if total else np.nan
    out["cumulative_share"] = pd.Series(cumulative, index=out.index).where(buying > 0)
    # the fewest top customers of C(P) that together bring 80 % of C(P)'s revenue
    reached = (buying.cumsum() * 10 >= 8 * buying.sum()).to_numpy()
    size = int(reached.argmax()) + 1 if buying.sum() > 0 else 0
    out["pareto_group"] = (out.index < size) & (out["revenue_cents"] > 0)


def _whale(out: pd.DataFrame) -> None:
    order = out.assign(_c=out["contribution"].fillna(-np.inf)).sort_values(
        ["_c", "customer"], ascending=[False, True]
    )
    out.loc[order.index, "contribution_rank"] = np.arange(1, len(out) + 1)
    # no rank and no running sum where the contribution is unknown (no cost price)
    known = out["contribution"].notna()
    out["contribution_rank"] = out["contribution_rank"].where(known).astype("Int64")
    cumulative = order["contribution"].cumsum()
    out["cumulative_contribution"] = cumulative.reindex(out.index).where(known)
    total = out["contribution"].sum()
    out["cumulative_contribution_share"] = (
        out["cumulative_contribution"] / total if total > 0 else np.nan
    )


def _known(value: float) -> float | None:
    """A sum over unknown values is unknown (None), never 0."""
    return None if pd.isna(value) else value


def reference_summary(table: pd.DataFrame) -> dict:
    """The portfolio figures of docs/method.md from the reference table."""
    buying = table.loc[table["revenue_cents"] > 0, "revenue_cents"].sort_values(ascending=False)
    n = len(buying)
    top = -(-n // 5)  # ceil(20 % of the customers)
    with_margin = table["gross_margin"].notna().any()
    before = table[table["prev_cents"] > 0]
    base = before["prev_cents"].sum()
    kept = np.minimum(before["revenue_cents"].clip(lower=0), before["prev_cents"])
    contribution = table["contribution"].dropna().sort_values(ascending=False)
    peak = contribution.cumsum().max() if len(contribution) else None
    status = table["status"].value_counts()
    return {
        "customers": n,
        "revenue": table["revenue_cents"].sum() / 100,
        "gross_margin": table["gross_margin"].sum() if with_margin else None,
        "cost_to_serve": _known(table["cost_to_serve"].sum(min_count=1)),
        "contribution": _known(table["contribution"].sum(min_count=1)) if with_margin else None,
        "top20_revenue_share": buying.iloc[:top].sum() / buying.sum() if n else None,
        "customers_for_80pct_revenue_share": table["pareto_group"].sum() / n if n else None,
        "whale_peak_contribution": peak,
        "whale_peak_share": peak / contribution.sum()
        if peak is not None and contribution.sum() > 0
        else None,
        "customer_retention": (before["revenue_cents"] > 0).mean() if len(before) else None,
        "net_revenue_retention": before["revenue_cents"].sum() / base if base else None,
        "gross_revenue_retention": kept.sum() / base if base else None,
        "new_customers": int(status.get("new", 0) + status.get("reactivated", 0)),
        "reactivated_customers": int(status.get("reactivated", 0)),
        "lost_customers": int(status.get("lost", 0)),
    }


# --- the comparison ------------------------------------------------------------------

MONEY = [
    "revenue",
    "revenue_prev",
    "revenue_change",
    "gross_margin",
    "cost_to_serve",
    "contribution",
    "cumulative_contribution",
    "hours",
    "hourly_rate",
    "other_costs",
]
FRACTIONS = [
    "revenue_share",
    "cumulative_share",
    "margin_pct",
    "revenue_change_pct",
    "cumulative_contribution_share",
    "days_to_pay",
    "days_late",
    "payment_term_days",
]
EXACT = [
    "customer",
    "rank",
    "pareto_group",
    "size_class",
    "invoices",
    "status",
    "years_active",
    "years_in_a_row",
]
RANKS = ["contribution_rank"]  # whole numbers, empty where the contribution is unknown


def _assert_close(got, want, column: str, tolerance: dict) -> None:
    got = np.asarray(pd.to_numeric(got, errors="coerce"), dtype="float64")
    want = np.asarray(pd.to_numeric(want, errors="coerce"), dtype="float64")
    assert np.array_equal(np.isnan(got), np.isnan(want)), f"{column}: {got} != {want}"
    np.testing.assert_allclose(got, want, **tolerance, equal_nan=True, err_msg=column)


def _assert_tables_equal(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert len(got) == len(want)
    for column in EXACT:
        assert list(got[column]) == list(want[column]), column
    for column in MONEY:
        _assert_close(got[column], want[column], column, {"atol": 1e-6, "rtol": 0})
    for column in FRACTIONS:
        _assert_close(got[column], want[column], column, {"atol": 1e-9, "rtol": 1e-9})
    for column in RANKS:
        _assert_close(got[column], want[column], column, {"atol": 0, "rtol": 0})
    for column in ("first_date", "last_date"):
        assert list(pd.to_datetime(got[column])) == list(want[column]), column
    assert list(got["customer_name"]) == [_name(c) for c in want["customer"]]


def _assert_summaries_equal(got: dict, want: dict) -> None:
    for key, value in want.items():
        if value is None or isinstance(got[key], (int, np.integer)):
            assert got[key] == value, key
        elif key in (
            "revenue",
            "gross_margin",
            "cost_to_serve",
            "contribution",
            "whale_peak_contribution",
        ):
            assert got[key] == pytest.approx(round(value, 2), abs=1e-6), key
        else:
            assert got[key] == pytest.approx(value, abs=1e-9, rel=1e-9), key


def _line(customer: str, day: str, euro: int) -> Line:
    when = dt.date.fromisoformat(day)
    return Line(customer, when, euro * 100, euro * 60, "F001", None, None)


# A lost customer's credit note in P: C(P) brings 1.000, 80 % is 800, so K01 (after 700)
# is in the Pareto group, though it is not when 80 % is taken of the net 800.
LOST_WITH_CREDIT_NOTE = Dataset(
    [
        _line("K00", "2025-03-01", 700),
        _line("K01", "2025-04-01", 300),
        _line("K02", "2024-05-01", 500),
        _line("K02", "2025-02-01", -200),
    ],
    None,
    True,
    False,
    False,
    False,
    calendar_year(2025),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(data=LOST_WITH_CREDIT_NOTE)
@given(data=datasets())
def test_customer_table_and_summary_equal_the_pandas_reference(data: Dataset):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        lines_file, customers_file = _write(data, folder)
        con = connect(folder)
        try:
            imp = read_invoice_lines(con, lines_file, folder / "staging")
            assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (len(data.lines),) * 2 + (
                0,
            )
            customers = None
            if customers_file is not None:
                customers = read_customer_file(con, customers_file, folder / "staging")
                assert customers.rows_rejected == 0
            tables = Tables(imp.table, customers.table if customers else None)
            got = customer_table(con, tables, data.period)
        finally:
            con.close()
    want = reference_table(data)
    _assert_tables_equal(got, want)
    summary = portfolio_summary(got, data.period)
    _assert_summaries_equal(summary, reference_summary(want))
    # the table and the summary tell the same story
    if summary["customers"]:
        assert got["pareto_group"].sum() == round(
            summary["customers_for_80pct_revenue_share"] * summary["customers"]
        )
        assert got["cumulative_share"].max() <= 1 + 1e-12  # never past 100 %
        # both Pareto curves count the customers of C(P), those of the summary
        for column in ("revenue", "contribution"):
            if got[column].notna().any():
                assert pareto_curve(got, column)["customers"].sum() == summary["customers"]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label())
def test_reference_years_back_are_the_products_periods(period: Period):
    days = pd.Series(pd.date_range(FIRST_DAY, period.end, freq="D"))
    expected = [next(k for k in range(60) if period.previous(k).start <= d.date()) for d in days]
    assert list(_years_back(days, period)) == expected
