"""Time what a person feels in the browser: the first visit of every page and every
slider moved one step, against a real server with a saved dataset.

    python -m bench.browser            # prints a markdown table per dataset,
                                       # writes the raw results to bench/work/browser.json
    python -m bench.browser --runs 3 --only "Bench 10000" --no-upload
    python -m bench.browser --json     # … and the results as one JSON line at the end
                                       # (bench.run runs it so)

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

**Upload** (after the datasets; ``--upload FILE``, by default bench.run's 1M-line Dutch
CSV, ``bench/work/lines_1000000_c10000_s42.csv``): a new session on the import page, the
file chosen as the invoice lines with ``set_input_files`` (a hard link named
``Bench upload 1M.csv``), timed from that call until the quality block is shown and the
app idle; then the save button, until the overview of the new dataset is idle. The saved
dataset is deleted before each run and at the end. A file the server refuses (its upload
limit, ``ingest.max_file_mb``) is reported as refused.

Besides the time, each interaction records what the websocket carried: whether the
rerun was a fragment's, the server's time (rerun request sent → ``script_finished``
received, both seen by Playwright), the elements sent (deltas) and their bytes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

from bench.browser_datasets import DATASETS, ROOT, STORE, WORK, Dataset, ensure_datasets
from bench.browser_report import markdown
from bench.targets import (
    CARD_PAGE,
    TARGET_CARD_MS,
    TARGET_FIRST_VISIT_MS,
    TARGET_SLIDER_MEDIAN_MS,
    TARGET_SLIDER_WORST_MS,
    TARGET_UPLOAD_1M_SECONDS,
)

RESULTS = WORK / "browser.json"

# (address, title) in the order of the navigation (streamlit_app.PAGES, upload excluded)
PAGES = (
    ("overzicht", "Overzicht"),
    ("klanten", "Klanten"),
    ("klant", "Klantkaart"),
    ("klantbehoud", "Klantbehoud"),
    ("segmenten", "Segmenten"),
    ("prijsscenarios", "Prijsscenario's"),
    ("stappenplan", "Stappenplan"),
)
START_PAGE = "inlezen"  # where each first-visit session starts (not measured)
TIMEOUT_MS = 90_000
NO_RERUN_MS = 10_000  # an action that starts no run of the app by then started none
TAB_OPEN_MS = 2_000  # a click on the tab that is open starts no run: waited for this long
UPLOAD_TIMEOUT_MS = 300_000  # a 1M-line file read, checked and saved on a busy machine
UPLOAD_DATASET = "Upload"  # the rows' dataset in the results


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


class NoRerun(RuntimeError):
    """The action started no run of the app (a slider that did not move, say)."""


STARTED = """() => { const b = window.__bench;
  return b.result !== null || b.events.some((e) => e[0] === 'running'); }"""


def _timed(
    page, wire: Wire, action, timeout_ms: float = TIMEOUT_MS, no_rerun_ms: float = NO_RERUN_MS
) -> dict:
    """``action()`` (a click or a key press) → the app idle again; times in ms. Raises
    ``NoRerun`` when no run of the app starts within ``no_rerun_ms``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.evaluate(ARM)
    mark, began = len(wire.frames), time.perf_counter()
    action()
    try:
        try:
            page.wait_for_function(STARTED, timeout=no_rerun_ms)
        except PlaywrightTimeout:
            raise NoRerun(f"no run of the app within {no_rerun_ms / 1000:g} s") from None
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


def _row(
    spec: Dataset, info: dict, path: str, what: str, kind: str, samples: list[dict], **extra
) -> dict:
    times = [s["ms"] for s in samples]
    median, worst = statistics.median(times), max(times)
    if kind == "first visit" and path == CARD_PAGE:
        target, met = f"≤ {TARGET_CARD_MS} ms", median <= TARGET_CARD_MS
    elif kind == "first visit":
        target, met = f"≤ {TARGET_FIRST_VISIT_MS / 1000:g} s", median <= TARGET_FIRST_VISIT_MS
    else:
        target = f"≤ {TARGET_SLIDER_MEDIAN_MS} median, ≤ {TARGET_SLIDER_WORST_MS} worst"
        met = median <= TARGET_SLIDER_MEDIAN_MS and worst <= TARGET_SLIDER_WORST_MS
    diag = {
        k: statistics.median(s[k] for s in samples if s[k] is not None)
        for k in (
            "to_request_ms",
            "to_run_ms",
            "run_ms",
            "tail_ms",
            "server_ms",
            "deltas",
            "cached",
            "bytes",
            "nodes_added",
        )
        if any(s[k] is not None for s in samples)
    }
    diag["fragment"] = any(s["fragment"] for s in samples)
    diag["runs"] = max(s["runs"] for s in samples)
    return {
        "dataset": spec.name,
        **info,
        "page": path,
        "title": dict(PAGES)[path],
        "kind": kind,
        "what": what,
        "runs_ms": times,
        "median_ms": round(median),
        "worst_ms": round(worst),
        "target": target,
        "met": met,
        "diag": diag,
        "samples": samples,
        **extra,
    }


def _print(row: dict) -> None:
    d = row["diag"]
    print(
        f"  {row['title']:<16} {row['what'][:48]:<48} median {row['median_ms']:>6} ms "
        f"worst {row['worst_ms']:>6} ms  server {d.get('server_ms', 0):.0f} ms, "
        f"{d.get('deltas', 0):.0f} elements{', fragment' if d['fragment'] else ''}"
        f"{'' if row['met'] else '  (target not met)'}",
        flush=True,
    )


CHOSEN = """() => { const box = document.querySelector('.st-key-dataset');
  if (!box) return '';
  return box.innerText + ' ' + [...box.querySelectorAll('input')].map((i) => i.value).join(' ');
}"""


def _session(browser, url: str, spec: Dataset, path: str):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    context.add_init_script(IN_PAGE)
    page = context.new_page()
    wire = Wire(page)
    page.goto(f"{url}/{'' if path == PAGES[0][0] else path}?dataset={quote(spec.name)}")
    _settle(page)
    # the sidebar is drawn after the script's state says idle on a busy machine (right after
    # the fuzz run): wait for the dataset box to name the dataset before anything is timed
    try:
        named = f"() => ({CHOSEN})().includes({json.dumps(spec.name)})"
        page.wait_for_function(named, timeout=TIMEOUT_MS)
    except PlaywrightTimeout:
        chosen = page.evaluate(CHOSEN)
        raise RuntimeError(f"the session shows {chosen!r}, not {spec.name}") from None
    _settle(page)
    return context, page, wire


def _first_visits(
    browser, url: str, spec: Dataset, info: dict, runs: int, paths: tuple[str, ...]
) -> list[dict]:
    samples: dict[str, list[dict]] = {path: [] for path in paths}
    for run in range(runs):
        context, page, wire = _session(browser, url, spec, START_PAGE)
        try:
            for path in paths:
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


def _slider_rows(
    page,
    wire,
    spec: Dataset,
    info: dict,
    path: str,
    runs: int,
    deadline: float,
    left_out: list[dict],
) -> list[dict]:
    """Every slider of the page one step, ``runs`` times; group by group (the sidebar, the
    main area, each tab). Those not moved are added to ``left_out`` (what, why)."""
    rows, seen, skipped = [], set(), []
    tab_count = _tabs(page).count()
    rerun_tabs = tab_count and _tabs_rerun(page)
    for tab in [None, *range(1, tab_count)]:  # the first tab is open already
        group = "main"
        if tab is not None and rerun_tabs:  # a click reruns the page: timed like a slider
            try:
                rows.append(_open_tab(page, wire, spec, info, path, tab, runs))
                _print(rows[-1])
            except NoRerun as exc:
                skipped.append((f"tab {tab + 1}", f"not timed: the click started {exc}"))
                _settle(page)
                _tabs(page).nth(tab).click()
                _settle(page)
        elif tab is not None:
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
            try:
                rows.append(_slide(page, wire, spec, info, path, slider, what, runs))
            except NoRerun as exc:
                skipped.append((what, f"not timed: the key press started {exc}"))
                _settle(page)
                continue
            _print(rows[-1])
    for what, why in skipped:
        print(f"  {dict(PAGES)[path]:<16} {what[:48]:<48} {why}", flush=True)
    title = dict(PAGES)[path]
    left_out += [{"what": f"{title} › {w}", "why": y} for w, y in skipped]
    return rows


def _tabs_rerun(page) -> bool:
    """Whether the page's tabs rerun the app on a click (stateful tabs, drawn with a key,
    that draw only the open tab), rather than switch in the browser alone."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stTabs"]')]
          .some((t) => [...t.classList].some((c) => c.startsWith('st-key-')))"""
    )


def _open_tab(page, wire, spec, info, path, tab: int, runs: int) -> dict:
    """The click on tab ``tab`` → idle, ``runs`` times (the first tab opened again,
    untimed, before each); ends with ``tab`` open."""
    samples = []
    for _ in range(runs):
        # untimed, but waited for: the run it starts, else the timed click below could land
        # while it runs and be lost (none starts when the first tab is open already)
        with contextlib.suppress(NoRerun):
            _timed(page, wire, _tabs(page).first.click, no_rerun_ms=TAB_OPEN_MS)
        _settle(page)
        samples.append(_timed(page, wire, _tabs(page).nth(tab).click))
        _settle(page)
    what = f"tab {_tabs(page).nth(tab).inner_text().strip()} (click)"
    return _row(spec, info, path, what, "tab", samples)


def _slide(page, wire, spec, info, path, slider, what, runs) -> dict:
    thumb = page.locator(f".{slider['cls']} input[type='range']").first
    keys = (
        ("ArrowLeft", "ArrowRight")
        if slider["value"] >= slider["max"]
        else ("ArrowRight", "ArrowLeft")
    )
    samples = []
    for run in range(runs):
        thumb.focus()
        key = keys[run % 2]
        samples.append(_timed(page, wire, lambda key=key: page.keyboard.press(key)))
        _settle(page)
    return _row(spec, info, path, what, "slider", samples, key=slider["key"])


# ---------------------------------------------------------------- the upload (a 1M-line CSV)

UPLOAD_FILE = "Bench upload {lines}.csv"  # the name the user sees; the dataset is named after it
SAVE_BUTTON = "Opslaan en tonen"
LINES_READ = re.compile(r"^Regels gelezen")
# what the page shows when a file is refused: the app's error, or the uploader's own limit
REFUSED = '[data-testid="stAlertContentError"], [data-testid="stException"]'


def _idle(page, timeout_ms: float = UPLOAD_TIMEOUT_MS) -> None:
    from tests.browser.conftest import wait_for_app

    wait_for_app(page, timeout=timeout_ms)
    page.evaluate(TWO_FRAMES)
    wait_for_app(page, timeout=timeout_ms)


def upload_file(source: Path) -> Path:
    """``source`` under the name the upload uses (a hard link in bench/work/upload)."""
    lines = re.search(r"lines_(\d+)_", source.name)
    label = f"{int(lines.group(1)) / 1e6:g}M" if lines else source.stem
    target = WORK / "upload" / UPLOAD_FILE.format(lines=label)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        target.unlink(missing_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    return target


def _upload_once(browser, url: str, path: Path, name: str) -> dict:
    """One session: the import page, ``path`` chosen as the invoice lines, until the file
    is read and its quality shown; then the save button, until the overview of the new
    dataset is idle. Seconds from choosing the file (Playwright's ``set_input_files``)."""
    from portfolio.store import delete_dataset, list_datasets

    if name in list_datasets(STORE):  # each run saves a new dataset, not a new version
        delete_dataset(STORE, name)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    try:
        page = context.new_page()
        wire = Wire(page)
        sent: list[float] = []  # the upload's PUT /_stcore/upload_file/… finished
        page.on(
            "requestfinished",
            lambda r: (
                sent.append(time.perf_counter())
                if "/_stcore/upload_file/" in r.url and r.method == "PUT"
                else None
            ),
        )
        page.goto(f"{url}/{START_PAGE}")
        _settle(page)
        chooser = page.locator(".st-key-up_lines input[type=file]")
        if not chooser.count():
            chooser = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        read = page.get_by_test_id("stMetric").filter(has_text=LINES_READ)
        refused = page.locator(REFUSED).or_(page.get_by_text(re.compile(r"or smaller\.?$")))
        mark, began = len(wire.frames), time.perf_counter()
        chooser.first.set_input_files(path)
        read.or_(refused).first.wait_for(state="visible", timeout=UPLOAD_TIMEOUT_MS)
        if not read.count():
            return {"refused": " ".join(refused.first.inner_text().split())[:300]}
        _idle(page)
        shown = time.perf_counter()
        reading = wire.summary(mark, began)
        shown_value = read.first.get_by_test_id("stMetricValue").inner_text()
        lines_read = int(re.sub(r"\D", "", shown_value) or 0)  # "999.244" (Dutch)
        typed = page.get_by_role("textbox", name="Naam van de dataset").input_value()
        mark = len(wire.frames)
        clicked = time.perf_counter()
        page.get_by_role("button", name=SAVE_BUTTON).click()
        page.get_by_text(f"dataset {typed}").first.wait_for(
            state="visible", timeout=UPLOAD_TIMEOUT_MS
        )
        _idle(page)
        done = time.perf_counter()
        if START_PAGE in page.url:
            raise RuntimeError(f"after saving the page is still {page.url}")
        saving = wire.summary(mark, clicked)
        return {
            "read_s": round(shown - began, 2),  # chosen → read and shown
            "to_overview_s": round(done - began, 2),  # chosen → the overview after saving
            "save_s": round(done - clicked, 2),  # the click → the overview idle
            "sent_s": round(sent[0] - began, 2) if sent else None,  # the file transferred
            "read_server_ms": reading["server_ms"],  # rerun request → script_finished
            "save_server_ms": saving["server_ms"],
            "lines_read": lines_read,
            "dataset": typed,
        }
    finally:
        context.close()


def measure_upload(browser, url: str, source: Path, runs: int) -> list[dict]:
    """Two rows: the file chosen → read and shown, and → the overview after saving."""
    from portfolio.store import delete_dataset, list_datasets, suggest_name

    path = upload_file(source)
    name = suggest_name(path.name)
    nominal = re.search(r"lines_(\d+)_", source.name)  # bench.run's inputs: lines_<n>_…
    mb = path.stat().st_size / 1e6
    print(f"upload: {path.name} ({mb:,.0f} MB) on the import page, {runs}×", flush=True)
    samples: list[dict] = []
    if runs < 1:
        return []
    try:
        for run in range(runs):
            sample = _upload_once(browser, url, path, name)
            samples.append(sample)
            print(f"  upload {run + 1}/{runs}: {sample}", flush=True)
            if "refused" in sample:
                break
    finally:
        if name in list_datasets(STORE):
            delete_dataset(STORE, name)
    base = {
        "dataset": UPLOAD_DATASET,
        "kind": "upload",
        "page": START_PAGE,
        "title": "Gegevens inlezen",
        "file": source.name,
        "mb": round(mb),
        "nominal_lines": int(nominal.group(1)) if nominal else None,
        "lines": samples[-1].get("lines_read"),
        "samples": samples,
    }
    if "refused" in samples[-1]:
        return [
            {
                **base,
                "what": "file chosen → refused",
                "refused": samples[-1]["refused"],
                "runs_ms": [],
                "median_ms": None,
                "worst_ms": None,
                "target": f"≤ {TARGET_UPLOAD_1M_SECONDS:g} s to the overview",
                "met": False,
            }
        ]
    rows = []
    for key, what in (
        ("read_s", "file chosen → read and shown (quality block)"),
        ("to_overview_s", "file chosen → the overview after saving"),
    ):
        times = [s[key] * 1000 for s in samples]
        median, worst = statistics.median(times), max(times)
        target, met = "(part of it)", None
        if key == "to_overview_s":
            target = f"≤ {TARGET_UPLOAD_1M_SECONDS:g} s"
            met = median <= TARGET_UPLOAD_1M_SECONDS * 1000
        rows.append(
            {
                **base,
                "what": what,
                "runs_ms": times,
                "median_ms": round(median),
                "worst_ms": round(worst),
                "target": target,
                "met": met,
            }
        )
    return rows


# ---------------------------------------------------------------- the run


def measure(
    runs: int = 5,
    only: tuple[str, ...] = (),
    budget_s: float = 540,
    upload: Path | None = None,
    upload_runs: int | None = None,
    about: dict | None = None,
    pages: tuple[str, ...] = (),
) -> list[dict]:
    """One row per (dataset, page, first visit or slider): the ``runs`` times in ms, their
    median and worst, the target and whether it is met, and what the websocket carried.

    Every page's first visit is always measured; sliders are left out (and listed as
    such) once ``budget_s`` seconds of the whole run have passed. With ``upload`` (a CSV
    of invoice lines), two rows more (kind ``upload``): that file uploaded on the import
    page, ``upload_runs`` times (default ``runs``), after the datasets. ``about``, when
    given, receives the browser's and Playwright's versions and the load average. ``pages``
    (addresses of PAGES), when given, are the only pages measured."""
    from importlib.metadata import version

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_FLAGS, _serve

    began = time.monotonic()
    about = {} if about is None else about
    about.update(
        runs=runs,
        budget_s=budget_s,
        playwright=version("playwright"),
        load_before=[round(x, 2) for x in os.getloadavg()],
    )
    specs = [s for s in DATASETS if not only or s.name in only]
    paths = tuple(path for path, _title in PAGES if not pages or path in pages)
    infos = ensure_datasets(specs)
    rows: list[dict] = []
    server = _serve(STORE)
    url = next(server)
    try:
        with sync_playwright() as pw:
            executable = shutil.which("chromium") or "/usr/bin/chromium"
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            about["chromium"] = browser.version
            try:
                for spec in specs:
                    info = infos[spec.name]
                    print(
                        f"{spec.name} ({info['active']:,} active customers): first visits",
                        flush=True,
                    )
                    rows += _first_visits(browser, url, spec, info, runs, paths)
                    print(f"{spec.name}: sliders", flush=True)
                    context, page, wire = _session(browser, url, spec, paths[0])
                    first_row, left_out = len(rows), []
                    try:
                        for path in paths:
                            if path != paths[0]:
                                _nav_link(page, path).click()
                                page.wait_for_url(f"**/{path}*", timeout=TIMEOUT_MS)
                                _settle(page)
                            rows += _slider_rows(
                                page, wire, spec, info, path, runs, began + budget_s, left_out
                            )
                    finally:
                        context.close()
                    # the sliders not moved, with the dataset's rows (its first visit's)
                    rows[first_row - len(paths)]["skipped"] = left_out
                    print(f"{spec.name} done after {time.monotonic() - began:.0f} s", flush=True)
                if upload is not None:
                    rows += measure_upload(browser, url, upload, upload_runs or runs)
            finally:
                browser.close()
    finally:
        with contextlib.suppress(StopIteration):
            next(server)  # stops the server
    about.update(
        seconds=round(time.monotonic() - began), load_after=[round(x, 2) for x in os.getloadavg()]
    )
    return rows


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
    parser.add_argument(
        "--upload",
        type=Path,
        help="the CSV to upload (default: the 1M-line file of bench.run, written when missing)",
    )
    parser.add_argument(
        "--page",
        action="append",
        default=[],
        choices=[path for path, _title in PAGES],
        help="measure only this page (its first visit and sliders); repeatable",
    )
    parser.add_argument("--no-upload", action="store_true", help="leave the upload out")
    parser.add_argument("--upload-runs", type=int, help="uploads (default: --runs)")
    parser.add_argument(
        "--json", action="store_true", help="the results as one JSON line at the end (bench.run)"
    )
    args = parser.parse_args(argv)
    start = time.monotonic()
    upload = None
    if not args.no_upload:
        if args.upload is None:
            from bench.inputs import input_file

            upload = input_file(1_000_000, "csv")
        else:
            upload = args.upload.resolve()
    about = {"only": args.only}
    results = measure(
        args.runs,
        tuple(args.only),
        args.budget,
        upload,
        args.upload_runs,
        about,
        pages=tuple(args.page),
    )
    WORK.mkdir(parents=True, exist_ok=True)
    out = {"about": about, "rows": results}
    RESULTS.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    print()
    print(markdown(results))
    print(f"{len(results)} rows in {time.monotonic() - start:.0f} s; raw results in {RESULTS}")
    if args.json:
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
