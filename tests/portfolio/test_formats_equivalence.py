"""The same invoice lines, written the way different packages write them, give the same table.

One set of lines (credit notes, thousands, an id with leading zeros, names
with accents, quotes and the delimiter in them) is written as a Dutch CSV,
an English CSV, UTF-8 with BOM, UTF-16 tab-separated, tab-separated .txt,
``|``-separated, two xlsx layouts, parquet, and with the date and amount
spellings real exports use. Every file must be read without a reject and give
exactly the invoice lines and the customer table of the Dutch CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter

from portfolio import Tables, calendar_year, customer_table

# (customer id, name, invoice date, amount in cents, cost in cents)
LINES = [
    ("10001", "Bakkerij Jansen", dt.date(2024, 3, 15), 1_234_56, 700_00),
    ("10001", "Bakkerij Jansen", dt.date(2025, 1, 2), 25_000_00, 15_000_25),
    ("10001", "Bakkerij Jansen", dt.date(2025, 11, 30), -1_250, -700),
    ("00123", "Café Zoë", dt.date(2025, 2, 28), 999_99, 500_00),
    ("00123", "Café Zoë", dt.date(2025, 12, 31), 12_50, 0),
    ("20002", 'Bouw "De Toren"; Zn, B.V.', dt.date(2024, 12, 31), 1_000_000_00, 800_000_00),
    ("20002", 'Bouw "De Toren"; Zn, B.V.', dt.date(2025, 6, 1), -3_000_00, -2_000_00),
    ("30003", "Kapper Bos", dt.date(2025, 7, 4), 5, 1),
    ("30003", "Kapper Bos", dt.date(2025, 7, 4), 5, 1),
]
HEADER_NL = ["Klantnummer", "Klantnaam", "Factuurdatum", "Bedrag excl. btw", "Kostprijs"]
HEADER_EN = ["Customer ID", "Customer name", "Invoice date", "Amount excl. VAT", "Cost price"]


def _comma(cents: int, thousands: str = ".") -> str:
    """1234,56 style: ``_comma(123456)`` = "1.234,56"; negative with a leading minus."""
    whole, part = divmod(abs(cents), 100)
    text = f"{whole:,}".replace(",", thousands) + f",{part:02d}"
    return ("-" if cents < 0 else "") + text


def _point(cents: int, thousands: str = "") -> str:
    whole, part = divmod(abs(cents), 100)
    text = f"{whole:,}".replace(",", thousands) + f".{part:02d}"
    return ("-" if cents < 0 else "") + text


def _trailing_minus(cents: int) -> str:
    return _comma(abs(cents)) + ("-" if cents < 0 else "")


def _parentheses(cents: int) -> str:
    return f"({_comma(abs(cents))})" if cents < 0 else _comma(cents)


def _euro(cents: int) -> str:
    return "€ " + _comma(cents)


def _excel_serial(day: dt.date) -> str:
    return str((day - dt.date(1899, 12, 30)).days)


def _short(day: dt.date) -> str:
    return f"{day.day}-{day.month}-{day:%y}"


def _text(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _csv(
    name, *, delimiter=";", encoding="cp1252", header=HEADER_NL, date="%d-%m-%Y", money=_comma
) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        spell = date if callable(date) else (lambda d: d.strftime(date))
        rows = [header] + [
            [cid, name_, spell(day), money(amount), money(cost)]
            for cid, name_, day, amount, cost in LINES
        ]
        path = folder / name
        path.write_bytes(_text(rows, delimiter).encode(encoding))
        return path

    return write


def _xlsx_openpyxl(folder: Path) -> Path:
    """A title row and an empty row above the header; numbers and dates as Excel values."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Verkoop"
    sheet.append(["Verkoopoverzicht 2024-2025"])
    sheet.append([])
    sheet.append(HEADER_NL)
    for cid, name, day, amount, cost in LINES:
        # Excel keeps 10001 as a number; 00123 only survives as text
        number = int(cid) if not cid.startswith("0") else cid
        sheet.append([number, name, day, amount / 100, cost / 100])
    path = folder / "verkoop.xlsx"
    book.save(path)
    return path


def _xlsx_plain(folder: Path) -> Path:
    """The header on row 1, numbers and dates as Excel values: read with the cells typed."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER_NL)
    for cid, name, day, amount, cost in LINES:
        number = int(cid) if not cid.startswith("0") else cid
        sheet.append([number, name, day, amount / 100, cost / 100])
    path = folder / "plain.xlsx"
    book.save(path)
    return path


def _xlsx_snelstart(folder: Path) -> Path:
    """SnelStart style: the header on row 6 under a title, a period and a SUM; a second sheet."""
    path = folder / "snelstart.xlsx"
    book = xlsxwriter.Workbook(str(path))
    notes = book.add_worksheet("Toelichting")
    notes.write(0, 0, "Geëxporteerd uit SnelStart")
    sheet = book.add_worksheet("Alle facturen per periode")
    day_format = book.add_format({"num_format": "dd-mm-yyyy"})
    sheet.write(0, 0, "Alle facturen per periode")
    sheet.write(1, 0, "Periode: 01-01-2024 t/m 31-12-2025")
    sheet.write(3, 0, "Som")
    sheet.write_formula(3, 3, f"=SUM(D7:D{6 + len(LINES)})")
    sheet.write_row(5, 0, ["Klantnummer", "Client", "Datum", "Bedrag exclusief BTW", "Kostprijs"])
    for i, (cid, name, day, amount, cost) in enumerate(LINES, start=6):
        sheet.write_string(i, 0, cid)
        sheet.write_string(i, 1, name)
        sheet.write_datetime(i, 2, dt.datetime.combine(day, dt.time()), day_format)
        sheet.write_number(i, 3, amount / 100)
        sheet.write_number(i, 4, cost / 100)
    book.close()
    return path


def _parquet(folder: Path) -> Path:
    columns = list(zip(*LINES, strict=True))
    table = pa.table(
        {
            "Klantnummer": pa.array(columns[0], pa.string()),
            "Klantnaam": pa.array(columns[1], pa.string()),
            "Factuurdatum": pa.array(columns[2], pa.date32()),
            "Bedrag excl. btw": pa.array([c / 100 for c in columns[3]], pa.float64()),
            "Kostprijs": pa.array([c / 100 for c in columns[4]], pa.float64()),
        }
    )
    path = folder / "verkoop.parquet"
    pq.write_table(table, path)
    return path


def _parquet_typed(folder: Path) -> Path:
    """Parquet from a tool that keeps money as DECIMAL and dates as timestamps."""
    frame = pd.DataFrame(LINES, columns=HEADER_EN)
    frame["Invoice date"] = pd.to_datetime(frame["Invoice date"])
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for money in ("Amount excl. VAT", "Cost price"):
        decimals = pa.array([Decimal(c) / 100 for c in frame[money]], pa.decimal128(14, 2))
        table = table.set_column(table.schema.get_field_index(money), money, decimals)
    path = folder / "typed.parquet"
    pq.write_table(table, path)
    return path


FORMATS = {
    "dutch csv: ; cp1252, 1.234,56, dd-mm-jjjj": _csv("verkoop.csv"),
    "english csv: , utf-8, 1,234.56 quoted, jjjj-mm-dd": _csv(
        "sales.csv",
        delimiter=",",
        encoding="utf-8",
        header=HEADER_EN,
        date="%Y-%m-%d",
        money=lambda c: _point(c, ","),
    ),
    "english csv: , utf-8, 1234.56": _csv(
        "plain.csv",
        delimiter=",",
        encoding="utf-8",
        header=HEADER_EN,
        date="%Y-%m-%d",
        money=_point,
    ),
    "utf-8 with BOM": _csv("bom.csv", encoding="utf-8-sig"),
    "utf-16 tab (Exact Online)": _csv("exact.csv", delimiter="\t", encoding="utf-16"),
    "tab-separated .txt": _csv("verkoop.txt", delimiter="\t", encoding="utf-8"),
    "| separated, dd/mm/jjjj, no thousands": _csv(
        "pipe.csv", delimiter="|", date="%d/%m/%Y", money=lambda c: _comma(c, "")
    ),
    "excel serial dates": _csv("serial.csv", date=_excel_serial),
    "d-m-jj dates": _csv("short.csv", date=_short),
    "€ 1.234,56 amounts": _csv("euro.csv", money=_euro),
    "trailing minus 12,50-": _csv("trailing.csv", money=_trailing_minus),
    "parentheses (12,50)": _csv("parentheses.csv", money=_parentheses),
    "xlsx, header on row 1, cells typed": _xlsx_plain,
    "xlsx, title row above the header (openpyxl)": _xlsx_openpyxl,
    "xlsx, header on row 6 under a SUM (xlsxwriter)": _xlsx_snelstart,
    "parquet": _parquet,
    "parquet, decimals and timestamps": _parquet_typed,
}
REFERENCE = "dutch csv: ; cp1252, 1.234,56, dd-mm-jjjj"


def _read(con, read_lines, folder: Path, fmt: str):
    imp = read_lines(FORMATS[fmt](folder))
    lines = con.execute(
        f"""SELECT customer, customer_id, customer_name, invoice_date, amount, cost, is_duplicate
            FROM {imp.table} ORDER BY "row" """
    ).fetchall()
    table = customer_table(con, Tables(imp.table), calendar_year(2025))
    return imp, lines, table


def test_the_reference_file_reads_as_written(con, read_lines, tmp_path):
    imp, lines, _table = _read(con, read_lines, tmp_path, REFERENCE)
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected, imp.duplicates) == (9, 9, 0, 1)
    assert [
        (cid, name, day, int(amount * 100), int(cost * 100))
        for cid, _id, name, day, amount, cost, _dup in lines
    ] == LINES


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != REFERENCE])
def test_every_format_gives_the_same_lines_and_customer_table(con, read_lines, tmp_path, fmt):
    _imp, ref_lines, ref_table = _read(con, read_lines, tmp_path, REFERENCE)
    imp, lines, table = _read(con, read_lines, tmp_path, fmt)
    assert imp.reasons == {}
    assert (imp.rows_read, imp.rows_used, imp.duplicates) == (9, 9, 1)
    assert lines == ref_lines
    pd.testing.assert_frame_equal(table, ref_table, check_exact=True)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_an_accent_far_down_a_large_file_is_read_in_the_files_encoding(
    con, read_lines, tmp_path, encoding
):
    # the encoding is sniffed from the first 256 KB; a Windows-1252 file whose first
    # accented name comes later was read as UTF-8 and that line rejected
    lines = [f"{i};Klant {i};05-01-2025;100,00" for i in range(12_000)]
    lines += ["X;Café Zoë;05-01-2025;1,00", "Y;Brasserie Le Bœuf € 5;06-01-2025;2,00"]
    path = tmp_path / "groot.csv"
    text = "\r\n".join([";".join(HEADER_NL[:4]), *lines]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    assert path.stat().st_size > 256 * 1024
    imp = read_lines(path)
    assert (imp.rows_read, imp.rows_used, imp.reasons) == (12_002, 12_002, {})
    names = con.execute(
        f"SELECT customer_name FROM {imp.table} WHERE customer IN ('X', 'Y') ORDER BY customer"
    ).fetchall()
    assert names == [("Café Zoë",), ("Brasserie Le Bœuf € 5",)]
