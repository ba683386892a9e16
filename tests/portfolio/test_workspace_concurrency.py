"""Two people saving at once: nothing is lost or half-written, a real conflict is refused
with a message, and a save killed halfway leaves the previous state readable."""

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from portfolio import connect, read_invoice_lines
from portfolio.config import funnel_rules
from portfolio.decisions import finalize, load_decisions
from portfolio.errors import ConflictError
from portfolio.funnel.plan import load_plan, save_opportunities, save_remediation, save_settings
from portfolio.store import current_version, save_dataset

ROOT = Path(__file__).resolve().parents[2]
CONDITIONS = funnel_rules().conditions
SEGMENTS = pd.DataFrame({"customer": ["K1", "K2"], "segment": ["A", "B"]})


def rows(customer: str, status: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"customer": [customer], "condition": ["price_rise"], "status": [status], "note": [""]}
    )


def test_the_same_customer_changed_by_two_people_is_a_conflict_another_one_merges(tmp_path):
    seen = load_plan(tmp_path, "Demo").remediation  # both open the page
    save_remediation(
        tmp_path, "Demo", rows("K1", "accepted"), CONDITIONS, base=seen, edited={"K1"}
    )  # Anna
    with pytest.raises(ConflictError) as caught:  # Bram, from the same old view
        save_remediation(
            tmp_path, "Demo", rows("K1", "refused"), CONDITIONS, base=seen, edited={"K1"}
        )
    assert caught.value.key == "plan_conflict" and "K1" in caught.value.message("nl")
    # Bram saves again with K1 untouched (its default shown) and K2 changed: no clash,
    # and Anna's K1 stays
    both = pd.concat([rows("K1", "proposed"), rows("K2", "left")], ignore_index=True)
    save_remediation(tmp_path, "Demo", both, CONDITIONS, base=seen, edited={"K2"})
    saved = load_plan(tmp_path, "Demo").remediation
    assert {c: e["status"] for c, e in saved.items()} == {"K1": "accepted", "K2": "left"}


def test_a_list_saved_by_a_teammate_since_is_a_conflict(tmp_path):
    opportunity = pd.DataFrame(
        {
            "customer": ["K1"],
            "description": ["Koffie"],
            "kind": ["up_sell"],
            "condition": [""],
            "date": [None],
            "revenue": [100.0],
            "chance": [0.5],
        }
    )
    revision = load_plan(tmp_path, "Demo").revisions.get("opportunities", 0)
    save_opportunities(tmp_path, "Demo", opportunity, {"K1"}, seen=revision)
    with pytest.raises(ConflictError) as caught:
        save_opportunities(tmp_path, "Demo", opportunity.iloc[:0], {"K1"}, seen=revision)
    assert caught.value.key == "plan_list_conflict"
    assert len(load_plan(tmp_path, "Demo").opportunities) == 1


def test_finalizing_over_a_split_one_has_not_seen_is_refused(tmp_path):
    finalize(tmp_path, "Demo", "grid", {}, SEGMENTS, seen=None)
    first = load_decisions(tmp_path, "Demo").final
    with pytest.raises(ConflictError) as caught:
        finalize(tmp_path, "Demo", "value", {}, SEGMENTS, seen=None)
    assert caught.value.key == "finalize_conflict"
    assert load_decisions(tmp_path, "Demo").final == first
    finalize(tmp_path, "Demo", "value", {}, SEGMENTS, seen=first["at"])  # seen: allowed
    assert load_decisions(tmp_path, "Demo").final["scheme"] == "value"


def _save_many(root: str, who: int) -> None:
    for i in range(25):
        save_settings(Path(root), "Demo", {f"person{who}": i})


def test_many_processes_saving_at_once_lose_nothing(tmp_path):
    processes = [
        multiprocessing.Process(target=_save_many, args=(str(tmp_path), who)) for who in range(6)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    assert load_plan(tmp_path, "Demo").settings == {f"person{who}": 24 for who in range(6)}


WRITER = """
import sys
from pathlib import Path
from portfolio.funnel.plan import save_settings
root = Path(sys.argv[1])
big = "x" * 200_000  # a large file: a write takes a while
i = 0
while True:
    i += 1
    save_settings(root, "Demo", {"round": i, "padding": big})
    print(i, flush=True)
"""


def test_a_save_killed_halfway_leaves_the_previous_state_intact(tmp_path):
    save_settings(tmp_path, "Demo", {"round": 0})
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    for _ in range(5):  # let it get going: several saves done, more under way
        writer.stdout.readline()
    time.sleep(0.05)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(10)
    data = json.loads((tmp_path / "datasets" / "Demo" / "plan.json").read_text())
    assert data["settings"]["round"] >= 5  # a whole file, from a completed save
    assert len(data["settings"]["padding"]) == 200_000
    save_settings(tmp_path, "Demo", {"round": -1})  # and the lock is free again
    assert load_plan(tmp_path, "Demo").settings["round"] == -1


def test_a_dataset_saved_by_a_teammate_since_is_not_overwritten(tmp_path):
    file = tmp_path / "verkoop.csv"
    file.write_text("Klant;Factuurdatum;Bedrag\r\nK1;15-01-2025;100,00\r\n", encoding="utf-8")
    con = connect(tmp_path)
    imp = read_invoice_lines(con, file, tmp_path / "staging")
    assert current_version(tmp_path, "Verkoop") is None  # both see: no such dataset yet
    first = save_dataset(con, tmp_path, "Verkoop", imp, seen=None)  # Anna
    with pytest.raises(ConflictError) as caught:  # Bram, from the same view
        save_dataset(con, tmp_path, "Verkoop", imp, seen=None)
    assert caught.value.key == "dataset_conflict"
    assert current_version(tmp_path, "Verkoop") == first.version
    versions = [p.name for p in (tmp_path / "datasets" / "Verkoop").iterdir() if p.is_dir()]
    assert versions == [first.version]  # Bram's copy is not left behind
    second = save_dataset(con, tmp_path, "Verkoop", imp, seen=first.version)  # seen: fine
    assert current_version(tmp_path, "Verkoop") == second.version
