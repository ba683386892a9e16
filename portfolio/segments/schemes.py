"""Splitting the portfolio into segments (docs/method.md, Segments), from the per-customer table.

Every scheme is a pure function of the table (one row per customer, as
``metrics.customer_table`` makes it) and its rules, and returns one row per
customer segmented: the customers with revenue in the period. Customers
without revenue in P (lost ones, or only in the customer file) are left out:
there is nothing in P to judge them by.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Literal, get_args

import numpy as np
import pandas as pd

from portfolio.config import (
    FitRules,
    GridRules,
    SegmentRules,
    SizeClass,
    TypeRules,
    ValueRules,
    segment_rules,
    thresholds,
)

GRID_QUESTIONS = ("margin", "cashflow", "innovation", "network")
SIZES = ("small", "medium", "large")
FIT_CODES = (1, 2, 3)


def segmented_customers(table: pd.DataFrame) -> pd.DataFrame:
    """The customers a scheme judges: those with revenue above zero in the period."""
    return table[table["revenue"] > 0]


def size_classes(revenue: pd.Series, sizes: SizeClass) -> pd.Series:
    """Small, medium or large by revenue in the period, each bound inclusive from
    below; the bounds are the user's. Unknown revenue (a prospect's) has no size class.
    The one rule: the per-customer table, the grid and the prospects all use it."""
    bounds = [revenue >= sizes.large_from, revenue >= sizes.medium_from]
    out = pd.Series(np.select(bounds, ["large", "medium"], "small"), index=revenue.index)
    return out.where(revenue.notna())


def margin_unknown(table: pd.DataFrame) -> pd.Series:
    """Whether the data leaves a customer's margin unknown: no margin % (no cost price on
    its lines) and no contribution per hour spent to judge it by instead."""
    per_hour = table["contribution"] / table["hours"].where(table["hours"] > 0)
    return table["margin_pct"].isna() & per_hour.isna()


def grid_answers(table: pd.DataFrame, rules: GridRules) -> pd.DataFrame:
    """The grid's four questions per customer, True when answered positively.

    margin: margin % at least ``margin_pct_from``, or contribution per hour spent at
    least ``contribution_per_hour_from``; cashflow: on average at most ``days_late_max``
    days late; innovation and network: score at least the rule. Missing payment dates or
    scores answer no: the question is not answered positively.

    An unknown margin (``margin_unknown``: no cost price in the export, as in many Exact,
    e-Boekhouden and SnelStart sales reports) answers the margin question yes: it cannot
    be judged, so it does not count against the customer, and A and B are decided on the
    other three questions. Answering no would put nearly every customer of such an export
    in C for a figure the export lacks, not for anything the customer did (unknown
    is not zero). Every page takes the grid from here, so the segments page,
    the scenarios and the five steps give a customer the same segment.
    """
    per_hour = table["contribution"] / table["hours"].where(table["hours"] > 0)
    answers = pd.DataFrame(
        {
            "margin": (table["margin_pct"] >= rules.margin_pct_from)
            | (per_hour >= rules.contribution_per_hour_from),
            "cashflow": table["days_late"] <= rules.days_late_max,
            "innovation": table["innovation"] >= rules.innovation_from,
            "network": table["network"] >= rules.network_from,
        },
        index=table.index,
    ).fillna(False)
    answers["margin"] = answers["margin"].astype(bool) | margin_unknown(table)
    return answers


def grid_segments(
    table: pd.DataFrame, rules: GridRules, medium_from: float, large_from: float
) -> pd.DataFrame:
    """Revenue × qualities (the grid): one row per segmented customer.

    Columns: customer, customer_name, size_class, the four answers (bool), score (0–4),
    segment ("A", "B", "C") and channel. A customer is A when the score reaches
    ``a_from`` for its size, else B when it reaches ``b_from``, else C; with ``b_from``
    0 for large customers, those are always at least B: high revenue lands in A or B.
    """
    active = segmented_customers(table)
    answers = grid_answers(active, rules)
    size = size_classes(active["revenue"], SizeClass(medium_from, large_from))
    score = answers[list(GRID_QUESTIONS)].sum(axis=1).astype(int)
    segment = cell_segments(size, score, rules)
    out = pd.DataFrame(
        {
            "customer": active["customer"],
            "customer_name": active["customer_name"],
            "size_class": size,
            **{q: answers[q] for q in GRID_QUESTIONS},
            "score": score,
            "segment": segment,
        },
        index=active.index,
    )
    out["channel"] = out["segment"].map(rules.channels)
    return out


def cell_segments(size: pd.Series, score: pd.Series, rules: GridRules) -> np.ndarray:
    """The segment of each (size class, score) cell of the grid: A from ``a_from``, else
    B from ``b_from``, else C."""
    a_from, b_from = size.map(rules.a_from), size.map(rules.b_from)
    return np.select([score >= a_from, score >= b_from], ["A", "B"], "C")


def grid_cells(segments: pd.DataFrame, table: pd.DataFrame, rules: GridRules) -> pd.DataFrame:
    """The heat map of the grid: one row per (size class, score) with its segment and
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
        customers=("revenue", "size"),
        revenue=("revenue", "sum"),
        gross_margin=("gross_margin", "sum"),
        contribution=("contribution", "sum"),
        hours=("hours", "sum"),
    )
    for measure in ("customers", "revenue", "gross_margin", "contribution", "hours"):
        total = out[measure].sum()
        out[f"{measure}_share"] = out[measure] / total if total else None
    return out.reset_index()


def fit_summary(table: pd.DataFrame, rules: FitRules) -> tuple[pd.DataFrame, bool]:
    """Fit with the offer: per fit code (1, 2, 3, and customers without one) the customers,
    revenue and hours, with their shares; and whether code 3 takes more of the hours
    than ``code3_hours_warning`` (a study found 70 % of sales time going into code 3)."""
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


VALUE_ELEMENTS = ("revenue", "gross_margin", "contribution", "strategic", "retention", "growth")


def value_elements(table: pd.DataFrame) -> pd.DataFrame:
    """The value elements per customer, as raw figures: revenue, gross margin and
    contribution (euro), strategic (mean of the innovation, network and satisfaction
    scores), retention (years in a row) and growth (revenue change, fraction)."""
    return pd.DataFrame(
        {
            "revenue": table["revenue"],
            "gross_margin": table["gross_margin"],
            "contribution": table["contribution"],
            "strategic": table[["innovation", "network", "satisfaction"]].mean(axis=1),
            "retention": table["years_in_a_row"].astype(float),
            "growth": table["revenue_change_pct"],
        },
        index=table.index,
    )


def value_shares(table: pd.DataFrame) -> pd.DataFrame:
    """The value elements per customer as shares of the total (each column sums to 1
    over ``table``, or is 0 when its total is not positive): "percentage van de omzet".

    revenue, gross_margin, contribution: the customer's part of the total; a loss or a
    negative margin counts as 0, a customer adds no value by losing money (and a negative
    share would pull the customers above it back under a cut). strategic: the mean score
    over the sum of the mean scores (no scores: 0). retention: years in a row over their
    sum. growth: the revenue the customer added against P-1 (revenue − revenue_prev, 0
    when it shrank) over all revenue added; a new or reactivated customer had nothing in
    P-1, so its whole revenue is growth: it is not scored 0 for having no history.
    """
    raw = value_elements(table)
    gained = table["revenue"] - table["revenue_prev"].fillna(0.0)
    figures = raw.assign(growth=gained).clip(lower=0).fillna(0.0)
    totals = figures.sum()
    return (figures / totals.where(totals > 0)).fillna(0.0)


# the value elements one customer can lack while others have them: the margin and the
# contribution, unknown for a customer whose lines have no cost price (or, for the
# contribution, no hours). Scores, years in a row and growth are never unknown this way:
# a missing score counts as no score, as in the grid.
MARGIN_ELEMENTS = ("gross_margin", "contribution")


def value_segments(table: pd.DataFrame, rules: ValueRules) -> pd.DataFrame:
    """Value-based A/B/C/D: one row per segmented customer.

    ``value`` is the weighted mean of the customer's scores (elements without any data,
    or with weight 0, are left out; growth has data once a customer bought in P-1).
    ``value_share`` (the 20/80 rule: "20 % of the customers bring 80 % of revenue … that 20 %
    belongs in a group of its own"): each element scores the customer's share of its
    total (``value_shares``), so the values are shares of the total value and the split
    keeps the concentration: A is the customers that start within the first ``cuts[0]``
    of the total value, B up to ``cuts[1]``, C up to ``cuts[2]``, the rest D.
    ``percentile``: each element scores the customer's percentile (0–1) among the
    segmented customers (a missing figure scores 0), and the customers ranked by value
    are cut at the shares of customers ``cuts``.

    A margin element (``MARGIN_ELEMENTS``) some customers lack is unknown for them, not
    0 (unknown is not zero): it is left out of their value, which is the weighted mean of the
    elements they have (score NaN). Counting it as 0 would push every customer without
    cost price down the split for a figure the export lacks. By percentile the others
    are ranked among the customers that have the figure. By value share their shares
    are of the known total, scaled by the known customers' share of the revenue: as if
    the unknown margins were, together, the known margin % of their revenue. Without
    that a few customers with cost price would share 100 % of the margin between them
    and rise above customers far larger. So when every margin % is the same, some
    unknown, the values are the revenue shares, as with all known. A customer with none
    of the weighted elements known (only margin weighted, its margin unknown) has value 0.
    Columns: customer, customer_name, one ``score_<element>`` per element used,
    value, rank, segment.
    """
    active = segmented_customers(table)
    raw = value_elements(active)
    used = [e for e in VALUE_ELEMENTS if rules.weights.get(e, 0) > 0 and raw[e].notna().any()]
    unknown = pd.DataFrame(
        {e: raw[e].isna() & (e in MARGIN_ELEMENTS) for e in used}, index=active.index, dtype=bool
    )
    if rules.method == "percentile":
        scores = raw[used].rank(pct=True, method="average").fillna(0.0).mask(unknown)
    else:
        scores = value_shares(active)[used]
        revenue = active["revenue"]
        for e in used:
            if unknown[e].any():
                covered = revenue[~unknown[e]].sum() / revenue.sum()
                scores[e] = (scores[e] * covered).mask(unknown[e])
    weights = pd.Series({e: float(rules.weights[e]) for e in used})
    if used:
        counted = (~unknown).astype(float) @ weights  # the weights of the elements known
        value = (scores.fillna(0.0) * weights).sum(axis=1) / counted.where(counted > 0)
        value = value.fillna(0.0)
    else:
        value = scores.sum(axis=1)
    out = pd.DataFrame(
        {
            "customer": active["customer"],
            "customer_name": active["customer_name"],
            **{f"score_{e}": scores[e] for e in used},
            "value": value,
        },
        index=active.index,
    )
    out = out.sort_values("value", ascending=False, kind="stable")
    out["rank"] = range(1, len(out) + 1)
    out["segment"] = _value_cut(out["value"], rules.method, rules.cuts)
    return out


def _value_cut(value: pd.Series, method: str, cuts: tuple[float, ...]) -> np.ndarray:
    """A/B/C/D for values sorted from high to low."""
    n = len(value)
    if method == "percentile":
        position = np.arange(1, n + 1) / max(n, 1)  # share of customers up to this one
        return np.select([position <= c for c in cuts], ["A", "B", "C"], "D")
    total = value.sum()
    before = (value.cumsum() - value) / total if total > 0 else pd.Series(0.0, value.index)
    # a customer that starts exactly at a cut is past it, however the sum is rounded (as
    # summary.concentration counts the customers for 80 %)
    return np.select([before < c - 1e-12 for c in cuts], ["A", "B", "C"], "D")


TYPE_SIGNALS = (
    "loss_making",
    "never_satisfied",
    "high_discount",
    "thin_margin",
    "among_largest",
    "healthy_margin",
    "buys_often",
    "pays_on_time",
)


def type_signals(table: pd.DataFrame, rules: TypeRules) -> pd.DataFrame:
    """The customer types' signals per customer, True when present. A figure the data does not have
    (no payment dates, no satisfaction score, no discount, no contribution) neither shows
    nor rules out a signal: such a signal is False for the bad ones and True for paying on
    time. The same for an unknown margin (no cost price on the customer's lines): not a
    thin margin, and no bar to a healthy one, so ``healthy_margin`` is True
    (``customer_types`` names it ``margin_unknown`` in the reasons). Else an export
    without cost price could have no Ambassador at all, for a figure it lacks."""
    top = table["revenue"].rank(ascending=False, method="min") <= max(
        1, np.ceil(rules.ambassador_top_share * len(table) - 1e-9)
    )
    return pd.DataFrame(
        {
            "loss_making": table["contribution"] < rules.disastrous_contribution_below,
            "never_satisfied": table["satisfaction"] <= rules.disastrous_satisfaction_max,
            "high_discount": table["discount_pct"] >= rules.price_buyer_discount_from,
            "thin_margin": table["margin_pct"] < rules.price_buyer_margin_pct_below,
            "among_largest": top,
            "healthy_margin": table["margin_pct"].isna()
            | (table["margin_pct"] >= rules.ambassador_margin_pct_from),
            "buys_often": table["active_months"] >= rules.ambassador_months_from,
            "pays_on_time": table["days_late"].isna()
            | (table["days_late"] <= rules.ambassador_days_late_max),
        },
        index=table.index,
    ).fillna(False)


# the reason that stands where ``healthy_margin`` would for a customer whose margin is unknown
MARGIN_UNKNOWN = "margin_unknown"


def customer_types(table: pd.DataFrame, rules: TypeRules) -> pd.DataFrame:
    """Customer types: Ambassador (A), Basic (B), Price buyer (C) or Disastrous (D) per segmented
    customer, with the signals that decided it (``reasons``, a tuple of signal names).

    The first that applies: D when loss-making or never satisfied; C when the discount
    is high or the margin thin; A when among the largest with a healthy margin, buying
    often and paying on time; B otherwise (reasons empty). An unknown margin counts
    neither for nor against the customer (``type_signals``); an Ambassador whose margin
    is unknown has ``margin_unknown`` among its reasons instead of ``healthy_margin``.
    """
    active = segmented_customers(table)
    signals = type_signals(active, rules)
    unknown = active["margin_pct"].isna()
    bad = ["loss_making", "never_satisfied"]
    price = ["high_discount", "thin_margin"]
    good = ["among_largest", "healthy_margin", "buys_often", "pays_on_time"]
    is_d = signals[bad].any(axis=1)
    is_c = ~is_d & signals[price].any(axis=1)
    is_a = ~is_d & ~is_c & signals[good].all(axis=1)
    segment = np.select([is_d, is_c, is_a], ["D", "C", "A"], "B")

    out = pd.DataFrame(
        {
            "customer": active["customer"],
            "customer_name": active["customer_name"],
            "segment": segment,
        },
        index=active.index,
    )
    out["reasons"] = _reasons(
        signals, segment, unknown.to_numpy(), {"D": bad, "C": price, "A": good}
    )
    return out


def _reasons(
    signals: pd.DataFrame,
    segment: np.ndarray,
    margin_unknown: np.ndarray,
    decided_by: dict[str, list[str]],
) -> list[tuple[str, ...]]:
    """Per customer the signals of ``decided_by[its segment]`` that are present, in that
    order (``healthy_margin`` named ``margin_unknown`` where the margin is unknown). The
    combinations are few: each is built once and looked up, not built per customer (a
    loop over rows took 0.6 s at 10,000 customers)."""
    out: list[tuple[str, ...]] = [()] * len(segment)
    for seg, chosen in decided_by.items():
        rows = segment == seg
        if not rows.any():
            continue
        present = signals.loc[rows, chosen].to_numpy(dtype=bool)
        codes = present @ (1 << np.arange(len(chosen))) + (margin_unknown[rows] << len(chosen))
        combos = {}
        for code in np.unique(codes):
            swap = {"healthy_margin": MARGIN_UNKNOWN} if code >> len(chosen) else {}
            combos[code] = tuple(swap.get(c, c) for i, c in enumerate(chosen) if code >> i & 1)
        for i, code in zip(np.flatnonzero(rows), codes, strict=True):
            out[i] = combos[code]
    return out


Scheme = Literal["grid", "value", "types", "fit"]  # the four segmentation schemes
# the splits a scenario or the funnel can be run over: the four schemes with their
# defaults, profitable against loss-making customers, or the portfolio as a whole
Split = Literal["grid", "value", "types", "fit", "profit", "all"]
SPLITS: tuple[Split, ...] = get_args(Split)


def default_split(
    table: pd.DataFrame, split: Split | str, rules: SegmentRules, sizes: SizeClass
) -> pd.Series:
    """Every segmented customer's segment under ``split`` with the configured defaults:
    a Series of segment codes indexed like ``table`` (A/B/C/D; "1", "2", "3" or "none"
    for fit codes; "profitable", "loss_making" or "unknown" when there is no cost price;
    "all")."""
    active = segmented_customers(table)
    if split == "grid":
        return grid_segments(active, rules.grid, sizes.medium_from, sizes.large_from)["segment"]
    if split == "value":
        return value_segments(active, rules.value)["segment"].reindex(active.index)
    if split == "types":
        return customer_types(active, rules.types)["segment"]
    if split == "fit":
        return active["fit_code"].map(lambda c: str(int(c)) if pd.notna(c) else "none")
    if split == "profit":
        return pd.Series(
            np.select(
                [active["contribution"] > 0, active["contribution"] <= 0],
                ["profitable", "loss_making"],
                "unknown",
            ),
            index=active.index,
        )
    if split == "all":
        return pd.Series("all", index=active.index)
    raise ValueError(f"unknown split {split!r}")


def final_split(table: pd.DataFrame, final: dict) -> pd.Series:
    """The finalized split (``Decisions.final``) over the segmented customers of ``table``;
    a customer the split does not know (it buys in this period, not in the one that was
    finalized) is "unassigned"."""
    active = segmented_customers(table)
    chosen = active["customer"].astype(str).map(final.get("segments", {}))
    return chosen.fillna("unassigned")


FINAL = "final"  # the split a team finalized on the segments page, as a split's name


def split_segments(table: pd.DataFrame, split: Split | str, final: dict | None) -> pd.Series:
    """Every segmented customer's segment under ``split``: a scheme with the configured
    defaults, or ``FINAL``, the finalized split (``Decisions.final``). The one way the
    pages that take a split (scenarios, the five steps, who moved) ask for it."""
    if split == FINAL:
        return final_split(table, final or {})
    return default_split(table, split, segment_rules(), thresholds().size_class)


def saved_split(
    table: pd.DataFrame, scheme: Scheme | str, saved: dict, rules: SegmentRules, sizes: SizeClass
) -> pd.Series:
    """Every segmented customer's segment under ``scheme`` with the thresholds saved with a
    finalized split (``Decisions.final["thresholds"]``, as the segments page saves them:
    the grid's margin in whole percents, the value split's method, cuts and weights, the
    customer types' rules as they are); what was not saved keeps its configured value."""
    active = segmented_customers(table)
    if scheme == "grid":
        return grid_segments(active, *grid_rules_from(saved, rules.grid, sizes))["segment"]
    if scheme == "value":
        value = replace(
            rules.value,
            method=saved.get("method", rules.value.method),
            cuts=tuple(saved.get("cuts", rules.value.cuts)),
            weights=dict(saved.get("weights", rules.value.weights)),
        )
        return value_segments(active, value)["segment"].reindex(active.index)
    if scheme == "types":
        names = {f.name for f in fields(TypeRules)}
        types = replace(rules.types, **{k: v for k, v in saved.items() if k in names})
        return customer_types(active, types)["segment"]
    return default_split(table, scheme, rules, sizes)


# the grid's thresholds kept as they are used (the margin, in percents, apart)
GRID_SAVED = ("contribution_per_hour_from", "days_late_max", "innovation_from", "network_from")


def grid_rules_from(
    chosen: dict, rules: GridRules, sizes: SizeClass
) -> tuple[GridRules, float, float]:
    """The grid's rules and its size bounds (medium from, large from) from thresholds as
    the segments page shows and saves them: the margin in whole percents, the rest as
    used; a threshold not given keeps its configured value."""
    margin = chosen.get("margin_pct_from")
    grid = replace(
        rules,
        margin_pct_from=rules.margin_pct_from if margin is None else float(margin) / 100,
        **{k: float(chosen[k]) for k in GRID_SAVED if k in chosen},  # type: ignore[arg-type]
    )
    medium = float(chosen.get("medium_from", sizes.medium_from))
    large = float(chosen.get("large_from", sizes.large_from))
    return grid, medium, large
