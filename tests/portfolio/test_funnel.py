"""The five steps on hand-made customers: every group boundary, the ice cubes' figures,
the appointments' states, the weighted budget, the prospects' ranking and the bucket."""

from datetime import date

import pandas as pd
import pytest

from portfolio.config import Condition, ProspectRules, SelectRules
from portfolio.funnel.steps import (
    appointment_state,
    bucket,
    calendar_weeks,
    default_appointments,
    expected_new_revenue,
    funnel_flows,
    group_summary,
    profile,
    quarter,
    remediation,
    remediation_totals,
    score_prospects,
    select,
    temperature,
    weighted_budget,
)

NAN = float("nan")
RULES = SelectRules(
    profitable_from=0.0,
    strategic_from=3.5,
    fit_code_max=1,
    growth_from=0.10,
    interesting_segments=("A",),
)


def customers(rows: list[dict]) -> pd.DataFrame:
    base = {
        "customer_name": "x",
        "revenue": 1000.0,
        "contribution": 100.0,
        "innovation": NAN,
        "network": NAN,
        "satisfaction": NAN,
        "fit_code": NAN,
        "revenue_change_pct": NAN,
    }
    return pd.DataFrame([{**base, "customer": f"K{i}", **r} for i, r in enumerate(rows)])


@pytest.mark.parametrize(
    ("row", "segment", "group"),
    [
        ({"contribution": 0.0}, "B", "part"),  # at the bound: not profitable
        ({"contribution": 0.01}, "B", "anchor"),  # just above: profitable
        ({"contribution": NAN}, "B", "anchor"),  # no cost price: counts as profitable
        (
            {"contribution": -5.0, "innovation": 3.5, "network": 3.5, "satisfaction": 3.5},
            "B",
            "remediate",
        ),  # strategic score at the bound: interesting
        (
            {"contribution": -5.0, "innovation": 3.0, "network": 4.0, "satisfaction": 3.49},
            "B",
            "part",
        ),  # mean 3.497: just below
        ({"innovation": 5.0}, "B", "grow"),  # the scores it has count: mean 5
        ({"fit_code": 1.0}, "B", "grow"),
        ({"fit_code": 2.0}, "B", "anchor"),
        ({"revenue_change_pct": 0.10}, "B", "grow"),  # growth at the bound
        ({"revenue_change_pct": 0.0999}, "B", "anchor"),
        ({}, "A", "grow"),  # an interesting segment
        ({"contribution": -1.0}, "A", "remediate"),
    ],
)
def test_select_puts_each_customer_in_the_group_of_its_marks(row, segment, group):
    table = customers([row])
    chosen = select(table, pd.Series([segment], index=table.index), RULES)
    assert chosen["group"].tolist() == [group]


def test_select_keeps_each_customers_segment_beside_the_segment_signal():
    table = customers([{}, {}])
    chosen = select(table, pd.Series(["A", "C"], index=table.index), RULES)

    assert chosen["segment"].tolist() == ["A", "C"]  # the segment, not True/False
    assert chosen["segment_signal"].tolist() == [True, False]  # A is an interesting segment


def test_select_leaves_out_customers_without_revenue_and_summary_has_all_groups():
    table = customers(
        [
            {"revenue": 0.0},
            {"revenue": 500.0, "contribution": -1.0},
            {"revenue": 1500.0, "fit_code": 1.0},
        ]
    )
    chosen = select(table, pd.Series(["B"] * 3, index=table.index), RULES)
    assert chosen["customer"].tolist() == ["K1", "K2"]
    summary = group_summary(chosen).set_index("group")
    assert summary.index.tolist() == ["anchor", "remediate", "grow", "part"]
    assert summary.loc["grow", "revenue"] == 1500
    assert summary.loc["part", "customers"] == 1
    assert summary.loc["anchor", "customers"] == 0
    assert summary["revenue_share"].sum() == pytest.approx(1.0)
    flows = funnel_flows(chosen)
    for stage in (0, 1, 2):
        part = flows[flows["stage"] == stage]
        assert part["customers"].sum() == 2 and part["revenue"].sum() == 2000


CONDITIONS = {
    "price_rise": Condition(price_change=0.10, cost_to_serve_change=0.0, fewer_days=0),
    "minimum_order": Condition(price_change=0.0, cost_to_serve_change=-0.30, fewer_days=0),
}


def test_the_ice_cubes_hand_worked():
    # revenue 1,000, gross margin 200, cost to serve 300: contribution -100
    ice = pd.DataFrame(
        {
            "customer": ["K1", "K2", "K3", "K4"],
            "revenue": [1000.0] * 4,
            "gross_margin": [200.0] * 4,
            "cost_to_serve": [300.0] * 4,
            "contribution": [-100.0] * 4,
            "condition": ["price_rise", "minimum_order", "price_rise", "price_rise"],
            "status": ["proposed", "proposed", "accepted", "refused"],
        }
    )
    out = remediation(ice, CONDITIONS, acceptance=0.7).set_index("customer")
    assert out.loc["K1", "contribution_if_accepted"] == pytest.approx(0.0)  # 200 + 100 - 300
    assert out.loc["K2", "contribution_if_accepted"] == pytest.approx(-10.0)  # 200 - 210
    assert out["chance"].tolist() == [0.7, 0.7, 1.0, 0.0]
    assert out.loc["K1", "expected_revenue"] == pytest.approx(770.0)  # 0.7 × 1,000 × 1.1
    assert out.loc["K2", "expected_contribution"] == pytest.approx(-7.0)
    assert out.loc["K1", "revenue_at_risk"] == pytest.approx(300.0)
    assert out.loc["K1", "contribution_at_risk"] == pytest.approx(-30.0)
    assert out.loc["K4", "expected_revenue"] == 0 and out.loc["K4", "revenue_at_risk"] == 1000
    totals = remediation_totals(out)
    assert totals["revenue"] == 4000
    assert totals["expected_revenue"] == pytest.approx(770 + 700 + 1100 + 0)
    assert totals["replacement_needed"] == pytest.approx(4000 - 2570)
    assert totals["expected_contribution"] == pytest.approx(0 - 7 + 0 + 0)


@pytest.mark.parametrize(
    ("when", "done", "state"),
    [
        (date(2026, 11, 22), False, "overdue"),
        (date(2026, 11, 22), True, "done"),
        (date(2026, 11, 23), False, "soon"),
        (date(2026, 12, 7), False, "soon"),  # 14 days ahead
        (date(2026, 12, 8), False, "planned"),
        (None, False, "unplanned"),
    ],
)
def test_appointment_states(when, done, state):
    assert appointment_state(when, done, date(2026, 11, 23), soon_days=14) == state


def test_default_appointments_start_six_months_ahead_on_working_days_a_few_a_day():
    days = default_appointments(9, date(2026, 11, 23), months_ahead=6, per_day=4)
    # 23 May 2027 is a Sunday: Monday 24 and Tuesday 25 take four each, Wednesday one
    assert days == [date(2027, 5, 24)] * 4 + [date(2027, 5, 25)] * 4 + [date(2027, 5, 26)]
    assert default_appointments(0, date(2026, 11, 23), 6, 4) == []


def test_the_calendar_puts_overdue_appointments_in_this_week():
    appointments = pd.DataFrame(
        {
            "customer_name": ["Oud", "Nu", "Later", "Klaar", "Geen"],
            "date": [
                date(2026, 10, 1),
                date(2026, 11, 25),
                date(2026, 12, 9),
                date(2026, 11, 24),
                None,
            ],
            "done": [False, False, False, True, False],
        }
    )
    weeks = calendar_weeks(appointments, date(2026, 11, 25), 3)  # a Wednesday
    assert weeks["week_start"].tolist() == [
        date(2026, 11, 23),
        date(2026, 11, 30),
        date(2026, 12, 7),
    ]
    assert weeks["count"].tolist() == [2, 0, 1]
    assert weeks.loc[0, "customers"] == "Oud, Nu"


def test_the_calendar_starts_at_the_first_appointment_when_the_coming_weeks_have_none():
    appointments = pd.DataFrame(
        {
            "customer_name": ["Mei", "Juni", "Klaar"],
            "date": [date(2027, 5, 26), date(2027, 6, 2), date(2026, 11, 24)],
            "done": [False, False, True],
        }
    )
    weeks = calendar_weeks(appointments, date(2026, 11, 25), 3)

    starts = [date(2027, 5, 24), date(2027, 5, 31), date(2027, 6, 7)]
    assert weeks["week_start"].tolist() == starts
    assert weeks["count"].tolist() == [1, 1, 0]
    nothing = calendar_weeks(appointments.iloc[2:], date(2026, 11, 25), 3)
    assert nothing["week_start"].iloc[0] == date(2026, 11, 23)
    assert nothing["count"].sum() == 0


def test_the_weighted_budget_per_quarter_hand_worked():
    opportunities = pd.DataFrame(
        {
            "customer": ["K1", "K1", "K2", "K3"],
            "date": [date(2027, 1, 15), date(2027, 3, 31), date(2027, 4, 1), None],
            "revenue": [10_000.0, 4_000.0, 2_000.0, 1_000.0],
            "chance": [0.5, 0.25, 1.0, 0.5],
        }
    )
    budget = weighted_budget(opportunities)
    assert budget["quarter"].tolist() == ["2027-Q1", "2027-Q2", None]
    assert budget["weighted"].tolist() == [6_000.0, 2_000.0, 500.0]
    assert budget["revenue"].tolist() == [14_000.0, 2_000.0, 1_000.0]
    assert budget["opportunities"].tolist() == [2, 1, 1]
    assert quarter(date(2026, 12, 31)) == "2026-Q4"


def test_prospects_that_look_like_the_best_customers_rank_first():
    best = pd.DataFrame(
        {
            "region": ["Gent", "Gent", "Gent", "Utrecht"],
            "size_class": ["medium", "medium", "large", "medium"],
        }
    )
    shape = profile(best, pd.Series(["Koffie", "Koffie", "Thee", None, "Thee"]))
    assert shape["region"]["Gent"] == 0.75
    assert shape["products"].to_dict() == {"Koffie": 2, "Thee": 2}
    prospects = pd.DataFrame(
        {
            "name": ["Ver weg", "Gentse zaak", "Utrechts", "Onbekend"],
            "region": ["Hasselt", "gent", "Utrecht", None],
            "size_class": ["medium", "medium", "large", None],
        }
    )
    rules = ProspectRules(region_weight=0.7, size_weight=0.3, code1_from=0.66, code2_from=0.33)
    ranked = score_prospects(prospects, shape, rules)
    assert ranked["name"].tolist() == ["Gentse zaak", "Utrechts", "Ver weg", "Onbekend"]
    # Gent: 0.75 / 0.75 = 1; medium: 0.75 / 0.75 = 1 -> 1.0; Utrecht 1/3, large 1/3
    assert ranked["similarity"].tolist() == pytest.approx([1.0, 1 / 3, 0.3, 0.0])
    assert ranked["proposed_fit_code"].tolist() == [1, 2, 3, 3]
    assert expected_new_revenue(ranked, 10, 0.5, 2_000.0) == 4_000.0  # 4 of them, half convert


def test_the_bucket_before_and_after_hand_worked():
    ice = {
        "revenue": 4000.0,
        "expected_revenue": 2570.0,
        "contribution": -400.0,
        "expected_contribution": -7.0,
    }
    figures = bucket(100_000.0, 20_000.0, ice, weighted_growth=3_000.0, new_revenue=1_000.0)
    assert figures["margin_now"] == pytest.approx(0.2)
    assert figures["revenue_after"] == pytest.approx(100_000 - 4000 + 2570 + 4000)
    # growth at the portfolio's own margin: 4,000 × 20 %
    assert figures["contribution_after"] == pytest.approx(20_000 + 400 - 7 + 800)
    assert figures["margin_after"] == pytest.approx(21_193 / 102_570)
    assert bucket(100.0, None, ice, 0, 0)["contribution_after"] is None


@pytest.mark.parametrize(
    ("margin", "band"),
    [
        (-0.01, "ice"),
        (0.0, "cold"),
        (0.049, "cold"),
        (0.05, "lukewarm"),
        (0.1, "warm"),
        (0.2, "hot"),
        (None, None),
        (float("nan"), None),
    ],
)
def test_the_temperature_of_a_margin_is_its_band(margin, band):
    assert temperature(margin) == band
