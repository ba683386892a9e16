"""DuckDB's ``thousands = '.'`` drops a dot wherever it stands ("12.5" becomes 125), so the
reader may only type a file's numbers when ``parsing.loose_dots`` finds no dot out of
place. A "safe" verdict must mean: every dot of a number is a thousands dot, or DuckDB
refuses the cell as a number anyway (then the file falls back to the careful text path)."""

import re

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.ingest import parsing

CELL = st.text(alphabet="0123456789.,-+ aBe", min_size=1, max_size=12)
THOUSANDS_ONLY = re.compile(r" *[-+]*\d{1,3}(\.\d{3})+(,[^.]*)? *")


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def _reader_refuses(con, cell: str, tmp_path) -> bool:
    path = tmp_path / "cell.csv"
    path.write_text(f"a;b\nK;{cell}\n", encoding="utf-8")
    try:
        con.execute(
            f"""SELECT b FROM read_csv('{path}', delim = ';', header = true,
                columns = {{'a': 'VARCHAR', 'b': 'DECIMAL(18,4)'}}, auto_detect = false,
                strict_mode = true, decimal_separator = ',', thousands = '.')"""
        ).fetchall()
    except duckdb.Error:
        return True
    return False


@settings(max_examples=300, deadline=None)
@given(CELL)
def test_a_dot_judged_safe_is_a_thousands_dot_or_refused_by_the_reader(con, tmp_path_factory, cell):
    if "." not in cell or parsing.loose_dots(f"K;{cell};x\r\n".encode()):
        return
    tmp_path = tmp_path_factory.mktemp("cell")
    assert THOUSANDS_ONLY.fullmatch(cell) or _reader_refuses(con, cell, tmp_path)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(0, 99))
def test_amounts_written_with_thousands_dots_keep_the_fast_read(euros, cents):
    written = f"{abs(euros):,}".replace(",", ".") + f",{cents:02d}"
    line = f"K;{'-' if euros < 0 else ''}{written};Bakkerij B.V.;200 st.\r\n"
    assert not parsing.loose_dots(line.encode("cp1252"))


@pytest.mark.parametrize(
    "cell",
    ["12.5", "1.23", "1234.567", ".5", "5.", "0,5.123", "1.2.3", "1..234", "1.234e5", "1.234_5"],
)
def test_a_dot_out_of_place_is_found(cell):
    assert parsing.loose_dots(f"K;{cell};x\r\n".encode())
