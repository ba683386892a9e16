"""The headline figures and their change against the period before (portfolio/kpis.py)."""

from __future__ import annotations

from datetime import date

import pytest

from portfolio.kpis import HEADLINE, Figure, covers, headline_figures

NOW = {
    "customers": 12,
    "revenue": 1000.10,
    "gross_margin": 400.0,
    "contribution": 150.25,
    "customer_retention": 0.8,
    "net_revenue_retention": 1.05,
    "gross_revenue_retention": None,
    "new_customers": 3,
    "lost_customers": 1,
    "period_start": "2025-01-01",  # not a headline figure
}
BEFORE = {
    "customers": 10,
    "revenue": 999.97,
    "gross_margin": None,
    "contribution": 200.0,
    "customer_retention": 0.7,
    "net_revenue_retention": 0.95,
    "gross_revenue_retention": 0.9,
    "new_customers": 5,
    "lost_customers": 1,
}


def _by_key(figures: list[Figure]) -> dict[str, Figure]:
    return {f.key: f for f in figures}


def test_figures_come_in_headline_order_with_their_kind():
    figures = headline_figures(NOW, BEFORE)

    assert [(f.key, f.kind) for f in figures] == list(HEADLINE)
    assert [f.value for f in figures] == [NOW[key] for key, _kind in HEADLINE]


def test_deltas_are_now_minus_before():
    figures = _by_key(headline_figures(NOW, BEFORE))

    assert figures["customers"].delta == 2
    assert figures["new_customers"].delta == -2
    assert figures["lost_customers"].delta == 0
    assert figures["contribution"].delta == -49.75
    assert figures["customer_retention"].delta == 0.8 - 0.7
    assert figures["net_revenue_retention"].delta == pytest.approx(0.10)


def test_count_deltas_stay_whole_numbers():
    figures = _by_key(headline_figures(NOW, BEFORE))

    assert isinstance(figures["customers"].delta, int)


def test_money_deltas_are_rounded_to_cents():
    figures = _by_key(headline_figures(NOW, BEFORE))

    # 1000.10 - 999.97 is 0.12999999999999545 in binary floating point
    assert 1000.10 - 999.97 != 0.13
    assert figures["revenue"].delta == 0.13


def test_share_deltas_are_not_rounded():
    figures = _by_key(headline_figures(NOW, BEFORE))

    # fraction points are shown with a decimal of a percent: no rounding to cents here
    assert figures["customer_retention"].delta == 0.8 - 0.7 != 0.1


def test_delta_is_unknown_when_either_side_is_unknown():
    figures = _by_key(headline_figures(NOW, BEFORE))

    assert figures["gross_revenue_retention"].value is None  # unknown now
    assert figures["gross_revenue_retention"].delta is None
    assert figures["gross_margin"].value == 400.0  # unknown before
    assert figures["gross_margin"].delta is None


def test_a_figure_missing_from_the_summary_is_unknown():
    figures = _by_key(headline_figures({"customers": 4}, {}))

    assert figures["customers"] == Figure("customers", "count", 4, None)
    assert figures["revenue"] == Figure("revenue", "money", None, None)
    assert len(figures) == len(HEADLINE)


def test_the_data_covers_a_period_only_whole_allowing_for_a_late_first_invoice():
    first, last = date(2024, 1, 3), date(2025, 12, 31)  # first invoice after New Year
    assert covers(first, last, date(2024, 1, 1), date(2024, 12, 31))
    assert not covers(first, last, date(2023, 7, 1), date(2024, 6, 30))  # half of it
    assert not covers(first, last, date(2025, 1, 1), date(2026, 1, 31))  # past the end


def test_without_the_previous_period_there_is_no_change_and_no_retention():
    figures = _by_key(headline_figures(NOW, BEFORE, previous_covered=False, earlier_covered=False))
    assert figures["revenue"].value == NOW["revenue"] and figures["revenue"].delta is None
    assert figures["customers"].delta is None
    for key in (
        "customer_retention",
        "net_revenue_retention",
        "gross_revenue_retention",
        "new_customers",
        "lost_customers",
    ):
        assert figures[key].value is None and figures[key].delta is None  # unknown, not 0


def test_retention_is_known_with_the_previous_period_but_its_change_needs_the_one_before():
    figures = _by_key(headline_figures(NOW, BEFORE, previous_covered=True, earlier_covered=False))
    assert figures["customer_retention"].value == NOW["customer_retention"]
    assert figures["customer_retention"].delta is None
    assert figures["revenue"].delta is not None
