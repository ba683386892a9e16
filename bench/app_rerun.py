"""Time the app's rerun after a slider or period change, with 10,000 customers (AppTest).

    python -m bench.app_rerun          # prints a JSON line; bench.run puts it in results.md

A dataset of 10,000 customers (four years of invoice lines from ``portfolio.demo``
and their customer file) is saved once in ``bench/work/app-store``. Then the real
app runs in Streamlit's AppTest on the overview page and the customers page, and
every change of the months slider is timed from the widget change to the end of
the rerun (everything the server does for the browser: SQL, pandas, charts as
JSON). A first visit of a period runs the per-customer SQL; a second visit finds
it in the cache. The median of each is reported. On the price scenario page a price
slider is moved ten times, on the funnel page the acceptance rate.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "bench" / "work" / "app-store"
CUSTOMERS = 10_000
LINES = 400_000
NAME = "Bench 10000"
# each value new once, then again; the pages get periods of their own (the cache is shared)
MONTHS = {
    "overview": (11, 10, 9, 8, 7, 6, 5, 4, 3, 2),
    "customers": (23, 22, 21, 20, 19, 18, 17, 16, 15, 14),
}
STEPS = (30, 31, 32, 33, 34, 35, 36)  # months, one step at a time, none seen before
READING = 1.0  # seconds between two steps


def _ensure_dataset() -> None:
    from portfolio import connect, read_customer_file, read_invoice_lines
    from portfolio.demo import generate_customers, generate_lines
    from portfolio.demo.dutch_files import write_dutch_csv
    from portfolio.store import list_datasets, save_dataset

    if NAME in list_datasets(STORE):
        return
    files = STORE / "staging"
    files.mkdir(parents=True, exist_ok=True)
    lines = generate_lines(CUSTOMERS, seed=7, target_lines=LINES)
    write_dutch_csv(lines, files / "bench_regels.csv")
    write_dutch_csv(generate_customers(lines, seed=7), files / "bench_klanten.csv")
    con = connect(STORE)
    imp = read_invoice_lines(con, files / "bench_regels.csv", files)
    customers = read_customer_file(con, files / "bench_klanten.csv", files)
    save_dataset(con, STORE, NAME, imp, customers)


def _timed_changes(at, values, key: str = "months", pause: float = 0.0) -> list[float]:
    """Seconds from each change of slider ``key`` to the end of the rerun, ``pause``
    seconds (untimed) after the previous one."""
    seconds = []
    for value in values:
        time.sleep(pause)
        start = time.perf_counter()
        at.slider(key=key).set_value(value).run()
        seconds.append(time.perf_counter() - start)
        if at.exception:
            raise SystemExit(f"the app failed: {at.exception}")
    return seconds


def _query_ms() -> int:
    """The floor of a new period: the per-customer tables of the period and the one before
    (``metrics.customer_tables``, what the overview asks for), without the app, median of
    the ten periods the overview is moved to."""
    from portfolio import connect, data_range, months_ending
    from portfolio.metrics import customer_tables
    from portfolio.store import dataset_info, open_dataset

    con = connect(STORE)
    tables = open_dataset(con, dataset_info(STORE, NAME))
    last = data_range(con, tables)[1]
    seconds = []
    for months in MONTHS["overview"]:
        start = time.perf_counter()
        customer_tables(con, tables, months_ending(last, months), 2)
        seconds.append(time.perf_counter() - start)
    return round(statistics.median(seconds) * 1000)


def measure() -> dict:
    os.environ["PORTFOLIO_DATA_DIR"] = str(STORE)
    _ensure_dataset()
    from streamlit.testing.v1 import AppTest

    out = {"n_customers": CUSTOMERS, "lines": LINES, "query_ms": _query_ms()}
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    at.selectbox(key="dataset").set_value(NAME).run()
    for page in ("overview", "customers"):
        if page != "overview":
            at.switch_page(f"pages/{page}.py")
            at.run()
        first = _timed_changes(at, MONTHS[page])
        again = _timed_changes(at, MONTHS[page])
        out[page] = {
            "new_period_ms": round(statistics.median(first) * 1000),
            "seen_period_ms": round(statistics.median(again) * 1000),
            "runs": len(first) + len(again),
        }
    # a person reads before the next step: the periods one step away are made meanwhile
    # (app.ahead). From 30 months (untimed) one month more at a time, a second apart.
    at.switch_page("pages/overview.py")
    at.slider(key="months").set_value(STEPS[0]).run()
    steps = _timed_changes(at, STEPS[1:], pause=READING)
    out["overview"]["step_after_reading_ms"] = round(statistics.median(steps) * 1000)
    # the price scenario page (nothing cached: the scenario is computed from the table on
    # every rerun) and the funnel page (every step and the bucket rerun)
    for page, key, values in (
        ("scenarios", "sc_grid_C_price_change", range(1, 11)),
        ("funnel", "fn_acceptance", range(50, 100, 5)),
    ):
        at.switch_page(f"pages/{page}.py")
        at.run()
        seconds = _timed_changes(at, values, key)
        out[page] = {"slider_ms": round(statistics.median(seconds) * 1000), "runs": len(seconds)}
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(measure()))
