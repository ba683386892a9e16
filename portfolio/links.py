"""Share links: the view (language, dataset, period and the sliders of a page) as URL
query parameters, and back. A link is untrusted input like a file: every parameter is
checked against its own rule, unknown ones are ignored, and nothing is evaluated.
"""

from __future__ import annotations

import re
from datetime import date

# (pattern of the session key, kind, rule): "int" and "float" with bounds, "choice" with
# the values allowed, "text" for a name checked by the caller, "dates" for a from–to pair
RULES: tuple[tuple[str, str, object], ...] = (
    ("lang", "choice", ("nl", "en")),
    ("dataset", "text", None),
    ("period_kind", "choice", ("months", "year", "range")),
    ("months", "int", (1, 36)),
    ("year", "int", (1990, 2100)),
    ("range", "dates", None),
    ("sc_split", "choice", ("final", "grid", "value", "types", "fit", "profit", "all")),
    (r"sc_\w+_price_change", "int", (-30, 30)),
    (r"sc_\w+_leaving", "int", (0, 100)),
    (r"sc_\w+_volume_change", "int", (-50, 50)),
    (r"sc_\w+_fewer_days", "int", (0, 365)),
    ("seg_scheme", "choice", ("grid", "value", "types", "fit")),
    ("seg_medium_from", "float", (0.0, 250_000.0)),
    ("seg_large_from", "float", (0.0, 1_000_000.0)),
    ("seg_margin_pct_from", "float", (0.0, 100.0)),
    ("seg_contribution_per_hour_from", "float", (0.0, 500.0)),
    ("seg_days_late_max", "float", (-30.0, 90.0)),
    (r"seg_(innovation|network)_from", "float", (0.0, 5.0)),
    (r"segv_w_\w+", "float", (0.0, 5.0)),
    ("segv_method", "choice", ("value_share", "percentile")),
    (r"segv_cut_[abc]", "float", (0.0, 100.0)),
    ("fn_acceptance", "int", (0, 100)),
    ("fn_profitable_from", "float", (-1e12, 1e12)),
    ("fn_strategic_from", "float", (0.0, 5.0)),
    ("fn_fit_code_max", "int", (0, 3)),
    ("fn_growth_from", "int", (-50, 200)),
    ("fn_conversion", "int", (0, 100)),
)


def _rule(key: str):
    for pattern, kind, rule in RULES:
        if re.fullmatch(pattern, key):
            return kind, rule
    return None


def shareable(key: str) -> bool:
    return _rule(key) is not None and len(key) <= 80


def to_params(state: dict) -> dict[str, str]:
    """The shareable part of a session's state as query parameters (text)."""
    out = {}
    for key, value in state.items():
        if not shareable(key) or value is None:
            continue
        kind, _ = _rule(key)
        if kind == "dates":
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
        found = _rule(key) if len(key) <= 80 else None
        if found is None:
            continue  # not ours (or a parameter of something else): ignored
        value = _parse(found, str(text))
        if value is None:
            refused.append(key)
        else:
            state[key] = value
    return state, refused


def _parse(found, text: str):
    kind, rule = found
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
