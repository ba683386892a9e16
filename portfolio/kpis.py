"""The headline figures of a period and their change against the period before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# (summary key, kind): the order in which the overview shows them
HEADLINE = (
    ("customers", "count"),
    ("revenue", "money"),
    ("gross_margin", "money"),
    ("contribution", "money"),
    ("customer_retention", "share"),
    ("net_revenue_retention", "share"),
    ("gross_revenue_retention", "share"),
    ("new_customers", "count"),
    ("lost_customers", "count"),
)


@dataclass(frozen=True)
class Figure:
    """One headline figure: its value in P and the change since P-1 (None when unknown).

    ``kind``: "money" (euro), "share" (fraction 0–1; the change in fraction points) or
    "count".
    """

    key: str
    kind: str
    value: float | int | None
    delta: float | int | None


# figures that compare P with P-1 themselves (who was there before, and stayed): unknown
# when the data does not cover P-1 whole, and their change needs P-2 as well
NEEDS_PREVIOUS = frozenset(
    {
        "customer_retention",
        "net_revenue_retention",
        "gross_revenue_retention",
        "new_customers",
        "lost_customers",
    }
)


FIRST_DAYS_GRACE = 7  # an export starts at its first invoice, often a few days into a month


def covers(first: date, last: date, start: date, end: date) -> bool:
    """Whether data from ``first`` to ``last`` covers the whole span ``start``–``end``
    (the first invoice may come a few days after the span starts: New Year, a weekend)."""
    return first <= start + timedelta(days=FIRST_DAYS_GRACE) and end <= last


def headline_figures(
    now: dict, before: dict, *, previous_covered: bool = True, earlier_covered: bool = True
) -> list[Figure]:
    """The figures of ``portfolio_summary`` for P (``now``) against P-1 (``before``).

    Honest comparisons: a change is given only when the data covers P-1 whole
    (``previous_covered``); a figure that itself compares P with P-1 (retention, new and
    lost customers) is unknown without P-1, and its change needs P-2
    (``earlier_covered``). Unknown is None, never 0.
    """
    out = []
    for key, kind in HEADLINE:
        value, previous = now.get(key), before.get(key)
        if key in NEEDS_PREVIOUS:
            value = value if previous_covered else None
            previous = previous if earlier_covered else None
        elif not previous_covered:
            previous = None
        delta = None if value is None or previous is None else value - previous
        if delta is not None and kind == "money":
            delta = round(delta, 2)
        out.append(Figure(key, kind, value, delta))
    return out
