"""Why a customer is in its segment, in words, for every scheme at once (the customer
card): the grid's size and four questions, the value split's rank and score, the
customer type's signals, the fit code. Computed by the same functions the segments page
uses (``schemes``), with the configured rules, so a card and a page agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from portfolio.config import SizeClass, TypeRules, segment_rules, thresholds
from portfolio.formatting import money, number, percent
from portfolio.i18n import t
from portfolio.segments.schemes import (
    GRID_QUESTIONS,
    MARGIN_UNKNOWN,
    customer_types,
    grid_segments,
    value_segments,
)

SCHEMES = ("grid", "value", "types", "fit")


@dataclass(frozen=True)
class Placement:
    """A customer's segment under one scheme and why; ``segment`` None when the scheme
    does not judge the customer (no revenue in the period, no fit code)."""

    scheme: str
    segment: str | None
    why: str


def signal_text(signal: str, rules: TypeRules, lang: str) -> str:
    """A customer type's signal in words with the threshold that makes it."""
    if signal == MARGIN_UNKNOWN:
        return t(f"seg.signal.{signal}", lang)
    value = {
        "loss_making": money(rules.disastrous_contribution_below, lang, 0),
        "never_satisfied": number(rules.disastrous_satisfaction_max, lang, 1),
        "high_discount": percent(rules.price_buyer_discount_from, lang, 0),
        "thin_margin": percent(rules.price_buyer_margin_pct_below, lang, 0),
        "among_largest": percent(rules.ambassador_top_share, lang, 0),
        "healthy_margin": percent(rules.ambassador_margin_pct_from, lang, 0),
        "buys_often": number(rules.ambassador_months_from, lang),
        "pays_on_time": number(rules.ambassador_days_late_max, lang),
    }[signal]
    return t(f"seg.signal.{signal}", lang, v=value)


def placements(table: pd.DataFrame, customer: str, lang: str, sizes: SizeClass | None = None):
    """The customer's ``Placement`` under each of ``SCHEMES`` (configured rules)."""
    rules, sizes = segment_rules(), sizes or thresholds().size_class
    key = table["customer"].astype(str) == str(customer)
    if not key.any() or not (table.loc[key, "revenue"] > 0).any():
        none = t("why.not_judged", lang)
        return [Placement(scheme, None, none) for scheme in SCHEMES[:3]] + [_fit(table, key, lang)]
    grid = grid_segments(table, rules.grid, sizes.medium_from, sizes.large_from)
    value = value_segments(table, rules.value)
    types = customer_types(table, rules.types)
    index = key[key].index[0]
    return [
        _grid(grid.loc[index], lang),
        _value(value.loc[index], len(value), lang),
        _type(types.loc[index], rules.types, lang),
        _fit(table, key, lang),
    ]


def _grid(row: pd.Series, lang: str) -> Placement:
    answers = ", ".join(
        t(f"why.q.{q}", lang) + " " + t("why.yes" if row[q] else "why.no", lang)
        for q in GRID_QUESTIONS
    )
    size = t(f"size.{row['size_class']}", lang)
    why = t("why.grid", lang, size=size, score=int(row["score"]), answers=answers)
    return Placement("grid", str(row["segment"]), why)


def _value(row: pd.Series, count: int, lang: str) -> Placement:
    why = t("why.value", lang, rank=number(row["rank"], lang), count=number(count, lang))
    return Placement("value", str(row["segment"]), why)


def _type(row: pd.Series, rules: TypeRules, lang: str) -> Placement:
    reasons = [signal_text(s, rules, lang) for s in row["reasons"]]
    why = ", ".join(reasons) or t("seg.basic_reason", lang)
    return Placement("types", str(row["segment"]), why)


def _fit(table: pd.DataFrame, key: pd.Series, lang: str) -> Placement:
    codes = table.loc[key, "fit_code"].dropna()
    if codes.empty:
        return Placement("fit", None, t("why.no_fit_code", lang))
    code = str(int(codes.iloc[0]))
    return Placement("fit", code, t(f"why.fit.{code}", lang))
