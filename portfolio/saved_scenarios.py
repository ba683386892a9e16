"""Price scenarios the team saved for a dataset, to compare them side by side.

Kept per dataset name in ``datasets/<name>/scenarios.json`` under the data folder,
written atomically (temporary file, then rename). A scenario is the split it was
made on and a lever per segment; its figures are computed again from the data,
so a re-import or another period shows the same scenario on the new figures.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from portfolio.errors import InputError
from portfolio.export import atomic_write
from portfolio.scenarios import Lever
from portfolio.store import dataset_folder

MAX_NAME = 80
# what a lever may be: the sliders' own ranges (price change within ±100 % as a hard limit)
LIMITS = {"price_change": (-1.0, 1.0), "leaving": (0.0, 1.0), "volume_change": (-1.0, 1.0),
          "fewer_days": (0.0, 365.0)}  # fmt: skip


def _file(root: Path, dataset: str) -> Path:
    return dataset_folder(root, dataset) / "scenarios.json"


def load_scenarios(root: Path, dataset: str) -> dict[str, dict]:
    """Saved scenarios by name: {"split", "levers": {segment: lever fields}, "at"}."""
    path = _file(root, dataset)
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def levers_of(scenario: dict) -> dict[str, Lever]:
    return {segment: Lever(**values) for segment, values in scenario["levers"].items()}


def save_scenario(
    root: Path, dataset: str, name: str, split: str, levers: dict[str, Lever]
) -> dict[str, dict]:
    """Save (or replace) scenario ``name``; every value is checked first, so a bad one
    saves nothing."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise InputError("scenario_name_invalid", name=name, most=MAX_NAME)
    for segment, lever in levers.items():
        for key, value in lever.to_dict().items():
            low, high = LIMITS[key]
            if not low <= value <= high:
                raise InputError("scenario_value_invalid", segment=segment, value=value,
                                 low=low, high=high)  # fmt: skip
    scenarios = load_scenarios(root, dataset)
    scenarios[name] = {
        "split": split,
        "levers": {segment: lever.to_dict() for segment, lever in levers.items()},
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _write(root, dataset, scenarios)
    return scenarios


def delete_scenario(root: Path, dataset: str, name: str) -> dict[str, dict]:
    scenarios = load_scenarios(root, dataset)
    scenarios.pop(name, None)
    _write(root, dataset, scenarios)
    return scenarios


def _write(root: Path, dataset: str, scenarios: dict) -> None:
    text = json.dumps(scenarios, indent=2, ensure_ascii=False)
    atomic_write(_file(root, dataset), text.encode("utf-8"))
