"""What rests on an estimate or an assumption: estimated gross margin (where it came from,
how much of the portfolio it covers) and hours read for another period than their own.

An export without cost price leaves margin and contribution unknown. The user may give
an estimate (an average margin, a file of margins or cost prices per product, a margin
column in the customer file); ``metrics.margin_sql`` applies it to the lines without a
cost price of their own. Every figure built on it must say so: ``describe`` is that line.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from portfolio.config import thresholds
from portfolio.formatting import number, percent
from portfolio.i18n import t
from portfolio.ingest.columns import split_year
from portfolio.periods import Period


def average_margin(chosen: float | None) -> float | None:
    """The average gross margin assumed for lines without cost price: the one chosen for
    the dataset (import page, ``--margin``), else ``margin_estimate.average_margin_pct`` of
    config/thresholds.yaml (None: no average, the margin stays unknown)."""
    return chosen if chosen is not None else thresholds().margin_estimate.average_margin_pct


def sources(meta: dict, average: float | None, lang: str = "nl") -> list[str]:
    """The estimates a saved dataset uses, each in words (``meta``: its meta.json)."""
    files = meta.get("files") or {}
    found = []
    if "margin_pct" in ((files.get("customers") or {}).get("mapping") or {}):
        column = files["customers"]["mapping"]["margin_pct"]
        found.append(
            t("est.customer_file", lang, column=column, file=files["customers"].get("file", ""))
        )
    if products := files.get("products"):
        found.append(
            t(
                "est.products",
                lang,
                file=products.get("file", ""),
                n=number(products.get("rows_used"), lang),
            )
        )
    if average is not None:
        found.append(t("est.average", lang, pct=percent(average, lang, 1)))
    return found


def estimated_revenue(table: pd.DataFrame) -> tuple[int, float]:
    """(customers, share of revenue) of the customers with revenue whose gross margin is
    partly or wholly estimated."""
    if "margin_estimated" not in table or table.empty:
        return 0, 0.0
    active = table[table["revenue"] > 0]
    estimated = active[active["margin_estimated"].fillna(False).astype(bool)]
    total = active["revenue"].sum()
    return len(estimated), (estimated["revenue"].sum() / total) if total > 0 else 0.0


def describe(
    meta: dict, average: float | None, table: pd.DataFrame, lang: str = "nl"
) -> str | None:
    """One line for every page that shows margin or contribution: which part is an
    estimate and on what it rests; None when nothing is estimated."""
    customers, share = estimated_revenue(table)
    if not customers:
        return None
    return t(
        "est.note",
        lang,
        share=percent(share, lang, 0),
        n=number(customers, lang),
        sources="; ".join(sources(meta, average, lang)),
    )


def hours_note(meta: dict, period: Period, lang: str = "nl") -> str | None:
    """The customer file's hours count as the hours of the period shown (cost to serve is
    hours × rate in P). When the file names another year ("Uren 2025") or the
    period is not a year, that is an assumption: one line says so; None otherwise."""
    customers = (meta.get("files") or {}).get("customers") or {}
    column = (customers.get("mapping") or {}).get("hours")
    if not column:
        return None
    _base, year = split_year(column)
    label = period.label()
    if year is not None:
        if period.start == date(year, 1, 1) and period.end == date(year, 12, 31):
            return None
        return t("est.hours_other_year", lang, column=column, year=year, period=label)
    if period.months == 12:
        return None
    return t("est.hours_not_a_year", lang, column=column, period=label)


def product_coverage(con, lines: str, products: str, top: int = 5) -> tuple[float | None, list]:
    """How far a product file reaches: (share of the amount on lines without cost price
    whose product it estimates, the ``top`` products it misses by amount). None when no
    line lacks a cost price. A cost price per unit reaches only lines with a quantity."""
    rows = con.execute(f"""
        WITH open AS (
            SELECT abs(l.amount) AS amount, l.product,
                   p.margin_pct IS NOT NULL OR (p.unit_cost IS NOT NULL
                                                AND l.quantity IS NOT NULL) AS covered
            FROM {lines} l LEFT JOIN {products} p
                 ON p.product_key = lower(trim(CAST(l.product AS VARCHAR)))
            WHERE l.cost IS NULL)
        SELECT product, sum(amount) AS amount, bool_or(covered) AS covered
        FROM open GROUP BY ALL ORDER BY amount DESC""").fetchall()
    total = sum(float(r[1] or 0) for r in rows)
    if not rows or total == 0:
        return None, []
    covered = sum(float(r[1] or 0) for r in rows if r[2])
    missing = [r[0] for r in rows if not r[2]][:top]
    return covered / total, missing
