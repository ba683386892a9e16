"""Exports are safe to open in a spreadsheet: no cell from the user's data becomes a
formula, and numbers (negative amounts too) stay numbers."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from portfolio.export import to_csv_bytes, to_xlsx_bytes

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
