"""The per-customer table as people read it: translated headers, values in their language.

One place that knows what kind of value each column of ``customer_table`` holds,
for the table on screen (texts) and for the download (numbers, headers translated).
"""

from __future__ import annotations

import pandas as pd

from portfolio.formatting import money_texts, number_texts, percent_texts
from portfolio.i18n import t

MONEY = (
    "revenue",
    "discount",
    "gross_margin",
    "hourly_rate",
    "other_costs",
    "cost_to_serve",
    "contribution",
    "cumulative_contribution",
    "revenue_prev",
    "revenue_change",
)
SHARES = (
    "revenue_share",
    "cumulative_share",
    "margin_pct",
    "discount_pct",
    "cumulative_contribution_share",
    "revenue_change_pct",
)
DECIMALS = ("hours", "days_to_pay", "days_late", "innovation", "network", "satisfaction")
COUNTS = (
    "rank",
    "invoices",
    "active_months",
    "contribution_rank",
    "years_active",
    "years_in_a_row",
    "payment_term_days",
    "fit_code",
)
DATES = ("first_date", "last_date")
# the order on screen: who, how much, what it earns, how it behaves
ORDER = (
    "customer",
    "customer_name",
    "segment",
    "revenue",
    "revenue_share",
    "rank",
    "cumulative_share",
    "pareto_group",
    "size_class",
    "gross_margin",
    "margin_pct",
    "margin_estimated",
    "hours",
    "cost_to_serve",
    "contribution",
    "contribution_rank",
    "cumulative_contribution_share",
    "revenue_prev",
    "revenue_change",
    "revenue_change_pct",
    "status",
    "invoices",
    "active_months",
    "discount",
    "discount_pct",
    "first_date",
    "last_date",
    "years_active",
    "years_in_a_row",
    "days_to_pay",
    "days_late",
    "payment_term_days",
    "hourly_rate",
    "other_costs",
    "cumulative_contribution",
    "innovation",
    "network",
    "satisfaction",
    "fit_code",
)
SORTABLE = (
    "revenue",
    "contribution",
    "gross_margin",
    "margin_pct",
    "cost_to_serve",
    "revenue_change",
    "revenue_change_pct",
    "days_late",
    "hours",
    "customer_name",
)


# who a list shows: the period's customers are the active ones (revenue in the period), as
# every total counts them; lost ones (bought in the period before, not now) and those
# without revenue (only in the customer file, or from earlier years) only when asked for
KINDS = ("active", "lost", "no_revenue", "all")


def of_kind(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The customers of ``kind`` (one of ``KINDS``) in ``customer_table``'s order."""
    active = table["revenue"] > 0
    if kind == "active":
        return table[active]
    if kind == "lost":
        return table[~active & (table["status"] == "lost")]
    if kind == "no_revenue":
        return table[~active & (table["status"] != "lost")]
    return table


def _columns(table: pd.DataFrame) -> list[str]:
    # "margin estimated: no" on every row of an export with cost prices says nothing
    estimated = "margin_estimated" in table and table["margin_estimated"].fillna(False).any()
    return [c for c in ORDER if c in table.columns and (c != "margin_estimated" or estimated)]


def _labelled(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Values that are words (status, size class, yes/no) in ``lang``."""
    out = table.copy()
    out["status"] = out["status"].map(lambda s: t(f"status.{s}", lang))
    out["size_class"] = out["size_class"].map(lambda s: t(f"size.{s}", lang))
    for flag in ("pareto_group", "margin_estimated"):
        if flag in out:
            out[flag] = out[flag].map(lambda b: t("value.yes" if b is True else "value.no", lang))
    return out


def display_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every value as text in ``lang`` (``€ 1.234,56`` or ``€1,234.56``), headers translated.

    Keeps ``table``'s index, so a filtered and sorted copy of ``table`` can pick its rows.
    """
    out = _labelled(table, lang)[_columns(table)]
    for col in out.columns:
        if col in MONEY:
            out[col] = money_texts(out[col], lang)
        elif col in SHARES:
            out[col] = percent_texts(out[col], lang)
        elif col in DECIMALS:
            out[col] = number_texts(out[col], lang, 1)
        elif col in COUNTS:
            out[col] = number_texts(out[col], lang)
        elif col in DATES:
            out[col] = [f"{d:%d-%m-%Y}" if pd.notna(d) else "" for d in out[col]]
    return out.rename(columns=lambda c: t(f"col.{c}", lang))


def export_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table for a download: numbers stay numbers, words and headers in ``lang``."""
    out = _labelled(table, lang)[_columns(table)]
    return out.rename(columns=lambda c: t(f"col.{c}", lang))


def export_kinds(lang: str) -> dict[str, str]:
    """What each column of ``export_table`` holds, by its header in ``lang``: "money",
    "share", "decimal", "count" or "date" (``export.XLSX_FORMATS``)."""
    groups = {"money": MONEY, "share": SHARES, "decimal": DECIMALS, "count": COUNTS}
    groups["date"] = DATES
    return {t(f"col.{c}", lang): kind for kind, columns in groups.items() for c in columns}


def search(table: pd.DataFrame, query: str) -> pd.DataFrame:
    """Customers whose number or name contains ``query`` (case-insensitive, as plain text)."""
    query = (query or "").strip().lower()
    if not query:
        return table
    hit = table["customer"].astype(str).str.lower().str.contains(query, regex=False)
    hit |= table["customer_name"].astype(str).str.lower().str.contains(query, regex=False)
    return table[hit]
