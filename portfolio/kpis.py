"""The headline figures of a period and their change against the period before it."""

from __future__ import annotations

from dataclasses import dataclass

# (summary key, kind): the order in which the overview shows them
HEADLINE = (
    ("customers", "count"), ("revenue", "money"), ("gross_margin", "money"),
    ("contribution", "money"), ("customer_retention", "share"),
    ("net_revenue_retention", "share"), ("gross_revenue_retention", "share"),
    ("new_customers", "count"), ("lost_customers", "count"),
)  # fmt: skip


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


def headline_figures(now: dict, before: dict) -> list[Figure]:
    """The figures of ``portfolio_summary`` for P (``now``) against P-1 (``before``)."""
    out = []
    for key, kind in HEADLINE:
        value, previous = now.get(key), before.get(key)
        delta = None if value is None or previous is None else value - previous
        if delta is not None and kind == "money":
            delta = round(delta, 2)
        out.append(Figure(key, kind, value, delta))
    return out
