"""The command line for batch use: ``portfolio summary|metrics|check FILE …``,
``portfolio diff OLD NEW`` and ``portfolio breakeven``.

Runs without Streamlit. Bad input exits with status 2 and a one-line reason.
"""

from __future__ import annotations

import argparse
import errno
import json
import math
import signal
import sys
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd

from portfolio.changes import TOP, Version, compare
from portfolio.config import thresholds
from portfolio.db import connect
from portfolio.errors import InputError, PortfolioError
from portfolio.estimates import average_margin, estimated_revenue
from portfolio.export import write_table
from portfolio.i18n import DEFAULT_LANG, LANGUAGES
from portfolio.ingest import read_customer_file, read_invoice_lines, read_product_file
from portfolio.ingest.quality import quality_report, rejects_frame
from portfolio.ingest.sniff import ReadOptions
from portfolio.metrics import Tables, customer_table, data_range
from portfolio.periods import resolve_period
from portfolio.scenarios.model import breakeven_volume_change
from portfolio.segments.schemes import SPLITS
from portfolio.store import data_dir, dataset_info, import_meta, open_dataset, previous_version
from portfolio.summary import portfolio_summary

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="portfolio", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("summary", "portfolio figures for one period"),
        ("metrics", "the per-customer table, written to a file"),
        ("check", "the data-quality report of a file"),
    ):
        cmd = commands.add_parser(name, help=help_text)
        cmd.add_argument("file", type=Path, help="invoice lines: .csv, .txt, .xlsx or .parquet")
        cmd.add_argument("--customers", type=Path, help="optional per-customer file")
        estimates = "optional estimates: margin %% or cost price per product"
        cmd.add_argument("--products", type=Path, help=estimates)
        average = (
            "estimated average gross margin %% for lines without cost price "
            "(default: margin_estimate in config/thresholds.yaml)"
        )
        cmd.add_argument("--margin", type=_finite, metavar="PCT", help=average)
        cmd.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANG)
        cmd.add_argument("--delimiter", help="override the detected delimiter (use 'tab')")
        cmd.add_argument("--encoding", help="override the detected encoding (utf-8, cp1252, …)")
        cmd.add_argument("--sheet", help="xlsx: the sheet to read")
        cmd.add_argument("--header-row", type=int, help="row number of the header (0: none)")
        cmd.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help="map a field to a column, e.g. amount='Bedrag excl. btw'",
        )
        if name != "check":
            cmd.add_argument("--period-end", type=date.fromisoformat, help="jjjj-mm-dd")
            group = cmd.add_mutually_exclusive_group()
            group.add_argument("--months", type=int, help="period length in months")
            group.add_argument("--year", type=int, help="a calendar year")
            cmd.add_argument("--from", dest="start", type=date.fromisoformat, help="jjjj-mm-dd")
            cmd.add_argument("--to", dest="end", type=date.fromisoformat, help="jjjj-mm-dd")
        cmd.add_argument(
            "--decimal",
            action="append",
            default=[],
            metavar="FIELD=comma|point",
            help="override the decimal sign of a number column",
        )
        cmd.add_argument(
            "--date-format",
            action="append",
            default=[],
            metavar="FIELD=FORMAT",
            help="a date format: invoice_date=%%d/%%m/%%Y, excel",
        )
        if name == "check":
            cmd.add_argument("--rejects", type=Path, help="write the rejected rows (.csv/.xlsx)")
        if name == "summary":
            cmd.add_argument("--json", action="store_true", help="print JSON")
        if name == "metrics":
            cmd.add_argument("-o", "--output", type=Path, required=True, help=".csv .xlsx .parquet")
    diff = commands.add_parser(
        "diff", help="what changed between two exports or two saved versions of a dataset"
    )
    where = (
        "invoice lines (.csv, .xlsx, .parquet), or a saved dataset as NAME@VERSION "
        "(VERSION: a version, 'current' or 'previous'; the data folder is PORTFOLIO_DATA_DIR)"
    )
    diff.add_argument("old", help=where)
    diff.add_argument("new", help=where)
    diff.add_argument("--customers-old", type=Path, help="the customer file with OLD")
    diff.add_argument("--customers-new", type=Path, help="the customer file with NEW")
    diff.add_argument("--split", choices=SPLITS[:-1], default="grid", help="segments by")
    diff.add_argument("--top", type=int, default=TOP, help="movers listed each way")
    diff.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANG)
    diff.add_argument("--json", action="store_true", help="print JSON")
    breakeven = commands.add_parser(
        "breakeven", help="the volume change that keeps contribution the same after a price change"
    )
    breakeven.add_argument(
        "--margin",
        type=_finite,
        required=True,
        help="contribution margin as a fraction of the price, e.g. 0.30",
    )
    breakeven.add_argument(
        "--price-change",
        type=_finite,
        required=True,
        help="price change as a fraction, e.g. 0.10 or -0.10",
    )
    breakeven.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANG)
    breakeven.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _finite(text: str) -> float:
    """A number for argparse; nan and inf are refused (exit 2) rather than passed on."""
    value = float(text)
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def print_breakeven(args: argparse.Namespace) -> int:
    """Print the break-even volume change as a signed fraction: -0.25 (a quarter of the
    volume may go) or 0.5 (half as much again is needed); with ``--json``
    ``{"breakeven": -0.25}``. Where there is none (a loss-making margin, a cut larger
    than the margin) it says why and exits 2; with ``--json`` it prints
    ``{"breakeven": null, "reason": "no_margin_left", "message": "…"}`` as well."""
    found = breakeven_volume_change(args.margin, args.price_change)
    if found.value is None:
        error = InputError(f"breakeven_{found.reason}", margin=args.margin, price=args.price_change)
        if args.json:
            message = error.message(args.lang).replace("\n", " ")
            print(
                json.dumps(
                    {"breakeven": None, "reason": found.reason, "message": message},
                    ensure_ascii=False,
                )
            )
        raise error
    value = round(found.value, 12) + 0.0  # 1e-17 of float noise is 0, and never -0
    print(json.dumps({"breakeven": value}) if args.json else f"{value:.6g}")
    return 0


def _pairs(items: list[str]) -> dict[str, str | None] | None:
    """["amount=Netto", …] -> {"amount": "Netto"}; ``None`` when nothing was given."""
    out = {}
    for item in items:
        field, _, value = item.partition("=")
        out[field.strip()] = value.strip() or None
    return out or None


def _chosen(items: list[str]) -> dict[str, str] | None:
    """``_pairs`` without the fields left empty ("amount="): those are detected."""
    pairs = {k: v for k, v in (_pairs(items) or {}).items() if v}
    return pairs or None


def _options(args: argparse.Namespace) -> ReadOptions:
    delimiter = "\t" if args.delimiter == "tab" else args.delimiter
    return ReadOptions(
        encoding=args.encoding,
        delimiter=delimiter,
        header_row=args.header_row,
        sheet=args.sheet,
        mapping=_pairs(args.map),
        decimal=_chosen(args.decimal),
        date_format=_chosen(args.date_format),
    )


def _check_readable(path: Path) -> None:
    try:
        readable = path.is_file()
    except OSError as exc:  # a name longer than the file system allows, say
        raise _os_error(path, exc, "file_missing") from exc
    if not readable:
        raise InputError("file_missing", file=str(path))


def _os_error(path: Path, exc: OSError, key: str) -> InputError:
    """One line for a file the system refuses: its name as the user gave it, no server path."""
    if exc.errno == errno.ENAMETOOLONG:
        return InputError("file_name_too_long", file=path.name, reason=exc.strerror)
    return InputError(key, file=path.name, reason=exc.strerror)


def _write(frame: pd.DataFrame, path: Path, lang: str) -> None:
    try:
        write_table(frame, path, dutch=lang == "nl")
    except OSError as exc:  # a folder that does not exist, no permission, a name too long
        raise _os_error(path, exc, "file_unwritable") from exc


def run(args: argparse.Namespace, work: Path) -> int:
    con = connect(work)
    staging = work / "staging"
    _check_readable(args.file)
    lines = read_invoice_lines(con, args.file, staging, _options(args))
    customers = None
    if args.customers:
        _check_readable(args.customers)
        customers = read_customer_file(con, args.customers, staging, ReadOptions())
    products = None
    if args.products:
        _check_readable(args.products)
        products = read_product_file(con, args.products, staging, ReadOptions())
    files = [imp for imp in (lines, customers, products) if imp]
    if args.command == "check":
        for imp in files:
            print(quality_report(con, imp, args.lang))
        if args.rejects:
            frames = [rejects_frame(con, imp, args.lang) for imp in files]
            _write(pd.concat(frames, ignore_index=True), args.rejects, args.lang)
        return 0
    if lines.rows_used == 0:
        raise InputError("no_usable_rows", file=lines.file, rejected=lines.rows_rejected)
    average = average_margin(None if args.margin is None else args.margin / 100)
    tables = Tables(
        lines.table,
        customers.table if customers else None,
        products.table if products else None,
        average,
    )
    period = resolve_period(
        data_range(con, tables)[1],
        year=args.year,
        months=args.months,
        period_end=args.period_end,
        start=args.start,
        end=args.end,
        default_months=thresholds().period.months,
    )
    table = customer_table(con, tables, period)
    if args.command == "metrics":
        _write(table, args.output, args.lang)
        return 0
    summary = {
        "rows_read": lines.rows_read,
        "rows_used": lines.rows_used,
        "rows_rejected": lines.rows_rejected,
        "duplicates": lines.duplicates,
        **portfolio_summary(table, period),
    }
    estimated, share = estimated_revenue(table)
    if estimated:  # figures resting on an estimate say so
        summary |= {
            "margin_estimated_customers": estimated,
            "margin_estimated_revenue_share": share,
        }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        for key, value in summary.items():
            print(f"{key}: {value}")
    return 0


def _version(con, ref: str, customers: Path | None, work: Path) -> Version:
    """A file read as an export, or ``NAME@VERSION`` of the data folder opened."""
    path = Path(ref)
    if path.is_file() or "@" not in ref:
        _check_readable(path)
        lines = read_invoice_lines(con, path, work / "staging", ReadOptions())
        if lines.rows_used == 0:
            raise InputError("no_usable_rows", file=lines.file, rejected=lines.rows_rejected)
        files = {"lines": lines}
        if customers:
            _check_readable(customers)
            files["customers"] = read_customer_file(con, customers, work / "staging", ReadOptions())
        tables = Tables(lines.table, files["customers"].table if customers else None)
        meta = {"files": {kind: import_meta(imp) for kind, imp in files.items()}}
        return Version(tables, meta, path.name)
    name, _, version = ref.rpartition("@")
    root = data_dir()
    if version == "previous":
        info = previous_version(root, name)
        if info is None:
            raise InputError("version_missing", name=name, version=version)
    else:
        info = dataset_info(root, name, None if version == "current" else version)
    return Version(open_dataset(con, info), info.meta, f"{info.name}@{info.version}")


def print_diff(args: argparse.Namespace, work: Path) -> int:
    """What changed from OLD to NEW: as JSON, or as lines to read."""
    con = connect(work, also=(data_dir(),))
    old = _version(con, args.old, args.customers_old, work)
    new = _version(con, args.new, args.customers_new, work)
    values = compare(con, old, new, args.split).as_dict(args.top)
    values = {"old_source": old.label, "new_source": new.label, **values}
    if args.json:
        print(json.dumps(values, ensure_ascii=False, indent=2, default=str))
        return 0
    for key, value in values.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            print(f"{key}: {len(value)}")
            for row in value:
                print("  " + "  ".join(f"{k}={v}" for k, v in row.items()))
        else:
            print(f"{key}: {value}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """The command line, callable in-process (tests): it changes nothing process-wide."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "breakeven":
            return print_breakeven(args)
        with tempfile.TemporaryDirectory(prefix="portfolio-") as work:
            if args.command == "diff":
                return print_diff(args, Path(work))
            return run(args, Path(work))
    except PortfolioError as exc:
        print(exc.message(args.lang).replace("\n", " "), file=sys.stderr)
        return EXIT_BAD_INPUT


def console() -> None:
    """The ``portfolio`` command. ``portfolio check big.csv | head`` should stop quietly, as
    Unix tools do: the default SIGPIPE. Only here, in a process of its own: set inside a
    test worker or a server, a peer closing a socket would kill the whole process."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())


if __name__ == "__main__":
    console()
