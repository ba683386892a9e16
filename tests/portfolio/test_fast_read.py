"""Clean CSVs are typed by DuckDB while reading; anything unusual falls back to the careful
text path, and the outcome is the same either way."""

import pytest

from portfolio import Tables, calendar_year, connect, customer_table, read_invoice_lines

HEADER = "Klant;Factuurdatum;Bedrag excl. btw\r\n"


def _lines(n: int) -> str:
    return "".join(f"K{i % 7};{1 + i % 28:02d}-03-2025;{i},50\r\n" for i in range(n))


def _read(tmp_path, text: str, encoding: str = "cp1252"):
    path = tmp_path / "verkoop.csv"
    path.write_bytes((HEADER + text).encode(encoding))
    con = connect(tmp_path)
    imp = read_invoice_lines(con, path, tmp_path / "staging")
    return con, imp


def test_a_clean_file_is_typed_by_the_reader(tmp_path):
    _con, imp = _read(tmp_path, _lines(50))
    assert imp.source.typed is not None
    assert imp.rows_used == 50


def test_a_bad_value_beyond_the_sample_falls_back_and_rejects_only_its_row(tmp_path):
    text = _lines(400) + "K1;05-03-2025;twaalf\r\n" + "K2;06-03-2025;€ 1.000,00\r\n"
    con, imp = _read(tmp_path, text)
    assert imp.source.typed is None  # read as text after DuckDB refused "twaalf"
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (402, 401, 1)
    row, reason, value = con.execute(f"SELECT row, reason, value FROM {imp.rejects}").fetchall()[0]
    assert (row, reason, value) == (402, "amount_unreadable", "twaalf")


def test_both_paths_give_the_same_customer_table(tmp_path):
    clean = _lines(300)
    # the same first line with a euro sign: the sample is no longer bare, so the amounts
    # are parsed as text (the dates are still typed by the reader)
    with_euro = clean.replace("K0;01-03-2025;0,50", "K0;01-03-2025;€ 0,50", 1)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    con_fast, fast = _read(tmp_path / "a", clean)
    con_slow, slow = _read(tmp_path / "b", with_euro)
    assert fast.source.typed.types == {1: "DATE", 2: "DECIMAL(18,4)"}
    assert slow.source.typed.types == {1: "DATE"}
    year = calendar_year(2025)
    a = customer_table(con_fast, Tables(fast.table), year)
    b = customer_table(con_slow, Tables(slow.table), year)
    assert a.drop(columns=["first_date", "last_date"]).equals(
        b.drop(columns=["first_date", "last_date"])
    )
    assert (a["first_date"] == b["first_date"]).all()


def test_windows_1252_euro_sign_in_a_name_survives(tmp_path):
    con, imp = _read(tmp_path, "Café €uro;01-03-2025;10,00\r\n" + _lines(5))
    names = {r[0] for r in con.execute(f"SELECT customer FROM {imp.table}").fetchall()}
    assert "Café €uro" in names


def test_thousands_dots_in_their_groups_are_typed_by_the_reader(tmp_path):
    # every dot of the file sits in a group of three (or in a text: "B.V."), so DuckDB's
    # thousands option cannot misread one
    text = "".join(f"K{i % 7} B.V.;{1 + i % 28:02d}-03-2025;1.{i:03d},50\r\n" for i in range(300))
    con, imp = _read(tmp_path, text)
    assert imp.source.typed.types == {1: "DATE", 2: "DECIMAL(18,4)"}
    assert imp.source.typed.thousands == "."
    total = con.execute(f"SELECT sum(amount) FROM {imp.table}").fetchall()[0][0]
    assert float(total) == sum(1000 + i + 0.5 for i in range(300))


@pytest.mark.parametrize("bad", ["12.5", "1.23", "1234.567", "5."])
def test_a_dot_out_of_place_beyond_the_sample_keeps_the_amounts_as_text(tmp_path, bad):
    # the reader would drop the dot ("12.5" -> 125): the amounts are parsed as text, where
    # that value is rejected with its own cell
    text = "".join(f"K{i % 7};{1 + i % 28:02d}-03-2025;1.{i:03d},50\r\n" for i in range(400))
    con, imp = _read(tmp_path, text + f"K1;05-03-2025;{bad}\r\n")
    assert imp.source.typed.types == {1: "DATE"}
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (401, 400, 1)
    row, reason, value = con.execute(f"SELECT row, reason, value FROM {imp.rejects}").fetchall()[0]
    assert (row, reason, value) == (402, "amount_unreadable", bad)


def test_a_bad_date_beyond_the_sample_of_a_thousands_file_rejects_only_its_row(tmp_path):
    text = "".join(f"K{i % 7};{1 + i % 28:02d}-03-2025;1.{i:03d},50\r\n" for i in range(400))
    con, imp = _read(tmp_path, text + "K1;31-02-2025;1.000,00\r\n")
    assert imp.source.typed is None  # DuckDB refused 31-02: the whole file was read as text
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (401, 400, 1)
    row, reason, value = con.execute(f"SELECT row, reason, value FROM {imp.rejects}").fetchall()[0]
    assert (row, reason, value) == (402, "date_nonexistent", "31-02-2025")


def test_a_file_outside_the_data_folder_is_read_in_place_and_left_untouched(tmp_path):
    before = (HEADER + _lines(20)).encode("cp1252")
    _con, imp = _read(tmp_path, _lines(20))
    assert imp.rows_used == 20
    assert (tmp_path / "verkoop.csv").read_bytes() == before
    assert list((tmp_path / "staging").iterdir()) == []  # the staged link is gone


def test_a_line_break_inside_a_quoted_name_is_read_and_rows_count_as_a_spreadsheet_shows(
    tmp_path,
):
    # DuckDB's parallel reader refuses quoted line breaks: the file is read in order then;
    # a spreadsheet shows the two-line cell as one row, so the rows after it count so too
    text = '"Bakkerij\r\nJansen";01-03-2025;12,50\r\nB;01-03-2025;5,00\r\nC;01-03-2025;twaalf\r\n'
    con, imp = _read(tmp_path, text)
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (3, 2, 1)
    rows = con.execute(f"SELECT row, customer FROM {imp.table} ORDER BY row").fetchall()
    assert rows == [(2, "Bakkerij\r\nJansen"), (3, "B")]
    assert con.execute(f"SELECT row, value FROM {imp.rejects}").fetchall() == [(4, "twaalf")]


def test_a_row_rejected_on_the_typed_path_of_a_file_with_a_quoted_line_break_keeps_its_cells(
    tmp_path,
):
    # the file's lines are no rows (a quoted line break), so the cells cannot be read back
    # from it: the typed rows are read again with their cells as DuckDB read them
    text = '"Bakkerij\r\nJansen";01-03-2025;12,50\r\nB;01-03-2025;5,00\r\n;02-03-2025;7,00\r\n'
    con, imp = _read(tmp_path, text)
    assert imp.source.typed is not None
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (3, 2, 1)
    row = con.execute(
        f'SELECT row, reason, "Factuurdatum", "Bedrag excl. btw" FROM {imp.rejects}'
    ).fetchall()
    assert row == [(4, "customer_missing", "2025-03-02", "7.0000")]


def test_a_row_rejected_on_the_typed_path_shows_the_files_own_cells(tmp_path):
    # clean numbers and dates, so DuckDB types them; the row without a customer is rejected
    con, imp = _read(tmp_path, _lines(10) + ";01-03-2025;1234,50\r\n")
    assert imp.source.typed is not None
    row = con.execute(
        f'SELECT row, reason, "Factuurdatum", "Bedrag excl. btw" FROM {imp.rejects}'
    ).fetchall()
    assert row == [(12, "customer_missing", "01-03-2025", "1234,50")]
