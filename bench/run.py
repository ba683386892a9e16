"""Time reading a Dutch export and building the per-customer table, against plain pandas.

    python -m bench.run            # 100k, 1M and 10M lines; writes bench/results.md
    python -m bench.run --quick    # 100k lines only, a smoke run (bench/work/results-quick.md)

Then the app: its rerun in AppTest (``bench.app_rerun``), garbled files through the
import (``bench.fuzz``) and the browser (``bench.browser``: first visits, every slider,
a 1M-line upload), each in a child process.

Inputs come from ``portfolio.demo`` (seed 42) and are cached in ``bench/work/``
by size. Every run is a fresh subprocess (``--case``); its peak memory is the
``ru_maxrss`` that ``os.wait4`` reports for that child alone. Times are
measured inside the child, from before the file is opened until the result
table exists (interpreter start and imports excluded).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.inputs import input_file
from bench.report import report
from bench.targets import CSV_SIZES, CUSTOMERS, SEED, XLSX_SIZES, Measured

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results.md"


# --- one measured run, inside the child process -------------------------------------------


def _ours(path: Path, with_table: bool) -> dict:
    from portfolio import Tables, connect, customer_table, data_range, months_ending
    from portfolio.ingest import read_invoice_lines

    store = WORK / f"store-{os.getpid()}"
    shutil.rmtree(store, ignore_errors=True)
    start = time.perf_counter()
    con = connect(store)
    imp = read_invoice_lines(con, path, store / "staging")
    out = {"rows": imp.rows_used, "rejected": imp.rows_rejected}
    if with_table:
        _first, last = data_range(con, Tables(imp.table))
        table = customer_table(con, Tables(imp.table), months_ending(last, 12))
        out |= {"customers": len(table), "revenue": round(float(table["revenue"].sum()), 2)}
    out["seconds"] = time.perf_counter() - start
    con.close()
    shutil.rmtree(store, ignore_errors=True)
    return out


def _pandas_csv(path: Path) -> dict:
    import pandas as pd

    start = time.perf_counter()
    lines = pd.read_csv(
        path, sep=";", decimal=",", thousands=".", encoding="cp1252", dtype={"Debiteurnummer": str}
    )
    lines["Factuurdatum"] = pd.to_datetime(lines["Factuurdatum"], format="%d-%m-%Y")
    table = _pandas_table(lines)
    out = {"rows": len(lines), "customers": len(table)}
    out["revenue"] = round(float(table["revenue"].sum()), 2)
    out["seconds"] = time.perf_counter() - start
    return out


def _pandas_table(lines):
    """Revenue, gross margin and previous-period revenue per customer, as the product does."""
    import pandas as pd

    from portfolio import months_ending

    period = months_ending(lines["Factuurdatum"].max().date(), 12)
    before = period.previous()
    day = lines["Factuurdatum"]
    now = lines[(day >= pd.Timestamp(period.start)) & (day <= pd.Timestamp(period.end))]
    prev = lines[(day >= pd.Timestamp(before.start)) & (day <= pd.Timestamp(before.end))]
    now = now.assign(margin=now["Bedrag excl. btw"] - now["Kostprijs"])
    current = now.groupby("Debiteurnummer").agg(
        revenue=("Bedrag excl. btw", "sum"), gross_margin=("margin", "sum")
    )
    previous = prev.groupby("Debiteurnummer")["Bedrag excl. btw"].sum().rename("revenue_prev")
    table = current.join(previous, how="outer").fillna(0.0)
    return table.sort_values("revenue", ascending=False)


def _duckdb_floor(path: Path) -> dict:
    """Reference, not the product: DuckDB's own typed CSV reader straight into a table.

    The demo export's columns are known here (no detection, no checks, no rejects
    per cell), and latin-1 stands in for Windows-1252 (same bytes for this data).
    It shows how fast the product could be with the same engine on this machine.
    """
    from portfolio import Tables, connect, customer_table, months_ending

    start = time.perf_counter()
    con = connect(WORK)  # the input already lives in the data folder, as an upload would
    types = ["VARCHAR"] * 3 + ["DATE"] * 3 + ["VARCHAR"] + ["DECIMAL(18,4)"] * 4 + ["VARCHAR"]
    columns = "{" + ", ".join(f"'c{i}': '{t}'" for i, t in enumerate(types)) + "}"
    con.execute(
        f"""CREATE TABLE lines AS SELECT c0 AS customer, c0 AS customer_id,
            c1 AS customer_name, c2 AS invoice_number, c3 AS invoice_date, c4 AS due_date,
            c5 AS paid_date, c6 AS product, c7 AS quantity, c8 AS discount, c9 AS amount,
            c10 AS cost, c11 AS region, false AS is_duplicate
        FROM read_csv(?, delim = ';', header = false, skip = 1, encoding = 'latin-1',
            decimal_separator = ',', thousands = '.', dateformat = '%d-%m-%Y',
            columns = {columns}, auto_detect = false, strict_mode = true)""",
        [str(path)],
    )
    last = con.execute("SELECT max(invoice_date) FROM lines").fetchall()[0][0]
    table = customer_table(con, Tables("lines"), months_ending(last, 12))
    out = {"rows": con.execute("SELECT count(*) FROM lines").fetchall()[0][0]}
    out |= {"customers": len(table), "revenue": round(float(table["revenue"].sum()), 2)}
    out["seconds"] = time.perf_counter() - start
    return out


def _fastexcel_only(path: Path) -> dict:
    """Reference: fastexcel's typed load of the sheet alone, the first step of ours."""
    import fastexcel

    start = time.perf_counter()
    reader = fastexcel.read_excel(str(path))
    sheet = reader.load_sheet(reader.sheet_names[0], schema_sample_rows=None, eager=True)
    return {"rows": sheet.num_rows, "seconds": time.perf_counter() - start}


def _pandas_xlsx(path: Path) -> dict:
    import pandas as pd

    start = time.perf_counter()
    lines = pd.read_excel(path, engine="openpyxl", dtype={"Debiteurnummer": str})
    return {"rows": len(lines), "seconds": time.perf_counter() - start}


def _vm_hwm_mib() -> float:
    """This process's own peak resident memory (a cross-check of ``ru_maxrss``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return float("nan")


CASES = {
    "ours-csv": lambda p: _ours(p, with_table=True),
    "pandas-csv": _pandas_csv,
    "floor-csv": _duckdb_floor,
    "ours-xlsx": lambda p: _ours(p, with_table=False),
    "pandas-xlsx": _pandas_xlsx,
    "floor-xlsx": _fastexcel_only,
}


# --- the parent: inputs, subprocesses, report ---------------------------------------------


def _run_case(case: str, path: Path, size: int, runs: int) -> Measured:
    seconds, peaks, result = [], [], {}
    for _ in range(runs):
        cmd = [sys.executable, "-m", "bench.run", "--case", case, "--input", str(path)]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        out = proc.stdout.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"{case} on {path.name} failed ({proc.returncode})")
        result = json.loads(out.strip().splitlines()[-1])
        seconds.append(result.pop("seconds"))
        # Linux reports KiB; it includes the parent's size at fork, so the parent stays small
        peaks.append(usage.ru_maxrss / 1024)
    measured = Measured(case, size, seconds, max(peaks), result)
    print(
        f"  {case:12} {size:>10,} lines  median {measured.median:7.2f} s  "
        f"peak {measured.peak_mib:7.0f} MiB  {result}",
        flush=True,
    )
    return measured


# whole processes, interpreter start and imports included: what a user of the command line
# waits for, against the pandas script they could write instead
PROCESSES = {
    "process-ours": lambda p: [sys.executable, "-m", "portfolio", "summary", str(p), "--json"],
    "process-pandas": lambda p: [sys.executable, str(ROOT / "bench" / "pandas_summary.py"), str(p)],
    # the floor: interpreter, DuckDB's import and its typed read, nothing else
    "process-floor": lambda p: [sys.executable, str(ROOT / "bench" / "duckdb_summary.py"), str(p)],
    # what `portfolio summary` costs before it reads a byte: interpreter and imports
    "process-imports": lambda p: [sys.executable, "-c", "import portfolio.cli"],
}


def _run_process(case: str, path: Path, size: int, runs: int) -> Measured:
    seconds, peaks, result = [], [], {}
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(PROCESSES[case](path), cwd=ROOT, stdout=subprocess.PIPE, text=True)
        out = proc.stdout.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{case} on {path.name} failed")
        if case != "process-imports":
            summary = json.loads(out)
            result = {k: summary[k] for k in ("customers", "revenue")}
        peaks.append(usage.ru_maxrss / 1024)
    measured = Measured(case, size, seconds, max(peaks), result)
    print(f"  {case:14} {size:>10,} lines  median {measured.median:7.2f} s  {result}", flush=True)
    return measured


def _runs(size: int, case: str) -> int:
    if size >= 10_000_000 or (case == "pandas-xlsx" and size >= 1_000_000):
        return 1  # minutes per run: one is enough to see the order of magnitude
    return 3


def measure(sizes: tuple[int, ...], xlsx_sizes: tuple[int, ...]) -> list[Measured]:
    out = []
    for size in sizes:
        path = input_file(size, "csv")
        for case in ("ours-csv", "pandas-csv", "floor-csv"):
            out.append(_run_case(case, path, size, _runs(size, case)))
        if size == 1_000_000:
            for case in PROCESSES:
                out.append(_run_process(case, path, size, _runs(size, case)))
    for size in xlsx_sizes:
        path = input_file(size, "xlsx")
        for case in ("ours-xlsx", "pandas-xlsx", "floor-xlsx"):
            out.append(_run_case(case, path, size, _runs(size, case)))
    return out


# --- where our time goes -------------------------------------------------------------------

_LABELS = (  # the first key found in a statement names it
    ("per_period AS", "metrics: customer_table SQL"),
    ("min(invoice_date)", "metrics: data_range"),
    ("> 0 FROM", "metrics: has cost / invoice numbers"),
    ("WITH base AS", "read and parse: every cell typed and checked (ingest._parse)"),
    ("read_csv(", "load: read_csv (sample or retry)"),
    ("any_value(csv_line)", "load: lines the reader could not split (sources/csv.py)"),
    ("LIMIT", "detect: sample values for decimal sign and date format"),
    ("_dup AS SELECT _hash", "duplicates: lines that repeat (ingest._create_lines)"),
    ("_used AS", "lines: final table + duplicate window (ingest._create_lines)"),
    ("_rejects_out AS", "rejects: table of rejected rows (ingest._create_rejects)"),
    ("GROUP BY reason", "count: rows and reasons (ingest._count)"),
    ("count(DISTINCT row)", "count: duplicates (ingest._count)"),
    ("SELECT count(*) FROM p_", "count: rows read against the file's lines (sources/csv.py)"),
    ("DROP TABLE", "drop the parsed table"),
    ("DESCRIBE", "count: duplicates (ingest._count)"),
    ("SET ", "connect: settings"),
)


def _label(sql: str) -> str:
    return next((label for key, label in _LABELS if key in sql), " ".join(sql.split())[:60])


class _TimedConnection:
    """A DuckDB connection that records the time of every statement."""

    def __init__(self, con, steps: list) -> None:
        self._con, self._steps = con, steps

    def execute(self, sql, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self._con.execute(sql, *args, **kwargs)
        finally:
            self._steps.append((_label(sql), time.perf_counter() - start))

    def __getattr__(self, name):
        return getattr(self._con, name)


def _profile(path: Path) -> dict:
    """Seconds per step of ours on ``path`` (SQL statements and the loader's Python steps)."""
    from portfolio import Tables, connect, customer_table, data_range, months_ending
    from portfolio.ingest import read_invoice_lines
    from portfolio.ingest.sources import csv as csv_source

    steps: list[tuple[str, float]] = []

    def timed(label, fn):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                steps.append((label, time.perf_counter() - start))

        return wrapper

    csv_source._stage = timed(
        "stage: link into the data folder, count lines (sources/csv.py _stage)", csv_source._stage
    )
    csv_source._blank_lines = timed(
        "stage: scan for blank lines (csv_source._blank_lines)", csv_source._blank_lines
    )
    store = WORK / f"store-{os.getpid()}"
    shutil.rmtree(store, ignore_errors=True)
    start = time.perf_counter()
    con = _TimedConnection(connect(store), steps)
    imp = read_invoice_lines(con, path, store / "staging")
    _first, last = data_range(con, Tables(imp.table))
    customer_table(con, Tables(imp.table), months_ending(last, 12))
    total = time.perf_counter() - start
    shutil.rmtree(store, ignore_errors=True)
    summed: dict[str, float] = {}
    for label, seconds in steps:
        summed[label] = summed.get(label, 0.0) + seconds
    return {"total": total, "steps": summed}


def _run_profile(path: Path, size: int) -> dict:
    cmd = [sys.executable, "-m", "bench.run", "--profile-case", "--input", str(path)]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["size"] = size
    return result


def _run_app_rerun() -> dict:
    """The app's rerun times with 10,000 customers (``bench.app_rerun``), in a child."""
    print("  app rerun with 10,000 customers …", flush=True)
    cmd = [sys.executable, "-m", "bench.app_rerun"]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(f"  {result}", flush=True)
    return result


def _run_versions() -> dict:
    """What changed and the migration matrix on two saved 1M-line versions
    (``bench.versions``), in a child."""
    print("  two saved 1M-line versions: what changed, moves …", flush=True)
    cmd = [
        sys.executable,
        "-m",
        "bench.versions",
        "--json",
        "--input",
        str(input_file(1_000_000, "csv")),
    ]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(f"  {result}", flush=True)
    return result


def _run_fuzz(files: int) -> dict:
    """Garbled files through the import (``bench.fuzz``), in a child: tracebacks, slow
    files and peak memory."""
    print(f"  fuzz with {files} files …", flush=True)
    cmd = [sys.executable, "-m", "bench.fuzz", "--files", str(files), "--json"]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _run_browser(quick: bool) -> dict:
    """The browser benchmark (``bench.browser``) in a child: first visits, every slider,
    the 1M-line upload. Quick: "Bench 10000" only, 2 runs, 90 s for the sliders, one
    upload (of the 1M-line file when it is there, else the 100k one). Its progress is
    shown as it comes; the result is its last line, or ``{"error": …}``."""
    cmd = [sys.executable, "-m", "bench.browser", "--json"]
    if quick:
        path = WORK / f"lines_{1_000_000}_c{CUSTOMERS[1_000_000]}_s{SEED}.csv"
        path = path if path.exists() else input_file(CSV_SIZES[0], "csv")
        cmd += ["--only", "Bench 10000", "--runs", "2", "--budget", "90", "--upload-runs", "1"]
    else:
        path = input_file(1_000_000, "csv")
    cmd += ["--upload", str(path)]
    command = " ".join(c if " " not in c else f'"{c}"' for c in cmd[1:])
    command = "python " + command.replace(str(ROOT) + "/", "")
    print(f"  browser: {command} …", flush=True)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    last = ""
    for line in proc.stdout:
        if last:
            print("    " + last, end="", flush=True)
        last = line
    if proc.wait() != 0:
        print(f"  the browser benchmark failed ({proc.returncode})", flush=True)
        return {"error": f"`{command}` failed (exit {proc.returncode}); see its output"}
    result = json.loads(last)
    result["command"] = command.replace(" --json", "")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100k lines only (smoke run)")
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--profile-case", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case or args.profile_case:  # inside the child process
        result = CASES[args.case](args.input) if args.case else _profile(args.input)
        result["vm_hwm_mib"] = _vm_hwm_mib()
        print(json.dumps(result))
        return
    sizes = CSV_SIZES[:1] if args.quick else CSV_SIZES
    xlsx_sizes = XLSX_SIZES[:1] if args.quick else XLSX_SIZES
    measured = measure(sizes, xlsx_sizes)
    profile_sizes = sizes[:1] if args.quick else (1_000_000, 10_000_000)
    profiles = [_run_profile(input_file(size, "csv"), size) for size in profile_sizes]
    app = _run_app_rerun()
    versions = None if args.quick else _run_versions()
    fuzz = _run_fuzz(300 if args.quick else 3000)
    browser = _run_browser(args.quick)
    command = "python -m bench.run" + (" --quick" if args.quick else "")

    text = report(measured, profiles, command, app, fuzz, browser, versions)
    target = WORK / "results-quick.md" if args.quick else RESULTS
    target.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
