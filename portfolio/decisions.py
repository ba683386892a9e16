"""What the team decided about a dataset: scores and fit codes rated by hand, segment
overrides and the finalized split.

Kept per dataset name (not per version, so a re-import keeps them) in
``datasets/<name>/decisions.json`` under the data folder, every write atomic
(temporary file, then rename): a crash leaves the previous decisions intact.
Customers are identified by their key (``customer`` of the per-customer table).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

import pandas as pd

from portfolio.errors import ConflictError, InputError, Moment
from portfolio.segments.schemes import Scheme
from portfolio.store import dataset_folder
from portfolio.workspace import UNCHECKED, read_json, require_finite, update_record

SEGMENTS = ("A", "B", "C", "D")


class FinalSplit(TypedDict):
    """A split the team finalized: its scheme and the thresholds it was made with, the
    overrides it holds, every customer's segment, when and by whom (ISO time, UTC)."""

    scheme: Scheme
    thresholds: dict
    overrides: dict[str, dict]
    segments: dict[str, str]  # customer -> segment
    at: str
    by: str


@dataclass
class Decisions:
    """``overrides[scheme][customer] = {"segment", "reason", "at"}``; ``final`` is the
    finalized split (scheme, thresholds, overrides, segments, at) or None; ``ratings``
    the scores and fit codes the team set by hand, which win over the customer file."""

    overrides: dict[str, dict[str, dict]] = field(default_factory=dict)
    final: FinalSplit | None = None
    ratings: dict[str, dict[str, float]] = field(default_factory=dict)  # customer -> field


def _file(root: Path, name: str) -> Path:
    return dataset_folder(root, name) / "decisions.json"


def _decisions(data: dict) -> Decisions:
    return Decisions(
        overrides=data.get("overrides", {}),
        final=data.get("final"),
        ratings=data.get("ratings", {}),
    )


def load_decisions(root: Path, name: str) -> Decisions:
    """The saved decisions of dataset ``name`` (empty when there are none yet)."""
    return _decisions(read_json(_file(root, name)))


def _update(root: Path, name: str, change: Callable[[Decisions], None]) -> Decisions:
    """Load, ``change`` and save the decisions under the file's lock (``change`` may raise:
    then nothing is written); the decisions as saved."""
    return update_record(_file(root, name), _decisions, change)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def set_override(
    root: Path, name: str, scheme: str, customer: str, segment: str, reason: str
) -> Decisions:
    """Put ``customer`` in ``segment`` by hand for ``scheme``; a reason is required."""
    if segment not in SEGMENTS:
        raise InputError("override_segment_invalid", segment=segment)
    if not (reason or "").strip():
        raise InputError("override_reason_missing", customer=customer)
    entry = {"segment": segment, "reason": reason.strip(), "at": _now()}

    def put(decisions: Decisions) -> None:
        decisions.overrides.setdefault(scheme, {})[str(customer)] = entry

    return _update(root, name, put)


def remove_override(root: Path, name: str, scheme: str, customer: str) -> Decisions:
    """Undo a hand-made segment: the computed one counts again."""

    def remove(decisions: Decisions) -> None:
        decisions.overrides.get(scheme, {}).pop(str(customer), None)

    return _update(root, name, remove)


def apply_overrides(segments: pd.DataFrame, overrides: dict[str, dict]) -> pd.DataFrame:
    """``segments`` (one row per customer, a computed ``segment``) with the team's say:
    ``computed_segment``, ``segment`` (the override where there is one) and
    ``override_reason`` (empty where the computed segment stands)."""
    out = segments.copy()
    out["computed_segment"] = out["segment"]
    if not overrides:
        out["override_reason"] = ""
        return out
    customers = out["customer"].astype(str)  # mapped through dicts: no call per customer
    chosen = customers.map({c: o.get("segment") for c, o in overrides.items()}).astype(object)
    out["segment"] = chosen.where(chosen.notna(), out["computed_segment"])
    reasons = customers.map({c: o.get("reason") for c, o in overrides.items()}).astype(object)
    out["override_reason"] = reasons.where(reasons.notna(), "")
    return out


def finalize(
    root: Path,
    name: str,
    scheme: Scheme,
    thresholds: dict,
    segments: pd.DataFrame,
    seen: str | None | object = UNCHECKED,
    by: str = "",
) -> Decisions:
    """Save the split as final, so other pages and teammates use the same one: the scheme,
    its thresholds, the overrides and every customer's segment, with the date.

    ``seen``: the date of the finalized split the user was looking at (None: none yet);
    ``by``: who finalizes it (shown with the date).
    When a teammate finalized another one since, nothing is saved: ``InputError``; so
    too for a threshold that is not a finite number.
    """
    require_finite(thresholds)

    def finalize_split(decisions: Decisions) -> None:
        current = decisions.final["at"] if decisions.final else None
        if seen is not UNCHECKED and current != seen:
            raise ConflictError("finalize_conflict", at=Moment(current))
        decisions.final = {
            "scheme": scheme,
            "thresholds": thresholds,
            "overrides": decisions.overrides.get(scheme, {}),
            "segments": dict(
                zip(segments["customer"].astype(str), segments["segment"], strict=True)
            ),
            "at": _now(),
            "by": by,
        }

    return _update(root, name, finalize_split)


# what may be rated by hand, and the values allowed (scores 0–5, fit codes 1–3)
RATINGS = {"innovation": (0, 5), "network": (0, 5), "satisfaction": (0, 5), "fit_code": (1, 3)}


def set_ratings(root: Path, name: str, ratings: dict[str, dict[str, float | None]]) -> Decisions:
    """Rate customers by hand: ``{customer: {"fit_code": 1, "network": 4}}``; ``None``
    removes a rating (the customer file's value counts again). Checks every value first,
    so a bad one changes nothing."""
    for customer, values in ratings.items():
        for key, value in values.items():
            if key not in RATINGS:
                raise InputError("rating_unknown", field=key)
            low, high = RATINGS[key]
            bad = value is not None and not (low <= value <= high)
            if bad or (key == "fit_code" and value is not None and value != int(value)):
                raise InputError(
                    "rating_out_of_range", customer=customer, value=value, low=low, high=high
                )

    def rate(decisions: Decisions) -> None:
        for customer, values in ratings.items():
            entry = decisions.ratings.setdefault(str(customer), {})
            for key, value in values.items():
                if value is None:
                    entry.pop(key, None)
                else:
                    entry[key] = float(value)
            if not entry:
                decisions.ratings.pop(str(customer))

    return _update(root, name, rate)


def apply_ratings(table: pd.DataFrame, ratings: dict[str, dict[str, float]]) -> pd.DataFrame:
    """The per-customer table with the hand-set scores and fit codes in place of the
    customer file's (one row per customer, as before)."""
    if not ratings:
        return table
    out = table.copy()
    keys = out["customer"].astype(str)
    for key in RATINGS:
        rated = keys.map(lambda c, k=key: ratings.get(c, {}).get(k))
        out[key] = rated.astype(float).fillna(out[key].astype(float))
    return out
