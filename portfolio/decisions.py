"""What the team decided about a dataset: segment overrides and the finalized split.

Kept per dataset name (not per version, so a re-import keeps them) in
``datasets/<name>/decisions.json`` under the data folder, every write atomic
(temporary file, then rename): a crash leaves the previous decisions intact.
Customers are identified by their key (``customer`` of the per-customer table).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from portfolio.errors import InputError
from portfolio.export import atomic_write
from portfolio.store import dataset_folder

SEGMENTS = ("A", "B", "C", "D")


@dataclass
class Decisions:
    """``overrides[scheme][customer] = {"segment", "reason", "at"}``; ``final`` is the
    finalized split (scheme, thresholds, overrides, segments, at) or None."""

    overrides: dict[str, dict[str, dict]] = field(default_factory=dict)
    final: dict | None = None


def _file(root: Path, name: str) -> Path:
    return dataset_folder(root, name) / "decisions.json"


def load_decisions(root: Path, name: str) -> Decisions:
    """The saved decisions of dataset ``name`` (empty when there are none yet)."""
    path = _file(root, name)
    if not path.is_file():
        return Decisions()
    data = json.loads(path.read_text(encoding="utf-8"))
    return Decisions(overrides=data.get("overrides", {}), final=data.get("final"))


def _save(root: Path, name: str, decisions: Decisions) -> None:
    data = {"overrides": decisions.overrides, "final": decisions.final}
    atomic_write(_file(root, name), json.dumps(data, indent=2, ensure_ascii=False).encode())


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
    decisions = load_decisions(root, name)
    entry = {"segment": segment, "reason": reason.strip(), "at": _now()}
    decisions.overrides.setdefault(scheme, {})[str(customer)] = entry
    _save(root, name, decisions)
    return decisions


def remove_override(root: Path, name: str, scheme: str, customer: str) -> Decisions:
    """Undo a hand-made segment: the computed one counts again."""
    decisions = load_decisions(root, name)
    decisions.overrides.get(scheme, {}).pop(str(customer), None)
    _save(root, name, decisions)
    return decisions


def apply_overrides(segments: pd.DataFrame, overrides: dict[str, dict]) -> pd.DataFrame:
    """``segments`` (one row per customer, a computed ``segment``) with the team's say:
    ``computed_segment``, ``segment`` (the override where there is one) and
    ``override_reason`` (empty where the computed segment stands)."""
    out = segments.copy()
    out["computed_segment"] = out["segment"]
    chosen = out["customer"].astype(str).map(lambda c: overrides.get(c, {}).get("segment"))
    out["segment"] = chosen.fillna(out["computed_segment"])
    reasons = out["customer"].astype(str).map(lambda c: overrides.get(c, {}).get("reason"))
    out["override_reason"] = reasons.fillna("")
    return out


def finalize(
    root: Path, name: str, scheme: str, thresholds: dict, segments: pd.DataFrame
) -> Decisions:
    """Save the split as final, so other pages and teammates use the same one: the scheme,
    its thresholds, the overrides and every customer's segment, with the date."""
    decisions = load_decisions(root, name)
    decisions.final = {
        "scheme": scheme,
        "thresholds": thresholds,
        "overrides": decisions.overrides.get(scheme, {}),
        "segments": dict(zip(segments["customer"].astype(str), segments["segment"],
                             strict=True)),
        "at": _now(),
    }  # fmt: skip
    _save(root, name, decisions)
    return decisions
