"""Price scenarios (docs/method.md, Price scenarios): what a price change and the
customers it costs do to revenue, margin, cost to serve and contribution.

The model, per customer of a segment with revenue R, gross margin G (so cost of
goods R − G) and cost to serve S (hours × rate + other costs):

- a share ``leaving`` of the segment's customers leaves; the model takes them to be
  average customers, so every figure of the segment keeps ``1 − leaving`` of itself,
  and their hours are freed;
- the customers who stay change their volume by ``volume_change`` (−0.1: buy 10 %
  less) and pay ``1 + price_change`` times the price;
- cost of goods follows the volume, cost to serve follows the customers (a customer
  who buys less still takes the same visits and calls).

So after the change: R' = R·k·(1+v)·(1+p), cost of goods' = (R − G)·k·(1+v),
S' = S·k with k = 1 − leaving. Every figure is an expected value per customer, so a
segment's figures are the sums of its customers' and the portfolio's the sums of its
segments'.

Break-even: each lever's value at which the model's contribution after equals the one
before, the other levers held (``lever_breakeven``). Contribution after is
C' = k·((1+v)·(G + p·R) − S): affine in each lever, so solving C' = C is exact. The
break-even rule is a special case (``breakeven_volume_change``): with contribution margin
m = contribution / revenue, a price change p leaves contribution unchanged when the
volume changes by −p / (m + p): +10 % at m = 30 % allows −25 %, −10 % needs +50 %. That
is the model's break-even for customers leaving (their cost to serve goes with them);
for customers who stay and buy less, cost to serve stays, so the volume lever's
break-even is −p / (g + p) with the gross margin g = G / R: at g = 40 % and m = 30 %,
+10 % allows only −20 %.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

FIGURES = ("revenue", "gross_margin", "cost_to_serve", "contribution", "customers", "hours")


@dataclass(frozen=True)
class Lever:
    """What a scenario does to one segment (all fractions: 0.08 is 8 %).

    ``price_change``: −0.30 … +0.30; ``leaving``: share of the customers that leave
    (0 … 1); ``volume_change``: how much more (+) or less (−) the others buy;
    ``fewer_days``: days by which customers pay sooner (shorter payment terms).
    """

    price_change: float = 0.0
    leaving: float = 0.0
    volume_change: float = 0.0
    fewer_days: float = 0.0

    @property
    def total_volume_change(self) -> float:
        """The segment's volume after against before, minus one (−0.25: a quarter less)."""
        return (1 - self.leaving) * (1 + self.volume_change) - 1

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


NO_CHANGE = Lever()


@dataclass(frozen=True)
class Breakeven:
    """A break-even: ``value`` (a fraction, as the lever) at which contribution stays the
    same, going further (a lower price, more customers leaving, less volume) lowering it;
    or ``value`` None and ``reason`` why there is none: ``loss_making`` (no contribution
    to protect), ``no_margin_left`` (no margin left per unit sold, more volume only makes
    it worse), ``never_falls`` (contribution stays above before however much is lost),
    ``still_losing`` (every customer who leaves raises contribution), ``nobody_stays``
    (no customer, no volume or no revenue left for the lever to act on),
    ``unknown`` (no cost price)."""

    value: float | None
    reason: str | None = None


def breakeven_volume_change(margin: float, price_change: float) -> Breakeven:
    """The break-even rule: the volume change at which contribution stays the same, −p / (m + p),
    with m the contribution margin (fraction of the price) and p the price change.

    Negative for a price rise (the volume that may go), positive for a cut (the volume
    that must come). None for a loss-making margin (m ≤ 0) and for a cut that takes the
    whole margin (m + p ≤ 0). The model's break-even for customers leaving, with no other
    lever (``lever_breakeven(..., "leaving")`` is minus this value).
    """
    if not (math.isfinite(margin) and math.isfinite(price_change)):
        return Breakeven(None, "unknown")
    if margin <= 0:
        return Breakeven(None, "loss_making")
    if margin + price_change <= 0:
        return Breakeven(None, "no_margin_left")
    return Breakeven(-price_change / (margin + price_change) + 0.0)  # + 0.0: no -0


BREAKEVEN_LEVERS = ("price_change", "leaving", "volume_change")


def lever_breakeven(
    revenue: float, gross_margin: float, cost_to_serve: float, lever: Lever, field: str
) -> Breakeven:
    """The value of ``field`` (one of ``BREAKEVEN_LEVERS``) at which a segment (or customer)
    with these figures (euro) keeps its contribution, the lever's other fields held.

    C' = k·(w·(G + p·R) − S) with k = 1 − leaving, w = 1 + volume change, p the price
    change is affine in each of them; the break-even solves C' = G − S.
    """
    # cost to serve leaves only with customers: while nobody leaves it cancels out, and an
    # unknown one (no hours) does not hide the break-even of price or volume
    needs_serve = field == "leaving" or lever.leaving != 0
    figures = (revenue, gross_margin, *lever.to_dict().values())
    if any(_unknown(x) for x in figures) or (needs_serve and _unknown(cost_to_serve)):
        return Breakeven(None, "unknown")
    if not needs_serve:
        cost_to_serve = 0.0
    before = gross_margin - cost_to_serve
    keep, volume, price = 1 - lever.leaving, 1 + lever.volume_change, lever.price_change
    unit_margin = gross_margin + price * revenue  # margin after at the volume of before
    # before + keep · cost to serve, written so that it does not cancel to float noise
    to_earn = gross_margin - lever.leaving * cost_to_serve
    if field == "price_change":
        if keep * volume * revenue <= 0:
            return Breakeven(None, "nobody_stays")
        needed = to_earn / (keep * volume) - gross_margin
        return Breakeven(needed / revenue + 0.0)
    if field == "volume_change":
        if keep <= 0:
            return Breakeven(None, "nobody_stays")
        if unit_margin <= 0:
            return Breakeven(None, "no_margin_left")
        needed = to_earn / (keep * unit_margin)
        return Breakeven(needed - 1 + 0.0) if needed > 0 else Breakeven(None, "never_falls")
    if field == "leaving":
        per_kept = volume * unit_margin - cost_to_serve  # C' = keep · per_kept
        if per_kept <= 0:
            return Breakeven(None, "still_losing")
        needed = before / per_kept
        return Breakeven(1 - needed + 0.0) if needed > 0 else Breakeven(None, "never_falls")
    raise ValueError(f"no break-even for {field!r}: one of {BREAKEVEN_LEVERS}")


def contribution_after(
    revenue: float, gross_margin: float, cost_to_serve: float, lever: Lever
) -> float:
    """The model's contribution (euro) after the lever, for these figures before."""
    _revenue, margin_after, serve_after = _after(
        revenue,
        gross_margin,
        cost_to_serve,
        lever.price_change,
        1 - lever.leaving,
        1 + lever.volume_change,
    )
    return margin_after - serve_after


def contribution_falls(
    revenue: float, gross_margin: float, cost_to_serve: float, lever: Lever
) -> bool:
    """Whether the lever leaves less contribution than before: beyond a break-even. Float
    noise (a billionth of the figures) is no fall; unknown margins never fall."""
    if _unknown(gross_margin):
        return False
    if _unknown(cost_to_serve):  # no hours: it cancels while nobody leaves, else unknown
        if lever.leaving != 0:
            return False
        cost_to_serve = 0.0
    after = contribution_after(revenue, gross_margin, cost_to_serve, lever)
    noise = 1e-9 * max(abs(revenue), abs(gross_margin), abs(cost_to_serve), 1.0)
    return after < gross_margin - cost_to_serve - noise


def _after(revenue, gross_margin, cost_to_serve, price: float, keep: float, volume: float):
    """(revenue, gross margin, cost to serve) after the change: the model of this module,
    for one customer, a column of them or a total."""
    revenue_after = revenue * keep * volume * (1 + price)
    margin_after = revenue_after - (revenue - gross_margin) * keep * volume
    return revenue_after, margin_after, cost_to_serve * keep


def _lever_columns(segments: pd.Series, levers: dict[str, Lever]) -> pd.DataFrame:
    """The lever of each row's segment, as columns (no lever: no change)."""
    table = pd.DataFrame(
        [{"segment": s, **lv.to_dict()} for s, lv in levers.items()],
        columns=["segment", *NO_CHANGE.to_dict()],
    )
    joined = segments.to_frame("segment").merge(table, on="segment", how="left")
    return joined.drop(columns="segment").fillna(0.0).set_axis(segments.index)


def customer_effects(
    customers: pd.DataFrame, levers: dict[str, Lever], period_days: int
) -> pd.DataFrame:
    """Before and after per customer. ``customers``: one row per customer with segment,
    revenue, gross_margin, cost_to_serve, hours and days_to_pay.

    Adds for every figure of ``FIGURES`` a column ``<figure>_after``, plus hours_freed,
    contribution_change and cash_released: the fewer days (never more than the customer
    now takes; nothing where its payments are unknown) × revenue after per day of the
    period.

    Unknown is not zero: without a cost price (gross margin missing) margin and
    contribution are unknown before and after; without hours (no customer file: cost to
    serve and hours missing) cost to serve, hours, hours freed and contribution are. The
    change in contribution is known wherever the gross margin is and either the cost to
    serve is or nobody leaves (it only changes with the customers who leave), as the
    break-evens of ``lever_breakeven`` are.
    """
    out = customers.copy()
    lever = _lever_columns(out["segment"], levers)
    keep = 1 - lever["leaving"]
    out["gross_margin"] = out["gross_margin"].astype(float)  # None: NaN, unknown
    cost_to_serve = out["cost_to_serve"].astype(float)
    hours = out["hours"].astype(float)
    out["cost_to_serve"] = cost_to_serve
    out["contribution"] = out["gross_margin"] - cost_to_serve
    out["customers"] = 1.0
    out["hours"] = hours
    revenue_after, margin_after, serve_after = _after(
        out["revenue"],
        out["gross_margin"],
        cost_to_serve,
        lever["price_change"],
        keep,
        1 + lever["volume_change"],
    )
    out["revenue_after"] = revenue_after
    out["gross_margin_after"] = margin_after
    out["cost_to_serve_after"] = serve_after
    out["contribution_after"] = margin_after - serve_after
    out["customers_after"] = keep
    out["hours_after"] = hours * keep
    out["hours_freed"] = hours - out["hours_after"]
    # cost to serve after − before = −leaving · S: nothing while nobody leaves, known or not
    serve_change = (-lever["leaving"] * cost_to_serve).where(lever["leaving"] != 0, 0.0)
    # the gross margin's change as k·w·(G + p·R) − G: exactly 0 where nothing changes
    volume = keep * (1 + lever["volume_change"])
    gross_margin = out["gross_margin"]
    margin_change = volume * (gross_margin + lever["price_change"] * out["revenue"]) - gross_margin
    out["contribution_change"] = margin_change - serve_change
    taken = out["days_to_pay"].astype(float).clip(lower=0)
    wanted = lever["fewer_days"]
    # unknown payments (NaN) fail the comparison, give NaN and so release nothing
    sooner = wanted.where(wanted <= taken, taken).fillna(0.0)
    out["cash_released"] = sooner * revenue_after / period_days
    return out


SUMMED = (
    *FIGURES,
    *(f"{f}_after" for f in FIGURES),
    "hours_freed",
    "contribution_change",
    "cash_released",
)


def segment_effects(
    effects: pd.DataFrame, levers: dict[str, Lever], order: list[str] | None = None
) -> pd.DataFrame:
    """Per segment (in ``order``, else sorted): every figure before and after, hours freed,
    the change in contribution, cash released (each unknown where one of the segment's
    customers has it unknown: a sum of the known ones is no total), the segment's
    contribution margin, the lever, each lever's break-even (``breakeven_price_change``,
    ``breakeven_leaving``, ``breakeven_volume_change``: the value that keeps contribution,
    the others as chosen; None where there is none) and ``worse_than_breakeven``: whether
    the chosen levers leave less contribution."""
    sums = list(SUMMED)
    unknown = effects[sums].isna().groupby(effects["segment"]).any()
    grouped = effects.groupby("segment")[sums].sum().mask(unknown)
    grouped = grouped.reindex(order) if order else grouped.sort_index()
    grouped.index.name = "segment"
    out = grouped.reset_index()
    out["customers"] = out["customers"].fillna(0.0)
    out["contribution_margin"] = out["contribution"] / out["revenue"].where(out["revenue"] != 0)
    # the weighted days customers take now: revenue per day of payment behaviour
    paid = effects.dropna(subset=["days_to_pay"])
    weight = paid.groupby("segment")["revenue"].sum()
    days = (paid["days_to_pay"] * paid["revenue"]).groupby(paid["segment"]).sum()
    out["days_to_pay"] = out["segment"].map(days / weight.where(weight > 0))
    chosen = out["segment"].map(lambda s: levers.get(s, NO_CHANGE))
    for name in ("price_change", "leaving", "volume_change", "fewer_days"):
        out[name] = chosen.map(lambda x, n=name: getattr(x, n))
    out["total_volume_change"] = chosen.map(lambda x: x.total_volume_change)
    for field in BREAKEVEN_LEVERS:
        out[f"breakeven_{field}"] = [
            lever_breakeven(r, g, s, lv, field).value
            for r, g, s, lv in zip(
                out["revenue"], out["gross_margin"], out["cost_to_serve"], chosen, strict=True
            )
        ]
    out["worse_than_breakeven"] = [
        contribution_falls(r, g, s, lv)
        for r, g, s, lv in zip(
            out["revenue"], out["gross_margin"], out["cost_to_serve"], chosen, strict=True
        )
    ]
    return out


def days_to_pay(effects: pd.DataFrame) -> float | None:
    """The days these customers take to pay now, weighted by revenue (as each segment's
    ``days_to_pay``); None when no customer's payments are known."""
    paid = effects.dropna(subset=["days_to_pay"])
    weight = paid["revenue"].sum()
    return float((paid["days_to_pay"] * paid["revenue"]).sum() / weight) if weight > 0 else None


def _unknown(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def totals(segments: pd.DataFrame) -> dict[str, float | None]:
    """The portfolio's figures before and after: the sums of the segments, None (unknown)
    where a segment's figure is unknown."""
    return {c: _sum(segments[c]) for c in SUMMED}


def _sum(values: pd.Series) -> float | None:
    """The sum, or None when any value is unknown (or there are none): never a false 0."""
    if values.empty or values.isna().any():
        return None
    return float(values.sum())


def sensitivity(
    customers: pd.DataFrame, price_changes: tuple[float, ...], leaving: tuple[float, ...]
) -> pd.DataFrame:
    """The pricing handbook's table: the change in contribution (euro) when every one of
    ``customers`` gets the same price change (rows) and that share of them leaves
    (columns), by the same model. NaN (unknown) everywhere without a cost price; without
    hours (cost to serve unknown) NaN where customers leave, as their cost to serve goes."""
    revenue = float(customers["revenue"].sum())
    margin = _sum(customers["gross_margin"])
    serve = _sum(customers["cost_to_serve"])
    rows = {}
    for price in price_changes:
        row: dict[float, float | None] = {}
        for share in leaving:
            if margin is None or (serve is None and share != 0):
                row[share] = None
                continue
            known = serve or 0.0  # unknown only where nobody leaves: it cancels out
            _revenue, margin_after, serve_after = _after(
                revenue, margin, known, price, 1 - share, 1.0
            )
            row[share] = (margin_after - serve_after) - (margin - known)
        rows[price] = row
    table = pd.DataFrame.from_dict(rows, orient="index").astype(float)  # None: NaN
    table.index.name, table.columns.name = "price_change", "leaving"
    return table


def discount_price_change(segment_customers: pd.DataFrame) -> float | None:
    """'Stop all discounts': the price rise that brings in the discount given, as a
    fraction of the net revenue (None when the data has no discount column)."""
    discount = segment_customers["discount"].sum(min_count=1)
    revenue = segment_customers["revenue"].sum()
    if pd.isna(discount) or revenue <= 0:
        return None
    return float(discount / revenue)
