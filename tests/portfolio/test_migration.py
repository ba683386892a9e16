"""Segment migration: every customer's move between two splits, and the matrix that counts
them, on a hand-made portfolio whose moves are known and on generated ones."""

from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio import customer_table, months_ending
from portfolio.config import segment_rules, thresholds
from portfolio.segments.migration import (
    LOST,
    NEW,
    finalized_now,
    matrix_grid,
    migration_matrix,
    moves,
    segments_of,
)
from portfolio.segments.schemes import grid_segments, value_segments
from tests.conftest import read_demo

BEFORE = pd.Series({"1": "A", "2": "B", "3": "C", "4": "A"})  # 4 leaves
NOW = pd.Series({"1": "C", "2": "B", "3": "C", "5": "B"})  # 1 falls from A to C, 5 is new
REVENUE_BEFORE = pd.Series({"1": 100.0, "2": 50.0, "3": 10.0, "4": 70.0})
REVENUE_NOW = pd.Series({"1": 20.0, "2": 60.0, "3": 12.0, "5": 30.0})


def test_each_customer_moves_from_its_old_segment_to_its_new_one():
    moved = moves(BEFORE, NOW).set_index("customer")
    assert moved.loc["1"].tolist() == ["A", "C"]
    assert moved.loc["2"].tolist() == ["B", "B"]
    assert moved.loc["5"].tolist() == [NEW, "B"]
    assert moved.loc["4"].tolist() == ["A", LOST]
    assert len(moved) == 5


def test_the_matrix_counts_customers_and_sums_their_revenue_per_move():
    matrix = migration_matrix(moves(BEFORE, NOW), REVENUE_BEFORE, REVENUE_NOW)
    cells = matrix.set_index(["from", "to"])
    assert cells.loc[("A", "C")].tolist() == [1, 100.0, 20.0]
    assert cells.loc[("A", LOST)].tolist() == [1, 70.0, 0.0]
    assert cells.loc[(NEW, "B")].tolist() == [1, 0.0, 30.0]
    assert cells.loc[("C", "C")].tolist() == [1, 10.0, 12.0]


def test_the_grid_has_a_row_per_old_segment_and_a_column_per_new_one_with_new_and_lost():
    matrix = migration_matrix(moves(BEFORE, NOW), REVENUE_BEFORE, REVENUE_NOW)
    grid = matrix_grid(matrix, ["A", "B", "C"])
    assert grid.index.tolist() == ["A", "B", "C", NEW]
    assert grid.columns.tolist() == ["A", "B", "C", LOST]
    assert grid.loc["A"].tolist() == [0, 0, 1, 1]
    assert grid.loc[NEW].tolist() == [0, 1, 0, 0]


def test_a_grid_without_new_or_lost_customers_has_no_such_row_or_column():
    same, revenue = pd.Series({"1": "A", "2": "B"}), pd.Series({"1": 1.0, "2": 1.0})
    grid = matrix_grid(migration_matrix(moves(same, same), revenue, revenue), ["A", "B"])
    assert grid.index.tolist() == ["A", "B"] and grid.columns.tolist() == ["A", "B"]
    assert grid.to_numpy().tolist() == [[1, 0], [0, 1]]


splits = st.dictionaries(
    st.integers(1, 60).map(str), st.sampled_from(["A", "B", "C", "D"]), max_size=40
)


@given(splits, splits)
def test_the_matrix_sums_to_the_customers_of_both_periods(before, now):
    before, now = pd.Series(before, dtype=object), pd.Series(now, dtype=object)
    revenue_before = pd.Series(1.5, index=before.index)
    revenue_now = pd.Series(2.0, index=now.index)
    matrix = migration_matrix(moves(before, now), revenue_before, revenue_now)
    came_from = matrix[matrix["from"] != NEW]
    went_to = matrix[matrix["to"] != LOST]
    assert came_from["customers"].sum() == len(before)
    assert went_to["customers"].sum() == len(now)
    assert matrix["customers"].sum() == len(set(before.index) | set(now.index))
    assert came_from["revenue_before"].sum() == 1.5 * len(before)
    assert went_to["revenue_now"].sum() == 2.0 * len(now)
    for segment, count in now.value_counts().items():
        assert went_to.loc[went_to["to"] == segment, "customers"].sum() == count


# -- the finalized split against now -------------------------------------------------------


@pytest.fixture(scope="module")
def demo_table(tmp_path_factory):
    con, tables, last = read_demo(tmp_path_factory.mktemp("demo"))
    return customer_table(con, tables, months_ending(last, 12))


def test_a_finalized_split_with_the_default_thresholds_is_the_default_split(demo_table):
    sizes, grid = thresholds().size_class, segment_rules().grid
    saved = {
        "medium_from": sizes.medium_from,
        "large_from": sizes.large_from,
        "margin_pct_from": grid.margin_pct_from * 100,
    }
    now = finalized_now(demo_table, {"scheme": "grid", "thresholds": saved})
    assert now.equals(segments_of(demo_table, "grid"))


def test_the_finalized_grid_is_recomputed_with_its_own_thresholds(demo_table):
    saved = {
        "medium_from": 5_000.0,
        "large_from": 60_000.0,
        "margin_pct_from": 35.0,
        "days_late_max": 0.0,
    }
    now = finalized_now(demo_table, {"scheme": "grid", "thresholds": saved})
    rules = replace(segment_rules().grid, margin_pct_from=0.35, days_late_max=0.0)
    by_hand = grid_segments(demo_table, rules, 5_000.0, 60_000.0)
    assert now.tolist() == by_hand["segment"].tolist()
    assert not now.equals(segments_of(demo_table, "grid"))  # the thresholds mattered


def test_the_finalized_value_split_keeps_its_method_cuts_and_weights(demo_table):
    saved = {"method": "percentile", "cuts": [0.1, 0.3, 0.6], "weights": {"revenue": 1.0}}
    now = finalized_now(demo_table, {"scheme": "value", "thresholds": saved})
    rules = replace(
        segment_rules().value, method="percentile", cuts=(0.1, 0.3, 0.6), weights={"revenue": 1.0}
    )
    by_hand = value_segments(demo_table, rules)["segment"]
    assert (
        now.sort_index().tolist()
        == by_hand.set_axis(demo_table.loc[by_hand.index, "customer"].astype(str))
        .sort_index()
        .tolist()
    )
