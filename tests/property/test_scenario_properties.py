"""Properties of the price scenario model, over generated customers and levers."""

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from portfolio.scenarios import (
    FIGURES,
    Lever,
    breakeven_volume_change,
    customer_effects,
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
        rows.append({
            "customer": f"K{i}", "segment": draw(st.sampled_from(segments)),
            "revenue": revenue, "gross_margin": revenue * draw(st.floats(-0.5, 0.9)),
            "cost_to_serve": draw(st.floats(0, 1e5)), "hours": draw(st.floats(0, 500)),
            "days_to_pay": draw(st.one_of(st.none(), st.floats(0, 120))),
        })  # fmt: skip
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
    loss = -breakeven_volume_change(m, price)
    assume(0 <= loss <= 1)
    data = pd.DataFrame({"customer": ["K"], "segment": ["C"], "revenue": [revenue],
                         "gross_margin": [margin], "cost_to_serve": [serve], "hours": [1.0],
                         "days_to_pay": [30.0]})  # fmt: skip
    after = customer_effects(data, {"C": Lever(price, leaving=loss)}, 365)
    assert after["contribution_after"].iloc[0] == pytest.approx(margin - serve, abs=1e-6 * revenue)


@settings(max_examples=200, deadline=None)
@given(money, st.floats(0.01, 0.9), st.floats(-0.3, 0.0))
def test_the_breakeven_extra_volume_after_a_cut_keeps_contribution(revenue, m, price):
    # the model's cost to serve follows customers, not volume: here there is none
    assume(m + price > 0.01)
    gain = breakeven_volume_change(m, price)
    data = pd.DataFrame({"customer": ["K"], "segment": ["C"], "revenue": [revenue],
                         "gross_margin": [revenue * m], "cost_to_serve": [0.0], "hours": [0.0],
                         "days_to_pay": [None]})  # fmt: skip
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
