"""Splitting the portfolio into segments (domain.md section 2), from the per-customer table.

Every scheme is a pure function of the table (one row per customer, as
``metrics.customer_table`` makes it) and its rules, and returns one row per
customer segmented: the customers with revenue in the period. Customers
without revenue in P (lost ones, or only in the customer file) are left out:
there is nothing in P to judge them by.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from portfolio.config import FitRules, GridRules

GRID_QUESTIONS = ("margin", "cashflow", "innovation", "network")
SIZES = ("small", "medium", "large")
FIT_CODES = (1, 2, 3)


def segmented_customers(table: pd.DataFrame) -> pd.DataFrame:
    """The customers a scheme judges: those with revenue above zero in the period."""
    return table[table["revenue"] > 0]


def size_classes(revenue: pd.Series, medium_from: float, large_from: float) -> pd.Series:
    """Seed 001: small, medium or large by revenue in the period; the bounds are the user's."""
    return pd.Series(
        np.select([revenue >= large_from, revenue >= medium_from], ["large", "medium"], "small"),
        index=revenue.index,
    )


def grid_answers(table: pd.DataFrame, rules: GridRules) -> pd.DataFrame:
    """Seed 001's four questions per customer, True when answered positively.

    margin: margin % at least ``margin_pct_from``, or contribution per hour spent at
    least ``contribution_per_hour_from``; cashflow: on average at most ``days_late_max``
    days late; innovation and network: score at least the rule. Missing data (no cost
    price, no payment dates, no scores) answers no: the question is not answered
    positively.
    """
    per_hour = table["contribution"] / table["hours"].where(table["hours"] > 0)
    return pd.DataFrame(
        {
            "margin": (table["margin_pct"] >= rules.margin_pct_from)
            | (per_hour >= rules.contribution_per_hour_from),
            "cashflow": table["days_late"] <= rules.days_late_max,
            "innovation": table["innovation"] >= rules.innovation_from,
            "network": table["network"] >= rules.network_from,
        },
        index=table.index,
    ).fillna(False)


def grid_segments(
    table: pd.DataFrame, rules: GridRules, medium_from: float, large_from: float
) -> pd.DataFrame:
    """Seed 001, revenue × qualities: one row per segmented customer.

    Columns: customer, customer_name, size_class, the four answers (bool), score (0–4),
    segment ("A", "B", "C") and channel. A customer is A when the score reaches
    ``a_from`` for its size, else B when it reaches ``b_from``, else C; with ``b_from``
    0 for large customers, those are always at least B, as the seed says.
    """
    active = segmented_customers(table)
    answers = grid_answers(active, rules)
    size = size_classes(active["revenue"], medium_from, large_from)
    score = answers[list(GRID_QUESTIONS)].sum(axis=1).astype(int)
    segment = cell_segments(size, score, rules)
    out = pd.DataFrame(
        {"customer": active["customer"], "customer_name": active["customer_name"],
         "size_class": size, **{q: answers[q] for q in GRID_QUESTIONS}, "score": score,
         "segment": segment},
        index=active.index,
    )  # fmt: skip
    out["channel"] = out["segment"].map(rules.channels)
    return out


def cell_segments(size: pd.Series, score: pd.Series, rules: GridRules) -> np.ndarray:
    """The segment of each (size class, score) cell of the grid: A from ``a_from``, else
    B from ``b_from``, else C."""
    a_from, b_from = size.map(rules.a_from), size.map(rules.b_from)
    return np.select([score >= a_from, score >= b_from], ["A", "B"], "C")


def grid_cells(segments: pd.DataFrame, table: pd.DataFrame, rules: GridRules) -> pd.DataFrame:
    """The heat map of seed 001: one row per (size class, score) with its segment and
    the customers and revenue in it. All 15 cells, empty ones with zeros."""
    revenue = table.loc[segments.index, "revenue"]
    grouped = (
        segments.assign(revenue=revenue)
        .groupby(["size_class", "score"])
        .agg(customers=("customer", "size"), revenue=("revenue", "sum"))
    )
    cells = pd.MultiIndex.from_product([SIZES, range(5)], names=["size_class", "score"])
    out = grouped.reindex(cells, fill_value=0).reset_index()
    out["segment"] = cell_segments(out["size_class"], out["score"], rules)
    return out


def segment_summary(segments: pd.DataFrame, table: pd.DataFrame, column: str = "segment"):
    """Per segment: customers, revenue, gross margin, contribution and hours, each also
    as a share of the segmented total (fractions 0–1). One row per segment, sorted."""
    data = table.loc[segments.index, ["revenue", "gross_margin", "contribution", "hours"]]
    data = data.assign(segment=segments[column])
    out = data.groupby("segment").agg(
        customers=("revenue", "size"), revenue=("revenue", "sum"),
        gross_margin=("gross_margin", "sum"), contribution=("contribution", "sum"),
        hours=("hours", "sum"),
    )  # fmt: skip
    for measure in ("customers", "revenue", "gross_margin", "contribution", "hours"):
        total = out[measure].sum()
        out[f"{measure}_share"] = out[measure] / total if total else None
    return out.reset_index()


def fit_summary(table: pd.DataFrame, rules: FitRules) -> tuple[pd.DataFrame, bool]:
    """Seed 003: per fit code (1, 2, 3, and customers without one) the customers,
    revenue and hours, with their shares; and whether code 3 takes more of the hours
    than ``code3_hours_warning`` (the seed: 70 % of sales time went into code 3)."""
    active = segmented_customers(table)
    code = active["fit_code"].map(lambda c: int(c) if pd.notna(c) else 0)
    data = active.assign(code=code, hours=active["hours"].fillna(0.0))
    out = data.groupby("code").agg(
        customers=("revenue", "size"), revenue=("revenue", "sum"), hours=("hours", "sum")
    )
    out = out.reindex([*FIT_CODES, 0], fill_value=0)
    for measure in ("customers", "revenue", "hours"):
        total = out[measure].sum()
        out[f"{measure}_share"] = out[measure] / total if total else 0.0
    warn = bool(out.loc[3, "hours_share"] > rules.code3_hours_warning)
    return out.reset_index(), warn
