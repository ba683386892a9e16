"""Segment overrides and the finalized split: kept with the dataset, atomic, undoable."""

import json

import pandas as pd
import pytest

from portfolio.decisions import (
    apply_overrides,
    finalize,
    load_decisions,
    remove_override,
    set_override,
)
from portfolio.errors import InputError

SEGMENTS = pd.DataFrame({"customer": ["K1", "K2", "K3"], "segment": ["A", "B", "C"]})


def test_an_override_needs_a_reason_and_a_known_segment(tmp_path):
    with pytest.raises(InputError) as caught:
        set_override(tmp_path, "Demo", "grid", "K1", "B", "   ")
    assert caught.value.key == "override_reason_missing"
    with pytest.raises(InputError) as caught:
        set_override(tmp_path, "Demo", "grid", "K1", "Z", "want ik")
    assert caught.value.key == "override_segment_invalid"
    assert load_decisions(tmp_path, "Demo").overrides == {}


def test_overrides_survive_a_reload_and_can_be_undone(tmp_path):
    set_override(tmp_path, "Demo", "grid", "K3", "A", "Nieuwe grote order in 2026")
    again = load_decisions(tmp_path, "Demo")  # as a teammate or a restarted app reads it
    assert again.overrides["grid"]["K3"]["segment"] == "A"
    applied = apply_overrides(SEGMENTS, again.overrides["grid"])
    assert list(applied["segment"]) == ["A", "B", "A"]
    assert list(applied["computed_segment"]) == ["A", "B", "C"]
    assert list(applied["override_reason"]) == ["", "", "Nieuwe grote order in 2026"]
    remove_override(tmp_path, "Demo", "grid", "K3")
    assert load_decisions(tmp_path, "Demo").overrides["grid"] == {}


def test_finalize_keeps_scheme_thresholds_overrides_and_every_segment(tmp_path):
    set_override(tmp_path, "Demo", "grid", "K2", "C", "Betaalt altijd te laat")
    overrides = load_decisions(tmp_path, "Demo").overrides["grid"]
    final = finalize(
        tmp_path, "Demo", "grid", {"days_late_max": 5.0}, apply_overrides(SEGMENTS, overrides)
    ).final
    assert final["scheme"] == "grid"
    assert final["thresholds"] == {"days_late_max": 5.0}
    assert final["segments"] == {"K1": "A", "K2": "C", "K3": "C"}
    assert final["overrides"]["K2"]["reason"] == "Betaalt altijd te laat"
    saved = json.loads((tmp_path / "datasets" / "Demo" / "decisions.json").read_text())
    assert saved["final"]["at"] == final["at"]


def test_decisions_of_an_invalid_dataset_name_are_refused(tmp_path):
    with pytest.raises(InputError):
        set_override(tmp_path, "../elders", "grid", "K1", "A", "reden")


def test_ratings_win_over_the_customer_file_and_can_be_removed(tmp_path):
    from portfolio.decisions import apply_ratings, set_ratings

    table = pd.DataFrame(
        {
            "customer": ["K1", "K2"],
            "innovation": [1.0, None],
            "network": [2.0, 2.0],
            "satisfaction": [3.0, 3.0],
            "fit_code": [3.0, None],
        }
    )
    ratings = set_ratings(tmp_path, "Demo", {"K1": {"fit_code": 1}, "K2": {"innovation": 4.5}})
    rated = apply_ratings(table, ratings.ratings)
    assert list(rated["fit_code"].fillna(0)) == [1.0, 0.0]
    assert list(rated["innovation"]) == [1.0, 4.5]
    assert list(table["fit_code"].fillna(0)) == [3.0, 0.0]  # the input is not changed
    again = set_ratings(tmp_path, "Demo", {"K1": {"fit_code": None}})
    assert apply_ratings(table, again.ratings)["fit_code"].iloc[0] == 3.0


@pytest.mark.parametrize(
    "values", [{"fit_code": 4}, {"fit_code": 1.5}, {"network": 6}, {"network": -1}, {"hours": 3}]
)
def test_a_rating_outside_its_range_changes_nothing(tmp_path, values):
    from portfolio.decisions import set_ratings

    set_ratings(tmp_path, "Demo", {"K1": {"fit_code": 2}})
    with pytest.raises(InputError):
        set_ratings(tmp_path, "Demo", {"K9": {"network": 3}, "K1": values})
    assert load_decisions(tmp_path, "Demo").ratings == {"K1": {"fit_code": 2.0}}
