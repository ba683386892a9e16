"""Portfolio-level figures for one period: size, concentration, profit, retention.

Computed from the per-customer table (one row per customer, small enough for
pandas). C(P) is the set of customers whose net revenue in P is above zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import pandas as pd

from portfolio.config import thresholds
from portfolio.periods import Period


def _ratio(numerator: float, denominator: float) -> float | None:
    return float(numerator / denominator) if denominator else None


def concentration(revenue: pd.Series, top_share: float, target_share: float) -> tuple:
    """(revenue share of the top ``top_share`` customers, share of customers for ``target_share``).

    ``revenue``: revenue of the customers in C(P). Shares are of total revenue.
    The top group is ceil(top_share × n) customers, so at least ``top_share``.
    """
    ordered = revenue.sort_values(ascending=False).to_numpy()
    n, total = len(ordered), ordered.sum()
    if n == 0 or total <= 0:
        return None, None
    top = ordered[: math.ceil(top_share * n - 1e-9)].sum() / total
    cumulative = ordered.cumsum() / total
    needed = int((cumulative < target_share - 1e-12).sum()) + 1
    return float(top), min(needed, n) / n


class RetentionRates(TypedDict):
    customer_retention: float | None  # share of P-1's buying customers who buy in P
    net_revenue_retention: float | None  # their revenue in P against P-1
    gross_revenue_retention: float | None  # the same, each capped at its own P-1 revenue


class Summary(RetentionRates):
    """The portfolio's figures for a period: money in euro rounded to cents (None:
    unknown, never 0), shares as fractions 0–1, counts as ints, dates as ISO text."""

    customers: int
    revenue: float | None
    gross_margin: float | None
    cost_to_serve: float | None
    contribution: float | None
    top20_revenue_share: float | None
    customers_for_80pct_revenue_share: float | None
    whale_peak_contribution: float | None
    whale_peak_share: float | None
    new_customers: int
    reactivated_customers: int
    lost_customers: int
    period_start: str
    period_end: str


def retention_rates(table: pd.DataFrame) -> RetentionRates:
    """Customer, net revenue and gross revenue retention from P-1 to P (docs/method.md)."""
    # the two columns only: a filtered copy of the whole table costs more than the figures
    before = table.loc[table["revenue_prev"] > 0, ["revenue", "revenue_prev"]]
    base = before["revenue_prev"].sum()
    kept = before[before["revenue"] > 0]
    # gross retention keeps no more than last period's revenue and never less than nothing:
    # a lost customer's net credit notes in P do not count against it twice
    kept_revenue = np.minimum(before["revenue"].clip(lower=0), before["revenue_prev"])
    return {
        "customer_retention": _ratio(len(kept), len(before)),
        "net_revenue_retention": _ratio(before["revenue"].sum(), base),
        "gross_revenue_retention": _ratio(kept_revenue.sum(), base),
    }


def whale_peak(table: pd.DataFrame) -> tuple[float | None, float | None]:
    """Peak of cumulative contribution (euro) and as a share of total contribution.

    The share is only meaningful while total contribution is positive.
    """
    contribution = table["contribution"].dropna().sort_values(ascending=False)
    if contribution.empty:
        return None, None
    peak = float(contribution.cumsum().max())
    total = float(contribution.sum())
    return peak, (peak / total if total > 0 else None)


def portfolio_summary(table: pd.DataFrame, period: Period) -> Summary:
    """The portfolio's figures for ``period`` from the per-customer ``table``.

    Money in euro rounded to cents, shares as fractions 0–1, counts as ints.
    """
    cfg = thresholds().pareto
    active = table.loc[table["revenue"] > 0, "revenue"]
    top, needed = concentration(active, cfg.top_customer_share, cfg.revenue_share)
    peak, peak_share = whale_peak(table)
    margin = known_total(table["gross_margin"])
    contribution = known_total(table["contribution"])
    status = table["status"].value_counts()
    return {
        "customers": int(len(active)),
        "revenue": _money(table["revenue"].sum()),
        "gross_margin": _money(margin),
        "cost_to_serve": _money(known_total(table["cost_to_serve"])),  # unknown: no hours
        "contribution": _money(contribution),
        "top20_revenue_share": top,
        "customers_for_80pct_revenue_share": needed,
        "whale_peak_contribution": _money(peak),
        "whale_peak_share": peak_share,
        **retention_rates(table),
        "new_customers": int(status.get("new", 0) + status.get("reactivated", 0)),
        "reactivated_customers": int(status.get("reactivated", 0)),
        "lost_customers": int(status.get("lost", 0)),
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
    }


MEASURES = ("revenue", "gross_margin", "contribution")  # the money totals every page shows


def known_total(values: pd.Series) -> float:
    """The sum of ``values``; NaN when one of them is unknown (no cost price or hours for
    that customer) or there are none: a total of the known customers alone would pass for
    the whole portfolio."""
    return values.sum(skipna=False, min_count=1)


def _money(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return round(float(value) + 0.0, 2)


@dataclass(frozen=True)
class Others:
    """The customers without revenue in the period (net revenue zero or below) whose
    figures still count in the portfolio's totals: a credit note, cost to serve from the
    customer file. ``None``: unknown for one of them."""

    count: int
    revenue: float
    gross_margin: float | None
    contribution: float | None


def without_revenue(table: pd.DataFrame) -> Others:
    """The customers outside "the customers" of the period (those with revenue) whose
    revenue, gross margin or contribution is not zero. The overview's totals include them;
    segments, scenarios and the five steps count only the customers with revenue, so every
    total that differs says so with these."""
    others = table[~(table["revenue"] > 0)]
    figures = others[list(MEASURES)].fillna(0.0).round(2)
    others = others[(figures != 0).any(axis=1)]
    return Others(
        len(others),
        float(others["revenue"].sum()),
        _money(known_total(others["gross_margin"])),
        _money(known_total(others["contribution"])),
    )


def contribution_unknown_because(table: pd.DataFrame) -> str | None:
    """Why no customer has a contribution: "cost" (the lines have no cost price, so no
    gross margin) or "hours" (no customer file, so no cost to serve); None when known."""
    if table["contribution"].notna().any():
        return None
    return "cost" if table["gross_margin"].isna().all() else "hours"
