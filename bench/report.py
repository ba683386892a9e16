"""The benchmark report: bench/results.md as Markdown tables, the targets and the profiles."""

from __future__ import annotations

import os
import platform
from datetime import date
from pathlib import Path

from bench.targets import (
    CSV_SIZES,
    CUSTOMERS,
    TARGET_10M_PEAK_MIB,
    TARGET_CSV_VS_FLOOR,
    TARGET_CSV_VS_PANDAS,
    TARGET_PROCESS_VS_PANDAS,
    TARGET_RERUN_MS,
    TARGET_XLSX_VS_FASTEXCEL,
    XLSX_SIZES,
    Measured,
)


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

    for size in (1_000_000, 10_000_000):
        found = _found(measured, "csv", size)
        if "ours" in found and "pandas" in found:
            ratio = found["pandas"].median / found["ours"].median
            add(f"{size // 1_000_000}M CSV lines to the per-customer table: ≥ "
                f"{TARGET_CSV_VS_PANDAS:g}× the pandas pipeline (imports excluded)",
                f"{ratio:.2f}×", ratio >= TARGET_CSV_VS_PANDAS)  # fmt: skip
        if size == 1_000_000 and "ours" in found and "floor" in found:
            ratio = found["ours"].median / found["floor"].median
            add(f"1M CSV lines: within {TARGET_CSV_VS_FLOOR:g}× of DuckDB's typed read_csv + "
                "the same table (the floor: no checks)",
                f"{ratio:.2f}×", ratio <= TARGET_CSV_VS_FLOOR)  # fmt: skip
    processes = {m.case: m for m in measured if m.case.startswith("process-")}
    if {"process-ours", "process-pandas"} <= set(processes):
        ratio = processes["process-pandas"].median / processes["process-ours"].median
        add(f"1M CSV lines, whole processes (`portfolio summary` against "
            f"bench/pandas_summary.py, imports included): ≥ {TARGET_PROCESS_VS_PANDAS:g}×",
            f"{ratio:.2f}×", ratio >= TARGET_PROCESS_VS_PANDAS)  # fmt: skip
    for size in XLSX_SIZES:
        found = _found(measured, "xlsx", size)
        if "ours" in found and "floor" in found:
            ratio = found["ours"].median / found["floor"].median
            add(f"xlsx at {size:,} rows: within {TARGET_XLSX_VS_FASTEXCEL:g}× of fastexcel's "
                "own typed load", f"{ratio:.2f}×", ratio <= TARGET_XLSX_VS_FASTEXCEL)  # fmt: skip
    found = _found(measured, "csv", 10_000_000)
    if "ours" in found:
        add("10M lines in ≤ 2 GiB peak memory (ours)", f"{found['ours'].peak_mib:,.0f} MiB",
            found["ours"].peak_mib <= TARGET_10M_PEAK_MIB)  # fmt: skip
    return rows


def _process_table(measured: list[Measured]) -> list[str]:
    processes = {m.case: m for m in measured if m.case.startswith("process-")}
    if {"process-ours", "process-pandas"} - set(processes):
        return ["(not measured in this run)"]
    ours, pandas = processes["process-ours"], processes["process-pandas"]
    same = ours.result == pandas.result
    return [
        "| lines | `portfolio summary --json` (s) | peak MiB | bench/pandas_summary.py (s) "
        "| peak MiB | ratio | same customers and revenue |",
        "|---:|---:|---:|---:|---:|---:|:---:|",
        f"| {ours.size:,} | {ours.median:.2f} ({len(ours.seconds)}×) | {ours.peak_mib:,.0f} | "
        f"{pandas.median:.2f} ({len(pandas.seconds)}×) | {pandas.peak_mib:,.0f} | "
        f"{pandas.median / ours.median:.2f}× | {'yes' if same else 'NO'} |",
    ]


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


def _app_section(app: dict) -> list[str]:
    rows = [
        f"The real app in Streamlit's AppTest on a saved dataset of {app['n_customers']:,} "
        f"customers ({app['lines']:,} invoice lines), `python -m bench.app_rerun`: the months "
        "slider moved ten times to periods not seen before, then ten times to the same ones "
        "again (the per-customer table and the charts' JSON then come from the cache). "
        "Median time from the slider change to the end of the rerun:",
        "",
        f"| page | new period (ms) | period seen before (ms) | target ≤ {TARGET_RERUN_MS} ms |",
        "|---|---:|---:|:---:|",
    ]
    for page in ("overview", "customers"):
        m = app[page]
        met = (
            "yes"
            if m["new_period_ms"] <= TARGET_RERUN_MS
            else (
                "only for periods seen before" if m["seen_period_ms"] <= TARGET_RERUN_MS else "no"
            )
        )
        rows.append(f"| {page} | {m['new_period_ms']} | {m['seen_period_ms']} | {met} |")
    for page, what in (("scenarios", "Price scenarios page, a price slider"),
                       ("funnel", "Five steps page, the acceptance rate")):  # fmt: skip
        if page in app:
            ms = app[page]["slider_ms"]
            met = "yes" if ms <= TARGET_RERUN_MS else "no"
            rows += ["", f"{what} moved ten times: median {ms} ms (target ≤ {TARGET_RERUN_MS} "
                         f"ms: {met})."]  # fmt: skip
    return rows


def _fuzz_section(fuzz: dict) -> list[str]:
    slowest = max((seconds for _, seconds in fuzz["slow"]), default=None)
    return [
        f"`python -m bench.fuzz --files {fuzz['files']} --seed {fuzz['seed']}`: seeded garbled",
        "exports (random bytes, truncations, wrong encodings, huge fields, thousands of",
        "columns, unbalanced quotes, garbled dates and amounts, broken xlsx) through the path",
        "of `portfolio check`. Each must end in a report or one clear message, with rows read =",
        "used + rejected.",
        "",
        "| files | seconds | report | message | tracebacks | over "
        f"{fuzz['slow_seconds']:.0f} s | peak memory |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {fuzz['files']:,} | {fuzz['seconds']} | {fuzz.get('ok', 0):,} | "
        f"{fuzz.get('input_error', 0):,} | {len(fuzz['bugs'])} | {len(fuzz['slow'])}"
        f"{f' (slowest {slowest:.1f} s)' if slowest else ''} | {fuzz['max_rss_mb']} MB |",
    ]


def report(measured: list[Measured], profiles: list[dict], command: str, app: dict,
           fuzz: dict) -> str:  # fmt: skip
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
        "- **xlsx**: ours = `read_invoice_lines` on the .xlsx (fastexcel with number and date",
        "  cells typed, then the same checks); pandas = `pd.read_excel(engine='openpyxl')`;",
        "  reference = fastexcel's typed load alone (every row deciding a column's type).",
        "  Reading only, no per-customer table.",
        "- *Same result*: the period's total revenue (csv) or the row count (xlsx) agree.",
        "",
        "## CSV",
        "",
        *_table(measured, "csv", CSV_SIZES),
        "",
        "## Whole processes",
        "",
        "What a user of the command line waits for: interpreter start, imports, reading,",
        "checking and the summary, against the pandas script they could write instead",
        "(`bench/pandas_summary.py`: the same period and figures, nothing checked), wall time",
        "from start to exit.",
        "",
        *_process_table(measured),
        "",
        "## XLSX",
        "",
        *_table(measured, "xlsx", XLSX_SIZES),
        "",
        "## Targets",
        "",
        *_targets(measured),
        "",
        "## Rerun of the app after a period change",
        "",
        *_app_section(app),
        "",
        "## Hostile files",
        "",
        *_fuzz_section(fuzz),
        "",
        "## Where our time goes",
        "",
    ]
    for profile in profiles:
        lines += [*_profile_table(profile), ""]
    return "\n".join(lines).rstrip() + "\n"
