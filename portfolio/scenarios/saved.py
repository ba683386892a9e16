"""Price scenarios the team saved for a dataset, to compare them side by side.

Kept per dataset name in ``datasets/<name>/scenarios.json`` under the data folder,
written atomically (temporary file, then rename). A scenario is the split it was
made on and a lever per segment; its figures are computed again from the data,
so a re-import or another period shows the same scenario on the new figures.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from portfolio.errors import ConflictError, InputError
from portfolio.scenarios.model import Lever
from portfolio.store import dataset_folder
from portfolio.workspace import read_json, update_json

MAX_NAME = 80
# what a lever may be: the sliders' own ranges (price change within ±100 % as a hard limit)
LIMITS = {
    "price_change": (-1.0, 1.0),
    "leaving": (0.0, 1.0),
    "volume_change": (-1.0, 1.0),
    "fewer_days": (0.0, 365.0),
}


def _file(root: Path, dataset: str) -> Path:
    return dataset_folder(root, dataset) / "scenarios.json"


def load_scenarios(root: Path, dataset: str) -> dict[str, dict]:
    """Saved scenarios by name: {"split", "levers": {segment: lever fields}, "at"}."""
    return read_json(_file(root, dataset))


def levers_of(scenario: dict) -> dict[str, Lever]:
    return {segment: Lever(**values) for segment, values in scenario["levers"].items()}


def save_scenario(
    root: Path,
    dataset: str,
    name: str,
    split: str,
    levers: dict[str, Lever],
    replace: bool = False,
    by: str = "",
) -> dict[str, dict]:
    """Save scenario ``name``; every value is checked first, so a bad one saves nothing.
    A scenario of that name (a teammate's, perhaps) is only replaced when asked."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise InputError("scenario_name_invalid", name=name, most=MAX_NAME)
    for segment, lever in levers.items():
        for key, value in lever.to_dict().items():
            low, high = LIMITS[key]
            if not low <= value <= high:
                raise InputError(
                    "scenario_value_invalid", segment=segment, value=value, low=low, high=high
                )
    entry = {
        "split": split,
        "levers": {segment: lever.to_dict() for segment, lever in levers.items()},
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "by": by,  # who saved it
    }

    def add(scenarios: dict) -> dict:
        if name in scenarios and not replace:
            raise ConflictError("scenario_exists", name=name)
        return {**scenarios, name: entry}

    return update_json(_file(root, dataset), add)


def delete_scenario(root: Path, dataset: str, name: str) -> dict[str, dict]:
    return update_json(
        _file(root, dataset), lambda scenarios: {k: v for k, v in scenarios.items() if k != name}
    )
