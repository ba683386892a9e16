"""What the store keeps (portfolio/store.py): old versions are pruned after a save, what an
interrupted save left is swept by age, and a dataset can be erased whole."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from portfolio import InputError, connect, read_invoice_lines
from portfolio.config import thresholds
from portfolio.decisions import load_decisions, set_override
from portfolio.funnel.plan import load_plan, save_settings
from portfolio.scenarios.model import Lever
from portfolio.scenarios.saved import load_scenarios, save_scenario
from portfolio.store import (
    current_version,
    dataset_info,
    delete_dataset,
    list_datasets,
    open_dataset,
    prune_versions,
    save_dataset,
    sweep_orphans,
)

LINES = "Klant;Factuurdatum;Bedrag\r\nK1;15-01-2025;100,00\r\nK2;16-01-2025;-12,50\r\n"


@pytest.fixture
def saved(tmp_path: Path):
    """``saved(name, times)``: save a small real import ``times`` times; the versions."""
    file = tmp_path / "verkoop.csv"
    file.write_text(LINES, encoding="utf-8")
    con = connect(tmp_path)
    imp = read_invoice_lines(con, file, tmp_path / "staging")

    def save(name: str, times: int) -> list[str]:
        return [save_dataset(con, tmp_path, name, imp).version for _ in range(times)]

    yield save
    con.close()


def _versions_on_disk(root: Path, name: str) -> set[str]:
    return {p.name for p in (root / "datasets" / name).iterdir() if p.is_dir()}


def _later(seconds: float) -> float:
    """A moment ``seconds`` from now: what was written now is that old then (a file's
    change time cannot be set back, so the clock is moved on instead)."""
    return time.time() + seconds


def test_the_retention_setting_keeps_twelve_versions():
    assert thresholds().store.keep_versions == 12


def test_a_save_keeps_only_the_newest_versions(tmp_path, saved):
    keep = thresholds().store.keep_versions
    versions = saved("Verkoop", keep + 3)

    assert _versions_on_disk(tmp_path, "Verkoop") == set(versions[-keep:])
    assert current_version(tmp_path, "Verkoop") == versions[-1]
    assert len(list((tmp_path / "tmp").glob("deleted-*"))) == 0  # removed, not parked


def test_pruning_never_removes_the_version_in_use(tmp_path, saved):
    versions = saved("Verkoop", 4)
    (tmp_path / "datasets" / "Verkoop" / "CURRENT").write_text(versions[0])  # rolled back

    removed = prune_versions(tmp_path, "Verkoop", keep=1)

    assert removed == [versions[2], versions[1]]
    assert _versions_on_disk(tmp_path, "Verkoop") == {versions[3], versions[0]}
    assert dataset_info(tmp_path, "Verkoop").version == versions[0]


def test_the_kept_versions_stay_readable(tmp_path, saved):
    saved("Verkoop", 3)
    prune_versions(tmp_path, "Verkoop", keep=1)

    cur = connect(tmp_path)
    tables = open_dataset(cur, dataset_info(tmp_path, "Verkoop"))
    total = cur.execute(f"SELECT sum(amount) FROM {tables.lines}").fetchone()[0]
    assert float(total) == 87.5  # 100,00 - 12,50


def test_versions_named_with_seconds_only_are_ordered_with_the_new_ones(tmp_path, saved):
    folder = tmp_path / "datasets" / "Verkoop"
    new = saved("Verkoop", 1)[0]
    (folder / "20200101T000000-aaaaaa").mkdir()  # whole seconds: an older save, years ago

    assert prune_versions(tmp_path, "Verkoop", keep=1) == ["20200101T000000-aaaaaa"]
    assert _versions_on_disk(tmp_path, "Verkoop") == {new}


def test_an_interrupted_save_is_left_alone_while_young(tmp_path, saved):
    saved("Verkoop", 1)
    in_progress = tmp_path / "tmp" / "save-another-process"
    in_progress.mkdir(parents=True)
    (in_progress / "lines.parquet").write_bytes(b"being written")

    assert sweep_orphans(tmp_path, max_age_seconds=600, now=_later(590)) == []
    assert (in_progress / "lines.parquet").is_file()


def test_an_interrupted_save_is_swept_once_old_and_nothing_else_is(tmp_path, saved):
    versions = saved("Verkoop", 2)
    interrupted = tmp_path / "tmp" / "save-0ld"
    interrupted.mkdir(parents=True)
    (interrupted / "lines.parquet").write_bytes(b"half")
    spill = tmp_path / "tmp" / "duckdb_temp_block-1.block"  # DuckDB's own spill file
    spill.write_bytes(b"x")
    plan = tmp_path / "datasets" / "Verkoop" / "plan.json"
    plan.write_text("{}")

    removed = sweep_orphans(tmp_path, max_age_seconds=600, now=_later(3600))

    assert removed == [interrupted]
    assert not interrupted.exists() and spill.is_file() and plan.is_file()
    assert _versions_on_disk(tmp_path, "Verkoop") == set(versions)
    assert list_datasets(tmp_path) == ["Verkoop"]


def test_the_sweep_ends_an_interrupted_delete_and_removes_leftovers(tmp_path, saved):
    saved("Verkoop", 1)
    parked = tmp_path / "tmp" / "deleted-abc"
    (parked / "v1").mkdir(parents=True)
    (parked / "plan.json").write_text("{}")
    staged = tmp_path / "staging" / "0123.csv"
    staged.write_text(LINES)
    half = tmp_path / "datasets" / "Verkoop" / ".plan.json.x1.tmp"
    half.write_text("{")
    stray = tmp_path / "datasets" / "Gewist"  # a plan write that came after a delete
    stray.mkdir()
    (stray / "plan.json").write_text("{}")

    removed = sweep_orphans(tmp_path, max_age_seconds=600, now=_later(3600))

    assert set(removed) == {parked, staged, half, stray}
    assert not any(p.exists() for p in (parked, staged, half, stray))
    assert current_version(tmp_path, "Verkoop") is not None


def test_the_default_orphan_age_comes_from_the_config(tmp_path):
    young = tmp_path / "tmp" / "save-1"
    young.mkdir(parents=True)
    minutes = thresholds().store.orphan_minutes

    assert sweep_orphans(tmp_path, now=_later(minutes * 60 - 30)) == []
    assert sweep_orphans(tmp_path, now=_later(minutes * 60 + 30)) == [young]


def test_deleting_a_dataset_erases_its_versions_decisions_scenarios_and_plan(tmp_path, saved):
    saved("Verkoop", 3)
    saved("Demo", 1)
    save_settings(tmp_path, "Verkoop", {"acceptance": 60})
    set_override(tmp_path, "Verkoop", "grid", "K1", "A", "Grote order")
    save_scenario(tmp_path, "Verkoop", "Duurder", "grid", {"C": Lever(0.05)})

    delete_dataset(tmp_path, "Verkoop ")  # a look-alike of the name

    assert list_datasets(tmp_path) == ["Demo"]
    assert not (tmp_path / "datasets" / "Verkoop").exists()
    assert list((tmp_path / "tmp").glob("deleted-*")) == []
    assert load_plan(tmp_path, "Verkoop").settings == {}
    assert load_decisions(tmp_path, "Verkoop").overrides == {}
    assert load_scenarios(tmp_path, "Verkoop") == {}
    with pytest.raises(InputError) as caught:
        dataset_info(tmp_path, "Verkoop")
    assert caught.value.key == "dataset_missing"


def test_the_demo_dataset_can_be_deleted_too(tmp_path, saved):
    saved("Demo", 1)

    delete_dataset(tmp_path, "Demo")

    assert list_datasets(tmp_path) == []


def test_deleting_a_dataset_that_does_not_exist_says_so_and_creates_nothing(tmp_path):
    with pytest.raises(InputError) as caught:
        delete_dataset(tmp_path, "Bestaat niet")

    assert caught.value.key == "dataset_missing"
    assert not (tmp_path / "datasets" / "Bestaat niet").exists()


def test_a_save_that_finishes_after_its_dataset_was_deleted_is_refused(
    tmp_path, saved, monkeypatch
):
    """The save's version folder is in place when the delete takes the dataset away (the
    moment between the rename and the lock): the save then says so, nothing reappears."""
    saved("Verkoop", 1)
    folder = tmp_path / "datasets" / "Verkoop"
    con = connect(tmp_path)
    imp = read_invoice_lines(con, tmp_path / "verkoop.csv", tmp_path / "staging")
    real_rename = os.rename

    def rename_then_delete(src, dst):  # a teammate deletes right after the rename
        real_rename(src, dst)
        if Path(dst).parent == folder:
            delete_dataset(tmp_path, "Verkoop")

    monkeypatch.setattr(os, "rename", rename_then_delete)
    with pytest.raises(InputError) as caught:
        save_dataset(con, tmp_path, "Verkoop", imp)
    monkeypatch.undo()

    assert caught.value.key == "dataset_deleted_while_saving"
    assert list_datasets(tmp_path) == []
    assert list(folder.glob("[!.]*")) == []  # no version, no CURRENT: only a lock file
