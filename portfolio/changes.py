"""What changed between two versions of a dataset: next month's export against last month's.

Each version is read as the overview reads it, the last 12 months up to its own last date
(``metrics.customer_table``: one definition of every measure). Against each other they
give the customers new and lost, the biggest movers up and down in revenue and in
contribution, the customers whose segment changed (``migration.moves``), and the drift of
the data itself: a column the export no longer has (or a new one), a month whose revenue
is much lower than the same month in the earlier version or than the months around it
(half exported), and more rows rejected for a reason than before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from portfolio.db import first_row
from portfolio.metrics import Tables, customer_table
from portfolio.periods import Period, months_ending
from portfolio.segments.migration import LOST, NEW, moves, segments_of
from portfolio.segments.schemes import segmented_customers

TOP = 10  # movers listed each way
LOW_MONTH = 0.5  # a month below half of its reference is named as drift


@dataclass(frozen=True)
class Version:
    """One version of a dataset, opened: where its tables are and what was saved with it
    (``store`` meta: the fields mapped and the rejected rows per reason per file)."""

    tables: Tables
    meta: dict = field(default_factory=dict)
    label: str = ""


@dataclass(frozen=True)
class Changes:
    before_period: Period
    now_period: Period
    new: pd.DataFrame  # customer, customer_name, revenue, contribution
    lost: pd.DataFrame  # the same, of the earlier period
    movers: pd.DataFrame  # customer, customer_name, {revenue,contribution}_{before,now,change}
    segments: pd.DataFrame  # customer, customer_name, from, to (customers in both)
    drift: list[dict]  # {"kind": …, details}; kinds in ``DRIFT_KINDS``

    def biggest(self, measure: str, up: bool, top: int = TOP) -> pd.DataFrame:
        """The ``top`` customers whose ``measure`` (revenue, contribution) rose (``up``) or
        fell most; unknown changes are left out."""
        change = self.movers[f"{measure}_change"]
        known = self.movers[change.notna() & ((change > 0) if up else (change < 0))]
        return known.sort_values(f"{measure}_change", ascending=not up, kind="stable").head(top)

    def as_dict(self, top: int = TOP) -> dict:
        """Everything as plain values (the command line's JSON)."""

        def records(frame: pd.DataFrame) -> list[dict]:
            return [
                {k: (None if pd.isna(v) else v) for k, v in row.items()}
                for row in frame.to_dict("records")
            ]

        return {
            "before_period": [str(self.before_period.start), str(self.before_period.end)],
            "now_period": [str(self.now_period.start), str(self.now_period.end)],
            "new": records(self.new),
            "lost": records(self.lost),
            "revenue_up": records(self.biggest("revenue", True, top)),
            "revenue_down": records(self.biggest("revenue", False, top)),
            "contribution_up": records(self.biggest("contribution", True, top)),
            "contribution_down": records(self.biggest("contribution", False, top)),
            "segments": records(self.segments),
            "drift": self.drift,
        }


DRIFT_KINDS = ("column_added", "column_gone", "month_lower", "last_month_low", "rejects_up")
FIGURES = ["customer", "customer_name", "revenue", "contribution"]


def compare(con: duckdb.DuckDBPyConnection, before: Version, now: Version, split: str = "grid"):
    """The ``Changes`` from version ``before`` to version ``now``, each over the 12 months up
    to its own last invoice date; segments by ``split`` with the configured defaults."""
    periods, tables = [], []
    for version in (before, now):
        last = first_row(con, f"SELECT max(invoice_date) FROM {version.tables.lines}")[0]
        period = months_ending(last, 12)
        periods.append(period)
        tables.append(customer_table(con, version.tables, period))
    old, new = tables
    drift = column_drift(before.meta, now.meta) + rejects_drift(before.meta, now.meta)
    drift += month_drift(monthly_revenue(con, before.tables), monthly_revenue(con, now.tables))
    return Changes(
        periods[0],
        periods[1],
        *customer_changes(old, new),
        segment_changes(old, new, split),
        drift,
    )


def _buying(table: pd.DataFrame) -> pd.DataFrame:
    """The customers with revenue in the period, keyed by customer number."""
    buying = segmented_customers(table)
    return buying.set_index(buying["customer"].astype(str))


def customer_changes(
    before: pd.DataFrame, now: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(new, lost, movers) between two per-customer tables: new buy now and did not
    before, lost did and do not; movers buy in both, with the change of their revenue and
    contribution (unknown when either is)."""
    old, new = _buying(before), _buying(now)
    came = new.loc[new.index.difference(old.index, sort=False), FIGURES]
    went = old.loc[old.index.difference(new.index, sort=False), FIGURES]
    both = new.index.intersection(old.index, sort=False)
    movers = pd.DataFrame({"customer": both, "customer_name": new.loc[both, "customer_name"]})
    for measure in ("revenue", "contribution"):
        movers[f"{measure}_before"] = old.loc[both, measure].astype(float).to_numpy()
        movers[f"{measure}_now"] = new.loc[both, measure].astype(float).to_numpy()
        movers[f"{measure}_change"] = movers[f"{measure}_now"] - movers[f"{measure}_before"]
    order = {"ascending": False, "kind": "stable"}
    return (
        came.sort_values("revenue", **order).reset_index(drop=True),
        went.sort_values("revenue", **order).reset_index(drop=True),
        movers.reset_index(drop=True),
    )


def segment_changes(before: pd.DataFrame, now: pd.DataFrame, split: str) -> pd.DataFrame:
    """The customers segmented in both tables whose segment under ``split`` differs."""
    moved = moves(segments_of(before, split), segments_of(now, split))
    changed = moved[(moved["from"] != moved["to"]) & (moved["from"] != NEW) & (moved["to"] != LOST)]
    names = now.set_index(now["customer"].astype(str))["customer_name"]
    return changed.assign(customer_name=changed["customer"].map(names).to_numpy())[
        ["customer", "customer_name", "from", "to"]
    ].reset_index(drop=True)


def monthly_revenue(con: duckdb.DuckDBPyConnection, tables: Tables) -> pd.Series:
    """Revenue per calendar month (the first day of the month as its index), oldest first."""
    rows = con.execute(
        f"""SELECT CAST(date_trunc('month', invoice_date) AS DATE) AS month, sum(amount)
            FROM {tables.lines} GROUP BY 1 ORDER BY 1"""
    ).fetchall()
    return pd.Series({month: float(revenue) for month, revenue in rows}, dtype=float)


def month_drift(before: pd.Series, now: pd.Series) -> list[dict]:
    """Months of ``now`` much lower than before: a month both versions hold whose revenue
    fell below half of what the earlier version said (history rewritten or lost), and a
    last month below half of the median of the twelve before it (exported halfway)."""
    found = []
    for month in now.index.intersection(before.index):
        was, is_ = before[month], now[month]
        if was > 0 and is_ < LOW_MONTH * was:
            found.append(_month("month_lower", month, is_, was))
    if len(now) >= 4:
        last, previous = now.index[-1], now.iloc[-13:-1]
        usual = float(previous.median())
        if usual > 0 and now.iloc[-1] < LOW_MONTH * usual and last not in before.index:
            found.append(_month("last_month_low", last, float(now.iloc[-1]), usual))
    return found


def _month(kind: str, month: date, revenue: float, reference: float) -> dict:
    return {"kind": kind, "month": str(month), "revenue": revenue, "reference": reference}


def column_drift(before: dict, now: dict) -> list[dict]:
    """Fields of a file mapped in one version and not in the other."""
    found = []
    for file in sorted(set(_fields(before)) | set(_fields(now))):
        old, new = _fields(before).get(file, set()), _fields(now).get(file, set())
        found += [{"kind": "column_gone", "file": file, "field": f} for f in sorted(old - new)]
        found += [{"kind": "column_added", "file": file, "field": f} for f in sorted(new - old)]
    return found


def _fields(meta: dict) -> dict[str, set[str]]:
    files = meta.get("files") or {}
    return {kind: set((info.get("mapping") or {}).keys()) for kind, info in files.items()}


def rejects_drift(before: dict, now: dict) -> list[dict]:
    """Reasons for which more rows of a file were rejected than in the earlier version."""
    found = []
    for kind, info in sorted((now.get("files") or {}).items()):
        old = ((before.get("files") or {}).get(kind) or {}).get("reasons") or {}
        for reason, count in sorted((info.get("reasons") or {}).items()):
            was = int(old.get(reason, 0))
            if int(count) > was:
                found.append(
                    {
                        "kind": "rejects_up",
                        "file": kind,
                        "reason": reason,
                        "rows": int(count),
                        "before": was,
                    }
                )
    return found
