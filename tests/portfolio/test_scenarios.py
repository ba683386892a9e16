"""Price scenarios: the break-even rule, the before/after model on hand-worked customers,
the presets' inputs, the sensitivity table and saved scenarios."""

import json
import math
from dataclasses import replace

import pandas as pd
import pytest

from portfolio.errors import ConflictError, InputError
from portfolio.scenarios.model import (
    Breakeven,
    Lever,
    breakeven_volume_change,
    contribution_after,
    contribution_falls,
    customer_effects,
    discount_price_change,
    lever_breakeven,
    segment_effects,
    sensitivity,
    totals,
)
from portfolio.scenarios.saved import delete_scenario, levers_of, load_scenarios, save_scenario


@pytest.mark.parametrize(
    ("margin", "price", "expected"),
    [
        (0.30, 0.10, -0.25),  # the classic example: +10 % at 30 % margin, a quarter may go
        (0.30, -0.10, 0.50),  # a 10 % cut needs half as much again
        (0.40, 0.10, -0.20),
        (0.20, 0.05, -0.20),
        (0.25, 0.25, -0.50),
        (0.50, -0.20, 2 / 3),
        (0.30, 0.00, 0.00),
    ],
)
def test_breakeven_volume_change_matches_hand_worked_values(margin, price, expected):
    assert breakeven_volume_change(margin, price).value == pytest.approx(expected)


def test_breakeven_without_a_price_change_is_zero_not_minus_zero():
    assert math.copysign(1, breakeven_volume_change(0.30, 0.0).value) == 1


@pytest.mark.parametrize(
    ("margin", "price", "reason"),
    [
        (0.30, -0.30, "no_margin_left"),  # m + p = 0: no volume makes up for it
        (0.30, -0.45, "no_margin_left"),  # was -3: a volume change below -100 %
        # was -2 ("lose 200 %"): with no contribution to protect there is no break-even
        (-0.05, 0.10, "loss_making"),
        (0.0, 0.10, "loss_making"),
        (-0.20, -0.10, "loss_making"),
    ],
)
def test_breakeven_volume_change_says_why_there_is_none(margin, price, reason):
    assert breakeven_volume_change(margin, price) == Breakeven(None, reason)


# A segment of revenue 1,000, gross margin 400 (g = 40 %) and cost to serve 100:
# contribution 300, contribution margin m = 30 %. Each value worked by hand from
# C' = k·((1+v)·(G + p·R) − S) = C.
SEGMENT = (1000.0, 400.0, 100.0)
LOSING = (1000.0, 100.0, 200.0)  # contribution -100


@pytest.mark.parametrize(
    ("figures", "lever", "field", "expected"),
    [
        # +10 %, customers stay and buy less: 500·(1+v) − 100 = 300 at v = −20 % (the
        # gross margin: −p / (g + p) = −0.1 / 0.5), not −25 % as −p / (m + p) says
        (SEGMENT, Lever(0.10), "volume_change", Breakeven(-0.20)),
        # +10 %, customers leave (their cost to serve goes too): p / (m + p) = 25 %
        (SEGMENT, Lever(0.10), "leaving", Breakeven(0.25)),
        # a quarter leaves: k·(400 + 1000·p − 100) = 300 needs p = +10 %
        (SEGMENT, Lever(leaving=0.25), "price_change", Breakeven(0.10)),
        # −10 %: 300·(1+v) − 100 = 300 needs v = +33.3 % (−p / (m + p) says +50 %)
        (SEGMENT, Lever(-0.10), "volume_change", Breakeven(1 / 3)),
        # −10 %: k·200 = 300 needs half as many customers again (leaving −50 %)
        (SEGMENT, Lever(-0.10), "leaving", Breakeven(-0.50)),
        # a quarter leaves and the rest buy 20 % less: 0.75·(0.8·(400 + 1000p) − 100) = 300
        (SEGMENT, Lever(leaving=0.25, volume_change=-0.20), "price_change", Breakeven(0.225)),
        (SEGMENT, Lever(-0.45), "volume_change", Breakeven(None, "no_margin_left")),
        (SEGMENT, Lever(0.10, leaving=1.0), "volume_change", Breakeven(None, "nobody_stays")),
        (SEGMENT, Lever(0.10, leaving=1.0), "price_change", Breakeven(None, "nobody_stays")),
        # loss-making, no price change: the customers who stay still cost what they did,
        # so buying less costs contribution; customers who leave raise it
        (LOSING, Lever(), "volume_change", Breakeven(0.0)),
        (LOSING, Lever(), "leaving", Breakeven(None, "still_losing")),
        # loss-making, +20 %: (1+v)·300 − 200 = −100 at v = −2/3; leaving never costs
        (LOSING, Lever(0.20), "volume_change", Breakeven(-2 / 3)),
        (LOSING, Lever(0.20), "leaving", Breakeven(None, "never_falls")),
        ((1000.0, float("nan"), 0.0), Lever(0.1), "leaving", Breakeven(None, "unknown")),
    ],
)
def test_each_levers_breakeven_matches_hand_worked_values(figures, lever, field, expected):
    found = lever_breakeven(*figures, lever, field)
    assert found.reason == expected.reason
    if expected.value is None:
        assert found.value is None
    else:
        assert found.value == pytest.approx(expected.value)
        _revenue, gross_margin, cost_to_serve = figures
        at_breakeven = replace(lever, **{field: found.value})
        after = contribution_after(*figures, at_breakeven)
        assert after == pytest.approx(gross_margin - cost_to_serve)


@pytest.mark.parametrize(
    ("lever", "falls"),
    [
        # the reported case: +10 %, everyone stays and buys 25 % less. The old check,
        # (m + p)(1 + v) < m with m = 30 %, saw no fall; the model gives 0.75·500 − 100 = 275
        (Lever(0.10, volume_change=-0.25), True),
        (Lever(0.10, volume_change=-0.20), False),  # 0.8·500 − 100 = 300
        (Lever(0.10, leaving=0.25), False),  # 0.75·(500 − 100) = 300
        (Lever(0.10, leaving=0.26), True),
        (Lever(-0.10, volume_change=0.40), False),  # 1.4·300 − 100 = 320
        (Lever(-0.10, volume_change=0.30), True),  # 1.3·300 − 100 = 290
        (Lever(leaving=0.10), True),
    ],
)
def test_contribution_falls_exactly_where_the_model_gives_less(lever, falls):
    assert contribution_falls(*SEGMENT, lever) is falls


def test_a_loss_making_segment_does_not_fall_when_customers_leave():
    assert not contribution_falls(*LOSING, Lever(0.10, leaving=0.50))
    assert contribution_falls(*LOSING, Lever(volume_change=-0.10))  # they stay, cost stays
    assert not contribution_falls(1000.0, float("nan"), 0.0, Lever(leaving=0.5))


def customers(**overrides) -> pd.DataFrame:
    """Two hand-made customers of segment C and one of A (euro, hours, days)."""
    data = {
        "customer": ["K1", "K2", "K3"],
        "segment": ["C", "C", "A"],
        "revenue": [600.0, 400.0, 5000.0],
        "gross_margin": [240.0, 160.0, 2000.0],
        "cost_to_serve": [60.0, 40.0, 500.0],
        "hours": [0.8, 0.6, 4.0],
        "days_to_pay": [40.0, None, 20.0],
        "discount": [30.0, 20.0, 0.0],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def test_a_price_rise_with_the_breakeven_share_leaving_keeps_contribution():
    # segment C: revenue 1,000, margin 400, cost to serve 100: contribution 300, m = 30 %
    levers = {"C": Lever(price_change=0.10, leaving=0.25)}
    seg = segment_effects(customer_effects(customers(), levers, 365), levers).set_index("segment")
    c = seg.loc["C"]
    assert c["revenue_after"] == pytest.approx(1000 * 0.75 * 1.10)  # 825
    assert c["gross_margin_after"] == pytest.approx(825 - 600 * 0.75)  # 375
    assert c["cost_to_serve_after"] == pytest.approx(75)
    assert c["contribution_after"] == pytest.approx(300)
    assert c["customers_after"] == pytest.approx(1.5)
    assert c["hours_freed"] == pytest.approx(1.4 * 0.25)
    assert c["contribution_margin"] == pytest.approx(0.30)
    # each lever's break-even, the others as chosen: a quarter leaving at +10 % leaves no
    # room for the rest to buy less; +10 % is what that quarter leaving needs
    assert c["breakeven_leaving"] == pytest.approx(0.25)
    assert c["breakeven_price_change"] == pytest.approx(0.10)
    assert c["breakeven_volume_change"] == pytest.approx(0.0)
    assert not c["worse_than_breakeven"]
    a = seg.loc["A"]  # no lever: unchanged
    assert a["contribution_after"] == a["contribution"] == 1500


def test_a_segment_buying_less_than_its_gross_margin_breakeven_is_worse():
    # segment C as above at +10 %, nobody leaves, the customers buy 25 % less: the break-even
    # rule (m = 30 %) allows that; the model keeps cost to serve: 0.75·500 − 100 = 275
    levers = {"C": Lever(price_change=0.10, volume_change=-0.25)}
    seg = segment_effects(customer_effects(customers(), levers, 365), levers).set_index("segment")
    c = seg.loc["C"]
    assert c["contribution_after"] == pytest.approx(275)
    assert c["breakeven_volume_change"] == pytest.approx(-0.20)
    assert c["worse_than_breakeven"]
    assert not seg.loc["A", "worse_than_breakeven"]


def test_buying_less_lowers_cost_of_goods_but_not_cost_to_serve():
    levers = {"A": Lever(volume_change=-0.10)}
    effects = customer_effects(customers(), levers, 365).set_index("customer")
    k3 = effects.loc["K3"]
    assert k3["revenue_after"] == pytest.approx(4500)
    assert k3["gross_margin_after"] == pytest.approx(4500 - 3000 * 0.9)  # 1,800
    assert k3["cost_to_serve_after"] == pytest.approx(500)
    assert k3["contribution_after"] == pytest.approx(1300)


def test_cash_released_is_fewer_days_times_revenue_per_day_never_more_than_taken():
    levers = {"C": Lever(fewer_days=10), "A": Lever(fewer_days=50)}
    effects = customer_effects(customers(), levers, 365).set_index("customer")
    assert effects.loc["K1", "cash_released"] == pytest.approx(10 * 600 / 365)
    assert effects.loc["K2", "cash_released"] == 0  # its payments are unknown
    assert effects.loc["K3", "cash_released"] == pytest.approx(20 * 5000 / 365)  # takes 20


def test_totals_are_the_sums_of_the_segments():
    levers = {"C": Lever(0.08, 0.1, -0.05, 5), "A": Lever(-0.02, 0, 0.03, 0)}
    seg = segment_effects(customer_effects(customers(), levers, 365), levers)
    total = totals(seg)
    assert total["contribution"] == pytest.approx(300 + 1500)
    assert total["contribution_after"] == pytest.approx(seg["contribution_after"].sum())
    assert total["customers"] == 3


def test_without_cost_prices_contribution_stays_unknown():
    data = customers(gross_margin=[None, None, None])
    levers = {"C": Lever(0.1, 0.1)}
    seg = segment_effects(customer_effects(data, levers, 365), levers)
    assert seg["contribution_after"].isna().all()
    for field in ("price_change", "leaving", "volume_change"):
        assert seg[f"breakeven_{field}"].isna().all()
    assert not seg["worse_than_breakeven"].any()
    assert sensitivity(data, (0.0, 0.1), (0.0,)).isna().all().all()


def test_sensitivity_gives_the_change_in_contribution_per_price_and_leaving_share():
    table = sensitivity(customers(), (-0.10, 0.0, 0.10), (0.0, 0.25))
    # all three: revenue 6,000, margin 2,400, cost to serve 600, contribution 1,800
    assert table.loc[0.0, 0.0] == pytest.approx(0)
    assert table.loc[0.10, 0.0] == pytest.approx(600)
    assert table.loc[0.10, 0.25] == pytest.approx(0.75 * (1800 + 600) - 1800)
    assert table.loc[-0.10, 0.25] == pytest.approx(0.75 * (1800 - 600) - 1800)


def test_stopping_discounts_raises_the_price_by_the_discount_given():
    assert discount_price_change(customers().iloc[:2]) == pytest.approx(50 / 1000)
    assert discount_price_change(customers(discount=[None] * 3)) is None


def test_scenarios_are_saved_by_name_reloaded_replaced_when_asked_and_deleted(tmp_path):
    levers = {"C": Lever(0.08, 0.1, -0.05, 5)}
    save_scenario(tmp_path, "Demo", "  C +8 %  ", "grid", levers)
    save_scenario(tmp_path, "Demo", "Niets", "grid", {})
    again = load_scenarios(tmp_path, "Demo")  # as a teammate or a restarted app reads it
    assert list(again) == ["C +8 %", "Niets"]
    assert levers_of(again["C +8 %"]) == levers
    with pytest.raises(ConflictError) as caught:  # a teammate's scenario is not overwritten
        save_scenario(tmp_path, "Demo", "C +8 %", "value", {"D": Lever(0.2)})
    assert caught.value.key == "scenario_exists"
    assert load_scenarios(tmp_path, "Demo")["C +8 %"]["split"] == "grid"
    save_scenario(tmp_path, "Demo", "C +8 %", "value", {"D": Lever(0.2)}, replace=True)
    assert load_scenarios(tmp_path, "Demo")["C +8 %"]["split"] == "value"
    delete_scenario(tmp_path, "Demo", "Niets")
    file = tmp_path / "datasets" / "Demo" / "scenarios.json"
    assert list(json.loads(file.read_text(encoding="utf-8"))) == ["C +8 %"]


@pytest.mark.parametrize(
    ("name", "levers", "key"),
    [
        ("  ", {}, "scenario_name_invalid"),
        ("x" * 81, {}, "scenario_name_invalid"),
        ("Te veel", {"C": Lever(leaving=1.5)}, "scenario_value_invalid"),
        ("Te snel", {"C": Lever(fewer_days=-3)}, "scenario_value_invalid"),
    ],
)
def test_a_bad_scenario_is_refused_and_nothing_is_saved(tmp_path, name, levers, key):
    save_scenario(tmp_path, "Demo", "Bestaand", "grid", {"C": Lever(0.05)})
    with pytest.raises(InputError) as caught:
        save_scenario(tmp_path, "Demo", name, "grid", levers)
    assert caught.value.key == key
    assert list(load_scenarios(tmp_path, "Demo")) == ["Bestaand"]


def test_without_hours_the_volume_and_price_breakevens_stand_and_leaving_is_unknown():
    # cost to serve leaves only with customers: unknown hours do not hide what stays
    lever = Lever(price_change=0.10, leaving=0.0, volume_change=0.0, fewer_days=0.0)
    known = lever_breakeven(1000.0, 300.0, 0.0, lever, "volume_change").value
    unknown = lever_breakeven(1000.0, 300.0, float("nan"), lever, "volume_change").value
    assert unknown == pytest.approx(known) == pytest.approx(-0.25)  # the break-even rule
    assert lever_breakeven(1000.0, 300.0, float("nan"), lever, "leaving").reason == "unknown"
    leaving = Lever(price_change=0.10, leaving=0.2, volume_change=0.0, fewer_days=0.0)
    assert lever_breakeven(1000.0, 300.0, float("nan"), leaving, "price_change").reason == "unknown"
    buying_less = Lever(price_change=0.0, leaving=0.0, volume_change=-0.1, fewer_days=0.0)
    assert contribution_falls(1000.0, 300.0, float("nan"), buying_less)
