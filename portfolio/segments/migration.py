"""Who moved between segments: a scheme's split of one period against another's.

A split is worth following over time: who keeps buying, and in which segment. Two splits
(a customer's segment in each, keyed by customer number) give every customer's move; a
customer in only the later split comes from "new", one in only the earlier goes to
"lost". The matrix counts customers and sums their revenue per move, so its rows add up
to the earlier split's customers (plus the new ones) and its columns to the later
split's (plus the lost ones).
"""

from __future__ import annotations

import pandas as pd

from portfolio.config import segment_rules, thresholds
from portfolio.segments.schemes import saved_split, split_segments

NEW = "new"  # the "from" of a customer the earlier split does not hold
LOST = "lost"  # the "to" of a customer the later split does not hold


def segments_of(table: pd.DataFrame, split: str) -> pd.Series:
    """Each segmented customer's segment under ``split`` (configured defaults), keyed by
    customer number."""
    return keyed_by_customer(table, split_segments(table, split, None))


def finalized_now(table: pd.DataFrame, final: dict) -> pd.Series:
    """The segments the finalized split's scheme gives ``table`` now, with the thresholds
    saved with it, keyed by customer number."""
    rules, sizes = segment_rules(), thresholds().size_class
    saved = final.get("thresholds") or {}
    return keyed_by_customer(table, saved_split(table, final["scheme"], saved, rules, sizes))


def keyed_by_customer(table: pd.DataFrame, segments: pd.Series) -> pd.Series:
    """``segments`` (indexed like ``table``) indexed by customer number instead."""
    customers = table.loc[segments.index, "customer"].astype(str).to_numpy()
    return pd.Series(segments.to_numpy(), index=customers)


def moves(before: pd.Series, now: pd.Series) -> pd.DataFrame:
    """Every customer of either split: customer, from, to (``NEW``/``LOST`` for a customer
    in one split only), in the order of ``now`` then the lost ones. ``before`` and ``now``:
    segments indexed by customer number."""
    before = _keyed(before)
    now = _keyed(now)
    customers = now.index.append(before.index.difference(now.index, sort=False))
    return pd.DataFrame(
        {
            "customer": customers,
            "from": before.reindex(customers).fillna(NEW).to_numpy(dtype=object),
            "to": now.reindex(customers).fillna(LOST).to_numpy(dtype=object),
        }
    )


def _keyed(segments: pd.Series) -> pd.Series:
    out = segments.astype(object).copy()
    out.index = out.index.astype(str)
    if out.index.has_duplicates:
        raise ValueError("a customer in a split twice")
    return out


def migration_matrix(
    moved: pd.DataFrame, revenue_before: pd.Series, revenue_now: pd.Series
) -> pd.DataFrame:
    """Per move (from, to): customers, and their revenue in each period (``revenue_*``
    indexed by customer number; a customer missing there had none). Only moves someone
    made are listed."""
    revenue_before = _keyed(revenue_before).astype(float)
    revenue_now = _keyed(revenue_now).astype(float)
    frame = moved.assign(
        revenue_before=moved["customer"].map(revenue_before).astype(float).fillna(0.0),
        revenue_now=moved["customer"].map(revenue_now).astype(float).fillna(0.0),
    )
    return (
        frame.groupby(["from", "to"], sort=False)
        .agg(
            customers=("customer", "size"),
            revenue_before=("revenue_before", "sum"),
            revenue_now=("revenue_now", "sum"),
        )
        .reset_index()
    )


def matrix_grid(matrix: pd.DataFrame, order: list[str], value: str = "customers") -> pd.DataFrame:
    """``matrix`` as a grid to read: a row per segment of before (then "new", when there
    are new customers), a column per segment of now (then "lost", when some were lost),
    ``value`` in the cells, 0 where nobody moved; segments in the order of ``order``."""
    rows = [s for s in order if s != NEW] + [NEW]
    columns = [s for s in order if s != LOST] + [LOST]
    grid = matrix.pivot_table(index="from", columns="to", values=value, aggfunc="sum")
    grid = grid.reindex(index=rows, columns=columns).fillna(0)
    grid = grid.drop(index=[NEW] if NEW not in matrix["from"].values else [])
    grid = grid.drop(columns=[LOST] if LOST not in matrix["to"].values else [])
    return grid
