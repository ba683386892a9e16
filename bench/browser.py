"""Time what a person feels in the browser: the first visit of every page and every
slider moved one step, against a real server with a saved dataset (issue 15).

    python -m bench.browser            # prints a markdown table per dataset,
                                       # writes the raw results to bench/work/browser.json
    python -m bench.browser --runs 3 --only "Bench 10000"

Two datasets are saved once (cached) in ``bench/work/browser-store``:
"Bench 10000" (10,000 customers with revenue in the default period, the last 12 months,
checked with ``portfolio.customer_table``; with their customer file) and
"Bench 25000 4y" (25,000 customers over four years). The app runs as ``make run``
does (``deploy/serve.py`` through ``tests.browser.conftest._serve``); the system
chromium (headless, 1400×1000, nl-NL) is driven by Playwright.

Per dataset and page of the navigation:

* **first visit**: a click on the page's link in the sidebar → idle. Each repetition
  is a new session that starts on the upload page and then visits every page once
  (the first repetition finds the server's caches cold, the others warm).
* **every slider** on the page (the sidebar's period slider, and those in every tab):
  its thumb focused, one key press (ArrowRight, then ArrowLeft, … so the value stays
  next to its default) → idle.

Idle is the app's ``data-test-script-state`` back at ``notRunning`` after the rerun
the action started (a MutationObserver installed before the action records every
transition, so the few milliseconds before a rerun starts do not count as idle),
followed by two animation frames with no new run. Times are taken in the page
(``performance.now()`` from the input event to the second frame).

Besides the time, each interaction records what the websocket carried: whether the
rerun was a fragment's, the server's time (rerun request sent → ``script_finished``
received, both seen by Playwright), the elements sent (deltas) and their bytes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
STORE = WORK / "browser-store"
RESULTS = WORK / "browser.json"

# (address, title) in the order of the navigation (streamlit_app.PAGES, upload excluded)
PAGES = (
    ("overzicht", "Overzicht"),
    ("klanten", "Klanten"),
    ("klantbehoud", "Klantbehoud"),
    ("segmenten", "Segmenten"),
    ("prijsscenarios", "Prijsscenario's"),
    ("stappenplan", "Stappenplan"),
)
START_PAGE = "inlezen"  # where each first-visit session starts (not measured)
TARGET_SLIDER_MEDIAN, TARGET_SLIDER_WORST, TARGET_VISIT = 300, 500, 1500  # ms
TIMEOUT_MS = 90_000


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
    from portfolio.dutch_files import write_dutch_csv
    from portfolio.store import save_dataset

    files = root / "staging"
    files.mkdir(parents=True, exist_ok=True)
    lines = generate_lines(customers, years=spec.years, seed=7,
                           target_lines=customers * spec.lines_per_customer)  # fmt: skip
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


# ---------------------------------------------------------------- in the page

# Installed in every document before the app's own scripts: records the start of an action
# (the input event) and every change of the app's script state while armed; ``result`` is
# set two animation frames after the last change to notRunning (a new run cancels it).
IN_PAGE = """
(() => {
  const b = (window.__bench = {armed: false, start: null, events: [], result: null, added: 0});
  const root = () => document.querySelector('[data-testid="stApp"]');
  const begin = () => { if (b.armed && b.start === null) b.start = performance.now(); };
  for (const type of ['keydown', 'pointerdown', 'mousedown', 'click'])
    window.addEventListener(type, begin, true);
  let seq = 0;
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'childList') { if (b.armed) b.added += r.addedNodes.length; continue; }
      if (!b.armed || r.target !== root()) continue;
      const state = r.target.getAttribute('data-test-script-state'), now = performance.now();
      b.events.push([state, now]);
      const mine = ++seq;
      if (state !== 'notRunning' || !b.events.some((e) => e[0] === 'running')) continue;
      requestAnimationFrame(() => requestAnimationFrame(() => {
        const app = root();
        if (mine !== seq || b.result !== null || !app) return;
        if (app.getAttribute('data-test-script-state') !== 'notRunning') return;
        b.result = {start: b.start, idle: now, end: performance.now(), events: b.events.slice(),
                    added: b.added};
      }));
    }
  }).observe(document, {subtree: true, childList: true, attributes: true,
                        attributeFilter: ['data-test-script-state']});
})();
"""
ARM = """() => { const b = window.__bench;
  b.armed = true; b.start = null; b.events = []; b.result = null; b.added = 0; }"""
DISARM = "() => { const b = window.__bench; b.armed = false; return b.result; }"
TWO_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
# the sliders one can see now (the sidebar's, the main area's, the open tab's), in order
SLIDERS = """() => [...document.querySelectorAll('[data-testid="stSlider"]')]
  .filter((s) => s.checkVisibility())
  .map((s) => {
    const input = s.querySelector('input[type="range"]');
    const holder = s.closest('[class*="st-key-"]');
    const key = holder ? [...holder.classList].find((c) => c.startsWith('st-key-')) : null;
    const label = s.querySelector('[data-testid="stWidgetLabel"]');
    return {cls: key, key: key && key.slice(7), label: label ? label.innerText.trim() : '',
            sidebar: !!s.closest('[data-testid="stSidebar"]'),
            disabled: !input || input.disabled, value: input && +input.value,
            min: input && +input.min, max: input && +input.max};
  })"""


class Wire:
    """What the app's websocket carried, as Playwright saw it (perf_counter times)."""

    def __init__(self, page) -> None:
        self.frames: list[tuple] = []  # (time, "sent"/"recv", type, bytes, fragment)
        page.on("websocket", self._socket)

    def _socket(self, ws) -> None:
        if "_stcore/stream" in ws.url:
            ws.on("framesent", lambda payload: self._frame("sent", payload))
            ws.on("framereceived", lambda payload: self._frame("recv", payload))

    def _frame(self, way: str, payload) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        now = time.perf_counter()
        data = payload if isinstance(payload, bytes) else payload.encode()
        kind, fragment = "?", ""
        with contextlib.suppress(Exception):  # a frame that is not a message: counted only
            if way == "sent":
                msg = BackMsg.FromString(data)
                kind = msg.WhichOneof("type")
                if kind == "rerun_script":
                    fragment = msg.rerun_script.fragment_id
            else:
                msg = ForwardMsg.FromString(data)
                kind = msg.WhichOneof("type")
                if kind == "delta":
                    fragment = msg.delta.fragment_id
        self.frames.append((now, way, kind, len(data), fragment))

    def summary(self, since: int, began: float) -> dict:
        frames = self.frames[since:]
        sent = [f for f in frames if f[1] == "sent" and f[2] == "rerun_script"]
        done = [f for f in frames if f[1] == "recv" and f[2] == "script_finished"]
        deltas = [f for f in frames if f[1] == "recv" and f[2] == "delta"]
        server = (done[-1][0] - sent[0][0]) * 1000 if sent and done else None
        return {
            # the action (Playwright's call) → the rerun request on the socket
            "to_request_ms": round((sent[0][0] - began) * 1000) if sent else None,
            "reruns_sent": len(sent),
            "fragment": any(f[4] for f in sent),
            "server_ms": round(server) if server is not None else None,
            "deltas": len(deltas),
            "cached": sum(1 for f in frames if f[1] == "recv" and f[2] == "ref_hash"),
            "bytes": sum(f[3] for f in frames if f[1] == "recv"),
        }


def _timed(page, wire: Wire, action, timeout_ms: float = TIMEOUT_MS) -> dict:
    """``action()`` (a click or a key press) → the app idle again; times in ms."""
    page.evaluate(ARM)
    mark, began = len(wire.frames), time.perf_counter()
    action()
    try:
        page.wait_for_function("() => window.__bench.result !== null", timeout=timeout_ms)
    finally:
        result = page.evaluate(DISARM)
    if result is None or result["start"] is None:
        raise RuntimeError("no input event seen")
    events = result["events"]
    running = [t for state, t in events if state == "running"]
    return {
        "ms": round(result["end"] - result["start"], 1),
        "to_run_ms": round(running[0] - result["start"], 1),  # input → the rerun starts
        "run_ms": round(result["idle"] - running[0], 1),  # running → last notRunning
        "runs": len(running),
        "tail_ms": round(result["end"] - result["idle"], 1),  # notRunning → 2nd frame
        "nodes_added": result["added"],
        **wire.summary(mark, began),
    }


def _settle(page) -> None:
    from tests.browser.conftest import wait_for_app

    wait_for_app(page, timeout=TIMEOUT_MS)
    page.evaluate(TWO_FRAMES)
    time.sleep(0.1)
    wait_for_app(page, timeout=TIMEOUT_MS)


def _nav_link(page, path: str):
    suffix = "/" if path == PAGES[0][0] else f"/{path}"
    return page.locator(f'[data-testid="stSidebarNav"] a[href$="{suffix}"]').first


def _row(spec: Dataset, info: dict, path: str, what: str, kind: str, samples: list[dict],
         **extra) -> dict:  # fmt: skip
    times = [s["ms"] for s in samples]
    median, worst = statistics.median(times), max(times)
    if kind == "first visit":
        target, met = f"≤ {TARGET_VISIT / 1000:g} s", median <= TARGET_VISIT
    else:
        target = f"≤ {TARGET_SLIDER_MEDIAN} median, ≤ {TARGET_SLIDER_WORST} worst"
        met = median <= TARGET_SLIDER_MEDIAN and worst <= TARGET_SLIDER_WORST
    diag = {k: statistics.median(s[k] for s in samples if s[k] is not None)
            for k in ("to_request_ms", "to_run_ms", "run_ms", "tail_ms", "server_ms", "deltas",
                      "cached", "bytes", "nodes_added")
            if any(s[k] is not None for s in samples)}  # fmt: skip
    diag["fragment"] = any(s["fragment"] for s in samples)
    diag["runs"] = max(s["runs"] for s in samples)
    return {"dataset": spec.name, **info, "page": path, "title": dict(PAGES)[path],
            "kind": kind, "what": what, "runs_ms": times, "median_ms": round(median),
            "worst_ms": round(worst), "target": target, "met": met, "diag": diag,
            "samples": samples, **extra}  # fmt: skip


def _print(row: dict) -> None:
    d = row["diag"]
    print(f"  {row['title']:<16} {row['what'][:48]:<48} median {row['median_ms']:>6} ms "
          f"worst {row['worst_ms']:>6} ms  server {d.get('server_ms', 0):.0f} ms, "
          f"{d.get('deltas', 0):.0f} elements{', fragment' if d['fragment'] else ''}"
          f"{'' if row['met'] else '  (target not met)'}", flush=True)  # fmt: skip


def _session(browser, url: str, spec: Dataset, path: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    context.add_init_script(IN_PAGE)
    page = context.new_page()
    wire = Wire(page)
    page.goto(f"{url}/{'' if path == PAGES[0][0] else path}?dataset={quote(spec.name)}")
    _settle(page)
    chosen = page.evaluate("""() => { const box = document.querySelector('.st-key-dataset');
      return box ? box.innerText + ' ' + [...box.querySelectorAll('input')].map((i) => i.value)
                 : null; }""")
    if not chosen or spec.name not in chosen:
        raise RuntimeError(f"the session shows {chosen!r}, not {spec.name}")
    return context, page, wire


def _first_visits(browser, url: str, spec: Dataset, info: dict, runs: int) -> list[dict]:
    samples: dict[str, list[dict]] = {path: [] for path, _title in PAGES}
    for run in range(runs):
        context, page, wire = _session(browser, url, spec, START_PAGE)
        try:
            for path, _title in PAGES:
                link = _nav_link(page, path)
                samples[path].append(_timed(page, wire, link.click))
                _settle(page)
        finally:
            context.close()
        last = ", ".join(f"{p} {s[-1]['ms']:.0f}" for p, s in samples.items())
        print(f"  first visits, session {run + 1}/{runs}: {last} ms", flush=True)
    rows = [_row(spec, info, path, "first visit", "first visit", s) for path, s in samples.items()]
    for row in rows:
        _print(row)
    return rows


def _tabs(page):
    return page.locator('[data-testid="stMain"] [data-testid="stTab"]')


def _open_expanders(page) -> None:
    """Open the closed expanders one can see that hold a slider (no rerun: the browser's)."""
    closed = page.locator('[data-testid="stMain"] [data-testid="stExpander"] details:not([open])')
    for i in reversed(range(closed.count())):
        details = closed.nth(i)
        if details.is_visible() and details.locator('[data-testid="stSlider"]').count():
            details.locator("summary").first.click()
            _settle(page)


def _slider_rows(page, wire, spec: Dataset, info: dict, path: str, runs: int,
                 deadline: float) -> list[dict]:  # fmt: skip
    """Every slider of the page one step, ``runs`` times; group by group (the sidebar, the
    main area, each tab)."""
    rows, seen, skipped = [], set(), []
    tab_count = _tabs(page).count()
    for tab in [None, *range(1, tab_count)]:  # the first tab is open already
        group = "main"
        if tab is not None:
            _tabs(page).nth(tab).click()
            _settle(page)
        if tab_count:
            group = _tabs(page).nth(tab or 0).inner_text().strip()
        _open_expanders(page)
        found = [s for s in page.evaluate(SLIDERS) if s["key"] and s["key"] not in seen]
        twice = {s["label"] for s in found if [t["label"] for t in found].count(s["label"]) > 1}
        taken = {"sidebar": 0, "main": 0}
        for slider in found:
            seen.add(slider["key"])
            where = "sidebar" if slider["sidebar"] else "main"
            what = slider["label"] + (" (zijbalk)" if slider["sidebar"] else "")
            if slider["label"] in twice:  # the same lever per segment: which one
                what += f" [{slider['key']}]"
            if tab_count and not slider["sidebar"]:
                what = f"{group} › {what}"
            if slider["disabled"]:
                skipped.append((what, "disabled"))
                continue
            limit = spec.max_sliders_per_group
            if limit is not None and taken[where] >= limit:
                skipped.append((what, f"left out: {limit} per group at this size"))
                continue
            if time.monotonic() > deadline:
                skipped.append((what, "left out: the run's time budget was spent"))
                continue
            taken[where] += 1
            rows.append(_slide(page, wire, spec, info, path, slider, what, runs))
            _print(rows[-1])
    for what, why in skipped:
        print(f"  {dict(PAGES)[path]:<16} {what[:48]:<48} {why}", flush=True)
    if rows:
        rows[0]["skipped"] = [{"what": w, "why": y} for w, y in skipped]
    return rows


def _slide(page, wire, spec, info, path, slider, what, runs) -> dict:
    thumb = page.locator(f".{slider['cls']} input[type='range']").first
    keys = ("ArrowLeft", "ArrowRight") if slider["value"] >= slider["max"] else (
        "ArrowRight", "ArrowLeft")  # fmt: skip
    samples = []
    for run in range(runs):
        thumb.focus()
        key = keys[run % 2]
        samples.append(_timed(page, wire, lambda key=key: page.keyboard.press(key)))
        _settle(page)
    return _row(spec, info, path, what, "slider", samples, key=slider["key"])


# ---------------------------------------------------------------- the run


def measure(runs: int = 5, only: tuple[str, ...] = (), budget_s: float = 540) -> list[dict]:
    """One row per (dataset, page, first visit or slider): the ``runs`` times in ms, their
    median and worst, the target and whether it is met, and what the websocket carried.

    Every page's first visit is always measured; sliders are left out (and listed as
    such) once ``budget_s`` seconds of the whole run have passed."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_FLAGS, _serve

    began = time.monotonic()
    specs = [s for s in DATASETS if not only or s.name in only]
    infos = ensure_datasets(specs)
    rows: list[dict] = []
    server = _serve(STORE)
    url = next(server)
    try:
        with sync_playwright() as pw:
            executable = shutil.which("chromium") or "/usr/bin/chromium"
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            try:
                for spec in specs:
                    info = infos[spec.name]
                    print(f"{spec.name} ({info['active']:,} active customers): first visits",
                          flush=True)  # fmt: skip
                    rows += _first_visits(browser, url, spec, info, runs)
                    print(f"{spec.name}: sliders", flush=True)
                    context, page, wire = _session(browser, url, spec, PAGES[0][0])
                    try:
                        for path, _title in PAGES:
                            if path != PAGES[0][0]:
                                _nav_link(page, path).click()
                                page.wait_for_url(f"**/{path}*", timeout=TIMEOUT_MS)
                                _settle(page)
                            rows += _slider_rows(page, wire, spec, info, path, runs,
                                                 began + budget_s)  # fmt: skip
                    finally:
                        context.close()
                    print(f"{spec.name} done after {time.monotonic() - began:.0f} s", flush=True)
            finally:
                browser.close()
    finally:
        with contextlib.suppress(StopIteration):
            next(server)  # stops the server
    return rows


def _ms(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def markdown(results: list[dict]) -> str:
    """One table per dataset (page, what, median, worst, target, met), then its five
    slowest interactions with what the websocket carried."""
    out = []
    for name in dict.fromkeys(r["dataset"] for r in results):
        rows = [r for r in results if r["dataset"] == name]
        first = rows[0]
        runs = len(first["runs_ms"])
        out += [f"### {name}: {first['active']:,} active customers of {first['customers']:,} "
                f"(median and worst of {runs})", "",
                "| page | what | median ms | worst ms | target | met |",
                "|---|---|---:|---:|---|:-:|"]  # fmt: skip
        for r in rows:
            met = "yes" if r["met"] else "**no**"
            out.append(f"| {r['title']} | {r['what']} | {_ms(r['median_ms'])} | "
                       f"{_ms(r['worst_ms'])} | {r['target']} | {met} |")  # fmt: skip
        skipped = [s for r in rows for s in r.get("skipped", [])]
        if skipped:
            out += ["", "Not moved: " + "; ".join(f"{s['what']} ({s['why']})" for s in skipped)
                    + "."]  # fmt: skip
        slow = sorted(rows, key=lambda r: r["median_ms"], reverse=True)[:5]
        out += ["", f"Slowest five ({name}), medians in ms: input → rerun request sent; the "
                "server (request → script_finished); running → notRunning as the page saw "
                "it; notRunning → two frames; the rerun; elements (deltas) and bytes sent; "
                "DOM nodes added", "",
                "| page | what | total | → request | server | running | → frames | rerun "
                "| elements | bytes | DOM nodes |",
                "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|"]  # fmt: skip
        for r in slow:
            d = r["diag"]
            kind = "fragment" if d["fragment"] else "whole page"
            if d["runs"] > 1:
                kind += f" ×{d['runs']}"
            cells = [r["title"], r["what"], _ms(r["median_ms"])]
            cells += [_ms(d[k]) if k in d else "?" for k in
                      ("to_request_ms", "server_ms", "run_ms", "tail_ms")]  # fmt: skip
            sent = _ms(d.get("deltas", 0))
            if d.get("cached"):
                sent += f" (+{_ms(d['cached'])} cached)"
            cells += [kind, sent, _ms(d.get("bytes", 0)), _ms(d.get("nodes_added", 0))]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", action="append", default=[], help="a dataset's name")
    parser.add_argument(
        "--budget",
        type=float,
        default=540,
        help="seconds after which sliders are left out (first visits stay)",
    )
    args = parser.parse_args(argv)
    start = time.monotonic()
    results = measure(args.runs, tuple(args.only), args.budget)
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print()
    print(markdown(results))
    print(f"{len(results)} rows in {time.monotonic() - start:.0f} s; raw results in {RESULTS}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
