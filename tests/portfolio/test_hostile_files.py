# ruff: noqa: E501 - the parts of a minimal xlsx are one line of XML each
"""Small files that took the server down or showed a traceback: each one now
gives one InputError naming the file, quickly, with a real DuckDB and real files."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from portfolio import read_invoice_lines
from portfolio.errors import InputError

HEADER = "Klant;Factuurdatum;Bedrag excl. btw\r\n"
SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c>'
    '<c r="B2"><v>45658</v></c><c r="C2"><v>1</v></c></row></sheetData></worksheet>'
)
PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": SHEET,
}


def shared_strings_xlsx(path: Path, filler_mb: int) -> Path:
    """An xlsx by hand whose shared strings hold one string of ``filler_mb`` MB of "A":
    a zip bomb that took the server down (1.5 MB on disk for 1.5 GiB), scaled down."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="'
                b'http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Klant'
                b"</t></si><si><t>Factuurdatum</t></si><si><t>Bedrag excl. btw</t></si>"
                b"<si><t>Bakker"
            )
            for _ in range(filler_mb):
                part.write(b"A" * 2**20)
            part.write(b"</t></si></sst>")
    return path


def wide_csv(path: Path, columns: int) -> Path:
    headers = ["Klant", "Factuurdatum", "Bedrag excl. btw"] + [f"k{i}" for i in range(columns - 3)]
    row = ["A", "01-01-2025", "1,00"] + [""] * (columns - 3)
    path.write_text(";".join(headers) + "\r\n" + ";".join(row) + "\r\n", encoding="utf-8")
    return path


def wide_rows_csv(path: Path) -> Path:
    """A header of 3 columns, rows of 20,000 fields: DuckDB logs each extra field with the
    whole line (minutes and 13 GB before the fix)."""
    row = "A;01-01-2025;1,00;" + ";".join(["x"] * 20_000)
    path.write_text(HEADER + "\r\n".join([row] * 50) + "\r\n", encoding="utf-8")
    return path


def wide_xlsx(path: Path, *, in_header: bool) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    extra = ["x"] * 16_000
    sheet.append(["Klant", "Factuurdatum", "Bedrag excl. btw"] + (extra if in_header else []))
    sheet.append(["A", "01-01-2025", 1.0] + ([] if in_header else extra))
    workbook.save(path)
    return path


def empty_xlsx(path: Path) -> Path:
    openpyxl.Workbook().save(path)
    return path


HOSTILE = [
    (
        "bomb.xlsx",
        lambda p: shared_strings_xlsx(p, 40),
        "xlsx_unpacks_too_large",
        ["bomb.xlsx", "xl/sharedStrings.xml"],
    ),
    ("wide.csv", lambda p: wide_csv(p, 4_000), "too_many_columns", ["wide.csv", "4.000"]),
    ("wider.csv", lambda p: wide_csv(p, 20_000), "too_many_columns", ["20.000"]),
    ("rows.csv", wide_rows_csv, "row_too_many_fields", ["rows.csv", "Rij 2", "20.003"]),
    ("header.xlsx", lambda p: wide_xlsx(p, in_header=True), "too_many_columns", ["16.003"]),
    ("row.xlsx", lambda p: wide_xlsx(p, in_header=False), "too_many_columns", ["16.003"]),
    ("leeg.xlsx", empty_xlsx, "sheet_empty", ["leeg.xlsx", "'Sheet'"]),
]


@pytest.mark.parametrize(("name", "make", "key", "mentions"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_file_is_refused_quickly_with_one_message(con, tmp_path, name, make, key, mentions):
    path = make(tmp_path / name)
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        read_invoice_lines(con, path, tmp_path / "staging")
    assert time.perf_counter() - started < 10  # minutes (or the server's memory) before
    assert caught.value.key == key
    text = caught.value.message("nl")
    assert all(m in text for m in mentions), text
    assert str(tmp_path) not in text and "Traceback" not in text


def test_a_normal_xlsx_with_shared_strings_is_still_read(con, tmp_path):
    imp = read_invoice_lines(con, shared_strings_xlsx(tmp_path / "ok.xlsx", 0), tmp_path / "s")
    assert (imp.rows_read, imp.rows_used) == (1, 1)


@pytest.mark.parametrize("where", ["customer", "amount"])
def test_a_cell_over_the_csv_modules_field_limit_is_a_rejected_row(con, tmp_path, where):
    big = "x" * (200 * 1024)  # Python's csv stops at 128 KiB: "field larger than field limit"
    row = f"{big};01-01-2025;nope" if where == "customer" else f"B;01-01-2025;{big}"
    path = tmp_path / "groot.csv"
    path.write_text(HEADER + "A;01-01-2025;1,00\r\n" + row + "\r\n", encoding="utf-8")
    imp = read_invoice_lines(con, path, tmp_path / "staging")
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (2, 1, 1)
    assert imp.reasons == {"amount_unreadable": 1}


def test_rows_with_a_few_extra_fields_are_still_rejected_one_by_one(con, tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text(HEADER + "A;01-01-2025;1,00\r\nB;01-01-2025;2,00;x;y\r\n", encoding="utf-8")
    imp = read_invoice_lines(con, path, tmp_path / "staging")
    assert (imp.rows_read, imp.rows_used, imp.reasons) == (2, 1, {"bad_field_count": 1})


def test_an_excel_day_number_out_of_range_is_a_rejected_row(con, tmp_path):
    # found by bench/fuzz.py: 1e20 as an Excel date overflowed the day count (a traceback)
    workbook = openpyxl.Workbook()
    for row in (["Klant", "Factuurdatum", "Bedrag excl. btw"], ["A", 45658, 1.0], ["B", 1e20, 2.0]):
        workbook.active.append(row)
    workbook.save(tmp_path / "dagen.xlsx")
    imp = read_invoice_lines(con, tmp_path / "dagen.xlsx", tmp_path / "staging")
    assert (imp.rows_read, imp.rows_used, imp.reasons) == (2, 1, {"date_unreadable": 1})


def test_an_xlsx_with_a_corrupt_sheet_stream_is_one_input_error(con, tmp_path):
    # found by bench/fuzz.py: zlib.error while counting the first rows' cells
    path = wide_xlsx(tmp_path / "kapot.xlsx", in_header=False)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 20 : start + 60] = bytes(range(40))
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as caught:
        read_invoice_lines(con, path, tmp_path / "staging")
    assert caught.value.key == "file_unreadable_xlsx"
