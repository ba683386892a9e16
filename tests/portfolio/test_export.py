"""Exports are safe to open in a spreadsheet: no cell from the user's data becomes a
formula, and numbers (negative amounts too) stay numbers; and they open finished: the
header frozen and filterable, amounts, shares and dates formatted, no float noise."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from portfolio import customer_table, months_ending
from portfolio.customer_view import export_kinds, export_table
from portfolio.export import to_csv_bytes, to_xlsx_bytes
from tests.conftest import read_demo

DANGEROUS = ["=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", '=HYPERLINK("x")']


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(text):
    frame = pd.DataFrame({"Klantnaam": [text], "Omzet": [-12.5]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    name, revenue = sheet["A2"], sheet["B2"]
    assert name.data_type != "f" and name.value.startswith("'")  # xlsx stores CR as _x000D_
    assert revenue.value == -12.5
    text_out = to_csv_bytes(frame).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text_out, newline=""), delimiter=";"))[1]
    assert row == ["'" + text, "-12,5"]  # a negative amount is still a number


def test_ordinary_text_is_left_alone():
    frame = pd.DataFrame({"Klantnaam": ["Bakkerij Jansen", "Café Zoë"]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert [sheet["A2"].value, sheet["A3"].value] == ["Bakkerij Jansen", "Café Zoë"]


@pytest.fixture(scope="module")
def demo_table(tmp_path_factory):
    con, tables, last = read_demo(tmp_path_factory.mktemp("demo"))
    return customer_table(con, tables, months_ending(last, 12))


def test_the_customer_export_opens_finished_header_frozen_filtered_and_formatted(demo_table):
    frame = export_table(demo_table.head(50), "nl")
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame, kinds=export_kinds("nl"))))
    sheet = book.active
    header = [c.value for c in sheet[1]]

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    formats = {h: sheet.cell(2, i + 1).number_format for i, h in enumerate(header)}
    assert formats["Omzet"] == '"€" #,##0.00;"€" -#,##0.00'
    assert formats["Aandeel omzet"] == "0.0%"
    assert formats["Eerste factuur"] == "dd-mm-yyyy"
    assert sheet.column_dimensions["B"].width > 15  # the names are not cut to Excel's default
    first = sheet.cell(2, header.index("Eerste factuur") + 1).value
    assert pd.Timestamp(first) == pd.Timestamp(demo_table["first_date"].iloc[0])


def test_csv_amounts_have_no_float_noise():
    frame = pd.DataFrame({"Omzet": [102261.63999999996, 1234567890.12, 0.1 + 0.2]})
    rows = to_csv_bytes(frame).decode("utf-8-sig").splitlines()[1:]
    assert rows == ["102261,64", "1234567890,12", "0,3"]


@pytest.mark.parametrize(("dutch", "written"), [(True, "31-01-2024"), (False, "2024-01-31")])
def test_csv_dates_are_written_as_the_reader_writes_them(dutch, written):
    frame = pd.DataFrame({"Eerste factuur": pd.to_datetime(["2024-01-31"])})
    rows = to_csv_bytes(frame, dutch=dutch).decode("utf-8-sig").splitlines()
    assert rows[1] == written


def test_the_dutch_customer_csv_writes_its_dates_as_the_pages_do(demo_table):
    frame = export_table(demo_table.head(5), "nl")
    text = to_csv_bytes(frame).decode("utf-8-sig")
    first = next(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert first["Eerste factuur"] == f"{pd.Timestamp(demo_table['first_date'].iloc[0]):%d-%m-%Y}"
