"""Column headers are as untrusted as cells (a rejected-rows table takes them from the
user's file): every export of portfolio/export.py writes them inert, CSV and xlsx alike,
while numbers, negative ones too, stay numbers."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from portfolio import connect, read_invoice_lines
from portfolio.export import to_csv_bytes, to_xlsx_bytes, write_table, xlsx_workbook
from portfolio.ingest.quality import rejects_frame

HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1"]


def _frame() -> pd.DataFrame:
    """Each hostile text as a header and as a cell, beside a numeric column."""
    frame = pd.DataFrame({text: [text] for text in HOSTILE})
    frame["Bedrag"] = [-1]
    frame["Omzet"] = [-12.5]
    return frame


EXPECTED = ["'" + text for text in HOSTILE]


def _csv_rows(data: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def _xlsx_rows(data: bytes, sheet: str | None = None) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = (book[sheet] if sheet else book.active).iter_rows()
    rows = [[(c.value, c.data_type) for c in row] for row in cells]
    assert all(kind != "f" for row in rows for _value, kind in row)  # no formula anywhere
    return [[value for value, _kind in row] for row in rows]


@pytest.mark.parametrize(
    ("dutch", "delimiter", "amount"), [(True, ";", "-12,5"), (False, ",", "-12.5")]
)
def test_csv_headers_and_cells_are_neutralised_and_numbers_stay_numbers(dutch, delimiter, amount):
    header, row = _csv_rows(to_csv_bytes(_frame(), dutch=dutch), delimiter)

    assert header == [*EXPECTED, "Bedrag", "Omzet"]
    assert row == [*EXPECTED, "-1", amount]


def test_xlsx_headers_and_cells_are_neutralised_and_numbers_stay_numbers():
    header, row = _xlsx_rows(to_xlsx_bytes(_frame()))

    assert header == [*EXPECTED, "Bedrag", "Omzet"]
    assert row == [*EXPECTED, -1, -12.5]


def test_every_sheet_of_a_workbook_is_neutralised():
    data = xlsx_workbook({"Afwijzingen": _frame(), "Klanten": _frame()})

    for sheet in ("Afwijzingen", "Klanten"):
        header, row = _xlsx_rows(data, sheet)
        assert header == [*EXPECTED, "Bedrag", "Omzet"]
        assert row == [*EXPECTED, -1, -12.5]


def test_written_files_are_neutralised_csv_and_xlsx(tmp_path):
    write_table(_frame(), tmp_path / "afwijzingen.csv")
    write_table(_frame(), tmp_path / "afwijzingen.xlsx")

    header, row = _csv_rows((tmp_path / "afwijzingen.csv").read_bytes(), ";")
    assert header == [*EXPECTED, "Bedrag", "Omzet"] and row == [*EXPECTED, "-1", "-12,5"]
    header, row = _xlsx_rows((tmp_path / "afwijzingen.xlsx").read_bytes())
    assert header == [*EXPECTED, "Bedrag", "Omzet"] and row == [*EXPECTED, -1, -12.5]


def test_text_in_a_category_or_string_column_is_neutralised_too():
    frame = pd.DataFrame(
        {"Segment": pd.Categorical(["=1+1", "A"]), "Naam": pd.Series(["@x", None], dtype="string")}
    )

    header, first, second = _csv_rows(to_csv_bytes(frame), ";")

    assert first == ["'=1+1", "'@x"] and second == ["A", ""]


def test_the_callers_frame_is_left_as_it_was():
    frame = _frame()

    to_csv_bytes(frame)

    assert list(frame.columns)[: len(HOSTILE)] == HOSTILE
    assert frame.iloc[0, 0] == HOSTILE[0]


def test_the_rejected_rows_download_of_a_file_with_a_formula_header_is_inert(tmp_path):
    file = tmp_path / "verkoop.csv"
    file.write_text(
        'Klant;Factuurdatum;Bedrag;"=HYPERLINK(""http://x"",""y"")"\r\n'
        "K1;15-01-2025;100,00;ok\r\n"
        "K2;geen datum;-5,00;@SUM(1)\r\n",
        encoding="utf-8",
    )
    con = connect(tmp_path)
    imp = read_invoice_lines(con, file, tmp_path / "staging")

    header, row = _csv_rows(to_csv_bytes(rejects_frame(con, imp, "en"), dutch=False), ",")

    assert header[-1] == """'=HYPERLINK("http://x","y")"""
    assert row[-1] == "'@SUM(1)"
    assert row[header.index("Bedrag")] == "'-5,00"  # the file's own text, kept as text
