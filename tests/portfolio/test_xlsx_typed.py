"""An xlsx with its header on row 1 is read once, its number and date cells kept as Excel
stores them; anything the typed read cannot vouch for is read as text and checked per cell."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

HEADER = ["Klantnummer", "Klantnaam", "Factuurdatum", "Bedrag excl. btw"]


def _book(path, rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _rows(n: int):
    return [
        [10000 + i % 9, f"Klant {i % 9}", dt.date(2025, 1, 1 + i % 28), 10.5 + i] for i in range(n)
    ]


def test_numbers_and_dates_are_taken_from_the_cells(con, read_lines, tmp_path):
    imp = read_lines(_book(tmp_path / "v.xlsx", _rows(50)))
    assert imp.source.typed.types == {2: "DATE", 3: "DECIMAL(18,4)"}
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (50, 50, 0)
    first = con.execute(
        f"SELECT customer, invoice_date, amount FROM {imp.table} ORDER BY row LIMIT 1"
    ).fetchall()[0]
    assert (first[0], first[1], float(first[2])) == ("10000", dt.date(2025, 1, 1), 10.5)


def test_a_text_cell_far_down_a_number_column_is_rejected_not_emptied(con, read_lines, tmp_path):
    rows = _rows(3000)
    rows[2500][3] = "twaalf"  # beyond any sample of the column's type
    imp = read_lines(_book(tmp_path / "v.xlsx", rows))
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (3000, 2999, 1)
    row, reason, value = con.execute(f"SELECT row, reason, value FROM {imp.rejects}").fetchall()[0]
    assert (row, reason, value) == (2502, "amount_unreadable", "twaalf")


def test_a_date_typed_as_text_among_date_cells_is_rejected_with_its_text(con, read_lines, tmp_path):
    # one format per column, never a guess per cell: the column is read as text in the
    # date cells' own format, and the odd one out is shown to the user as it was typed
    rows = _rows(2000)
    rows[1500][2] = "15-01-2025"
    imp = read_lines(_book(tmp_path / "v.xlsx", rows))
    assert (imp.rows_used, imp.rows_rejected) == (1999, 1)
    row, reason, value = con.execute(f"SELECT row, reason, value FROM {imp.rejects}").fetchall()[0]
    assert (row, reason, value) == (1502, "date_unreadable", "15-01-2025")


@pytest.mark.parametrize(
    "header, expected",
    [
        (HEADER + [None], "kolom 5"),  # an unnamed column
        (HEADER + ["Klantnaam"], "Klantnaam (2)"),  # a repeated header
    ],
)
def test_unnamed_or_repeated_headers_are_named_as_on_the_text_path(
    read_lines, tmp_path, header, expected
):
    rows = [r + ["x"] for r in _rows(20)]
    imp = read_lines(_book(tmp_path / "v.xlsx", rows, header))
    assert imp.source.headers[4] == expected
    assert imp.rows_used == 20


def test_a_number_too_large_for_money_rejects_its_row(con, read_lines, tmp_path):
    rows = _rows(20)
    rows[5][3] = 1e20
    imp = read_lines(_book(tmp_path / "v.xlsx", rows))
    assert (imp.rows_used, imp.rows_rejected) == (19, 1)
    assert con.execute(f"SELECT reason FROM {imp.rejects}").fetchall() == [("amount_unreadable",)]
