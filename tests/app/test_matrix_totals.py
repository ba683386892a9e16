"""The same totals on every page, on every shape of data that is not the demo: the
number of customers, revenue, gross margin and contribution of the
default period show the same figure wherever they appear — the overview's metrics, the
customers page's count, the segments' tables, the scenarios' "before" and the five steps'
selection — or the word "onbekend" everywhere when the data cannot tell.

The expected figures are computed here from the saved dataset with plain pandas, not by
the pages' code: the period's customers are the active ones (net revenue above zero in
the period); the overview's contribution also counts the customers without revenue (their
cost to serve) and says so in a caption, which names the active customers' contribution
that the segments, scenarios and five steps show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from portfolio.config import thresholds
from portfolio.formatting import money, number
from portfolio.store import average_margin, dataset_info
from tests.app.conftest import across_schemes, shown
from tests.app.test_matrix import opened
from tests.shapes import SHAPES

PAGES = ("overview", "customers", "segments", "scenarios", "funnel")
UNKNOWN = "onbekend"


# -- what the pages show -------------------------------------------------------------------


@dataclass
class Page:
    metrics: dict[str, str] = field(default_factory=dict)
    captions: list[str] = field(default_factory=list)
    frames: list[pd.DataFrame] = field(default_factory=list)
    options: list[str] = field(default_factory=list)  # the customers page's kinds


def _page(at: AppTest) -> Page:
    frames = [f.value for f in at.dataframe if isinstance(f.value, pd.DataFrame)]
    options = [str(o) for control in at.segmented_control for o in control.options]
    return Page(
        {str(m.label): str(m.value) for m in at.metric},
        [shown(str(c.value)) for c in at.caption],
        frames,
        options,
    )


def _merged(tabs: list[Page]) -> Page:
    """One page of the pages of its tabs: every tab's tables, each caption once (those
    above the tabs show in every tab)."""
    captions = list(dict.fromkeys(c for tab in tabs for c in tab.captions))
    frames = [f for tab in tabs for f in tab.frames]
    return Page(tabs[0].metrics, captions, frames, tabs[0].options)


# -- what they should show, from the saved files -------------------------------------------


@dataclass
class Expected:
    start: date
    end: date
    customers: int  # active: net revenue above zero in the period
    revenue: float  # of the active customers
    gross_margin: float | None  # of the active customers; None: unknown
    contribution: float | None  # of the active customers; None: unknown
    portfolio_revenue: float  # every customer's, as the overview's metrics
    portfolio_margin: float | None
    portfolio_contribution: float | None
    others: int  # customers without revenue whose figures count on the overview
    others_revenue: float
    others_margin: float | None
    others_contribution: float | None

    @property
    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}"


def _period(state, last: date) -> tuple[date, date]:
    """The default period as the sidebar holds it: a calendar year, or months ending at the
    data's last date."""
    if state["period_kind"] == "year":
        return date(state["year"], 1, 1), date(state["year"], 12, 31)
    assert state["period_kind"] == "months", state["period_kind"]
    start = pd.Timestamp(last + timedelta(days=1)) - pd.DateOffset(months=state["months"])
    return start.date(), last


def _expected(store, shape: str, state) -> Expected:
    info = dataset_info(store, shape)
    lines = pd.read_parquet(info.path / "lines.parquet")
    days = pd.to_datetime(lines["invoice_date"]).dt.date
    start, end = _period(state, days.max())
    inside = lines[(days >= start) & (days <= end)]
    amount = inside["amount"].astype(float)
    cost = inside["cost"].astype(float)
    estimate = average_margin(info.meta)
    has_cost = lines["cost"].notna().any()
    # a line's margin: its own cost price, else the estimate; a missing cost in an export
    # with cost prices is a free item; without cost prices and estimate: unknown
    if estimate is not None:
        margin = (amount - cost).fillna(amount * estimate)
    elif has_cost:
        margin = amount - cost.fillna(0.0)
    else:
        margin = pd.Series(float("nan"), index=amount.index)
    per = pd.DataFrame({"customer": inside["customer"], "revenue": amount, "margin": margin})
    per = per.groupby("customer").agg(
        revenue=("revenue", "sum"), margin=("margin", lambda m: m.sum(min_count=1))
    )
    file = info.path / "customers.parquet"
    if file.is_file():  # cost to serve: hours × rate (the default rate) + other costs
        people = pd.read_parquet(file).set_index("customer")
        rate = people["hourly_rate"].fillna(thresholds().cost_to_serve.hourly_rate)
        serve = (people["hours"] * rate).fillna(0.0) + people["other_costs"].fillna(0.0)
        everyone = per.index.union(people.index)
        serve = serve.groupby(level=0).sum().reindex(everyone, fill_value=0.0)
    else:  # no hours: cost to serve unknown
        everyone = per.index
        serve = pd.Series(float("nan"), index=everyone)
    per = per.reindex(everyone).fillna({"revenue": 0.0})
    if has_cost or estimate is not None:
        per["margin"] = per["margin"].fillna(0.0)  # no lines in the period: no margin
    per["contribution"] = per["margin"] - serve
    active = per[per["revenue"] > 0]
    others = per[~(per["revenue"] > 0)]
    others = others[
        (others[["revenue", "margin", "contribution"]].fillna(0).round(2) != 0).any(axis=1)
    ]

    def total(values: pd.Series) -> float | None:
        value = values.sum(min_count=1)
        return None if pd.isna(value) else round(float(value), 2)

    return Expected(
        start,
        end,
        len(active),
        total(active["revenue"]) or 0.0,
        total(active["margin"]),
        total(active["contribution"]),
        total(per["revenue"]) or 0.0,
        total(per["margin"]),
        total(per["contribution"]),
        len(others),
        total(others["revenue"]) or 0.0,
        total(others["margin"]),
        total(others["contribution"]),
    )


@pytest.fixture(scope="module")
def visited(tmp_path_factory):
    """Per shape (opened once): the expected figures and what every page shows."""
    cache: dict[str, tuple[Expected, dict[str, Page]]] = {}

    def visit(shape: str) -> tuple[Expected, dict[str, Page]]:
        if shape not in cache:
            root = tmp_path_factory.mktemp(shape)
            with pytest.MonkeyPatch.context() as monkeypatch:
                at = opened(shape, root, monkeypatch)
                assert not at.exception, at.exception
                expected = _expected(root / "store", shape, at.session_state)
                pages = {}
                for page in PAGES:
                    if page != "overview":
                        at.switch_page(f"pages/{page}.py").run()
                    assert not at.exception, (page, at.exception)
                    # the segments page draws only its open tab: each scheme's tables
                    pages[page] = (
                        _merged(across_schemes(at, _page)) if page == "segments" else _page(at)
                    )
            cache[shape] = expected, pages
        return cache[shape]

    return visit


# -- reading the figures off a page --------------------------------------------------------


def euros(text: str) -> int:
    """``€ -1.234`` → -1234 (whole euros as the tables show them)."""
    digits = re.sub(r"[€\s\u00a0.]", "", text).replace(",", ".")
    return round(float(digits))


def count(text: str) -> int:
    return int(text.replace(".", ""))


def _text(value: float | None) -> str:
    return money(value, "nl", 0) if value is not None else UNKNOWN


def _frames(page: Page, *columns: str) -> list[pd.DataFrame]:
    return [f for f in page.frames if all(c in f.columns for c in columns)]


def _summed(where: str, frame: pd.DataFrame, column: str, value: float | None) -> list:
    """A column of per-group texts against the expected total: the word for unknown on
    every group that has customers when it is unknown; else the whole euros summed, each
    group rounded on its own (so within half a euro a group)."""
    texts = list(frame[column])
    if value is None:
        people = [count(c) for c in frame["Klanten"]]
        wrong = [t for t, n in zip(texts, people, strict=True) if n and t != UNKNOWN]
        return [(where, texts, UNKNOWN)] if wrong else []
    if any(t == UNKNOWN for t in texts):
        return [(where, texts, _text(value))]
    total = sum(euros(t) for t in texts if t not in ("", "–"))
    return [] if abs(total - value) <= 0.5 * len(texts) + 0.01 else [(where, total, value)]


def _check(expected: Expected, page: str, shown_on: Page, measure: str) -> list:
    """(where, shown, expected) for every place on ``page`` where ``measure`` disagrees."""
    e, p, out = expected, shown_on, []

    def same(where: str, got, want) -> None:
        if got != want:
            out.append((where, got, want))

    if measure == "customers":
        want = number(e.customers, "nl")
        if page == "overview":
            same("metric Klanten", p.metrics.get("Klanten"), want)
        elif page == "customers":
            same("kind Met omzet", p.options[:1], [f"Met omzet in deze periode ({want})"])
            noun = "klant" if want == "1" else "klanten"  # 1 klant, 2 klanten
            same(
                "caption",
                [c for c in p.captions if " gevonden." in c],
                [f"{want} van {want} {noun} gevonden."],
            )
        elif page == "segments":
            frames = _frames(p, "Segment", "Bijdrage") + _frames(p, "Fitcode")
            same("tables", len(frames), 4)
            for i, frame in enumerate(frames):
                same(f"table {i} Klanten summed", sum(map(count, frame["Klanten"])), e.customers)
        elif page == "scenarios":
            (frame,) = _frames(p, "Klanten — Voor")
            total = frame[frame["Segment"] == "Totaal"]
            same("total row Klanten — Voor", list(total["Klanten — Voor"]), [want])
            same("metric Klanten (no change)", p.metrics.get("Klanten"), want)
        elif page == "funnel":
            (frame,) = _frames(p, "Groep")
            same("selection Klanten summed", sum(map(count, frame["Klanten"])), e.customers)
        return out

    value = {"revenue": e.revenue, "gross_margin": e.gross_margin, "contribution": e.contribution}[
        measure
    ]
    column = {"revenue": "Omzet", "gross_margin": "Brutomarge", "contribution": "Bijdrage"}[measure]
    notes = [c for c in p.captions if "zonder omzet" in c]
    # what the others add, per measure: named in the caption wherever it is not zero
    added = {
        "revenue": e.others_revenue,
        "gross_margin": e.others_margin,
        "contribution": e.others_contribution,
    }[measure]
    named = e.others and added is not None and round(added, 2) != 0
    word = column.lower()
    if page == "overview":
        whole = {
            "revenue": e.portfolio_revenue,
            "gross_margin": e.portfolio_margin,
            "contribution": e.portfolio_contribution,
        }[measure]
        same(f"metric {column}", p.metrics.get(column), _text(whole))
        if named:
            wanted = (
                f"Incl. {number(e.others, 'nl')} klanten zonder omzet in deze periode",
                f"{word} {money(added, 'nl', 0)}",
                "de klanten met omzet samen: ",
                f"{word} {_text(value)}",
            )
            same("caption", [all(w in c for w in wanted) for c in notes], [True])
        elif not e.others:
            same("caption", notes, [])
    elif page == "segments":
        frames = _frames(p, "Segment", "Bijdrage")
        if measure == "revenue":
            frames += _frames(p, "Fitcode")
        same("tables", len(frames), 4 if measure == "revenue" else 3)
        for i, frame in enumerate(frames):
            out += _summed(f"table {i} {column} summed", frame, column, value)
    elif page == "scenarios":
        (frame,) = _frames(p, "Klanten — Voor")
        total = frame[frame["Segment"] == "Totaal"]
        same(f"total row {column} — Voor", list(total[f"{column} — Voor"]), [_text(value)])
        same(f"metric {column} (no change)", p.metrics.get(column), _text(value))
    elif page == "funnel":
        (frame,) = _frames(p, "Groep")
        out += _summed(f"selection {column} summed", frame, column, value)
    if page != "overview" and page != "customers":
        if named:
            wanted = (
                f"{word} {_text(value)}",
                f"telt ook {number(e.others, 'nl')} klanten zonder omzet mee",
                f"{word} {money(added, 'nl', 0)}",
            )
            same("caption", [all(w in c for w in wanted) for c in notes], [True])
        elif not e.others:
            same("caption", notes, [])
    return out


# -- the matrix ------------------------------------------------------------------------------

WHERE = {
    "customers": PAGES,
    "revenue": ("overview", "segments", "scenarios", "funnel"),
    "gross_margin": ("overview", "segments", "scenarios"),
    "contribution": ("overview", "segments", "scenarios", "funnel"),
}
# every shape, measure and page where that measure shows (the first run found four
# disagreements: the overview's revenue and margin including credit notes without saying
# so, '–' for unknown on the five steps, an unformatted count; all mended)
CASES = [
    pytest.param(shape, page, measure, id=f"{shape}-{page}-{measure}")
    for shape in SHAPES
    for measure, pages in WHERE.items()
    for page in pages
]


@pytest.mark.parametrize(("shape", "page", "measure"), CASES)
def test_the_same_total_on_every_page(shape, page, measure, visited):
    expected, pages = visited(shape)
    assert [c for c in pages[page].captions if c.startswith("Getoond:")] == [
        f"Getoond: dataset **{shape}**, periode {expected.label}."
    ], page  # the same period on every page
    assert _check(expected, page, pages[page], measure) == []
