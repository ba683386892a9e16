"""The kept versions of a dataset: listed newest first with when and by whom they were
saved, an earlier one opened by name, one that no longer opens left out or refused with a
message (never a traceback, never the version in use touched)."""

from pathlib import Path

import pytest

from portfolio import InputError, connect, read_invoice_lines
from portfolio.store import (
    current_version,
    dataset_info,
    dataset_versions,
    open_dataset,
    previous_version,
    save_dataset,
)

LINES = "Klant;Factuurdatum;Bedrag\r\nK1;15-01-2025;{amount}\r\n"


@pytest.fixture
def three_versions(tmp_path: Path) -> list[str]:
    """Dataset Verkoop saved three times, with 100, 200 and 300 of revenue, by Anna, Bram
    and Cas."""
    con = connect(tmp_path)
    saved = []
    for amount, by in ((100, "Anna"), (200, "Bram"), (300, "Cas")):
        file = tmp_path / f"verkoop{amount}.csv"
        file.write_text(LINES.format(amount=amount), encoding="utf-8")
        imp = read_invoice_lines(con, file, tmp_path / "staging")
        saved.append(save_dataset(con, tmp_path, "Verkoop", imp, by=by).version)
    con.close()
    return saved


def _revenue(root: Path, version: str | None) -> float:
    con = connect(root)
    tables = open_dataset(con, dataset_info(root, "Verkoop", version))
    return float(con.execute(f"SELECT sum(amount) FROM {tables.lines}").fetchone()[0])


def test_versions_are_listed_newest_first_with_who_saved_them(tmp_path, three_versions):
    kept = dataset_versions(tmp_path, "Verkoop")
    assert [v.version for v in kept] == three_versions[::-1]
    assert [v.meta["saved_by"] for v in kept] == ["Cas", "Bram", "Anna"]
    assert all(v.meta["saved_at"] for v in kept)


def test_an_earlier_version_opens_with_its_own_data(tmp_path, three_versions):
    assert _revenue(tmp_path, three_versions[0]) == 100.0
    assert _revenue(tmp_path, None) == 300.0  # the one in use
    assert previous_version(tmp_path, "Verkoop").version == three_versions[1]


def test_a_version_that_no_longer_opens_is_left_out_and_refused_by_name(tmp_path, three_versions):
    broken = tmp_path / "datasets" / "Verkoop" / three_versions[1]
    (broken / "meta.json").write_text("{half a file", encoding="utf-8")

    assert [v.version for v in dataset_versions(tmp_path, "Verkoop")] == [
        three_versions[2],
        three_versions[0],
    ]
    with pytest.raises(InputError) as refused:
        dataset_info(tmp_path, "Verkoop", three_versions[1])
    assert refused.value.key == "version_missing"
    assert three_versions[1] in refused.value.message("nl")
    assert current_version(tmp_path, "Verkoop") == three_versions[2]
    assert _revenue(tmp_path, None) == 300.0


@pytest.mark.parametrize("name", ["../../etc", "CURRENT", "20260101T000000-abcdef/../x", ""])
def test_a_version_name_that_is_not_a_version_is_refused(tmp_path, three_versions, name):
    with pytest.raises(InputError) as refused:
        dataset_info(tmp_path, "Verkoop", name)
    assert refused.value.key == "version_missing"


def test_the_first_version_has_no_previous_one(tmp_path):
    con = connect(tmp_path)
    file = tmp_path / "verkoop.csv"
    file.write_text(LINES.format(amount=5), encoding="utf-8")
    save_dataset(con, tmp_path, "Verkoop", read_invoice_lines(con, file, tmp_path / "staging"))
    assert previous_version(tmp_path, "Verkoop") is None
