"""Unsaved uploads (portfolio/ingest/uploads.py): raw files and DuckDB tables go when nobody needs
them any more; the raw file is not needed once read, nor a saved dataset's upload."""

from __future__ import annotations

import os
import time
from pathlib import Path

import openpyxl
import pytest

from portfolio import connect, read_customer_file, read_invoice_lines
from portfolio.config import thresholds
from portfolio.ingest.uploads import (
    discard,
    drop_unsaved_tables,
    import_tables,
    keep_upload,
    staging_tables,
    sweep,
)
from portfolio.store import dataset_info, open_dataset, save_dataset

LINES = (
    "Klant;Factuurdatum;Bedrag\r\nK1;15-01-2025;100,00\r\nK1;15-01-2025;100,00\r\n"
    "K2;16-01-2025;-12,50\r\nK3;geen datum;5,00\r\n"
)
CUSTOMERS = "Klantnummer;Uren\r\nK1;2\r\nK2;1,5\r\n"


def _later(seconds: float) -> float:
    return time.time() + seconds


def _xlsx_bytes(tmp_path: Path) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Klant", "Factuurdatum", "Bedrag"])
    sheet.append(["K1", "15-01-2025", 100.0])
    sheet.append(["K2", "16-01-2025", -12.5])
    book.save(tmp_path / "made.xlsx")
    return (tmp_path / "made.xlsx").read_bytes()


def test_the_upload_ttl_setting_is_an_hour():
    assert thresholds().ingest.upload_ttl_minutes == 60


def test_discarding_an_upload_removes_its_folder_and_nothing_else(tmp_path):
    mine = keep_upload(tmp_path, "verkoop.csv", LINES.encode())
    other = keep_upload(tmp_path, "klanten.csv", CUSTOMERS.encode())

    discard(mine)

    assert not mine.parent.exists()
    assert other.is_file()
    discard(mine)  # twice is fine
    discard(tmp_path / "datasets" / "Demo" / "plan.json")  # not an upload: left alone
    assert other.is_file()


def test_an_upload_is_swept_once_older_than_the_setting(tmp_path):
    path = keep_upload(tmp_path, "verkoop.csv", LINES.encode())
    ttl = thresholds().ingest.upload_ttl_minutes * 60

    assert sweep(tmp_path, now=_later(ttl - 60)) == []
    assert sweep(tmp_path, now=_later(ttl + 60)) == [path.parent]
    assert not path.exists()


def test_sweeping_with_age_zero_removes_every_upload(tmp_path):
    paths = [keep_upload(tmp_path, f"f{i}.csv", f"{LINES}{i}".encode()) for i in range(3)]
    (tmp_path / "uploads" / "not-a-hash").mkdir()

    removed = sweep(tmp_path, 0)

    assert sorted(removed) == sorted(p.parent for p in paths)
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == ["not-a-hash"]


def test_an_upload_used_again_counts_its_age_from_then(tmp_path):
    path = keep_upload(tmp_path, "verkoop.csv", LINES.encode())
    an_hour_ago = time.time() - 3600
    for p in (path, path.parent):
        os.utime(p, (an_hour_ago, an_hour_ago))

    keep_upload(tmp_path, "verkoop.csv", LINES.encode())

    assert sweep(tmp_path, 1800) == []
    assert path.is_file()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_read_import_and_its_save_do_not_need_the_raw_upload(tmp_path, kind):
    data = LINES.encode("cp1252") if kind == "csv" else _xlsx_bytes(tmp_path)
    path = keep_upload(tmp_path, f"verkoop.{kind}", data)
    con = connect(tmp_path)
    imp = read_invoice_lines(con, path, tmp_path / "staging")

    discard(path)
    info = save_dataset(con, tmp_path, "Verkoop", imp)

    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())
    assert list((tmp_path / "staging").glob("*")) == []  # no staged copy kept either
    tables = open_dataset(con, dataset_info(tmp_path, "Verkoop"))
    total = con.execute(f"SELECT sum(amount) FROM {tables.lines}").fetchone()[0]
    assert float(total) == (187.5 if kind == "csv" else 87.5)  # the duplicate line counts
    assert (info.path / "lines.parquet").is_file()
    rejected = con.execute(f"SELECT count(*) FROM {imp.rejects}").fetchone()[0]
    assert rejected == (1 if kind == "csv" else 0)


def _two_imports(tmp_path: Path):
    con = connect(tmp_path)
    lines = tmp_path / "verkoop.csv"
    lines.write_text(LINES, encoding="utf-8")
    customers = tmp_path / "klanten.csv"
    customers.write_text(CUSTOMERS, encoding="utf-8")
    first = read_invoice_lines(con, lines, tmp_path / "staging")
    second = read_customer_file(con, customers, tmp_path / "staging")
    return con, first, second


def test_the_staging_tables_are_exactly_those_of_the_imports(tmp_path):
    con, first, second = _two_imports(tmp_path)
    con.execute("CREATE TABLE klanten_eigen AS SELECT 1 AS x")  # not an import's

    assert staging_tables(con) == import_tables([first, second])
    assert first.backing  # the lines are a view over a parsed table: both are listed


def test_tables_no_session_holds_are_dropped_and_held_ones_kept(tmp_path):
    con, first, second = _two_imports(tmp_path)
    con.execute("CREATE TABLE klanten_eigen AS SELECT 1 AS x")

    dropped = drop_unsaved_tables(con, keep=import_tables([first]))

    assert set(dropped) == import_tables([second])
    assert staging_tables(con) == import_tables([first])
    assert con.execute(f"SELECT count(*) FROM {first.table}").fetchone()[0] == 3
    assert con.execute("SELECT x FROM klanten_eigen").fetchone()[0] == 1


def test_an_unheld_table_is_dropped_only_once_it_was_unheld_long_enough(tmp_path):
    con, first, second = _two_imports(tmp_path)
    seen: dict[str, float] = {}
    start = time.time()

    assert drop_unsaved_tables(con, set(), seen, max_age_seconds=600, now=start) == []
    assert set(seen) == import_tables([first, second])  # an import may still be running
    held_again = import_tables([first])  # the first one now sits in a session
    dropped = drop_unsaved_tables(con, held_again, seen, max_age_seconds=600, now=start + 601)

    assert set(dropped) == import_tables([second])
    assert staging_tables(con) == held_again
    assert seen == {}


def test_a_new_import_found_late_gets_its_own_grace(tmp_path):
    con, first, _second = _two_imports(tmp_path)
    seen = {name: time.time() - 601 for name in import_tables([first])}
    before = staging_tables(con) - import_tables([first])

    dropped = drop_unsaved_tables(con, (), seen, max_age_seconds=600)

    assert set(dropped) == import_tables([first])
    assert staging_tables(con) == before  # the second import's tables were only noted
