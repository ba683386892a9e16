"""The saved datasets the browser benchmark (``bench.browser``) runs on: generated once
with ``portfolio.demo`` into ``bench/work/browser-store`` and kept between runs."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
STORE = WORK / "browser-store"


@dataclass(frozen=True)
class Dataset:
    name: str
    customers: int
    years: tuple[int, ...]
    lines_per_customer: int  # over all years (portfolio.demo scales to it)
    min_active: int = 0  # customers with revenue > 0 in the default period, at least
    max_sliders_per_group: int | None = None  # None: every slider


DATASETS = (
    # the demo keeps about 3 in 4 of its customers buying in the last 12 months of four
    # years: 13,800 customers give 10,000 active ones (more are generated when not)
    Dataset("Bench 10000", 13_800, (2022, 2023, 2024, 2025), 40, min_active=10_000),
    # at 25,000 customers the sidebar slider and the first three of each group (a tab)
    Dataset("Bench 25000 4y", 25_000, (2022, 2023, 2024, 2025), 40, max_sliders_per_group=3),
)


# ---------------------------------------------------------------- the saved datasets


def active_customers(name: str, root: Path = STORE) -> tuple[int, int]:
    """(customers with revenue > 0 in the default period, rows of the customer table)."""
    from portfolio import connect, customer_table, data_range, months_ending
    from portfolio.config import thresholds
    from portfolio.store import dataset_info, open_dataset

    con = connect(root)
    try:
        tables = open_dataset(con, dataset_info(root, name))
        _first, last = data_range(con, tables)
        table = customer_table(con, tables, months_ending(last, thresholds().period.months))
        return int((table["revenue"] > 0).sum()), len(table)
    finally:
        con.close()


def _save(spec: Dataset, customers: int, root: Path) -> None:
    from portfolio import connect, read_customer_file, read_invoice_lines
    from portfolio.demo import generate_customers, generate_lines
    from portfolio.demo.dutch_files import write_dutch_csv
    from portfolio.store import save_dataset

    files = root / "staging"
    files.mkdir(parents=True, exist_ok=True)
    lines = generate_lines(
        customers, years=spec.years, seed=7, target_lines=customers * spec.lines_per_customer
    )
    write_dutch_csv(lines, files / "regels.csv")
    write_dutch_csv(generate_customers(lines, seed=7), files / "klanten.csv")
    del lines
    con = connect(root)
    try:
        imp = read_invoice_lines(con, files / "regels.csv", files)
        customer_file = read_customer_file(con, files / "klanten.csv", files)
        save_dataset(con, root, spec.name, imp, customer_file)
    finally:
        con.close()
        shutil.rmtree(files, ignore_errors=True)


def ensure_datasets(specs=DATASETS, root: Path = STORE) -> dict[str, dict]:
    """Save each dataset once; returns per name its customers and active customers."""
    from portfolio.store import delete_dataset, list_datasets

    out = {}
    for spec in specs:
        customers = spec.customers
        for _attempt in range(4):
            if spec.name not in list_datasets(root):
                print(f"saving {spec.name}: {customers:,} customers …", flush=True)
                start = time.perf_counter()
                _save(spec, customers, root)
                print(f"  saved in {time.perf_counter() - start:.0f} s", flush=True)
            active, rows = active_customers(spec.name, root)
            if active >= spec.min_active:
                break
            print(f"  {spec.name}: {active:,} active < {spec.min_active:,}; more", flush=True)
            customers = int(customers * spec.min_active / max(active, 1) * 1.01) + 1
            delete_dataset(root, spec.name)
        else:
            raise SystemExit(f"{spec.name}: cannot reach {spec.min_active} active customers")
        out[spec.name] = {"generated": customers, "customers": rows, "active": active}
        print(f"{spec.name}: {rows:,} customers in the table, {active:,} active", flush=True)
    return out
