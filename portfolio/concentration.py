"""Where revenue and profit come from: the Pareto curve and the whale curve, chart-sized.

Both take the per-customer table (one row per customer) and return at most
about ``max_points`` rows, whatever the number of customers: a browser cannot
draw 50,000 bars, and a person cannot read them. The largest customers keep a
row each; the tail is grouped into buckets of equal size, and every bucket says
how many customers it holds, so a chart can tell the reader what was grouped.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

# rows per curve: two or three pixels a bar on a screen-wide chart. Streamlit draws Vega
# charts as SVG, one element per bar: at 1,000 bars the overview's two Pareto charts added
# 2,200 elements to the page on every period change (~100 ms of the browser's time)
MAX_POINTS = 400
KEEP_SINGLE = 150  # the largest customers always keep a bar of their own


def pareto_curve(
    table: pd.DataFrame, column: str = "revenue", max_points: int = MAX_POINTS
) -> pd.DataFrame:
    """The customers of C(P) (revenue above zero) by ``column`` (revenue or contribution),
    largest first; one row per bar.

    Both curves count the same customers, those of the summary's top-20 % and 80 %
    figures: a lost customer's credit note or a customer only in the customer file has
    no revenue in P and is no part of the Pareto of P, whichever the measure.

    Columns: first_rank, last_rank (1-based, inclusive), customers (in the bar),
    customer_name (only for a bar of one customer), value (sum of ``column`` in the bar,
    euro), value_per_customer (its mean), customer_share (share of customers up to the
    bar's last customer, 0–1), cumulative_share (share of the total up to it, 0–1; None
    when the total is not positive). Customers without a value are left out.
    """
    data = table.loc[table["revenue"] > 0, ["customer_name", column]].dropna(subset=[column])
    data = data.sort_values(column, ascending=False, kind="stable")
    values = data[column].to_numpy(dtype=float)
    n = len(values)
    total = values.sum()
    ends = _bucket_ends(n, max_points)
    starts = np.concatenate([[0], ends[:-1]]) if n else ends
    sums = np.add.reduceat(values, starts) if n else np.array([])
    cumulative = values.cumsum()[ends - 1] if n else np.array([])
    counts = ends - starts
    names = data["customer_name"].to_numpy()
    labels = [names[s] if c == 1 else None for s, c in zip(starts, counts, strict=True)]
    return pd.DataFrame(
        {
            "first_rank": starts + 1,
            "last_rank": ends,
            "customers": counts,
            "customer_name": labels,
            "value": sums,
            "value_per_customer": sums / np.maximum(counts, 1),
            "customer_share": ends / n if n else ends,
            "cumulative_share": cumulative / total if total > 0 else None,
        }
    )


def _bucket_ends(n: int, max_points: int) -> np.ndarray:
    """End index (exclusive) of each bucket: single customers first, then equal buckets."""
    if n <= max_points:
        return np.arange(1, n + 1)
    single = min(KEEP_SINGLE, max_points // 2)
    size = math.ceil((n - single) / (max_points - single))
    tail = np.arange(single + size, n + size, size)
    return np.concatenate([np.arange(1, single + 1), np.minimum(tail, n)])


def customers_for_share(curve: pd.DataFrame, share: float) -> float | None:
    """Share of customers (0–1) at which the cumulative share first reaches ``share``."""
    if curve.empty or curve["cumulative_share"].isna().all():
        return None
    reached = curve[curve["cumulative_share"] >= share - 1e-12]
    return float(reached["customer_share"].iloc[0]) if len(reached) else 1.0


def exact_customers_for_share(table: pd.DataFrame, column: str, share: float) -> float | None:
    """``customers_for_share`` on the curve with a row per customer: what the sentence
    above a chart says, exact however coarsely the chart groups the tail."""
    curve = pareto_curve(table, column, max_points=max(len(table), 1))
    return customers_for_share(curve, share)


def whale_curve(table: pd.DataFrame, max_points: int = MAX_POINTS) -> pd.DataFrame:
    """Cumulative contribution against the share of customers, best customers first.

    One row per point, starting at (0, 0): customer_share (0–1), cumulative_contribution
    (euro), cumulative_share (of total contribution, 0–1; None when the total is not
    positive), is_peak (the highest point: how much the loss makers give away after it).
    The peak and the end point are always kept when the curve is thinned.
    """
    contribution = table["contribution"].dropna().sort_values(ascending=False, kind="stable")
    values = contribution.to_numpy(dtype=float)
    n = len(values)
    cumulative = np.concatenate([[0.0], values.cumsum()])
    share = np.arange(n + 1) / n if n else np.array([0.0])
    keep = np.unique(np.linspace(0, n, min(n + 1, max_points)).round().astype(int))
    peak = int(cumulative.argmax())
    keep = np.union1d(keep, [peak, n])
    total = cumulative[-1]
    return pd.DataFrame(
        {
            "customer_share": share[keep],
            "cumulative_contribution": cumulative[keep],
            "cumulative_share": cumulative[keep] / total if total > 0 else None,
            "is_peak": keep == peak,
        }
    )
