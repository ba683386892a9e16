"""``portfolio diff OLD NEW`` as a real subprocess: two exports, or two saved versions of a
dataset, give the same changes (``tests/versions.py`` knows them), as JSON or as lines."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.versions import save_both, write_exports

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, store: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PORTFOLIO_DATA_DIR=str(store))
    command = [sys.executable, "-m", "portfolio", "diff", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)


def _known_changes(values: dict) -> None:
    assert [c["customer"] for c in values["new"]] == ["4"]
    assert [c["customer"] for c in values["lost"]] == ["3"]
    assert values["revenue_up"][0]["customer"] == "1"
    assert values["revenue_up"][0]["revenue_change"] == 4000.0
    assert values["segments"] == [
        {"customer": "2", "customer_name": "Beta BV", "from": "profitable", "to": "loss_making"}
    ]


def test_two_exports_compared_as_json(tmp_path):
    (old, old_customers), (new, new_customers) = write_exports(tmp_path)
    result = run(
        str(old),
        str(new),
        "--customers-old",
        str(old_customers),
        "--customers-new",
        str(new_customers),
        "--split",
        "profit",
        "--json",
        store=tmp_path / "store",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["old_source"] == "verkoop0.csv" and values["new_source"] == "verkoop1.csv"
    _known_changes(values)


def test_two_saved_versions_compared_by_name(tmp_path):
    store = tmp_path / "store"
    save_both(store, tmp_path)
    result = run("Verkoop@previous", "Verkoop@current", "--split", "profit", "--json", store=store)
    assert result.returncode == 0, result.stderr
    _known_changes(json.loads(result.stdout))

    lines = run("Verkoop@previous", "Verkoop@current", "--split", "profit", store=store)
    assert lines.returncode == 0, lines.stderr
    assert "new: 1" in lines.stdout and "customer=4" in lines.stdout


def test_a_version_that_is_not_there_is_named_in_one_line(tmp_path):
    store = tmp_path / "store"
    result = run("Verkoop@previous", "Verkoop@current", store=store)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Verkoop" in result.stderr
    assert "Traceback" not in result.stderr
