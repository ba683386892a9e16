"""The retention factor per period: which customers keep buying, period after period.

For every period P of the history (same length as the analysis period, back to
the first date in the data): customers in C(P), new and lost ones, customer
retention, net and gross revenue retention from P-1 to P. The formulas are
those of ``summary.retention``; this module only lays the periods side by side.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from portfolio.i18n import t
from portfolio.metrics import Tables, data_range, period_case, period_params
from portfolio.periods import Period, history
from portfolio.summary import retention_rates


def period_label(start: date, end: date, lang: str = "nl") -> str:
    """A short name of the period ``start``–``end`` (both inclusive) for a chart's axis,
    one per period: a calendar year is "2024"; whole calendar months "jun 2024",
    "jan–jun 2024" or "jul 2023 – jun 2024"; any other span "5–20 mrt 2024",
    "5 jan – 20 mrt 2024" or "18 nov 2024 – 17 nov 2025". Month names in ``lang``, so an
    English reader cannot take 03-05 for the fifth of March. Both dates can be read back
    from every label: the periods of a history, which never overlap, never share one.
    """
    names = t("ret.months", lang).split()

    def month(d: date) -> str:
        return f"{names[d.month - 1]} {d.year}"

    def day(d: date) -> str:
        return f"{d.day} {month(d)}"

    if start.day == 1 and (end + timedelta(days=1)).day == 1:  # whole calendar months
        if start.month == 1 and end.month == 12:
            years = (start.year, end.year)
            return str(start.year) if years[0] == years[1] else "{}–{}".format(*years)
        if (start.year, start.month) == (end.year, end.month):
            return month(start)
        if start.year == end.year:
            return f"{names[start.month - 1]}–{month(end)}"
        return f"{month(start)} – {month(end)}"
    if start == end:
        return day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day(end)}"
    if start.year == end.year:
        return f"{start.day} {names[start.month - 1]} – {day(end)}"
    return f"{day(start)} – {day(end)}"


def revenue_by_period(con: duckdb.DuckDBPyConnection, tables: Tables, period: Period):
    """(periods, frame): one row per customer, one column per period index k (0 = P), euro."""
    first, _last = data_range(con, tables)
    periods = history(period, first) if first else [period]
    frame = con.execute(
        f"""SELECT customer, k, CAST(sum(amount) AS DOUBLE) AS revenue
            FROM (SELECT customer, amount, {period_case(periods)} AS k FROM {tables.lines})
            WHERE k IS NOT NULL GROUP BY ALL""",
        period_params(periods),
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
                (
                    "new_customers",
                    "lost_customers",
                    "customer_retention",
                    "net_revenue_retention",
                    "gross_revenue_retention",
                )
            )
        else:
            pair = pd.DataFrame({"revenue": current, "revenue_prev": previous})
            row |= {
                "new_customers": int(((current > 0) & (previous <= 0)).sum()),
                "lost_customers": int(((previous > 0) & (current <= 0)).sum()),
                **retention_rates(pair),
            }
        rows.append(row)
    return pd.DataFrame(rows).astype({"new_customers": "Int64", "lost_customers": "Int64"})


def retention_flows(con: duckdb.DuckDBPyConnection, tables: Tables, period: Period) -> pd.DataFrame:
    """Customers and revenue per period split into retained, new and lost, oldest first.

    One row per period and flow: period_start, period_end, flow ("retained", "new",
    "lost"), customers, revenue (euro). Retained: bought in P-1 and P (revenue in P);
    new: bought in P, not in P-1; lost: bought in P-1, not in P (their P-1 revenue,
    what went away). The oldest period has no P-1 and is left out.
    """
    periods, wide = revenue_by_period(con, tables, period)
    rows = []
    for k in range(len(periods) - 2, -1, -1):
        current, previous = wide[k], wide[k + 1]
        groups = {
            "retained": ((current > 0) & (previous > 0), current),
            "new": ((current > 0) & (previous <= 0), current),
            "lost": ((previous > 0) & (current <= 0), previous),
        }
        for flow, (mask, revenue) in groups.items():
            rows.append(
                {
                    "period_start": periods[k].start,
                    "period_end": periods[k].end,
                    "flow": flow,
                    "customers": int(mask.sum()),
                    "revenue": round(float(revenue[mask].sum()), 2),
                }
            )
    columns = ["period_start", "period_end", "flow", "customers", "revenue"]
    return pd.DataFrame(rows, columns=columns)


def cohort_table(con: duckdb.DuckDBPyConnection, tables: Tables) -> pd.DataFrame:
    """Revenue per cohort (the calendar year of a customer's first invoice) and year.

    One row per cohort and year: cohort, year, customers (with revenue above zero that
    year), revenue (euro), kept (revenue / the cohort's revenue in its first year, 0–1;
    None when that was not positive).
    """
    frame = con.execute(
        f"""WITH firsts AS (SELECT customer, year(min(invoice_date)) AS cohort
                           FROM {tables.lines} GROUP BY customer),
                 yearly AS (SELECT customer, year(invoice_date) AS year,
                                   CAST(sum(amount) AS DOUBLE) AS revenue
                            FROM {tables.lines} GROUP BY ALL)
            SELECT cohort, year, count(*) FILTER (WHERE revenue > 0) AS customers,
                   round(sum(revenue), 2) AS revenue
            FROM yearly JOIN firsts USING (customer) GROUP BY ALL ORDER BY cohort, year"""
    ).df()
    first = frame[frame["year"] == frame["cohort"]].set_index("cohort")["revenue"]
    base = frame["cohort"].map(first)
    frame["kept"] = (frame["revenue"] / base).where(base > 0)
    return frame
