"""The segmentation schemes on hand-made customers, at and around every boundary."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from portfolio import customer_table, months_ending
from portfolio.config import SizeClass, segment_rules, thresholds
from portfolio.segments.schemes import (
    SPLITS,
    customer_types,
    default_split,
    final_split,
    fit_summary,
    grid_answers,
    grid_cells,
    grid_segments,
    segment_summary,
    size_classes,
    value_segments,
)
from tests.conftest import read_demo

RULES = replace(
    segment_rules().grid,
    margin_pct_from=0.25,
    contribution_per_hour_from=60.0,
    days_late_max=5.0,
    innovation_from=3.0,
    network_from=3.0,
    a_from={"small": 4, "medium": 3, "large": 2},
    b_from={"small": 3, "medium": 1, "large": 0},
)
NAN = math.nan


def customers(*rows: dict) -> pd.DataFrame:
    """A per-customer table with the columns the schemes read; unnamed values are 'no'."""
    base = {
        "revenue": 1000.0,
        "margin_pct": 0.0,
        "gross_margin": 0.0,
        "contribution": 0.0,
        "hours": NAN,
        "days_late": NAN,
        "innovation": NAN,
        "network": NAN,
        "satisfaction": NAN,
        "fit_code": NAN,
        "discount_pct": NAN,
        "active_months": 0,
        "years_in_a_row": 0,
        "revenue_prev": 0.0,
        "revenue_change_pct": NAN,
    }
    frame = pd.DataFrame([{**base, **row} for row in rows])
    frame.insert(0, "customer", [f"K{i}" for i in range(len(frame))])
    frame.insert(1, "customer_name", [f"Klant {i}" for i in range(len(frame))])
    return frame


@pytest.mark.parametrize(
    "revenue, size",
    [(4999.99, "small"), (5000.0, "medium"), (24999.99, "medium"), (25000.0, "large")],
)
def test_size_class_bounds_are_inclusive_from_below(revenue, size):
    assert size_classes(pd.Series([revenue]), SizeClass(5000, 25000)).iloc[0] == size


@pytest.mark.parametrize(
    "row, margin",
    [
        ({"margin_pct": 0.25}, True),  # exactly the bound
        ({"margin_pct": 0.2499}, False),
        # a thin margin still answers yes when the hours are well paid
        ({"margin_pct": 0.10, "contribution": 600.0, "hours": 10.0}, True),  # 60 per hour
        ({"margin_pct": 0.10, "contribution": 599.0, "hours": 10.0}, False),
        ({"margin_pct": 0.10, "contribution": 600.0, "hours": 0.0}, False),  # no hours known
        ({"margin_pct": 0.10, "contribution": NAN, "hours": NAN}, False),  # known and thin
    ],
)
def test_the_margin_question(row, margin):
    assert bool(grid_answers(customers(row), RULES)["margin"].iloc[0]) is margin


@pytest.mark.parametrize("hours", [NAN, 0.0, 10.0])
def test_no_cost_price_in_the_data_answers_the_margin_question_yes_as_unknown_is_not_against(
    hours,
):
    # unknown is not zero: a margin the export does not have cannot be judged; answering no
    # put every customer of an export without cost price in C
    row = {"margin_pct": NAN, "gross_margin": NAN, "contribution": NAN, "hours": hours}
    assert bool(grid_answers(customers(row), RULES)["margin"].iloc[0]) is True


def test_in_the_grid_an_unknown_margin_gives_the_step_a_known_low_one_does_not():
    table = customers(
        {"revenue": 10_000.0, "margin_pct": NAN, "gross_margin": NAN, "contribution": NAN},
        {"revenue": 10_000.0, "margin_pct": 0.05, "gross_margin": 500.0},
    )
    out = grid_segments(table, RULES, 5_000, 25_000)
    assert list(out["margin"]) == [True, False]
    assert list(out["score"]) == [1, 0]
    assert list(out["segment"]) == ["B", "C"]  # medium: B from one positive answer


@pytest.mark.parametrize(
    "days_late, cashflow", [(5.0, True), (5.01, False), (-3.0, True), (NAN, False)]
)
def test_the_cashflow_question(days_late, cashflow):
    answers = grid_answers(customers({"days_late": days_late}), RULES)
    assert bool(answers["cashflow"].iloc[0]) is cashflow


@pytest.mark.parametrize("score, answer", [(3.0, True), (2.99, False), (NAN, False)])
def test_the_innovation_and_network_questions(score, answer):
    answers = grid_answers(customers({"innovation": score, "network": score}), RULES)
    assert bool(answers["innovation"].iloc[0]) is answer
    assert bool(answers["network"].iloc[0]) is answer


def _score(n: int) -> dict:
    """Answers that give a score of ``n``: margin, cashflow, innovation, network in turn."""
    yes = [{"margin_pct": 0.5}, {"days_late": 0.0}, {"innovation": 5.0}, {"network": 5.0}]
    return {k: v for answer in yes[:n] for k, v in answer.items()}


@pytest.mark.parametrize(
    "revenue, score, segment",
    [
        (1000.0, 4, "A"),
        (1000.0, 3, "B"),
        (1000.0, 2, "C"),
        (1000.0, 0, "C"),  # small
        (10000.0, 3, "A"),
        (10000.0, 2, "B"),
        (10000.0, 1, "B"),
        (10000.0, 0, "C"),  # medium
        (30000.0, 2, "A"),
        (30000.0, 1, "B"),
        (30000.0, 0, "B"),  # large: at least B
    ],
)
def test_the_grid_cut_per_size_class(revenue, score, segment):
    out = grid_segments(customers({"revenue": revenue, **_score(score)}), RULES, 5000, 25000)
    assert out["score"].iloc[0] == score
    assert out["segment"].iloc[0] == segment
    assert out["channel"].iloc[0] == RULES.channels[segment]


def test_customers_without_revenue_in_the_period_are_not_segmented():
    table = customers({"revenue": 0.0}, {"revenue": -50.0}, {"revenue": 10.0})
    out = grid_segments(table, RULES, 5000, 25000)
    assert list(out["customer"]) == ["K2"]


def test_grid_cells_cover_all_fifteen_cells_and_add_up():
    table = customers(
        {"revenue": 1000.0, **_score(4)},
        {"revenue": 2000.0, **_score(4)},
        {"revenue": 30000.0},
        {"revenue": 0.0},
    )
    segments = grid_segments(table, RULES, 5000, 25000)
    cells = grid_cells(segments, table, RULES)
    assert len(cells) == 15
    assert cells["customers"].sum() == 3
    assert cells["revenue"].sum() == 33000.0
    small4 = cells[(cells["size_class"] == "small") & (cells["score"] == 4)].iloc[0]
    assert (small4["customers"], small4["revenue"], small4["segment"]) == (2, 3000.0, "A")
    empty = cells[(cells["size_class"] == "medium") & (cells["score"] == 1)].iloc[0]
    assert (empty["customers"], empty["segment"]) == (0, "B")  # an empty cell has a segment


def test_segment_summary_partitions_the_segmented_customers():
    table = customers(
        {
            "revenue": 1000.0,
            "gross_margin": 300.0,
            "contribution": 100.0,
            "hours": 2.0,
            **_score(4),
        },
        {"revenue": 3000.0, "gross_margin": 600.0, "contribution": -50.0, "hours": 6.0},
    )
    segments = grid_segments(table, RULES, 5000, 25000)
    summary = segment_summary(segments, table).set_index("segment")
    assert summary.loc["A", "customers"] == 1 and summary.loc["C", "customers"] == 1
    assert summary["revenue"].sum() == 4000.0
    assert summary.loc["A", "revenue_share"] == 0.25
    assert summary.loc["C", "hours_share"] == 0.75
    assert summary["customers_share"].sum() == pytest.approx(1.0)


def test_fit_summary_counts_codes_and_warns_when_code_3_takes_most_hours():
    table = customers(
        {"fit_code": 1, "hours": 10.0, "revenue": 5000.0},
        {"fit_code": 3, "hours": 60.0, "revenue": 500.0},
        {"fit_code": 3, "hours": 20.0, "revenue": 500.0},
        {"fit_code": NAN, "hours": 10.0, "revenue": 1000.0},
    )
    rules = segment_rules().fit
    summary, warn = fit_summary(table, rules)
    by_code = summary.set_index("code")
    assert list(by_code.index) == [1, 2, 3, 0]
    assert by_code.loc[3, "customers"] == 2 and by_code.loc[2, "customers"] == 0
    assert by_code.loc[3, "hours_share"] == 0.8
    assert by_code.loc[1, "revenue_share"] == 5000.0 / 7000.0
    assert warn
    _summary, calm = fit_summary(table, replace(rules, code3_hours_warning=0.8))
    assert not calm  # 80 % is not more than 80 %


VALUE = replace(
    segment_rules().value, weights={"revenue": 1}, method="value_share", cuts=(0.5, 0.8, 0.95)
)


def _valued(revenues: list[float]) -> pd.DataFrame:
    return customers(
        *({"revenue": r, "years_in_a_row": 1, "revenue_change_pct": NAN} for r in revenues)
    )


def test_value_scores_are_shares_and_the_split_follows_the_value_share():
    # revenue alone, 1.000 in all: the shares 0.4, 0.3, 0.2, 0.1 are the values; the first
    # starts at 0 % of the total value (A), the second at 40 % (A), the third at 70 % (B),
    # the last at 90 % (C); nobody starts past 95 %, so no D
    out = value_segments(_valued([100.0, 400.0, 300.0, 200.0]), VALUE)
    assert list(out["customer"]) == ["K1", "K2", "K3", "K0"]
    assert list(out["value"]) == pytest.approx([0.4, 0.3, 0.2, 0.1])
    assert list(out["score_revenue"]) == list(out["value"])
    assert list(out["segment"]) == ["A", "A", "B", "C"]
    assert list(out["rank"]) == [1, 2, 3, 4]


def test_by_percentile_the_scores_stay_percentile_ranks():
    out = value_segments(_valued([100.0, 400.0, 300.0, 200.0]), replace(VALUE, method="percentile"))
    assert list(out["value"]) == [1.0, 0.75, 0.5, 0.25]


def test_the_percentile_split_cuts_the_customers_by_share():
    rules = replace(VALUE, method="percentile", cuts=(0.2, 0.5, 0.8))
    out = value_segments(_valued([float(r) for r in range(10, 0, -1)]), rules)
    assert list(out["segment"]) == ["A", "A", "B", "B", "B", "C", "C", "C", "D", "D"]


def test_weights_mix_the_elements_and_elements_without_data_are_left_out():
    rules = replace(VALUE, weights={"revenue": 1, "contribution": 3, "strategic": 5})
    table = customers(
        {"revenue": 100.0, "contribution": -10.0, "years_in_a_row": 1},
        {"revenue": 50.0, "contribution": 40.0, "years_in_a_row": 1},
    )
    out = value_segments(table, rules).set_index("customer")
    assert "score_strategic" not in out.columns  # no scores in the data at all
    # K0: revenue 100 / 150, its loss counts 0 -> (2/3 × 1 + 0 × 3) / 4 = 1/6;
    # K1: revenue 50 / 150, all of the positive contribution -> (1/3 + 3) / 4 = 5/6
    assert out.loc["K0", "value"] == pytest.approx(1 / 6)
    assert out.loc["K1", "value"] == pytest.approx(5 / 6)
    # by percentile: K0 revenue 1.0, contribution 0.5 -> (1 + 1.5) / 4; K1: (0.5 + 3) / 4
    by_rank = value_segments(table, replace(rules, method="percentile")).set_index("customer")
    assert by_rank.loc["K0", "value"] == 0.625 and by_rank.loc["K1", "value"] == 0.875


SAME_MARGIN = [  # margin 30 % and contribution 10 % of revenue for everyone who has them
    {"revenue": r, "gross_margin": 0.3 * r, "contribution": 0.1 * r, "years_in_a_row": 1}
    for r in (4000.0, 3000.0, 2000.0, 1000.0)
]
NO_COST = {"gross_margin": NAN, "contribution": NAN, "margin_pct": NAN}


@pytest.mark.parametrize("method", ["value_share", "percentile"])
def test_a_margin_some_customers_lack_is_left_out_of_their_value_not_counted_as_zero(method):
    rules = replace(
        VALUE, weights={"revenue": 1, "gross_margin": 1, "contribution": 1}, method=method
    )
    complete = value_segments(customers(*SAME_MARGIN), rules).set_index("customer")
    # the largest customer without cost price: as 0 its margin would rank it last on two
    # of three elements; left out, its revenue alone places it
    rows = [{**SAME_MARGIN[0], **NO_COST}, *SAME_MARGIN[1:]]
    out = value_segments(customers(*rows), rules).set_index("customer")
    assert math.isnan(out.loc["K0", "score_gross_margin"])
    assert math.isnan(out.loc["K0", "score_contribution"])
    assert out.loc["K0", "value"] == out.loc["K0", "score_revenue"]
    assert list(out.index) == list(complete.index) == ["K0", "K1", "K2", "K3"]
    if method == "value_share":
        # with one margin % for all, the known shares are of the revenue they cover
        # (6.000 of 10.000): every value is the revenue share, as with nothing unknown
        assert list(out["value"]) == pytest.approx([0.4, 0.3, 0.2, 0.1])
        assert list(out["value"]) == pytest.approx(list(complete["value"]))
        assert list(out["segment"]) == list(complete["segment"])
    else:  # ranked among the three that have a margin
        assert list(out["score_gross_margin"].iloc[1:]) == [1.0, 2 / 3, 1 / 3]


def test_a_few_customers_with_cost_price_do_not_share_all_the_margin_between_them():
    rules = replace(VALUE, weights={"revenue": 1, "gross_margin": 1})
    rows = [
        {"revenue": 9000.0, **NO_COST},
        {"revenue": 500.0, **NO_COST},
        {"revenue": 500.0, "gross_margin": 150.0, "margin_pct": 0.3},
    ]
    out = value_segments(customers(*rows), rules).set_index("customer")
    assert out.loc["K2", "score_gross_margin"] == pytest.approx(0.05)  # not 1.0
    assert list(out.index) == ["K0", "K1", "K2"] or list(out.index) == ["K0", "K2", "K1"]
    assert out.loc["K0", "segment"] == "A"


def test_a_customer_with_only_unknown_elements_weighted_has_value_0():
    rules = replace(VALUE, weights={"gross_margin": 1})
    rows = [{"revenue": 9000.0, **NO_COST}, {"revenue": 500.0, "gross_margin": 150.0}]
    out = value_segments(customers(*rows), rules).set_index("customer")
    assert out.loc["K0", "value"] == 0.0 and out.loc["K1", "value"] > 0


TYPES = replace(
    segment_rules().types,
    ambassador_top_share=0.5,
    ambassador_margin_pct_from=0.2,
    ambassador_months_from=6,
    ambassador_days_late_max=5.0,
    price_buyer_discount_from=0.1,
    price_buyer_margin_pct_below=0.1,
    disastrous_contribution_below=0.0,
    disastrous_satisfaction_max=1.0,
)
AMBASSADOR = {
    "revenue": 9000.0,
    "margin_pct": 0.2,
    "active_months": 6,
    "days_late": 5.0,
    "contribution": 100.0,
    "discount_pct": 0.0,
    "satisfaction": 4.0,
}


@pytest.mark.parametrize(
    "change, segment, reasons",
    [
        ({}, "A", ("among_largest", "healthy_margin", "buys_often", "pays_on_time")),
        (
            {"days_late": NAN},
            "A",
            ("among_largest", "healthy_margin", "buys_often", "pays_on_time"),
        ),  # no payment data: not held against
        ({"days_late": 5.01}, "B", ()),
        ({"active_months": 5}, "B", ()),
        ({"margin_pct": 0.1999}, "B", ()),
        ({"revenue": 10.0}, "B", ()),  # not among the largest half any more
        ({"discount_pct": 0.1}, "C", ("high_discount",)),
        ({"margin_pct": 0.0999}, "C", ("thin_margin",)),
        ({"contribution": -0.01}, "D", ("loss_making",)),
        ({"satisfaction": 1.0, "discount_pct": 0.5}, "D", ("never_satisfied",)),  # D first
        (
            {"satisfaction": NAN},
            "A",
            ("among_largest", "healthy_margin", "buys_often", "pays_on_time"),
        ),
    ],
)
def test_customer_types_at_their_boundaries(change, segment, reasons):
    table = customers(
        {**AMBASSADOR, **change}, {"revenue": 100.0, "margin_pct": 0.5, "contribution": 10.0}
    )
    out = customer_types(table, TYPES)
    assert out["segment"].iloc[0] == segment
    assert out["reasons"].iloc[0] == reasons


@pytest.mark.parametrize(
    "change, segment, reasons",
    [
        ({}, "A", ("among_largest", "margin_unknown", "buys_often", "pays_on_time")),
        ({"active_months": 5}, "B", ()),  # the unknown margin does not make it A either
        ({"discount_pct": 0.1}, "C", ("high_discount",)),  # a known signal still counts
        ({"satisfaction": 1.0}, "D", ("never_satisfied",)),
    ],
)
def test_no_cost_price_makes_no_thin_margin_and_no_bar_to_ambassador_as_unknown_is_not_against(
    change, segment, reasons
):
    unknown = {"margin_pct": NAN, "gross_margin": NAN, "contribution": NAN}
    table = customers(
        {**AMBASSADOR, **unknown, **change},
        {"revenue": 100.0, "margin_pct": 0.5, "contribution": 10.0},
    )
    out = customer_types(table, TYPES)
    assert out["segment"].iloc[0] == segment
    assert out["reasons"].iloc[0] == reasons


def test_every_default_split_gives_each_buying_customer_one_segment(tmp_path):
    con, tables, last = read_demo(tmp_path)
    table = customer_table(con, tables, months_ending(last, 12))
    buying = table[table["revenue"] > 0]
    expected = {
        "grid": {"A", "B", "C"},
        "value": {"A", "B", "C", "D"},
        "types": {"A", "B", "C", "D"},
        "fit": {"1", "2", "3", "none"},
        "profit": {"profitable", "loss_making"},
        "all": {"all"},
    }
    for split in SPLITS:
        segments = default_split(table, split, segment_rules(), thresholds().size_class)
        assert sorted(segments.index) == sorted(buying.index), split
        assert set(segments) <= expected[split], split
        assert segments.notna().all(), split
    profit = default_split(table, "profit", segment_rules(), thresholds().size_class)
    assert (buying.loc[profit == "loss_making", "contribution"] <= 0).all()
    assert (buying.loc[profit == "profitable", "contribution"] > 0).all()


def test_the_finalized_split_marks_customers_it_does_not_know_as_unassigned():
    table = pd.DataFrame({"customer": ["K1", "K2", "K3"], "revenue": [10.0, 5.0, 0.0]})
    chosen = final_split(table, {"segments": {"K1": "A", "K3": "C"}})
    assert chosen.to_dict() == {0: "A", 1: "unassigned"}
