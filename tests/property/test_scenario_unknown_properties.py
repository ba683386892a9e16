"""Unknown is not zero, over generated portfolios: without hours the scenario model says
only what does not depend on them, and what it says is what it would say with any hours."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.scenarios.model import Lever, customer_effects, segment_effects, totals
from tests.property.test_scenario_properties import levers, portfolios


@settings(max_examples=100, deadline=None)
@given(portfolios(), st.dictionaries(st.sampled_from("ABC"), levers), st.floats(0, 1e5))
def test_without_hours_what_is_shown_is_what_any_hours_would_give(data, chosen, serve):
    unknown = data.assign(cost_to_serve=np.nan, hours=np.nan)
    some_hours = data.assign(cost_to_serve=serve)  # any cost to serve the file could hold
    seg = segment_effects(customer_effects(unknown, chosen, 365), chosen)
    known = segment_effects(customer_effects(some_hours, chosen, 365), chosen)
    total, total_known = totals(seg), totals(known)
    for figure in ("contribution", "contribution_after", "cost_to_serve", "hours_freed"):
        assert total[figure] is None, figure  # never the figure of a cost to serve of 0
    for figure in (
        "revenue",
        "revenue_after",
        "gross_margin",
        "gross_margin_after",
        "customers_after",
        "cash_released",
    ):
        assert total[figure] == pytest.approx(total_known[figure], rel=1e-9, abs=1e-6)
    # the change in contribution: known exactly where nobody leaves, and then the same
    for (_, row), (_, other) in zip(seg.iterrows(), known.iterrows(), strict=True):
        if chosen.get(row["segment"], Lever()).leaving == 0:
            scale = 1e-9 * max(other["revenue"], abs(other["gross_margin"]), serve, 1.0)
            assert row["contribution_change"] == pytest.approx(
                other["contribution_after"] - other["contribution"], abs=scale * len(data)
            )
        else:
            assert math.isnan(row["contribution_change"])
