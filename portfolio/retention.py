"""The retention factor per period (seed 002): which customers keep buying, period after period.

For every period P of the history (same length as the analysis period, back to
the first date in the data): customers in C(P), new and lost ones, customer
retention, net and gross revenue retention from P-1 to P. The formulas are
those of ``summary.retention``; this module only lays the periods side by side.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from portfolio.metrics import Tables, data_range, period_case
from portfolio.periods import Period, history
from portfolio.summary import retention


def revenue_by_period(con: duckdb.DuckDBPyConnection, tables: Tables, period: Period):
    """(periods, frame): one row per customer, one column per period index k (0 = P), euro."""
    first, _last = data_range(con, tables)
    periods = history(period, first) if first else [period]
    frame = con.execute(
        f"""SELECT customer, k, CAST(sum(amount) AS DOUBLE) AS revenue
            FROM (SELECT customer, amount, {period_case(periods)} AS k FROM {tables.lines})
            WHERE k IS NOT NULL GROUP BY ALL"""
    ).df()
    wide = frame.pivot_table(index="customer", columns="k", values="revenue", fill_value=0.0)
    return periods, wide.reindex(columns=range(len(periods)), fill_value=0.0)


def retention_by_period(
    con: duckdb.DuckDBPyConnection, tables: Tables, period: Period
) -> pd.DataFrame:
    """One row per period, newest first: period_start, period_end, customers, revenue,
    new_customers, lost_customers, customer_retention, net_revenue_retention,
    gross_revenue_retention (fractions 0–1; None for the oldest period, which has no P-1).
    """
    periods, wide = revenue_by_period(con, tables, period)
    rows = []
    for k, p in enumerate(periods):
        current = wide[k]
        previous = wide[k + 1] if k + 1 < len(periods) else None
        row = {
            "period_start": p.start,
            "period_end": p.end,
            "customers": int((current > 0).sum()),
            "revenue": round(float(current.sum()), 2),
        }
        if previous is None:
            row |= dict.fromkeys(
                ("new_customers", "lost_customers", "customer_retention",
                 "net_revenue_retention", "gross_revenue_retention")
            )  # fmt: skip
        else:
            pair = pd.DataFrame({"revenue": current, "revenue_prev": previous})
            row |= {
                "new_customers": int(((current > 0) & (previous <= 0)).sum()),
                "lost_customers": int(((previous > 0) & (current <= 0)).sum()),
                **retention(pair),
            }
        rows.append(row)
    return pd.DataFrame(rows).astype({"new_customers": "Int64", "lost_customers": "Int64"})
