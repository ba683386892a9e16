"""One connection serves several reads in a row (a Streamlit session does exactly that)."""

from pathlib import Path

from portfolio import Tables, connect, data_range, read_customer_file, read_invoice_lines

DATA = Path(__file__).resolve().parents[2] / "data"


def test_xlsx_reads_after_queries_on_the_same_connection(tmp_path):
    con = connect(tmp_path)
    first = read_invoice_lines(con, DATA / "demo_verkoopregels.csv", tmp_path / "staging")
    data_range(con, Tables(first.table))  # used to leave a result open: register() then failed
    second = read_invoice_lines(con, DATA / "demo_verkoopregels.xlsx", tmp_path / "staging")
    assert second.rows_used == first.rows_used


def test_an_import_frees_its_tables_when_dropped(tmp_path):
    con = connect(tmp_path)
    lines = read_invoice_lines(con, DATA / "demo_verkoopregels.csv", tmp_path / "staging")
    customers = read_customer_file(con, DATA / "demo_klanten.csv", tmp_path / "staging")
    lines.drop(con)
    customers.drop(con)
    left = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    assert left == []
