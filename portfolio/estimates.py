"""Estimated gross margin: where it came from and how much of the portfolio it covers.

An export without cost price leaves margin and contribution unknown. The user may give
an estimate (an average margin, a file of margins or cost prices per product, a margin
column in the customer file); ``metrics.margin_sql`` applies it to the lines without a
cost price of their own. Every figure built on it must say so: ``describe`` is that line.
"""

from __future__ import annotations

import pandas as pd

from portfolio.formatting import number, percent
from portfolio.i18n import t


def sources(meta: dict, average: float | None, lang: str = "nl") -> list[str]:
    """The estimates a saved dataset uses, each in words (``meta``: its meta.json)."""
    files = meta.get("files") or {}
    found = []
    if "margin_pct" in ((files.get("customers") or {}).get("mapping") or {}):
        column = files["customers"]["mapping"]["margin_pct"]
        found.append(t("est.customer_file", lang, column=column,
                       file=files["customers"].get("file", "")))  # fmt: skip
    if products := files.get("products"):
        found.append(t("est.products", lang, file=products.get("file", ""),
                       n=number(products.get("rows_used"), lang)))  # fmt: skip
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
    return t("est.note", lang, share=percent(share, lang, 0), n=number(customers, lang),
             sources="; ".join(sources(meta, average, lang)))  # fmt: skip
