"""Altair charts of the pages, with Dutch or English number formats, one module per page
group (``base`` holds what they share).

Every chart gets chart-sized data from ``portfolio.concentration`` or
``portfolio.retention`` (at most a few thousand marks), never a row per line.
"""

from app.charts.funnel import bucket_chart, budget_chart, calendar_chart, funnel_chart
from app.charts.portfolio import (
    cohort_chart,
    customer_months_chart,
    flows_chart,
    pareto_chart,
    whale_chart,
)
from app.charts.scenarios import scenario_bars, scenario_whales
from app.charts.segments import fit_chart, grid_chart

__all__ = [
    "bucket_chart",
    "budget_chart",
    "calendar_chart",
    "cohort_chart",
    "customer_months_chart",
    "fit_chart",
    "flows_chart",
    "funnel_chart",
    "grid_chart",
    "pareto_chart",
    "scenario_bars",
    "scenario_whales",
    "whale_chart",
]
