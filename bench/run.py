"""Time reading a Dutch export and building the per-customer table, against plain pandas.

    python -m bench.run            # 100k, 1M and 10M lines; writes bench/results.md
    python -m bench.run --quick    # 100k lines only, a smoke run (bench/work/results-quick.md)

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
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results.md"
SEED = 42
# customers grow with the lines: a few hundred to tens of thousands (domain.md)
CUSTOMERS = {100_000: 2_000, 1_000_000: 10_000, 10_000_000: 50_000}
CSV_SIZES = (100_000, 1_000_000, 10_000_000)
XLSX_SIZES = (100_000, 1_000_000)
TARGET_1M_SECONDS = 2.0
TARGET_CSV_SPEEDUP = 2.0
TARGET_XLSX_SPEEDUP = 15.0
TARGET_10M_PEAK_MIB = 2048


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
    lines = pd.read_csv(path, sep=";", decimal=",", thousands=".", encoding="cp1252",
                        dtype={"Debiteurnummer": str})  # fmt: skip
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
    """Reference: fastexcel's load of the sheet as text, the first step of ours."""
    import fastexcel

    start = time.perf_counter()
    reader = fastexcel.read_excel(str(path))
    sheet = reader.load_sheet(reader.sheet_names[0], header_row=None, dtypes="string")
    rows = sheet.to_arrow().num_rows - 1
    return {"rows": rows, "seconds": time.perf_counter() - start}


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


def _input(size: int, kind: str) -> Path:
    """The cached input file of ``size`` lines, written once by a child process.

    A child, because a parent's memory counts in its children's ``ru_maxrss``
    (Linux keeps the high-water mark across fork and exec): the parent stays small.
    """
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"lines_{size}_c{CUSTOMERS[size]}_s{SEED}.{kind}"
    if not path.exists():
        print(f"  writing {path.name} …", flush=True)
        cmd = [sys.executable, "-m", "bench.run", "--write-input", str(size), "--input", str(path)]
        subprocess.run(cmd, cwd=ROOT, check=True)
    return path


def _write_input(size: int, path: Path) -> None:
    from portfolio import demo, dutch_files

    part = path.with_suffix(".part")
    if path.suffix == ".csv":
        chunks = demo.generate_line_chunks(CUSTOMERS[size], seed=SEED, target_lines=size)
        dutch_files.write_dutch_csv_chunks(chunks, part)
    else:
        lines = demo.generate_lines(CUSTOMERS[size], seed=SEED, target_lines=size)
        dutch_files.write_xlsx(lines, part)
    part.rename(path)


@dataclass
class Measured:
    case: str
    size: int
    seconds: list[float]
    peak_mib: float
    result: dict

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


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
    print(f"  {case:12} {size:>10,} lines  median {measured.median:7.2f} s  "
          f"peak {measured.peak_mib:7.0f} MiB  {result}", flush=True)  # fmt: skip
    return measured


def _runs(size: int, case: str) -> int:
    if size >= 10_000_000 or (case == "pandas-xlsx" and size >= 1_000_000):
        return 1  # minutes per run: one is enough to see the order of magnitude
    return 3


def measure(sizes: tuple[int, ...], xlsx_sizes: tuple[int, ...]) -> list[Measured]:
    out = []
    for size in sizes:
        path = _input(size, "csv")
        for case in ("ours-csv", "pandas-csv", "floor-csv"):
            out.append(_run_case(case, path, size, _runs(size, case)))
    for size in xlsx_sizes:
        path = _input(size, "xlsx")
        for case in ("ours-xlsx", "pandas-xlsx", "floor-xlsx"):
            out.append(_run_case(case, path, size, _runs(size, case)))
    return out


# --- where our time goes -------------------------------------------------------------------

_LABELS = (  # the first key found in a statement names it
    ("per_period AS", "metrics: customer_table SQL"),
    ("min(invoice_date)", "metrics: data_range"),
    ("> 0 FROM", "metrics: has cost / invoice numbers"),
    ("read_csv(", "load: read_csv into an all-text table (sources._load_csv)"),
    ("error_type, csv_line", "load: csv reject rows"),
    ("LIMIT", "detect: sample values for decimal sign and date format"),
    ("_parsed AS", "parse: clean, type and check every cell (ingest._parse)"),
    ("_used AS", "lines: final table + duplicate window (ingest._create_lines)"),
    ("_rejects_out AS", "rejects: table of rejected rows (ingest._create_rejects)"),
    ("GROUP BY reason", "count: rows and reasons (ingest._count)"),
    ("count(DISTINCT row)", "count: duplicates (ingest._count)"),
    ("FROM src_", "count: rows and reasons (ingest._count)"),
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
    from portfolio import Tables, connect, customer_table, data_range, months_ending, sources
    from portfolio.ingest import read_invoice_lines

    steps: list[tuple[str, float]] = []

    def timed(label, fn):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                steps.append((label, time.perf_counter() - start))

        return wrapper

    sources._stage_utf8 = timed("load: copy to UTF-8 in staging (sources._stage_utf8)",
                                sources._stage_utf8)  # fmt: skip
    sources._blank_lines = timed("load: scan for blank lines (sources._blank_lines)",
                                 sources._blank_lines)  # fmt: skip
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


# --- the report ------------------------------------------------------------------------------


def _machine() -> list[str]:
    import duckdb
    import fastexcel
    import numpy
    import openpyxl
    import pandas
    import pyarrow

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())  # fmt: skip
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return [
        f"- machine: {os.cpu_count()} cores (nproc), {cpu}, {memory:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}",
        f"- python {platform.python_version()}, duckdb {duckdb.__version__}, "
        f"pandas {pandas.__version__}, numpy {numpy.__version__}, pyarrow {pyarrow.__version__}, "
        f"fastexcel {fastexcel.__version__}, openpyxl {openpyxl.__version__}",
    ]


def _pair(measured: list[Measured], kind: str, size: int) -> tuple[Measured, Measured] | None:
    """(ours, pandas) for ``kind`` ("csv" or "xlsx") at ``size`` lines, when both ran."""
    found = _found(measured, kind, size)
    if "ours" not in found or "pandas" not in found:
        return None
    return found["ours"], found["pandas"]


def _found(measured: list[Measured], kind: str, size: int) -> dict[str, Measured]:
    return {m.case.split("-")[0]: m for m in measured if m.size == size and m.case.endswith(kind)}


_HEADERS = {
    "csv": ("ours: read + customer_table", "pandas: read_csv + groupby",
            "reference: DuckDB typed read_csv + customer_table"),
    "xlsx": ("ours: read_invoice_lines", "pandas: read_excel (openpyxl)",
             "reference: fastexcel load only"),
}  # fmt: skip


def _table(measured: list[Measured], kind: str, sizes: tuple[int, ...]) -> list[str]:
    ours, pandas, floor = _HEADERS[kind]
    rows = [
        f"| lines | customers | {ours} (s) | peak MiB | {pandas} (s) | peak MiB | speedup "
        f"| {floor} (s) | its speedup | same result |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for size in sizes:
        found = _found(measured, kind, size)
        if "ours" not in found or "pandas" not in found:
            continue
        a, b, c = found["ours"], found["pandas"], found.get("floor")
        key = "revenue" if kind == "csv" else "rows"
        same = {m.result.get(key) for m in found.values()}
        floor = f"{c.median:.2f} | {b.median / c.median:.1f}×" if c else "– | –"
        rows.append(
            f"| {a.result['rows']:,} | {CUSTOMERS[size]:,} | {a.median:.2f} ({len(a.seconds)}×) | "
            f"{a.peak_mib:,.0f} | {b.median:.2f} ({len(b.seconds)}×) | {b.peak_mib:,.0f} | "
            f"{b.median / a.median:.1f}× | {floor} | {'yes' if len(same) == 1 else 'NO'} |"
        )
    return rows


def _targets(measured: list[Measured]) -> list[str]:
    rows = ["| target | measured | met |", "|---|---:|:---:|"]

    def add(text: str, value: str, ok: bool) -> None:
        rows.append(f"| {text} | {value} | {'yes' if ok else '**no**'} |")

    if pair := _pair(measured, "csv", 1_000_000):
        add(f"1M Dutch CSV lines to the per-customer table ≤ {TARGET_1M_SECONDS:g} s",
            f"{pair[0].median:.2f} s", pair[0].median <= TARGET_1M_SECONDS)  # fmt: skip
    for size in (1_000_000, 10_000_000):
        if pair := _pair(measured, "csv", size):
            speedup = pair[1].median / pair[0].median
            add(f"≥ {TARGET_CSV_SPEEDUP:g}× faster than pandas at {size // 1_000_000}M lines",
                f"{speedup:.1f}×", speedup >= TARGET_CSV_SPEEDUP)  # fmt: skip
    for size in XLSX_SIZES:
        if pair := _pair(measured, "xlsx", size):
            speedup = pair[1].median / pair[0].median
            add(f"xlsx ≥ {TARGET_XLSX_SPEEDUP:g}× faster than openpyxl at {size:,} rows",
                f"{speedup:.1f}×", speedup >= TARGET_XLSX_SPEEDUP)  # fmt: skip
    if pair := _pair(measured, "csv", 10_000_000):
        add("10M lines in ≤ 2 GiB peak memory (ours)", f"{pair[0].peak_mib:,.0f} MiB",
            pair[0].peak_mib <= TARGET_10M_PEAK_MIB)  # fmt: skip
    return rows


def _profile_table(profile: dict) -> list[str]:
    rows = [
        f"Ours on {profile['size']:,} CSV lines, one run, {profile['total']:.2f} s in total "
        "(steps timed from outside `portfolio/`; time not listed is Python between them):",
        "",
        "| step | seconds | share |",
        "|---|---:|---:|",
    ]
    for label, seconds in sorted(profile["steps"].items(), key=lambda kv: -kv[1]):
        if seconds >= 0.005:
            rows.append(f"| {label} | {seconds:.2f} | {seconds / profile['total']:.0%} |")
    return rows


def report(measured: list[Measured], profiles: list[dict], command: str) -> str:
    lines = [
        "# Benchmark: Dutch exports to the per-customer table",
        "",
        f"Run on {date.today():%Y-%m-%d} with `{command}`.",
        "",
        *_machine(),
        "",
        "Input: invoice lines from `portfolio.demo` (seed 42), written as a Dutch export",
        "(`;`, Windows-1252, `1.234,56`, `dd-mm-jjjj`, CRLF) by `write_dutch_csv_chunks`, or as",
        "xlsx by `write_xlsx`. Every run is a fresh process; time is measured inside it",
        "(imports excluded), peak memory is the process's `ru_maxrss` (`os.wait4`). The median",
        "of the runs is shown (3 runs; 1 at 10M lines and for openpyxl at 1M rows).",
        "",
        "- **ours (csv)**: `connect()` → `read_invoice_lines` → `data_range` →",
        "  `customer_table(months_ending(last date, 12))`: every cell typed and checked,",
        "  rejects kept, the full per-customer table (history, ranks, payment behaviour).",
        "- **pandas (csv)**: `pd.read_csv(sep=';', decimal=',', thousands='.',",
        "  encoding='cp1252')`, `pd.to_datetime(format='%d-%m-%Y')` for the invoice date,",
        "  then revenue, gross margin and previous-period revenue per customer (groupby).",
        "- **reference (csv)**: not the product; DuckDB's own typed `read_csv` (decimal comma,",
        "  thousands dot, `dd-mm-jjjj`) of the known columns straight into a table, then the",
        "  same `customer_table`: how fast this engine can be here, without the per-cell checks.",
        "- **xlsx**: ours = `read_invoice_lines` on the .xlsx (fastexcel, then the same parse);",
        "  pandas = `pd.read_excel(engine='openpyxl')`; reference = fastexcel's load alone.",
        "  Reading only, no per-customer table.",
        "- *Same result*: the period's total revenue (csv) or the row count (xlsx) agree.",
        "",
        "## CSV",
        "",
        *_table(measured, "csv", CSV_SIZES),
        "",
        "## XLSX",
        "",
        *_table(measured, "xlsx", XLSX_SIZES),
        "",
        "## Targets",
        "",
        *_targets(measured),
        "",
        "## Where our time goes",
        "",
    ]
    for profile in profiles:
        lines += [*_profile_table(profile), ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100k lines only (smoke run)")
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--profile-case", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write-input", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.write_input:
        _write_input(args.write_input, args.input)
        return
    if args.case or args.profile_case:  # inside the child process
        result = CASES[args.case](args.input) if args.case else _profile(args.input)
        result["vm_hwm_mib"] = _vm_hwm_mib()
        print(json.dumps(result))
        return
    sizes = CSV_SIZES[:1] if args.quick else CSV_SIZES
    xlsx_sizes = XLSX_SIZES[:1] if args.quick else XLSX_SIZES
    measured = measure(sizes, xlsx_sizes)
    profile_sizes = sizes[:1] if args.quick else (1_000_000, 10_000_000)
    profiles = [_run_profile(_input(size, "csv"), size) for size in profile_sizes]
    command = "python -m bench.run" + (" --quick" if args.quick else "")
    text = report(measured, profiles, command)
    target = WORK / "results-quick.md" if args.quick else RESULTS
    target.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
