"""Properties of the price scenario model, over generated customers and levers."""

from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from portfolio.scenarios.model import (
    BREAKEVEN_LEVERS,
    FIGURES,
    Lever,
    breakeven_volume_change,
    customer_effects,
    lever_breakeven,
    segment_effects,
    sensitivity,
    totals,
)

money = st.floats(min_value=1, max_value=1e6, allow_nan=False)
share = st.floats(min_value=0, max_value=1)


@st.composite
def portfolios(draw, segments=("A", "B", "C")):
    n = draw(st.integers(min_value=1, max_value=25))
    rows = []
    for i in range(n):
        revenue = draw(money)
        rows.append(
            {
                "customer": f"K{i}",
                "segment": draw(st.sampled_from(segments)),
                "revenue": revenue,
                "gross_margin": revenue * draw(st.floats(-0.5, 0.9)),
                "cost_to_serve": draw(st.floats(0, 1e5)),
                "hours": draw(st.floats(0, 500)),
                "days_to_pay": draw(st.one_of(st.none(), st.floats(0, 120))),
            }
        )
    return pd.DataFrame(rows)


levers = st.builds(Lever, st.floats(-0.3, 0.3), share, st.floats(-0.5, 0.5), st.floats(0, 60))


@settings(max_examples=200, deadline=None)
@given(money, st.floats(0, 0.9), st.floats(0, 1e5), st.floats(0.0, 0.3))
def test_losing_the_breakeven_share_of_customers_after_a_rise_keeps_contribution(
    revenue, margin_pct, serve, price
):
    margin = revenue * margin_pct
    m = (margin - serve) / revenue
    assume(m + price > 0.01)
    found = breakeven_volume_change(m, price).value
    assume(found is not None)
    loss = -found
    data = pd.DataFrame(
        {
            "customer": ["K"],
            "segment": ["C"],
            "revenue": [revenue],
            "gross_margin": [margin],
            "cost_to_serve": [serve],
            "hours": [1.0],
            "days_to_pay": [30.0],
        }
    )
    after = customer_effects(data, {"C": Lever(price, leaving=loss)}, 365)
    assert after["contribution_after"].iloc[0] == pytest.approx(margin - serve, abs=1e-6 * revenue)


@settings(max_examples=200, deadline=None)
@given(money, st.floats(0.01, 0.9), st.floats(-0.3, 0.0))
def test_the_breakeven_extra_volume_after_a_cut_keeps_contribution(revenue, m, price):
    # the model's cost to serve follows customers, not volume: here there is none
    assume(m + price > 0.01)
    gain = breakeven_volume_change(m, price).value
    data = pd.DataFrame(
        {
            "customer": ["K"],
            "segment": ["C"],
            "revenue": [revenue],
            "gross_margin": [revenue * m],
            "cost_to_serve": [0.0],
            "hours": [0.0],
            "days_to_pay": [None],
        }
    )
    after = customer_effects(data, {"C": Lever(price, volume_change=gain)}, 365)
    assert after["contribution_after"].iloc[0] == pytest.approx(revenue * m, abs=1e-6 * revenue)


@settings(max_examples=100, deadline=None)
@given(portfolios())
def test_no_change_leaves_every_figure_as_it_was(data):
    effects = customer_effects(data, {s: Lever() for s in "ABC"}, 365)
    seg = segment_effects(effects, {})
    for figure in FIGURES:
        assert seg[f"{figure}_after"].tolist() == pytest.approx(seg[figure].tolist(), abs=1e-6)
    assert (seg["hours_freed"] == 0).all()
    assert (seg["cash_released"] == 0).all()


@settings(max_examples=100, deadline=None)
@given(portfolios(), st.dictionaries(st.sampled_from("ABC"), levers), st.integers(1, 731))
def test_totals_equal_the_sum_of_segments_and_of_customers(data, chosen, days):
    effects = customer_effects(data, chosen, days)
    seg = segment_effects(effects, chosen)
    total = totals(seg)
    for column in ("revenue_after", "contribution_after", "hours_freed", "cash_released"):
        assert total[column] == pytest.approx(seg[column].sum(), rel=1e-9, abs=1e-6)
        assert total[column] == pytest.approx(effects[column].sum(), rel=1e-9, abs=1e-6)
    assert total["customers"] == len(data)


@settings(max_examples=50, deadline=None)
@given(portfolios(), st.floats(-0.3, 0.3), share)
def test_every_sensitivity_cell_is_the_scenario_of_that_price_and_share(data, price, leaving):
    cell = sensitivity(data, (price,), (leaving,)).iloc[0, 0]
    whole = data.assign(segment="all")
    effects = customer_effects(whole, {"all": Lever(price, leaving)}, 365)
    change = effects["contribution_after"].sum() - effects["contribution"].sum()
    assert cell == pytest.approx(change, rel=1e-9, abs=1e-6)


# a bit beyond a break-even: a lower price, more customers leaving, less volume
BEYOND = {"price_change": -0.01, "leaving": 0.01, "volume_change": -0.01}
CENTS = 0.005


@settings(max_examples=300, deadline=None)
@given(
    portfolios(segments=("C",)),
    st.builds(Lever, st.floats(-0.3, 0.3), st.floats(0, 0.95), st.floats(-0.5, 0.5)),
    st.sampled_from(BREAKEVEN_LEVERS),
)
def test_at_each_levers_breakeven_the_model_keeps_contribution_and_beyond_it_falls(
    data, lever, field
):
    def scenario(chosen: Lever) -> pd.Series:
        effects = customer_effects(data, {"C": chosen}, 365)
        return segment_effects(effects, {"C": chosen}).iloc[0]

    now = scenario(lever)
    value = now[f"breakeven_{field}"]
    assume(value is not None and not pd.isna(value))
    before = now["contribution"]
    at = scenario(replace(lever, **{field: value}))
    assert at["contribution_after"] == pytest.approx(before, abs=CENTS)
    assert not at["worse_than_breakeven"]
    # the model is affine in each lever: skip the flat ones, where a step changes nothing
    step = scenario(replace(lever, **{field: value + 1}))["contribution_after"] - before
    assume(abs(step) > 1e-3 * now["revenue"])
    beyond = scenario(replace(lever, **{field: value + BEYOND[field]}))
    assert beyond["contribution_after"] < before
    assert beyond["worse_than_breakeven"]


@settings(max_examples=300, deadline=None)
@given(money, st.floats(-0.5, 0.9), st.floats(0, 1), st.floats(-0.3, 0.3))
def test_the_seeds_rule_is_the_breakeven_for_leaving_and_for_volume_at_gross_margin(
    revenue, margin_pct, serve_pct, price
):
    gross_margin, cost_to_serve = revenue * margin_pct, revenue * serve_pct
    m = (gross_margin - cost_to_serve) / revenue
    leaving = lever_breakeven(revenue, gross_margin, cost_to_serve, Lever(price), "leaving")
    volume = lever_breakeven(revenue, gross_margin, cost_to_serve, Lever(price), "volume_change")
    by_contribution = breakeven_volume_change(m, price).value
    by_gross = breakeven_volume_change(margin_pct, price).value
    if by_contribution is not None and leaving.value is not None:
        assert -leaving.value == pytest.approx(by_contribution, rel=1e-9, abs=1e-9)
    if by_gross is not None and volume.value is not None:
        assert volume.value == pytest.approx(by_gross, rel=1e-9, abs=1e-9)
    if cost_to_serve == 0:  # no cost to serve: both levers are the break-even rule
        assert (leaving.value is None) == (by_contribution is None)
