"""What changed, and who moved, on two saved versions of a 1M-line export.

The bench's 1M-line Dutch CSV is read once and saved twice as dataset *Bench versions*:
first without its last month (last month's upload), then whole (this month's). Then, in a
fresh connection as the app opens them, median of 3:

* **diff**: ``changes.compare`` of the two versions (two per-customer tables, the segment
  changes, the months and columns of each: what the overview's section and
  ``portfolio diff`` do);
* **migration**: the per-customer tables of this year and last year (one pass,
  ``customer_tables``), each split by the grid and the moves counted into the matrix
  (what Klantbehoud's section does for a period not seen before).

Usage: ``python -m bench.versions [--input FILE] [--json]``; ``bench.run`` runs it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import statistics
import time
from pathlib import Path

from bench.targets import TARGET_DIFF_SECONDS

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
STORE = WORK / "versions-store"
NAME = "Bench versions"
RUNS = 3


def _save_versions(path: Path) -> int:
    """The two versions saved (the store made anew); the lines of the second."""
    from portfolio import connect, read_invoice_lines
    from portfolio.store import save_dataset

    shutil.rmtree(STORE, ignore_errors=True)
    con = connect(STORE)
    lines = read_invoice_lines(con, path, STORE / "staging")
    con.execute(
        f"""CREATE TABLE last_month_upload AS SELECT * FROM {lines.table}
            WHERE invoice_date < (SELECT date_trunc('month', max(invoice_date))
                                  FROM {lines.table})"""
    )
    earlier = dataclasses.replace(lines, table="last_month_upload")
    save_dataset(con, STORE, NAME, earlier)
    save_dataset(con, STORE, NAME, lines)
    con.close()
    return lines.rows_used


def _revenue(table):
    return table.set_index(table["customer"].astype(str))["revenue"]


def _timed(work) -> tuple[list[float], object]:
    seconds, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - start)
    return seconds, result


def measure(path: Path) -> dict:
    from portfolio import connect, months_ending
    from portfolio.changes import Version, compare
    from portfolio.metrics import customer_tables
    from portfolio.segments.migration import migration_matrix, moves, segments_of
    from portfolio.store import dataset_info, dataset_versions, open_dataset

    lines = _save_versions(path)
    con = connect(STORE)
    now, before = dataset_versions(STORE, NAME)[:2]
    versions = [Version(open_dataset(con, info), info.meta, info.version) for info in (before, now)]

    diff_seconds, changes = _timed(lambda: compare(con, *versions))
    tables = versions[1].tables
    last = con.execute(f"SELECT max(invoice_date) FROM {tables.lines}").fetchone()[0]

    def migration():
        this_year, last_year = customer_tables(con, tables, months_ending(last, 12), 2)
        moved = moves(segments_of(last_year, "grid"), segments_of(this_year, "grid"))
        return migration_matrix(moved, _revenue(last_year), _revenue(this_year))

    migration_seconds, matrix = _timed(migration)
    con.close()
    info = dataset_info(STORE, NAME)
    return {
        "lines": lines,
        "version": info.version,
        "diff_seconds": diff_seconds,
        "migration_seconds": migration_seconds,
        "new": len(changes.new),
        "lost": len(changes.lost),
        "segment_changes": len(changes.segments),
        "drift": [d["kind"] for d in changes.drift],
        "matrix_customers": int(matrix["customers"].sum()),
        "target_seconds": TARGET_DIFF_SECONDS,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, help="the 1M-line CSV (default: bench.run's)")
    parser.add_argument("--json", action="store_true", help="the result as one JSON line")
    args = parser.parse_args(argv)
    if args.input is None:
        from bench.inputs import input_file

        args.input = input_file(1_000_000, "csv")
    result = measure(args.input)
    if args.json:
        print(json.dumps(result))
        return
    for key in ("diff_seconds", "migration_seconds"):
        print(f"{key}: median {statistics.median(result[key]):.2f} s of {result[key]}")
    print({k: v for k, v in result.items() if not k.endswith("seconds")})


if __name__ == "__main__":
    main()
