"""The five-step optimization funnel (docs/method.md, The five steps): select, remediate,
anchor, grow internally, grow externally; and the bucket they are all about.

The bucket: the water level is the portfolio's revenue, the temperature its
contribution margin. The plan should raise the temperature without lowering the
level. Every function here is pure: tables in, tables or figures out; what the team
enters is kept by ``portfolio.funnel.plan``.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from typing import TypedDict

import numpy as np
import pandas as pd

from portfolio.config import Condition, ProspectRules, SelectRules
from portfolio.periods import add_months

# -- 1. Select -------------------------------------------------------------------------

GROUPS = ("anchor", "remediate", "grow", "part")  # keep and anchor, remediate, grow, part
INTEREST_SIGNALS = ("strategic", "fit", "growth", "segment")


def select(table: pd.DataFrame, segments: pd.Series, rules: SelectRules) -> pd.DataFrame:
    """Step 1, select: every customer with revenue in the period marked profitable and/or
    interesting, and so put in one of four groups:

    - profitable and interesting: ``grow`` (anchor them and grow with them);
    - profitable, not interesting: ``anchor`` (keep and anchor);
    - not profitable, interesting: ``remediate`` (new conditions);
    - neither: ``part`` (as a Disastrous customer: new conditions too, and part decently
      when they refuse).

    ``segments``: the segment of each customer (index like ``table``). Without cost
    prices contribution is unknown and every customer counts as profitable. Columns:
    customer, customer_name, segment, revenue, contribution, profitable, interesting,
    the four interest signals (``<signal>_signal``, bool), group.
    """
    active = table[table["revenue"] > 0]
    scores = active[["innovation", "network", "satisfaction"]].mean(axis=1, skipna=True)
    signals = pd.DataFrame(
        {
            "strategic": scores >= rules.strategic_from,
            "fit": active["fit_code"] <= rules.fit_code_max,
            "growth": active["revenue_change_pct"] >= rules.growth_from,
            "segment": segments.reindex(active.index).isin(rules.interesting_segments),
        },
        index=active.index,
    ).fillna(False)
    profitable = (active["contribution"] > rules.profitable_from) | active["contribution"].isna()
    interesting = signals.any(axis=1)
    group = np.select(
        [profitable & interesting, profitable, interesting], ["grow", "anchor", "remediate"], "part"
    )
    out = active[["customer", "customer_name", "revenue", "contribution"]].copy()
    out.insert(2, "segment", segments.reindex(active.index))
    out["profitable"] = profitable
    out["interesting"] = interesting
    for signal in INTEREST_SIGNALS:  # beside the segment itself, not in its place
        out[f"{signal}_signal"] = signals[signal]
    out["group"] = group
    return out


def team_select_rules(defaults: SelectRules, settings: dict) -> SelectRules:
    """Step 1's rules as the team saved them with the plan (``Plan.settings``: the growth in
    whole percents, as its slider holds it), the defaults for what was not saved."""
    growth = settings.get("growth_from")
    return replace(
        defaults,
        profitable_from=float(settings.get("profitable_from", defaults.profitable_from)),
        strategic_from=float(settings.get("strategic_from", defaults.strategic_from)),
        fit_code_max=int(settings.get("fit_code_max", defaults.fit_code_max)),
        growth_from=defaults.growth_from if growth is None else float(growth) / 100,
        interesting_segments=tuple(
            settings.get("interesting_segments", defaults.interesting_segments)
        ),
    )


def group_summary(selected: pd.DataFrame) -> pd.DataFrame:
    """Customers, revenue and contribution per group (all four, in order), with shares."""
    grouped = selected.groupby("group")
    out = pd.DataFrame(
        {
            "customers": grouped.size(),
            "revenue": grouped["revenue"].sum(),
            # as summary.known_total: one customer unknown makes the group's total unknown
            "contribution": grouped["contribution"].sum(skipna=False, min_count=1),
        }
    )
    out = out.reindex(GROUPS).fillna({"customers": 0, "revenue": 0.0})
    out.loc[out["customers"] == 0, "contribution"] = 0.0  # a group of nobody adds nothing
    out["customers_share"] = out["customers"] / max(out["customers"].sum(), 1)
    total = out["revenue"].sum()
    out["revenue_share"] = out["revenue"] / total if total else 0.0
    return out.reset_index()


def funnel_flows(selected: pd.DataFrame) -> pd.DataFrame:
    """The funnel chart's data: the whole portfolio, then profitable or not, then the
    groups; one row per (stage, part) with customers and revenue."""
    profitable = selected["profitable"].astype(bool)
    revenue = selected["revenue"]
    groups = group_summary(selected)
    rows = [
        (0, "portfolio", len(selected), revenue.sum()),
        (1, "profitable", int(profitable.sum()), revenue[profitable].sum()),
        (1, "unprofitable", int((~profitable).sum()), revenue[~profitable].sum()),
        *(
            (2, g, int(n), r)
            for g, n, r in zip(groups["group"], groups["customers"], groups["revenue"], strict=True)
        ),
    ]
    return pd.DataFrame(rows, columns=["stage", "part", "customers", "revenue"])


# -- 2. Remediate: the ice cubes ---------------------------------------------------------

STATUSES = ("proposed", "accepted", "refused", "left")


def contribution_if_accepted(revenue, gross_margin, cost_to_serve, condition: Condition):
    """The contribution the customer gives on the new condition, buying as much as now:
    the price change adds to the margin, the cost to serve changes by its fraction."""
    serve = cost_to_serve if cost_to_serve == cost_to_serve else 0.0  # NaN: none known
    serve_after = serve * (1 + condition.cost_to_serve_change)
    return gross_margin + condition.price_change * revenue - serve_after


def remediation(
    customers: pd.DataFrame, conditions: dict[str, Condition], acceptance: float
) -> pd.DataFrame:
    """Per unprofitable customer (``customers``: customer, revenue, gross_margin,
    cost_to_serve, contribution, condition, status) what the new condition gives:

    - contribution_if_accepted;
    - chance: the status decides it (accepted 1, refused or left 0), a proposal has
      the expected acceptance rate;
    - expected_revenue and expected_contribution: on the new terms for those who accept;
      those who refuse leave (the ice cubes: they flow away once replaced);
    - revenue_at_risk and contribution_at_risk: what leaves with those who refuse.
    """
    out = customers.copy()
    chosen = out["condition"].map(conditions)
    price = chosen.map(lambda c: c.price_change).astype(float)
    out["contribution_if_accepted"] = pd.Series(
        [
            contribution_if_accepted(r, m, s, c)
            for r, m, s, c in zip(
                out["revenue"], out["gross_margin"], out["cost_to_serve"], chosen, strict=True
            )
        ],
        index=out.index,
        dtype=float,
    )
    chance = out["status"].map({"accepted": 1.0, "refused": 0.0, "left": 0.0})
    out["chance"] = chance.astype(float).fillna(acceptance)
    out["expected_revenue"] = out["chance"] * out["revenue"] * (1 + price)
    out["expected_contribution"] = out["chance"] * out["contribution_if_accepted"]
    out["revenue_at_risk"] = (1 - out["chance"]) * out["revenue"]
    out["contribution_at_risk"] = (1 - out["chance"]) * out["contribution"]
    return out


def remediation_totals(remedied: pd.DataFrame) -> dict[str, float]:
    """The ice cubes together: revenue and contribution now and expected, what is at risk,
    and the replacement revenue needed so the water level holds (what leaves, less what
    the price rises bring in)."""
    revenue = float(remedied["revenue"].sum())
    expected = float(remedied["expected_revenue"].sum())
    return {
        "customers": len(remedied),
        "revenue": revenue,
        "contribution": float(remedied["contribution"].sum()),
        "expected_revenue": expected,
        "expected_contribution": float(remedied["expected_contribution"].sum()),
        "revenue_at_risk": float(remedied["revenue_at_risk"].sum()),
        "contribution_at_risk": float(remedied["contribution_at_risk"].sum()),
        "replacement_needed": max(revenue - expected, 0.0),
    }


# -- 3. Anchor ---------------------------------------------------------------------------


def default_appointments(count: int, today: date, months_ahead: int, per_day: int) -> list[date]:
    """The fixed appointment about the collaboration, some months ahead (six by default),
    for ``count`` customers in order (the largest first): working days from that day on,
    at most ``per_day`` a day, so that a team can actually hold them."""
    day = add_months(today, months_ahead)
    out: list[date] = []
    while len(out) < count:
        if day.weekday() < 5:  # Monday to Friday
            out.extend([day] * min(per_day, count - len(out)))
        day += timedelta(days=1)
    return out


def appointment_state(when: date | None, done: bool, today: date, soon_days: int = 14) -> str:
    """done, overdue (the date passed without it being held), soon, planned or unplanned."""
    if done:
        return "done"
    if when is None or (isinstance(when, float) and math.isnan(when)):
        return "unplanned"
    if when < today:
        return "overdue"
    if when <= today + timedelta(days=soon_days):
        return "soon"
    return "planned"


def calendar_weeks(appointments: pd.DataFrame, today: date, weeks: int) -> pd.DataFrame:
    """``weeks`` weeks from this week's Monday: per week the appointments (customers'
    names), overdue ones in the week of today. When none falls in them (the default plan
    starts months ahead), the weeks from the first week that has one instead: an empty
    chart says nothing. Columns: week_start, count, customers (names joined)."""
    monday = today - timedelta(days=today.weekday())
    due = appointments[appointments["date"].notna() & ~appointments["done"].astype(bool)]
    offset = pd.Series([(d - monday).days // 7 for d in due["date"]], index=due.index, dtype=int)
    week = offset.clip(lower=0)  # overdue: this week
    if len(week) and week.min() >= weeks:
        first = int(week.min())
        monday, week = monday + timedelta(weeks=first), week - first
    shown = due.assign(week=week)[week < weeks]
    names = shown.groupby("week")["customer_name"].agg(lambda n: ", ".join(map(str, n)))
    counts = shown.groupby("week").size()
    return pd.DataFrame(
        {
            "week_start": [monday + timedelta(weeks=i) for i in range(weeks)],
            "count": [int(counts.get(i, 0)) for i in range(weeks)],
            "customers": [names.get(i, "") for i in range(weeks)],
        }
    )


# -- 4. Grow internally ----------------------------------------------------------------


def quarter(day: date | None) -> str | None:
    """'2026-K2' style quarter label (K: kwartaal, as Dutch planning sheets write it)."""
    if day is None or (isinstance(day, float) and math.isnan(day)) or pd.isna(day):
        return None
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def weighted_budget(opportunities: pd.DataFrame) -> pd.DataFrame:
    """The weighted plan is the basis of the budget. Per quarter of the expected
    date: opportunities, their revenue and the weighted revenue Σ revenue × chance.
    Opportunities without a date are counted under quarter None ('unplanned')."""
    data = opportunities.assign(
        quarter=opportunities["date"].map(quarter),
        weighted=opportunities["revenue"].fillna(0) * opportunities["chance"].fillna(0),
    )
    out = data.groupby("quarter", dropna=False).agg(
        opportunities=("customer", "size"), revenue=("revenue", "sum"), weighted=("weighted", "sum")
    )
    out = out.reset_index().sort_values("quarter", na_position="last", ignore_index=True)
    out["quarter"] = out["quarter"].astype(object).where(out["quarter"].notna(), None)
    return out


# -- 5. Grow externally --------------------------------------------------------------------


def profile(best: pd.DataFrame, products: pd.Series) -> dict[str, pd.Series]:
    """What the best customers look like: the share of them per region and per size
    class (``best``: one row per customer), and the products most of them buy
    (``products``: one row per best customer and product it buys most of). New
    customers often come from near the good ones."""
    out = {}
    for column in ("region", "size_class"):
        values = best[column].dropna() if column in best else pd.Series(dtype=object)
        out[column] = values.value_counts(normalize=True)
    out["products"] = products.dropna().value_counts().head(10)
    return out


def score_prospects(
    prospects: pd.DataFrame, shape: dict[str, pd.Series], rules: ProspectRules
) -> pd.DataFrame:
    """Rank prospects by how much they look like the best customers: the share of best
    customers in the prospect's region and size class, each against the most common one
    (0–1), weighted; a prospect without that figure scores 0 on it. Adds similarity,
    rank and proposed_fit_code (1, 2 or 3 by ``rules``)."""
    out = prospects.copy()
    parts = []
    for column, weight in (("region", rules.region_weight), ("size_class", rules.size_weight)):
        shares = shape.get(column, pd.Series(dtype=float))
        top = float(shares.max()) if len(shares) else 0.0
        if column not in out or top == 0:
            parts.append(pd.Series(0.0, index=out.index))
            continue
        key = out[column].astype("string").str.strip().str.lower()
        lookup = {str(k).strip().lower(): v / top for k, v in shares.items()}
        parts.append(key.map(lookup).astype(float).fillna(0.0) * weight)
    total_weight = rules.region_weight + rules.size_weight
    out["similarity"] = sum(parts) / total_weight if total_weight else 0.0
    out = out.sort_values(["similarity", "name"], ascending=[False, True], kind="stable")
    out["rank"] = range(1, len(out) + 1)
    out["proposed_fit_code"] = np.select(
        [out["similarity"] >= rules.code1_from, out["similarity"] >= rules.code2_from], [1, 2], 3
    )
    return out.reset_index(drop=True)


def expected_new_revenue(ranked: pd.DataFrame, top: int, conversion: float, per_customer: float):
    """If ``conversion`` of the ``top`` best-ranked prospects become customers, each
    buying ``per_customer`` (the best customers' median revenue): the revenue they bring."""
    return min(top, len(ranked)) * conversion * per_customer


# -- The bucket ---------------------------------------------------------------------------


# the temperature of the bucket, in words: the contribution margin from which each
# band begins (below the first: ice cold)
TEMPERATURES = ((0.0, "cold"), (0.05, "lukewarm"), (0.10, "warm"), (0.20, "hot"))
# each band's colour, ice-cold blue to hot red, on screen and on paper alike; grey: unknown
TEMPERATURE_COLORS = {
    "ice": "#2166AC",
    "cold": "#67A9CF",
    "lukewarm": "#F1B940",
    "warm": "#E4682A",
    "hot": "#B2182B",
}
UNKNOWN_COLOR = "#BAB0AC"


def temperature(margin: float | None) -> str | None:
    """The band of a contribution margin (a fraction): "ice" below 0, then ``TEMPERATURES``;
    None when the margin is unknown."""
    if margin is None or pd.isna(margin):
        return None
    band = "ice"
    for start, name in TEMPERATURES:
        if margin >= start:
            band = name
    return band


class Bucket(TypedDict):
    """The water level (revenue) and temperature (contribution margin) of the portfolio,
    now and after the plan; None where the contribution is unknown (no cost price)."""

    revenue_now: float
    margin_now: float | None
    contribution_now: float | None
    revenue_after: float
    contribution_after: float | None
    margin_after: float | None


def bucket(
    revenue: float,
    contribution: float | None,
    remedied: dict[str, float],
    weighted_growth: float,
    new_revenue: float,
    growth_margin: float | None = None,
) -> Bucket:
    """The water level (revenue) and temperature (contribution margin) now and after the
    plan: the unprofitable customers on their new terms or gone (``remediation_totals``),
    plus the weighted internal growth and the expected new customers at ``growth_margin``
    (the portfolio's own contribution margin when None)."""
    margin_now = contribution / revenue if revenue and contribution is not None else None
    margin = growth_margin if growth_margin is not None else (margin_now or 0.0)
    growth = weighted_growth + new_revenue
    level = revenue - remedied["revenue"] + remedied["expected_revenue"] + growth
    heat = None
    if contribution is not None:
        heat = (
            contribution
            - remedied["contribution"]
            + remedied["expected_contribution"]
            + growth * margin
        )
    return {
        "revenue_now": revenue,
        "margin_now": margin_now,
        "contribution_now": contribution,
        "revenue_after": level,
        "contribution_after": heat,
        "margin_after": heat / level if heat is not None and level else None,
    }
