"""NaN and Infinity never reach a workspace file: refused where plan values come in, and
``workspace.write_json`` refuses them as a last guard (plan.json stays valid JSON)."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from portfolio.decisions import finalize, load_decisions, set_ratings
from portfolio.errors import InputError
from portfolio.funnel.plan import load_plan, save_opportunities, save_prospects, save_settings
from portfolio.workspace import read_json, update_json

NOT_FINITE = [float("nan"), float("inf"), -math.inf]
NOT_FINITE_TEXT = ["nan", "NaN", "Infinity", "-inf", "1e999"]


def _opportunity(revenue) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer": ["K1"],
            "description": ["Extra lijn"],
            "kind": ["up_sell"],
            "condition": [""],
            "date": ["2026-03-01"],
            "revenue": [revenue],
            "chance": [0.5],
        }
    )


def _plan_text(tmp_path) -> str:
    return (tmp_path / "datasets" / "Demo" / "plan.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("value", [math.inf, *NOT_FINITE_TEXT])
def test_a_non_finite_opportunity_revenue_is_refused_and_nothing_is_written(tmp_path, value):
    save_opportunities(tmp_path, "Demo", _opportunity(1000), {"K1"})
    before = _plan_text(tmp_path)

    with pytest.raises(InputError) as caught:
        save_opportunities(tmp_path, "Demo", _opportunity(value), {"K1"}, seen=1)

    assert caught.value.key == "plan_value_not_finite"
    assert caught.value.params["column"] == "revenue" and caught.value.params["row"] == 1
    assert _plan_text(tmp_path) == before
    assert load_plan(tmp_path, "Demo").opportunities[0]["revenue"] == 1000.0


def test_an_empty_revenue_cell_arriving_as_nan_is_blank_not_refused(tmp_path):
    plan = save_opportunities(tmp_path, "Demo", _opportunity(float("nan")), {"K1"})

    assert plan.opportunities[0]["revenue"] == 0.0
    assert json.loads(_plan_text(tmp_path))["opportunities"][0]["revenue"] == 0.0


@pytest.mark.parametrize("value", ["Infinity", "nan", math.inf])
def test_a_non_finite_prospect_revenue_is_refused(tmp_path, value):
    rows = pd.DataFrame(
        {
            "name": ["Bakkerij"],
            "region": ["Utrecht"],
            "sector": ["Food"],
            "revenue": [value],
            "fit_code": [1],
        }
    )

    with pytest.raises(InputError) as caught:
        save_prospects(tmp_path, "Demo", rows)

    assert caught.value.key == "plan_value_not_finite"
    assert not (tmp_path / "datasets" / "Demo" / "plan.json").exists()


@pytest.mark.parametrize("value", NOT_FINITE)
def test_a_non_finite_setting_is_refused_with_its_name(tmp_path, value):
    save_settings(tmp_path, "Demo", {"acceptance": 60})

    with pytest.raises(InputError) as caught:
        save_settings(tmp_path, "Demo", {"acceptance": 70, "conversion": value})

    assert caught.value.key == "value_not_finite"
    assert caught.value.params["setting"] == "conversion"
    assert "conversion" in caught.value.message("en")
    assert json.loads(_plan_text(tmp_path))["settings"] == {"acceptance": 60}


def test_a_nested_non_finite_setting_is_found(tmp_path):
    with pytest.raises(InputError) as caught:
        save_settings(tmp_path, "Demo", {"weights": {"region": 0.5, "size": [1.0, math.nan]}})

    assert caught.value.params["setting"] == "weights.size"


def test_a_non_finite_threshold_cannot_be_finalized(tmp_path):
    segments = pd.DataFrame({"customer": ["K1"], "segment": ["A"]})

    with pytest.raises(InputError) as caught:
        finalize(tmp_path, "Demo", "grid", {"days_late_max": math.inf}, segments)

    assert caught.value.key == "value_not_finite"
    assert load_decisions(tmp_path, "Demo").final is None


@pytest.mark.parametrize("value", NOT_FINITE)
def test_a_non_finite_rating_is_refused(tmp_path, value):
    with pytest.raises(InputError) as caught:
        set_ratings(tmp_path, "Demo", {"K1": {"network": value}})

    assert caught.value.key == "rating_out_of_range"


@pytest.mark.parametrize("value", NOT_FINITE)
def test_update_json_never_writes_a_non_finite_number(tmp_path, value):
    path = tmp_path / "scenarios.json"
    update_json(path, lambda data: {"Basis": {"price_change": 0.05}})

    with pytest.raises(ValueError, match="JSON compliant"):
        update_json(path, lambda data: {**data, "Kapot": {"price_change": value}})

    assert json.loads(path.read_text(encoding="utf-8")) == {"Basis": {"price_change": 0.05}}
    assert read_json(path) == {"Basis": {"price_change": 0.05}}
