"""Unknown is not zero in the scenario model: without hours (no customer file)
cost to serve, hours and contribution stay unknown before and after, per customer, per
segment and in total, as the break-evens treat them; revenue and gross margin still move.
Each figure is checked against a computation in plain pandas, written apart from the
model's own code."""

import math

import numpy as np
import pandas as pd
import pytest

from portfolio.scenarios.model import (
    Lever,
    customer_effects,
    lever_breakeven,
    segment_effects,
    sensitivity,
    totals,
)

LEVERS = {
    "A": Lever(price_change=0.08, leaving=0.0, volume_change=-0.05, fewer_days=10),
    "B": Lever(price_change=-0.04, leaving=0.15, volume_change=0.10, fewer_days=0),
}  # C: no lever


def portfolio(hours_known: bool, seed: int = 14) -> pd.DataFrame:
    """30 customers in segments A, B and C; with hours (a customer file) or without."""
    rng = np.random.default_rng(seed)
    n = 30
    revenue = rng.uniform(500, 50_000, n).round(2)
    hours = rng.uniform(0, 40, n).round(1)
    return pd.DataFrame(
        {
            "customer": [f"K{i}" for i in range(n)],
            "segment": np.array(["A", "B", "C"])[np.arange(n) % 3],
            "revenue": revenue,
            "gross_margin": (revenue * rng.uniform(0.1, 0.5, n)).round(2),
            "cost_to_serve": hours * 75.0 if hours_known else np.nan,
            "hours": hours if hours_known else np.nan,
            "days_to_pay": rng.uniform(10, 60, n).round(0),
        }
    )


def by_hand(data: pd.DataFrame) -> pd.DataFrame:
    """The model per customer, in plain pandas: k = 1 − leaving, w = 1 + volume change,
    p the price change; R' = R·k·w·(1+p), G' = R' − (R − G)·k·w, S' = S·k."""
    lever = pd.DataFrame([{"segment": s, **lv.to_dict()} for s, lv in LEVERS.items()])
    rows = data.merge(lever, on="segment", how="left").fillna(
        {"price_change": 0.0, "leaving": 0.0, "volume_change": 0.0, "fewer_days": 0.0}
    )
    k, w, p = 1 - rows["leaving"], 1 + rows["volume_change"], rows["price_change"]
    out = pd.DataFrame({"segment": rows["segment"]})
    out["revenue"] = rows["revenue"]
    out["revenue_after"] = rows["revenue"] * k * w * (1 + p)
    out["gross_margin"] = rows["gross_margin"]
    out["gross_margin_after"] = (
        out["revenue_after"] - (rows["revenue"] - rows["gross_margin"]) * k * w
    )
    out["contribution"] = rows["gross_margin"] - rows["cost_to_serve"]
    out["contribution_after"] = out["gross_margin_after"] - rows["cost_to_serve"] * k
    out["leaving"] = rows["leaving"]
    return out


def test_without_hours_contribution_and_its_totals_are_unknown_not_the_gross_margin():
    data = portfolio(hours_known=False)
    effects = customer_effects(data, LEVERS, 365)
    # per customer: unknown, never the gross margin minus a cost to serve of 0
    for column in (
        "cost_to_serve",
        "cost_to_serve_after",
        "contribution",
        "contribution_after",
        "hours",
        "hours_freed",
    ):
        assert effects[column].isna().all(), column
    seg = segment_effects(effects, LEVERS).set_index("segment")
    total = totals(seg.reset_index())
    for figure in ("cost_to_serve", "contribution", "hours"):
        assert seg[figure].isna().all() and seg[f"{figure}_after"].isna().all()
        assert total[figure] is None and total[f"{figure}_after"] is None
    assert total["hours_freed"] is None
    # what does not need the hours still stands, as computed by hand
    hand = by_hand(data)
    sums = hand.groupby("segment")[
        ["revenue", "revenue_after", "gross_margin", "gross_margin_after"]
    ].sum()
    for figure in sums.columns:
        assert seg[figure].to_numpy() == pytest.approx(sums[figure].to_numpy())
        assert total[figure] == pytest.approx(hand[figure].sum())
    assert total["customers_after"] == pytest.approx(30 - 10 * 0.15)
    assert total["cash_released"] > 0


def test_without_hours_the_change_in_contribution_is_known_only_where_nobody_leaves():
    # cost to serve changes only with the customers who leave (as in lever_breakeven):
    # in A and C nobody leaves, so the change is the gross margin's; in B it is unknown
    seg = segment_effects(customer_effects(portfolio(False), LEVERS, 365), LEVERS)
    seg = seg.set_index("segment")
    hand = (
        by_hand(portfolio(False)).groupby("segment")[["gross_margin", "gross_margin_after"]].sum()
    )
    for segment in ("A", "C"):
        expected = hand.loc[segment, "gross_margin_after"] - hand.loc[segment, "gross_margin"]
        assert seg.loc[segment, "contribution_change"] == pytest.approx(expected, abs=1e-6)
    assert seg.loc["C", "contribution_change"] == 0
    assert math.isnan(seg.loc["B", "contribution_change"])
    assert totals(seg.reset_index())["contribution_change"] is None  # B's is part of it
    # the same as the break-evens: price and volume known in A, leaving unknown in B
    a = seg.loc["A"]
    figures = (a["revenue"], a["gross_margin"], a["cost_to_serve"])
    assert lever_breakeven(*figures, LEVERS["A"], "volume_change").value is not None
    b = seg.loc["B"]
    figures = (b["revenue"], b["gross_margin"], b["cost_to_serve"])
    assert lever_breakeven(*figures, LEVERS["B"], "price_change").reason == "unknown"
    assert seg.loc["B", ["breakeven_leaving", "breakeven_price_change"]].isna().all()


def test_with_hours_the_totals_match_a_computation_by_hand():
    data = portfolio(hours_known=True)
    seg = segment_effects(customer_effects(data, LEVERS, 365), LEVERS)
    total = totals(seg)
    hand = by_hand(data)
    for figure in (
        "revenue",
        "revenue_after",
        "gross_margin",
        "gross_margin_after",
        "contribution",
        "contribution_after",
    ):
        assert total[figure] == pytest.approx(hand[figure].sum()), figure
    change = (hand["contribution_after"] - hand["contribution"]).sum()
    assert total["contribution_change"] == pytest.approx(change)
    assert total["contribution_change"] == pytest.approx(
        total["contribution_after"] - total["contribution"]
    )


def test_one_unknown_customer_makes_its_segment_and_the_total_unknown_not_smaller():
    data = portfolio(hours_known=True)
    data.loc[data["customer"] == "K4", ["cost_to_serve", "hours"]] = np.nan  # segment B
    seg = segment_effects(customer_effects(data, LEVERS, 365), LEVERS).set_index("segment")
    assert math.isnan(seg.loc["B", "contribution"])
    assert math.isnan(seg.loc["B", "hours_freed"])
    hand = by_hand(data).groupby("segment")["contribution"].sum()
    assert seg.loc["A", "contribution"] == pytest.approx(hand["A"])
    assert totals(seg.reset_index())["contribution"] is None


def test_without_a_cost_price_everything_margin_based_is_unknown_and_revenue_still_moves():
    data = portfolio(hours_known=True).assign(gross_margin=np.nan)
    seg = segment_effects(customer_effects(data, LEVERS, 365), LEVERS)
    total = totals(seg)
    for figure in (
        "gross_margin",
        "gross_margin_after",
        "contribution",
        "contribution_after",
        "contribution_change",
    ):
        assert total[figure] is None
    assert total["revenue_after"] == pytest.approx(by_hand(data)["revenue_after"].sum())
    assert total["cost_to_serve"] == pytest.approx(data["cost_to_serve"].sum())


def test_the_sensitivity_table_without_hours_is_known_only_where_nobody_leaves():
    data = portfolio(hours_known=False)
    table = sensitivity(data, (-0.10, 0.0, 0.10), (0.0, 0.10, 0.25))
    revenue = data["revenue"].sum()
    # nobody leaves: the change is the price change on the revenue, whatever the hours
    assert table.loc[0.10, 0.0] == pytest.approx(0.10 * revenue)
    assert table.loc[-0.10, 0.0] == pytest.approx(-0.10 * revenue)
    assert table[[0.10, 0.25]].isna().all().all()  # their cost to serve goes, unknown
