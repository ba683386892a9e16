"""The browser benchmark's results (``bench.browser.measure``) as Markdown tables, for
bench/results.md and the terminal."""

from __future__ import annotations


def _ms(value: float) -> str:
    return f"{value:,.0f}"


def markdown(results: list[dict]) -> str:
    """One table per dataset (page, what, median, worst, target, met), then its five
    slowest interactions with what the websocket carried."""
    out = []
    measured = [r for r in results if r["kind"] != "upload"]
    for name in dict.fromkeys(r["dataset"] for r in measured):
        rows = [r for r in measured if r["dataset"] == name]
        first = rows[0]
        runs = len(first["runs_ms"])
        out += [
            f"### {name}: {first['active']:,} active customers of {first['customers']:,} "
            f"(median and worst of {runs})",
            "",
            "| page | what | median ms | worst ms | target | met |",
            "|---|---|---:|---:|---|:-:|",
        ]
        for r in rows:
            met = "yes" if r["met"] else "**no**"
            out.append(
                f"| {r['title']} | {r['what']} | {_ms(r['median_ms'])} | "
                f"{_ms(r['worst_ms'])} | {r['target']} | {met} |"
            )
        skipped = [s for r in rows for s in r.get("skipped", [])]
        if skipped:
            out += [
                "",
                "Not moved: " + "; ".join(f"{s['what']} ({s['why']})" for s in skipped) + ".",
            ]
        slow = sorted(rows, key=lambda r: r["median_ms"], reverse=True)[:5]
        out += [
            "",
            f"Slowest five ({name}), medians in ms: input → rerun request sent; the "
            "server (request → script_finished); running → notRunning as the page saw "
            "it; notRunning → two frames; the rerun; elements (deltas) and bytes sent; "
            "DOM nodes added",
            "",
            "| page | what | total | → request | server | running | → frames | rerun "
            "| elements | bytes | DOM nodes |",
            "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
        ]
        for r in slow:
            d = r["diag"]
            kind = "fragment" if d["fragment"] else "whole page"
            if d["runs"] > 1:
                kind += f" ×{d['runs']}"
            cells = [r["title"], r["what"], _ms(r["median_ms"])]
            cells += [
                _ms(d[k]) if k in d else "?"
                for k in ("to_request_ms", "server_ms", "run_ms", "tail_ms")
            ]
            sent = _ms(d.get("deltas", 0))
            if d.get("cached"):
                sent += f" (+{_ms(d['cached'])} cached)"
            cells += [kind, sent, _ms(d.get("bytes", 0)), _ms(d.get("nodes_added", 0))]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    out += upload_markdown([r for r in results if r["kind"] == "upload"])
    return "\n".join(out)


def _s(ms: float | None) -> str:
    return "–" if ms is None else f"{ms / 1000:.1f}"


def upload_markdown(rows: list[dict]) -> list[str]:
    """The upload's table (seconds), then each run's steps."""
    if not rows:
        return []
    first = rows[0]
    head = f"### Upload: {first['file']} ({first['mb']:,} MB"
    if first.get("refused"):
        return [head + ")", "", f"Refused by the server: {first['refused']}", ""]
    samples = first["samples"]
    out = [
        f"{head}, {first['lines']:,} lines read; median and worst of {len(samples)})",
        "",
        "| page | what | median s | worst s | target | met |",
        "|---|---|---:|---:|---|:-:|",
    ]
    for r in rows:
        met = "–" if r["met"] is None else "yes" if r["met"] else "**no**"
        out.append(
            f"| {r['title']} | {r['what']} | {_s(r['median_ms'])} | "
            f"{_s(r['worst_ms'])} | {r['target']} | {met} |"
        )
    out += [
        "",
        "Each run, seconds from choosing the file: the file sent (the upload's PUT "
        "finished); read and shown; the save button → the overview idle; in all. The "
        "server's time of the read and of the save (rerun request → script_finished):",
        "",
        "| run | file sent | read and shown | save → overview | in all | server: read "
        "| server: save |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, x in enumerate(samples, 1):
        cells = [
            _s(None if x[k] is None else x[k] * 1000)
            for k in ("sent_s", "read_s", "save_s", "to_overview_s")
        ]
        cells += [_s(x[k]) for k in ("read_server_ms", "save_server_ms")]
        out.append(f"| {i} | " + " | ".join(cells) + " |")
    return [*out, ""]
