"""Share links: the view (language, dataset, period and the sliders of a page) as URL
query parameters, and back. A link is untrusted input like a file: every parameter is
checked against its own rule, unknown ones are ignored, and nothing is evaluated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Literal

from portfolio.config import thresholds

Kind = Literal["int", "float", "choice", "text", "dates"]


@dataclass(frozen=True)
class Shared:
    """A widget whose value a share link carries: its session key (a regular expression
    for a family, such as one slider per segment), the kind of its value, and what is
    allowed: ``(low, high)`` for numbers, the values for a choice, nothing for text (a
    name the caller checks) and dates (a from–to pair)."""

    key: str
    kind: Kind
    allowed: tuple = ()


@cache
def shared_widgets() -> tuple[Shared, ...]:
    """Every shareable widget with its range: the one registry the sliders take their
    bounds from (``bounds``) and a link's values are checked against."""
    scenarios = thresholds().scenarios
    price = round(scenarios.price_change_limit * 100)
    return (
        Shared("lang", "choice", ("nl", "en")),
        Shared("dataset", "text"),
        Shared("period_kind", "choice", ("months", "year", "range")),
        Shared("months", "int", (1, 36)),
        Shared("year", "int", (1990, 2100)),
        Shared("range", "dates"),
        Shared("sc_split", "choice", ("final", "grid", "value", "types", "fit", "profit", "all")),
        Shared(r"sc_\w+_price_change", "int", (-price, price)),
        Shared(r"sc_\w+_leaving", "int", (0, 100)),
        Shared(r"sc_\w+_volume_change", "int", (-50, 50)),
        Shared(r"sc_\w+_fewer_days", "int", (0, scenarios.max_fewer_days)),
        Shared("seg_scheme", "choice", ("grid", "value", "types", "fit")),
        Shared("seg_medium_from", "float", (0.0, 250_000.0)),
        Shared("seg_large_from", "float", (0.0, 1_000_000.0)),
        Shared("seg_margin_pct_from", "float", (0.0, 100.0)),
        Shared("seg_contribution_per_hour_from", "float", (0.0, 500.0)),
        Shared("seg_days_late_max", "float", (-30.0, 90.0)),
        Shared(r"seg_(innovation|network)_from", "float", (0.0, 5.0)),
        Shared(r"segv_w_\w+", "float", (0.0, 5.0)),
        Shared("segv_method", "choice", ("value_share", "percentile")),
        Shared(r"segv_cut_[abc]", "float", (0.0, 100.0)),
        Shared("segt_ambassador_top_share", "float", (1.0, 100.0)),
        Shared("segt_ambassador_margin_pct_from", "float", (0.0, 100.0)),
        Shared("segt_ambassador_months_from", "float", (1.0, 12.0)),
        Shared("segt_ambassador_days_late_max", "float", (-30.0, 90.0)),
        Shared("segt_price_buyer_discount_from", "float", (0.0, 100.0)),
        Shared("segt_price_buyer_margin_pct_below", "float", (0.0, 100.0)),
        Shared("segt_disastrous_contribution_below", "float", (-10_000.0, 10_000.0)),
        Shared("segt_disastrous_satisfaction_max", "float", (0.0, 5.0)),
        Shared("fn_acceptance", "int", (0, 100)),
        Shared("fn_profitable_from", "float", (-1e12, 1e12)),
        Shared("fn_strategic_from", "float", (0.0, 5.0)),
        Shared("fn_fit_code_max", "int", (0, 3)),
        Shared("fn_growth_from", "int", (-50, 200)),
        Shared("fn_conversion", "int", (0, 100)),
    )


def _rule(key: str) -> Shared | None:
    if len(key) > 80:  # longer than any of ours: not matched against every pattern
        return None
    for widget in shared_widgets():
        if re.fullmatch(widget.key, key):
            return widget
    return None


def bounds(key: str) -> tuple:
    """``(low, high)`` of the shared slider ``key``: the slider offers what a link may set."""
    widget = _rule(key)
    if widget is None or widget.kind not in ("int", "float"):
        raise KeyError(f"{key} is not a shared slider")
    return widget.allowed


def to_params(state: dict) -> dict[str, str]:
    """The shareable part of a session's state as query parameters (text)."""
    out = {}
    for key, value in state.items():
        widget = _rule(key)
        if widget is None or value is None:
            continue
        if widget.kind == "dates":
            if isinstance(value, list | tuple) and len(value) == 2:
                out[key] = f"{value[0].isoformat()}..{value[1].isoformat()}"
        elif isinstance(value, bool):
            continue
        else:
            out[key] = str(value)
    return out


def from_params(params: dict[str, str]) -> tuple[dict, list[str]]:
    """(the state a link asks for, the keys it had that could not be used)."""
    state, refused = {}, []
    for key, text in params.items():
        found = _rule(key)
        if found is None:
            continue  # not ours (or a parameter of something else): ignored
        value = _parse(found, str(text))
        if value is None:
            refused.append(key)
        else:
            state[key] = value
    return state, refused


def _parse(found: Shared, text: str):
    kind, rule = found.kind, found.allowed
    try:
        if kind == "choice":
            return text if text in rule else None
        if kind == "text":
            return text if 0 < len(text) <= 120 else None
        if kind == "dates":
            start, end = (date.fromisoformat(part) for part in text.split(".."))
            return (start, end) if start <= end else None
        number = int(text) if kind == "int" else float(text)
    except ValueError:
        return None
    low, high = rule
    return number if low <= number <= high else None
