"""The Pareto and whale curves (portfolio/concentration.py), worked out by hand and at scale.

Five customers, deliberately not in order in the table:

    name  revenue  contribution
    A          10             5
    B          50            20
    C           4            -7
    D          30            15
    E           6            -3

By revenue, largest first: B 50, D 30, A 10, E 6, C 4 (total 100), so the
cumulative shares are 0.50, 0.80, 0.90, 0.96, 1.00 and 80 % of revenue is
reached at the 2nd customer of 5 (customer share 0.4).

By contribution, best first: B 20, D 15, A 5, E -3, C -7 (total 30); the
cumulative contribution is 0, 20, 35, 40, 37, 30 from the start (0, 0): the
whale peaks at 40 after 3 customers of 5 (customer share 0.6), then the loss
makers give 10 away.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from portfolio.concentration import (
    KEEP_SINGLE,
    MAX_POINTS,
    customers_for_share,
    exact_customers_for_share,
    pareto_curve,
    whale_curve,
)
from portfolio.summary import concentration


@pytest.fixture
def five() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_name": ["A", "B", "C", "D", "E"],
            "revenue": [10.0, 50.0, 4.0, 30.0, 6.0],
            "contribution": [5.0, 20.0, -7.0, 15.0, -3.0],
        }
    )


def _large(n: int, seed: int = 20250101) -> pd.DataFrame:
    """``n`` customers with skewed revenue and a contribution that is negative for some."""
    rng = np.random.default_rng(seed)
    revenue = rng.lognormal(mean=8.0, sigma=1.5, size=n).round(2)
    contribution = (revenue * rng.normal(0.10, 0.30, size=n)).round(2)
    return pd.DataFrame(
        {
            "customer_name": [f"Klant {i:06d}" for i in range(n)],
            "revenue": revenue,
            "contribution": contribution,
        }
    )


# --- the hand-worked five customers ---------------------------------------------------------


def test_pareto_curve_orders_customers_largest_first_one_row_each(five):
    curve = pareto_curve(five, "revenue")

    assert curve["customer_name"].tolist() == ["B", "D", "A", "E", "C"]
    assert curve["value"].tolist() == [50.0, 30.0, 10.0, 6.0, 4.0]
    assert curve["value_per_customer"].tolist() == [50.0, 30.0, 10.0, 6.0, 4.0]
    assert curve["first_rank"].tolist() == [1, 2, 3, 4, 5]
    assert curve["last_rank"].tolist() == [1, 2, 3, 4, 5]
    assert curve["customers"].tolist() == [1, 1, 1, 1, 1]


def test_pareto_curve_cumulative_shares_match_hand_worked_values(five):
    curve = pareto_curve(five, "revenue")

    assert curve["customer_share"].tolist() == pytest.approx([0.2, 0.4, 0.6, 0.8, 1.0])
    assert curve["cumulative_share"].tolist() == pytest.approx([0.50, 0.80, 0.90, 0.96, 1.00])


def test_eighty_percent_of_revenue_is_reached_at_the_second_of_five_customers(five):
    curve = pareto_curve(five, "revenue")

    assert customers_for_share(curve, 0.8) == pytest.approx(0.4)
    assert customers_for_share(curve, 0.5) == pytest.approx(0.2)  # B alone is exactly half
    assert customers_for_share(curve, 0.81) == pytest.approx(0.6)  # just past D: A is needed
    assert customers_for_share(curve, 1.0) == pytest.approx(1.0)


def test_share_for_eighty_percent_agrees_with_the_summary_figure(five):
    curve = pareto_curve(five, "revenue")
    _top, needed = concentration(five["revenue"], 0.2, 0.8)

    assert customers_for_share(curve, 0.8) == pytest.approx(needed)


def test_pareto_curve_by_contribution_overshoots_one_before_the_loss_makers(five):
    curve = pareto_curve(five, "contribution")

    assert curve["customer_name"].tolist() == ["B", "D", "A", "E", "C"]
    assert curve["value"].tolist() == [20.0, 15.0, 5.0, -3.0, -7.0]
    # 20, 35, 40, 37, 30 of a total of 30
    assert curve["cumulative_share"].tolist() == pytest.approx(
        [20 / 30, 35 / 30, 40 / 30, 37 / 30, 1.0]
    )
    # 80 % of the total contribution (24) is passed by the 2nd customer (35)
    assert customers_for_share(curve, 0.8) == pytest.approx(0.4)


def test_pareto_curve_leaves_out_customers_without_a_value(five):
    table = five.copy()
    table.loc[0, "revenue"] = np.nan  # A has no revenue figure

    curve = pareto_curve(table, "revenue")

    assert curve["customer_name"].tolist() == ["B", "D", "E", "C"]
    assert curve["customer_share"].tolist() == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert curve["cumulative_share"].tolist() == pytest.approx([50 / 90, 80 / 90, 86 / 90, 1.0])


def test_whale_curve_starts_at_the_origin(five):
    whale = whale_curve(five)

    first = whale.iloc[0]
    assert first["customer_share"] == 0.0
    assert first["cumulative_contribution"] == 0.0
    assert first["cumulative_share"] == 0.0


def test_whale_curve_points_match_hand_worked_cumulative_contribution(five):
    whale = whale_curve(five)

    assert whale["customer_share"].tolist() == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert whale["cumulative_contribution"].tolist() == [0.0, 20.0, 35.0, 40.0, 37.0, 30.0]
    assert whale["cumulative_share"].tolist() == pytest.approx(
        [0.0, 20 / 30, 35 / 30, 40 / 30, 37 / 30, 1.0]
    )


def test_whale_peak_is_forty_after_three_of_five_customers(five):
    whale = whale_curve(five)

    assert whale["is_peak"].tolist() == [False, False, False, True, False, False]
    peak = whale[whale["is_peak"]].iloc[0]
    assert peak["cumulative_contribution"] == 40.0
    assert peak["customer_share"] == pytest.approx(0.6)
    assert peak["cumulative_share"] == pytest.approx(40 / 30)
    # what the loss makers give away after the peak
    assert peak["cumulative_contribution"] - whale["cumulative_contribution"].iloc[-1] == 10.0


def test_whale_peak_is_the_origin_when_every_customer_loses_money():
    table = pd.DataFrame({"customer_name": ["A", "B"], "contribution": [-1.0, -2.0]})

    whale = whale_curve(table)

    assert whale["cumulative_contribution"].tolist() == [0.0, -1.0, -3.0]
    assert whale["is_peak"].tolist() == [True, False, False]


def test_thinned_whale_curve_keeps_the_peak_and_the_end_point(five):
    whale = whale_curve(five, max_points=2)  # only the two ends from the even spacing

    assert whale["customer_share"].tolist() == pytest.approx([0.0, 0.6, 1.0])
    assert whale["cumulative_contribution"].tolist() == [0.0, 40.0, 30.0]
    assert whale["is_peak"].tolist() == [False, True, False]


# --- empty and non-positive totals ----------------------------------------------------------


def test_empty_table_gives_an_empty_pareto_curve_and_no_share():
    empty = pd.DataFrame({"customer_name": [], "revenue": [], "contribution": []})

    curve = pareto_curve(empty, "revenue")

    assert curve.empty
    assert {"customer_share", "cumulative_share", "customers", "value"} <= set(curve.columns)
    assert customers_for_share(curve, 0.8) is None


def test_empty_table_gives_a_whale_curve_of_only_the_origin():
    empty = pd.DataFrame({"customer_name": [], "revenue": [], "contribution": []})

    whale = whale_curve(empty)

    assert len(whale) == 1
    assert whale["customer_share"].iloc[0] == 0.0
    assert whale["cumulative_contribution"].iloc[0] == 0.0
    assert pd.isna(whale["cumulative_share"].iloc[0])
    assert bool(whale["is_peak"].iloc[0])


def test_customers_without_revenue_in_p_leave_the_curve_empty():
    # revenue 0 (or a credit note only) is no customer of C(P): nothing to draw or count
    table = pd.DataFrame(
        {"customer_name": ["A", "B"], "revenue": [0.0, -3.0], "contribution": [-1.0, -2.0]}
    )

    for column in ("revenue", "contribution"):
        curve = pareto_curve(table, column)
        assert curve.empty
        assert customers_for_share(curve, 0.8) is None


def test_negative_total_contribution_leaves_cumulative_share_unknown():
    table = pd.DataFrame(
        {
            "customer_name": ["A", "B", "C"],
            "revenue": [10.0, 20.0, 30.0],
            "contribution": [5.0, -2.0, -9.0],
        }
    )

    curve = pareto_curve(table, "contribution")
    whale = whale_curve(table)

    assert curve["value"].tolist() == [5.0, -2.0, -9.0]
    assert curve["cumulative_share"].isna().all()
    assert customers_for_share(curve, 0.8) is None
    assert whale["cumulative_contribution"].tolist() == [0.0, 5.0, 3.0, -6.0]
    assert whale["cumulative_share"].isna().all()
    assert whale["is_peak"].tolist() == [False, True, False, False]


# --- the size bound at 50,000 customers ----------------------------------------------------


@pytest.fixture(scope="module")
def fifty_thousand() -> pd.DataFrame:
    return _large(50_000)


@pytest.mark.parametrize("column", ["revenue", "contribution"])
def test_pareto_curve_of_fifty_thousand_customers_stays_within_max_points(fifty_thousand, column):
    curve = pareto_curve(fifty_thousand, column)

    assert len(curve) <= MAX_POINTS
    assert curve["customers"].max() > 1  # the tail really is grouped


def test_whale_curve_of_fifty_thousand_customers_stays_within_max_points(fifty_thousand):
    for max_points in (MAX_POINTS, 300):
        assert len(whale_curve(fifty_thousand, max_points)) <= max_points + 2


@pytest.mark.parametrize(
    ("n", "max_points", "single"),
    [
        (50_000, MAX_POINTS, KEEP_SINGLE),
        (50_001, MAX_POINTS, KEEP_SINGLE),  # a last bucket smaller than the others
        (MAX_POINTS + 1, MAX_POINTS, KEEP_SINGLE),  # one customer too many for a row each
        (10_000, 300, 150),  # few points: half of them for single customers
    ],
)
def test_buckets_partition_every_customer(n, max_points, single):
    table = _large(n)
    values = np.sort(table["revenue"].to_numpy())[::-1]
    before = np.concatenate([[0.0], values.cumsum()])  # before[i]: sum of the i largest

    curve = pareto_curve(table, "revenue", max_points)

    assert len(curve) <= max_points
    assert curve["customers"].sum() == n
    assert curve["first_rank"].iloc[0] == 1
    assert curve["last_rank"].iloc[-1] == n
    assert (curve["first_rank"].iloc[1:].to_numpy() == curve["last_rank"].iloc[:-1] + 1).all()
    assert (curve["customers"] == curve["last_rank"] - curve["first_rank"] + 1).all()
    assert curve["value"].sum() == pytest.approx(values.sum(), rel=1e-12)
    # each bar holds exactly the customers of its ranks
    expected = before[curve["last_rank"]] - before[curve["first_rank"] - 1]
    assert curve["value"].to_numpy() == pytest.approx(expected, rel=1e-9)
    assert curve["value_per_customer"].to_numpy() == pytest.approx(
        curve["value"] / curve["customers"], rel=1e-12
    )
    # the largest customers keep a bar of their own; after them every bar is grouped
    assert (curve["customers"].iloc[:single] == 1).all()
    assert (curve["customers"].iloc[single:-1] > 1).all()


def test_largest_customers_keep_a_named_bar_of_their_own(fifty_thousand):
    ordered = fifty_thousand.sort_values("revenue", ascending=False, kind="stable")

    curve = pareto_curve(fifty_thousand, "revenue")

    head = curve.iloc[:KEEP_SINGLE]
    assert (head["customers"] == 1).all()
    assert head["customer_name"].tolist() == ordered["customer_name"].iloc[:KEEP_SINGLE].tolist()
    assert head["value"].tolist() == ordered["revenue"].iloc[:KEEP_SINGLE].tolist()
    grouped = curve[curve["customers"] > 1]
    assert grouped["customer_name"].isna().all()


@pytest.mark.parametrize("column", ["revenue", "contribution"])
def test_pareto_curve_ends_at_all_customers_and_the_whole_total(fifty_thousand, column):
    curve = pareto_curve(fifty_thousand, column)

    assert curve["customer_share"].iloc[-1] == 1.0
    assert curve["cumulative_share"].iloc[-1] == pytest.approx(1.0, rel=1e-9)
    assert curve["customer_share"].is_monotonic_increasing


def test_share_for_eighty_percent_is_at_most_one_bucket_past_the_exact_answer(fifty_thousand):
    values = np.sort(fifty_thousand["revenue"].to_numpy())[::-1]
    cumulative = values.cumsum() / values.sum()
    n = len(values)
    exact = (int((cumulative < 0.8).sum()) + 1) / n

    curve = pareto_curve(fifty_thousand, "revenue")
    share = customers_for_share(curve, 0.8)

    assert exact <= share <= exact + curve["customers"].max() / n


@pytest.mark.parametrize("column", ["revenue", "contribution"])
def test_exact_share_for_eighty_percent_ignores_the_charts_buckets(fifty_thousand, column):
    values = np.sort(fifty_thousand[column].to_numpy())[::-1]
    cumulative = values.cumsum() / values.sum()
    exact = (int((cumulative < 0.8).sum()) + 1) / len(values)

    assert exact_customers_for_share(fifty_thousand, column, 0.8) == pytest.approx(exact)
    assert pareto_curve(fifty_thousand, column)["customers"].max() > 1  # the chart groups


def test_exact_share_for_eighty_percent_agrees_with_the_summary_figure(fifty_thousand):
    _top, needed = concentration(fifty_thousand["revenue"], 0.2, 0.8)

    assert exact_customers_for_share(fifty_thousand, "revenue", 0.8) == pytest.approx(needed)


def test_whale_curve_of_fifty_thousand_customers_keeps_origin_peak_and_end(fifty_thousand):
    values = np.sort(fifty_thousand["contribution"].to_numpy())[::-1]
    cumulative = values.cumsum()
    n = len(values)
    assert cumulative[-1] > 0 and cumulative.max() > cumulative[-1]  # a real whale

    whale = whale_curve(fifty_thousand)

    first, last = whale.iloc[0], whale.iloc[-1]
    assert (first["customer_share"], first["cumulative_contribution"]) == (0.0, 0.0)
    assert last["customer_share"] == 1.0
    assert last["cumulative_contribution"] == pytest.approx(cumulative[-1], rel=1e-9)
    assert last["cumulative_share"] == pytest.approx(1.0, rel=1e-9)
    assert whale["customer_share"].is_monotonic_increasing
    assert whale["is_peak"].sum() == 1
    peak = whale[whale["is_peak"]].iloc[0]
    assert peak["cumulative_contribution"] == pytest.approx(cumulative.max(), rel=1e-12)
    assert peak["customer_share"] == (int(cumulative.argmax()) + 1) / n
    assert peak["cumulative_contribution"] == whale["cumulative_contribution"].max()


def test_both_pareto_curves_count_the_customers_of_c_p(five):
    # a lost customer with a credit note in P and a customer only in the customer file (hours,
    # no revenue): neither is in C(P), so neither is on the curve by contribution either
    lost = {"customer_name": "Lost", "revenue": -5.0, "contribution": -2.0}
    file_only = {"customer_name": "File only", "revenue": 0.0, "contribution": -8.0}
    table = pd.concat([five, pd.DataFrame([lost, file_only])], ignore_index=True)
    by_revenue = pareto_curve(table, "revenue")
    by_contribution = pareto_curve(table, "contribution")
    assert by_revenue["customers"].sum() == by_contribution["customers"].sum() == 5
    assert by_contribution["cumulative_share"].tolist() == pytest.approx(
        [20 / 30, 35 / 30, 40 / 30, 37 / 30, 1.0]
    )
    assert by_revenue["cumulative_share"].max() == 1.0
