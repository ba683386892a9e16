"""What changed since the last upload: two saved versions of a hand-made export whose
changes are known (``tests/versions.py``: one month more, a customer new, one lost, one
up, one turned loss-making), compared through the store as the app compares them; and
the data's drift (a month lower, a month half exported, columns, rejected rows)."""

from datetime import date

import pandas as pd
import pytest

from portfolio.changes import Version, column_drift, compare, month_drift, rejects_drift
from portfolio.ingest import read_customer_file, read_invoice_lines
from portfolio.store import dataset_info, open_dataset, save_dataset
from tests.versions import write_exports


@pytest.fixture
def two_versions(con, tmp_path):
    root, staging = tmp_path / "store", tmp_path / "staging"
    versions = []
    for lines_file, customers_file in write_exports(tmp_path):
        lines = read_invoice_lines(con, lines_file, staging)
        customers = read_customer_file(con, customers_file, staging)
        save_dataset(con, root, "Verkoop", lines, customers)
        info = dataset_info(root, "Verkoop")
        versions.append(Version(open_dataset(con, info), info.meta, info.version))
    return versions


def test_new_lost_and_moving_customers_between_two_saved_versions(con, two_versions):
    changes = compare(con, *two_versions, split="profit")
    assert changes.before_period.end == date(2025, 12, 15)
    assert changes.now_period.end == date(2026, 1, 20)
    assert changes.new["customer"].tolist() == ["4"]
    assert changes.new["revenue"].tolist() == [900.0]
    assert changes.lost["customer"].tolist() == ["3"]
    assert changes.lost["revenue"].tolist() == [800.0]

    up = changes.biggest("revenue", up=True)
    # Alfa: 12 × 1,000 before; 11 × 1,000 + 5,000 now (its January 2025 fell out)
    assert up["customer"].tolist() == ["1"]
    assert up["revenue_change"].tolist() == [pytest.approx(16_000 - 12_000)]
    down = changes.biggest("contribution", up=False)
    # Beta: 12 × 200 before; 11 × 200 + (500 - 3,000) now
    assert down["customer"].tolist() == ["2"]
    assert down["contribution_now"].tolist() == [pytest.approx(2_200 - 2_500)]


def test_a_customer_that_turned_loss_making_changed_segment(con, two_versions):
    changes = compare(con, *two_versions, split="profit")
    moved = changes.segments.set_index("customer")
    assert moved.index.tolist() == ["2"]
    assert moved.loc["2", ["from", "to"]].tolist() == ["profitable", "loss_making"]
    assert moved.loc["2", "customer_name"] == "Beta BV"


def test_the_changes_as_plain_values_for_the_command_line(con, two_versions):
    values = compare(con, *two_versions, split="profit").as_dict()
    assert values["new"][0]["customer"] == "4"
    assert values["revenue_up"][0]["customer"] == "1"
    assert values["segments"] == [
        {"customer": "2", "customer_name": "Beta BV", "from": "profitable", "to": "loss_making"}
    ]
    assert values["drift"] == []  # the same columns, nothing rejected, no month lower


def test_a_month_much_lower_than_before_and_a_half_exported_last_month_are_named():
    months = pd.date_range("2025-01-01", periods=12, freq="MS").date
    before = pd.Series(1000.0, index=months[:11])
    now = pd.Series(1000.0, index=months)
    now[months[5]] = 300.0  # June rewritten: 300 where it was 1,000
    now[months[11]] = 400.0  # December exported halfway
    found = month_drift(before, now)
    assert found == [
        {"kind": "month_lower", "month": "2025-06-01", "revenue": 300.0, "reference": 1000.0},
        {"kind": "last_month_low", "month": "2025-12-01", "revenue": 400.0, "reference": 1000.0},
    ]


def test_a_month_as_high_as_before_is_no_drift():
    months = pd.date_range("2025-01-01", periods=6, freq="MS").date
    series = pd.Series([900.0, 1000.0, 1100.0, 950.0, 1000.0, 700.0], index=months)
    assert month_drift(series, series) == []


def test_columns_gone_or_added_and_more_rejects_are_named():
    before = {
        "files": {
            "lines": {
                "mapping": {"amount": "Bedrag", "cost": "Kostprijs"},
                "reasons": {"date_invalid": 2},
            }
        }
    }
    now = {
        "files": {
            "lines": {
                "mapping": {"amount": "Bedrag", "invoice_number": "Factuur"},
                "reasons": {"date_invalid": 5, "amount_invalid": 1},
            }
        }
    }
    assert column_drift(before, now) == [
        {"kind": "column_gone", "file": "lines", "field": "cost"},
        {"kind": "column_added", "file": "lines", "field": "invoice_number"},
    ]
    assert rejects_drift(before, now) == [
        {"kind": "rejects_up", "file": "lines", "reason": "amount_invalid", "rows": 1, "before": 0},
        {"kind": "rejects_up", "file": "lines", "reason": "date_invalid", "rows": 5, "before": 2},
    ]
