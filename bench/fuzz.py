"""Fuzzing the import: seeded, generated hostile files through the path of ``portfolio check``.

Every file must end in a report or one ``InputError`` (exit 0 or 2), never another
exception, with ``rows_read == rows_used + rows_rejected`` and in bounded time.
``tests/portfolio/test_fuzz_ingest.py`` runs a few hundred in ``make test``; this runs
thousands and reports counts, tracebacks, slow files and peak memory::

    python -m bench.fuzz                # 3000 files, seed 13
    python -m bench.fuzz --files 500 --seed 7 --keep /tmp/fuzz   # keep the files that fail
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import random
import resource
import shutil
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from portfolio.db import connect
from portfolio.errors import InputError
from portfolio.ingest import read_invoice_lines
from portfolio.ingest.quality import quality_report, rejects_frame
from portfolio.ingest.sniff import ReadOptions

HEADERS = [
    "Debiteurnummer",
    "Klantnaam",
    "Factuurdatum",
    "Bedrag excl. btw",
    "Kostprijs",
    "Aantal",
    "Factuurnummer",
    "Vervaldatum",
    "Betaaldatum",
    "Artikel",
]
ODD_TEXT = [
    "",
    " ",
    '"',
    '""',
    "'",
    ";",
    ",",
    "\t",
    "|",
    "\r",
    "\n",
    "\x00",
    "€",
    "=1+1",
    "Totaal",
    "-",
    "1.234,56",
    "1,234.56",
    "(12,50)",
    "12,50-",
    "9" * 40,
    "é" * 5,
    "\ufeff",
    "\u202e",
    "NaN",
    "NULL",
    "2025-13-45",
    "31-02-2025",
    "0",
    "1e309",
]
SLOW_SECONDS = 30.0


@dataclass
class Outcome:
    """How one file ended: "ok", "input_error" or "bug" (any other exception)."""

    kind: str
    seconds: float
    detail: str = ""


def _row(rng: random.Random, i: int) -> list[str]:
    day = rng.randint(1, 28)
    amount, cost = f"{rng.uniform(-500, 5000):.2f}", f"{rng.uniform(0, 300):.2f}"
    return [
        f"{10000 + rng.randint(0, 50)}",
        f"Klant {rng.randint(0, 50)}",
        f"{day:02d}-0{rng.randint(1, 9)}-2025",
        amount.replace(".", ","),
        cost.replace(".", ","),
        str(rng.randint(1, 9)),
        f"F{i}",
        "",
        "",
        "Artikel",
    ]


def _garble(rng: random.Random, rows: list[list[str]]) -> None:
    for _ in range(rng.randint(1, 8)):
        row = rng.choice(rows)
        if row:
            row[rng.randrange(len(row))] = rng.choice(ODD_TEXT) * rng.choice([1, 1, 2, 50])


def _text(rng: random.Random, rows: list[list[str]], delimiter: str) -> str:
    ends = ["\r\n", "\n", "\r"] if rng.random() < 0.1 else [rng.choice(["\r\n", "\n"])]
    out = io.StringIO()
    for row in rows:
        cells = [f'"{c}"' if rng.random() < 0.1 else c for c in row]
        out.write(delimiter.join(cells) + rng.choice(ends))
    return out.getvalue()


def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.choice([0, 1, 3, 20])):
        kind = rng.random()
        pos = rng.randrange(len(data) + 1)
        if kind < 0.4 and data:
            data[min(pos, len(data) - 1)] = rng.randrange(256)
        elif kind < 0.7:
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        else:
            del data[pos : pos + rng.randint(1, 40)]
    return bytes(data)


def make_csv(rng: random.Random) -> bytes:
    """A mutated CSV export: garbled cells, quotes, delimiters, encodings, BOMs, cuts."""
    delimiter = rng.choice([";", ";", ",", "\t", "|"])
    headers = HEADERS[: rng.randint(2, len(HEADERS))]
    rows = [headers] + [_row(rng, i)[: len(headers)] for i in range(rng.randint(0, 60))]
    if rng.random() < 0.5:
        _garble(rng, rows)
    if rng.random() < 0.1:  # many columns
        rows[0] += [f"x{i}" for i in range(rng.choice([150, 250, 1000]))]
    if rng.random() < 0.1:  # a row with many fields
        rng.choice(rows).extend(["x"] * rng.choice([5, 300, 3000]))
    if rng.random() < 0.1:  # a huge field
        rng.choice(rows)[0] = "y" * rng.choice([70_000, 140_000, 300_000])
    if rng.random() < 0.1:  # an unbalanced quote
        rng.choice(rows)[-1] += '"'
    if rng.random() < 0.1:  # title rows above the header
        rows[:0] = [["Verkoopoverzicht 2025"], [], ["Gemaakt op", "01-01-2026"]]
    text = _text(rng, rows, delimiter)
    if rng.random() < 0.1:  # mixed delimiters
        text = text.replace(delimiter, rng.choice([";", ","]), rng.randint(1, 20))
    encoding = rng.choice(["utf-8", "utf-8", "cp1252", "utf-16", "latin-1", "utf-8-sig"])
    data = text.encode(encoding, errors="replace")
    if rng.random() < 0.1:
        data = codecs.BOM_UTF8 + data
    if rng.random() < 0.2:
        data = data[: rng.randrange(len(data) + 1)]  # truncated
    if rng.random() < 0.3:
        data = _mutate_bytes(rng, data)
    if rng.random() < 0.03:
        data = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4000)))
    return data


def make_xlsx(rng: random.Random) -> bytes:
    """An xlsx export: typed or text cells, garbled, empty, wide, or its bytes cut."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    headers = HEADERS[: rng.randint(2, len(HEADERS))]
    if rng.random() < 0.1:
        headers = headers + ["x"] * rng.choice([10, 300])
    if rng.random() > 0.05:  # sometimes an empty sheet
        sheet.append(headers)
    for i in range(rng.randint(0, 40)):
        row: list[object] = _row(rng, i)[: len(headers)]
        if rng.random() < 0.5 and len(row) > 3:
            row[3] = rng.uniform(-500, 5000)  # amounts as numbers
        if rng.random() < 0.2:
            row[rng.randrange(len(row))] = rng.choice([*ODD_TEXT[:2], 1e20, -0.0, 45658, True])
        sheet.append(row)
    if rng.random() < 0.2:
        workbook.create_sheet("Leeg")
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if rng.random() < 0.15:
        data = data[: rng.randrange(len(data))]
    if rng.random() < 0.1:
        data = _mutate_bytes(rng, data)
    return data


def make_file(rng: random.Random, folder: Path, number: int) -> Path:
    kind = "xlsx" if rng.random() < 0.25 else "csv"
    data = make_xlsx(rng) if kind == "xlsx" else make_csv(rng)
    path = folder / f"fuzz{number:05d}.{kind}"
    path.write_bytes(data)
    return path


def check_file(con, path: Path, staging: Path) -> Outcome:
    """Read ``path`` as ``portfolio check`` does (report and rejects included)."""
    started = time.perf_counter()
    try:
        imp = read_invoice_lines(con, path, staging, ReadOptions())
        quality_report(con, imp, "en")
        rejects_frame(con, imp, "nl")
        balanced = imp.rows_read == imp.rows_used + imp.rows_rejected
        imp.drop(con)
        if not balanced:
            return Outcome("bug", time.perf_counter() - started, "rows do not add up")
        return Outcome("ok", time.perf_counter() - started)
    except InputError as exc:
        return Outcome("input_error", time.perf_counter() - started, exc.key)
    except Exception:  # noqa: BLE001 - any other exception is what the fuzzing looks for
        return Outcome("bug", time.perf_counter() - started, traceback.format_exc())


def run(files: int, seed: int, keep: Path | None = None) -> dict:
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    keys: Counter[str] = Counter()
    bugs: list[tuple[str, str]] = []
    slow: list[tuple[str, float]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fuzz-") as work:
        folder = Path(work)
        con = connect(folder)
        for number in range(files):
            path = make_file(rng, folder, number)
            outcome = check_file(con, path, folder / "staging")
            counts[outcome.kind] += 1
            if outcome.kind == "input_error":
                keys[outcome.detail] += 1
            if outcome.kind == "bug":
                bugs.append((path.name, outcome.detail))
            if outcome.seconds > SLOW_SECONDS:
                slow.append((path.name, outcome.seconds))
            if keep and (outcome.kind == "bug" or outcome.seconds > SLOW_SECONDS):
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, keep / path.name)
            path.unlink()
    return {
        "files": files,
        "seconds": round(time.perf_counter() - started, 1),
        **counts,
        "input_errors": dict(keys.most_common()),
        "bugs": bugs,
        "slow": slow,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fuzz", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", type=Path, help="copy files that fail or are slow here")
    parser.add_argument("--json", action="store_true", help="one line of JSON (make bench)")
    args = parser.parse_args()
    result = run(args.files, args.seed, args.keep)
    if args.json:
        print(json.dumps({**result, "seed": args.seed, "slow_seconds": SLOW_SECONDS}))
        return
    for name, detail in result["bugs"][:10]:
        print(f"--- {name}\n{detail}")
    print(
        f"files {result['files']}, {result['seconds']} s: ok {result.get('ok', 0)}, "
        f"input errors {result.get('input_error', 0)}, tracebacks {len(result['bugs'])}, "
        f"over {SLOW_SECONDS:.0f} s {len(result['slow'])}, "
        f"max memory {result['max_rss_mb']} MB"
    )
    print("input errors by message:", result["input_errors"])


if __name__ == "__main__":
    main()
