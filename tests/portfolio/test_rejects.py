"""Every source row is used or rejected with a reason the user can find in their spreadsheet.

Row numbers are the line (csv) or row (xlsx) the user sees: header on line 1
makes the first data row 2; title lines and blank lines above the header move
everything down, exactly as in the file. Whole files that cannot be used raise
``InputError`` with a Dutch and an English message.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import yaml

import portfolio
from portfolio import InputError, Tables, calendar_year, customer_table

LINES_HEADER = "Klantnummer;Klantnaam;Factuurdatum;Bedrag excl. btw;Kostprijs"
CUSTOMERS_HEADER = "Debiteurnummer;Debiteur;Uren;Uurtarief;Fitcode"
SIDE_HEADER = "Relatiecode;Naam;Boekdatum;Bedrag;D/C"
PRODUCTS_HEADER = "Artikelcode;Omschrijving;Marge %;Kostprijs per stuk"
GOOD = {
    PRODUCTS_HEADER: "1;Alfa;30;",
    LINES_HEADER: "1;Alfa;05-01-2025;100,00;40,00",
    CUSTOMERS_HEADER: "1;Alfa;10;75;1",
    SIDE_HEADER: "1;Alfa;05-01-2025;100,00;D",
}
# Title lines and a blank line above the header, a blank line under it: 4 lines more
PREAMBLE = ["Verkoopoverzicht 2025", "Gemaakt op: 05-01-2026", ""]
PREAMBLE_SHIFT = len(PREAMBLE) + 1


def _reason_keys() -> set[str]:
    messages = Path(portfolio.__file__).with_name("messages.yaml").read_text(encoding="utf-8")
    return {key.removeprefix("reason.") for key in yaml.safe_load(messages) if "reason." in key}


# (reason, header, bad line, its row with the header on line 1, column, value).
# Each file is: header, a good line (row 2), the bad line (row 3), a good line (row 4).
REJECTS = [
    ("empty_row", LINES_HEADER, ";;;;", 3, None, None),
    ("empty_row", LINES_HEADER, "", 3, None, ""),
    (
        "bad_field_count",
        LINES_HEADER,
        "2;Beta; BV;06-01-2025;1,00;0,50",
        3,
        None,
        "2;Beta; BV;06-01-2025;1,00;0,50",
    ),
    # three fields too many: still one rejected row, not one per extra field
    (
        "bad_field_count",
        LINES_HEADER,
        "2;Beta;B;V;06-01-2025;1,00;0,50;x",
        3,
        None,
        "2;Beta;B;V;06-01-2025;1,00;0,50;x",
    ),
    ("header_repeated", LINES_HEADER, LINES_HEADER, 3, "Klantnummer", "Klantnummer"),
    ("totals_row", LINES_HEADER, "Totaal;;;1.234,56;", 3, "Klantnummer", "Totaal"),
    ("totals_row", LINES_HEADER, ";Totaal 2025:;;1.234,56;", 3, "Klantnaam", "Totaal 2025:"),
    ("totals_row", LINES_HEADER, "Grand total;;;1.234,56;", 3, "Klantnummer", "Grand total"),
    ("customer_missing", LINES_HEADER, ";;05-01-2025;1,00;", 3, "Klantnummer / Klantnaam", None),
    ("date_missing", LINES_HEADER, "4;Delta;;5,00;", 3, "Factuurdatum", None),
    ("date_nonexistent", LINES_HEADER, "7;Gamma;31-02-2025;1,00;", 3, "Factuurdatum", "31-02-2025"),
    ("date_unreadable", LINES_HEADER, "7;Gamma;morgen;1,00;", 3, "Factuurdatum", "morgen"),
    ("amount_missing", LINES_HEADER, "5;Echo;07-01-2025;;", 3, "Bedrag excl. btw", None),
    ("amount_unreadable", LINES_HEADER, "6;Fox;07-01-2025;abc;", 3, "Bedrag excl. btw", "abc"),
    # a point-decimal amount in a decimal-comma column is rejected, never read as 1,23456
    (
        "amount_unreadable",
        LINES_HEADER,
        "6;Fox;07-01-2025;1,234.56;",
        3,
        "Bedrag excl. btw",
        "1,234.56",
    ),
    ("number_unreadable", LINES_HEADER, "8;Hotel;07-01-2025;1,00;x", 3, "Kostprijs", "x"),
    ("number_unreadable", CUSTOMERS_HEADER, "2;Beta;veel;75;1", 3, "Uren", "veel"),
    ("fit_code_invalid", CUSTOMERS_HEADER, "2;Beta;10;75;4", 3, "Fitcode", "4"),
    ("side_unreadable", SIDE_HEADER, "2;Beta;05-01-2025;10,00;X", 3, "D/C", "X"),
    ("customer_duplicate", CUSTOMERS_HEADER, "1;Alfa bis;5;75;2", 3, "Debiteurnummer", "1"),
    ("product_missing", PRODUCTS_HEADER, ";Leeg;30;", 3, "Artikelcode", None),
    ("product_no_estimate", PRODUCTS_HEADER, "2;Beta;;", 3, "Marge % / Kostprijs per stuk", None),
    ("product_duplicate", PRODUCTS_HEADER, "1;Alfa bis;20;", 3, "Artikelcode", "1"),
]


def test_every_reason_in_the_message_catalogue_has_a_case():
    assert {case[0] for case in REJECTS} == _reason_keys()


def _file_lines(header: str, bad: str, preamble: bool) -> list[str]:
    top = [*PREAMBLE, header, ""] if preamble else [header]
    last = GOOD[header].replace("1;Alfa", "9;Zulu")
    return [*top, GOOD[header], bad, last]


@pytest.mark.parametrize("preamble", [False, True], ids=["header on line 1", "title lines"])
@pytest.mark.parametrize(
    ("reason", "header", "bad", "row", "column", "value"),
    REJECTS,
    ids=[f"{c[0]}: {c[2] or 'blank line'}" for c in REJECTS],
)
def test_rejected_row_names_its_row_column_value_and_reason(
    write_text,
    read_lines,
    read_customers,
    read_products,
    fetch,
    records,
    preamble,
    reason,
    header,
    bad,
    row,
    column,
    value,
):
    path = write_text("export.csv", "\r\n".join(_file_lines(header, bad, preamble)) + "\r\n")
    readers = {CUSTOMERS_HEADER: read_customers, PRODUCTS_HEADER: read_products}
    read = readers.get(header, read_lines)
    imp = read(path)
    shift = PREAMBLE_SHIFT if preamble else 0
    expected = {"row": row + shift, "reason": reason, "column": column, "value": value}
    if preamble:  # the blank line under the header is an empty row itself
        expected_rejects = [{"row": 5, "reason": "empty_row", "column": None, "value": ""}]
    else:
        expected_rejects = []
    assert records(imp.rejects) == [*expected_rejects, expected]
    # the good lines around it are used, under their own row numbers
    assert list(fetch(imp.table)["row"]) == [2 + shift, 4 + shift]
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (
        3 + bool(preamble),
        2,
        1 + bool(preamble),
    )


def test_blank_lines_in_the_middle_keep_later_row_numbers_on_their_file_line(
    write_text, read_lines, fetch
):
    text = "\r\n".join(
        [
            LINES_HEADER,
            "1;Alfa;05-01-2025;1,00;",
            "",
            "",
            "2;Beta;05-01-2025;abc;",
            "3;Charlie;05-01-2025;3,00;",
            "",
            "4;Delta;05-01-2025;4,00;",
        ]
    )
    imp = read_lines(write_text("export.csv", text + "\r\n"))
    used = fetch(imp.table).set_index("row")["customer"].to_dict()
    assert used == {2: "1", 6: "3", 8: "4"}
    rejects = fetch(imp.rejects)[["row", "reason"]].to_dict("records")
    assert rejects == [
        {"row": 3, "reason": "empty_row"},
        {"row": 4, "reason": "empty_row"},
        {"row": 5, "reason": "amount_unreadable"},
        {"row": 7, "reason": "empty_row"},
    ]
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (7, 3, 4)


def test_xlsx_rows_are_the_rows_excel_shows(tmp_path, read_lines, fetch, records):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Omzet per factuurregel 2025"])  # row 1: a title
    sheet.append([])  # row 2: empty
    sheet.append(["Klantnummer", "Klantnaam", "Factuurdatum", "Bedrag excl. btw"])  # row 3
    sheet.append([1, "Alfa", dt.date(2025, 1, 5), 100.0])  # row 4
    sheet.append([])  # row 5
    sheet.append([2, "Beta", None, 50.0])  # row 6
    sheet.append([3, "Charlie", dt.date(2025, 1, 7), "veel"])  # row 7
    sheet.append(["Totaal", None, None, 150.0])  # row 8
    book.save(tmp_path / "export.xlsx")
    imp = read_lines(tmp_path / "export.xlsx")
    assert list(fetch(imp.table)["row"]) == [4]
    assert records(imp.rejects) == [
        {"row": 5, "reason": "empty_row", "column": None, "value": None},
        {"row": 6, "reason": "date_missing", "column": "Factuurdatum", "value": None},
        {"row": 7, "reason": "amount_unreadable", "column": "Bedrag excl. btw", "value": "veel"},
        {"row": 8, "reason": "totals_row", "column": "Klantnummer", "value": "Totaal"},
    ]
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (5, 1, 4)


def test_exact_duplicate_lines_are_flagged_and_still_counted(
    con, write_text, read_lines, fetch, staging
):
    text = "\r\n".join(
        [
            LINES_HEADER,
            "1;Alfa;05-01-2025;100,00;40,00",
            "1;Alfa;05-01-2025;100,00;40,00",  # exact copy of row 2
            "1;Alfa;05-01-2025;100,00;40,01",  # differs in the cost: not a duplicate
            "1;Alfa;05-01-2025;100,00;40,00",  # second copy of row 2
        ]
    )
    imp = read_lines(write_text("export.csv", text + "\r\n"))
    flags = fetch(imp.table).set_index("row")["is_duplicate"].to_dict()
    assert flags == {2: False, 3: True, 4: False, 5: True}
    assert imp.duplicates == 2
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (4, 4, 0)
    table = customer_table(con, Tables(imp.table), calendar_year(2025))
    assert table.loc[0, "revenue"] == 400.0


def test_totals_row_is_not_a_customer(con, write_text, read_lines):
    text = "\r\n".join(
        [
            "Totaal;;;300,00;",
            LINES_HEADER,
            "1;Alfa;05-01-2025;100,00;",
            "2;Beta;05-01-2025;200,00;",
            "Totaal;;;300,00;",
        ]
    )
    imp = read_lines(write_text("export.csv", text + "\r\n"))
    assert imp.reasons == {"totals_row": 1}
    table = customer_table(con, Tables(imp.table), calendar_year(2025))
    assert sorted(table["customer"]) == ["1", "2"]
    assert table["revenue"].sum() == 300.0


PASSWORD_XLSX = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8


FILE_ERRORS = [
    ("leeg.csv", b"", "file_empty"),
    ("witruimte.csv", b"\r\n   \r\n\t\r\n", "file_empty"),
    ("plaatje.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "file_binary"),
    ("beveiligd.xlsx", PASSWORD_XLSX, "file_password_or_xls"),
    ("oud.xls", PASSWORD_XLSX, "file_password_or_xls"),
    ("kapot.xlsx", b"PK\x03\x04" + b"\x00junk" * 100, "file_unreadable_xlsx"),
    ("kapot.parquet", b"PAR1" + b"\x00junk" * 100, "file_unreadable_parquet"),
    ("geen_klant.csv", b"Factuurdatum;Bedrag excl. btw\n05-01-2025;1,00\n", "no_customer_column"),
    (
        "incl_btw.csv",
        b"Klant;Factuurdatum;Bedrag incl. btw\nA;05-01-2025;1,21\n",
        "amount_only_incl_vat",
    ),
    (
        "totaal_incl.csv",
        b"Klant;Factuurdatum;Totaal incl. BTW\nA;05-01-2025;1,21\n",
        "amount_only_incl_vat",
    ),
    ("geen_bedrag.csv", b"Klant;Factuurdatum;Aantal\nA;05-01-2025;3\n", "no_amount_column"),
    ("geen_datum.csv", b"Klant;Omzet\nA;1,00\n", "no_date_column"),
]


@pytest.mark.parametrize(("name", "content", "key"), FILE_ERRORS, ids=[e[0] for e in FILE_ERRORS])
def test_unusable_file_raises_input_error_in_dutch_and_english(
    tmp_path, read_lines, name, content, key
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_lines(path)
    error = caught.value
    assert error.key == key
    dutch, english = error.message("nl"), error.message("en")
    assert str(error) == dutch
    assert dutch != english
    assert name in dutch and name in english
    assert "{" not in dutch + english  # every field filled in


def test_customer_file_without_customer_column_raises(write_text, read_customers):
    path = write_text("klanten.csv", "Uren;Uurtarief\r\n10;75\r\n")
    with pytest.raises(InputError) as caught:
        read_customers(path)
    assert caught.value.key == "no_customer_column"
    assert "klanten.csv" in caught.value.message("en")


def test_debiteurnummer_is_the_id_and_debiteur_the_name(write_text, read_lines, fetch):
    text = (
        "Debiteurnummer;Debiteur;Factuurdatum;Bedrag excl. btw\r\n"
        "00042;Alfa B.V.;05-01-2025;1,00\r\n"
    )
    imp = read_lines(write_text("export.csv", text))
    assert imp.mapping.fields["customer_id"] == "Debiteurnummer"
    assert imp.mapping.fields["customer_name"] == "Debiteur"
    row = fetch(imp.table).iloc[0]
    assert (row["customer"], row["customer_id"], row["customer_name"]) == (
        "00042",
        "00042",
        "Alfa B.V.",
    )


# (file text, options, field to look at, value detected, value with the override)
OVERRIDES = [
    pytest.param(
        "Klant;Factuurdatum;Netto;Omzet\r\nA;05-01-2025;1,00;2,00\r\n",
        {"mapping": {"amount": "Omzet"}},
        "amount",
        1.0,
        2.0,
        id="mapping",
    ),
    pytest.param(
        "Debiteurnummer;Debiteur;Factuurdatum;Omzet\r\n7;Alfa;05-01-2025;1,00\r\n",
        {"mapping": {"customer_id": None}},
        "customer",
        "7",
        "Alfa",
        id="unmap",
    ),
    pytest.param(
        "Klant;Factuurdatum;Omzet\r\nA;05-01-2025;1.250\r\n",
        {"decimal": {"amount": "point"}},
        "amount",
        1250.0,
        1.25,
        id="decimal",
    ),
    pytest.param(
        "Klant;Factuurdatum;Omzet\r\nA;01/02/2025;1,00\r\n",
        {"date_format": {"invoice_date": "%m/%d/%Y"}},
        "invoice_date",
        dt.date(2025, 2, 1),
        dt.date(2025, 1, 2),
        id="date format",
    ),
    pytest.param(
        "Klant;Factuurdatum;Omzet\r\nA;45678;1,00\r\n",
        {"date_format": {"invoice_date": "%Y%m%d"}},
        "rows_used",
        1,
        0,
        id="date format rejects what does not fit",
    ),
    # two header-like lines: the first is detected; the user points at line 3
    pytest.param(
        "Klant;Factuurdatum;Omzet\r\nA;05-01-2025;1,00\r\n"
        "Klantnaam;Factuurdatum;Bedrag excl. btw\r\nB;06-01-2025;7,00\r\n",
        {"header_row": 3},
        "rows_read",
        3,
        1,
        id="header row",
    ),
]


@pytest.mark.parametrize(("text", "options", "field", "detected", "chosen"), OVERRIDES)
def test_read_options_override_what_is_detected(
    write_text, read_lines, fetch, text, options, field, detected, chosen
):
    path = write_text("export.csv", text)

    def value(imp):
        if field.startswith("rows_"):
            return getattr(imp, field)
        cell = fetch(imp.table).iloc[0][field]
        return cell.date() if hasattr(cell, "date") else cell

    assert value(read_lines(path)) == detected
    assert value(read_lines(path, **options)) == chosen


def test_revenue_per_year_columns_are_unpivoted_to_31_december(
    con, write_text, read_lines, fetch, records
):
    text = "\r\n".join(
        [
            "Klantnummer;Klantnaam;Omzet 2023;Omzet 2024;Omzet 2025",
            "1;Alfa;1.000,00;2.000,00;3.000,00",
            "2;Beta;;500,00;",
            "3;Charlie;700,00;;1.500,00",
            "4;Delta;;;",
            "5;Echo;x;1,00;1,00",
        ]
    )
    imp = read_lines(write_text("omzet.csv", text + "\r\n"))
    lines = fetch(imp.table)
    got = sorted(
        zip(lines["customer"], lines["invoice_date"].dt.date, lines["amount"], strict=True)
    )
    assert got == [
        ("1", dt.date(2023, 12, 31), 1000.0),
        ("1", dt.date(2024, 12, 31), 2000.0),
        ("1", dt.date(2025, 12, 31), 3000.0),
        ("2", dt.date(2024, 12, 31), 500.0),
        ("3", dt.date(2023, 12, 31), 700.0),
        ("3", dt.date(2025, 12, 31), 1500.0),
    ]
    assert records(imp.rejects) == [
        {
            "row": 5,
            "reason": "amount_missing",
            "column": "Omzet 2023, Omzet 2024, Omzet 2025",
            "value": None,
        },
        {"row": 6, "reason": "amount_unreadable", "column": "Omzet 2023", "value": "x"},
    ]
    assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (5, 3, 2)
    table = customer_table(con, Tables(imp.table), calendar_year(2025)).set_index("customer")
    assert table["status"].to_dict() == {"1": "retained", "3": "reactivated", "2": "lost"}
    assert table.loc["1", "revenue_prev"] == 2000.0
    assert table.loc["3", "years_active"] == 2


def test_delimiter_chosen_by_the_user_wins_over_detection(write_text, read_lines):
    path = write_text("export.csv", "Klant;Factuurdatum;Omzet\r\nA;05-01-2025;1,00\r\n")
    assert read_lines(path).rows_used == 1
    # split on "|" the header is one column whose name is no customer column
    with pytest.raises(InputError) as caught:
        read_lines(path, delimiter="|")
    assert caught.value.key == "no_customer_column"


# (delimiter, good amount, bad amount): a value that does not fit the column's decimal sign
MISFITS = [
    (";", "1.000,00", "12.5"),  # point decimal in a comma column: not 125
    (";", "1.000,00", "1,234.56"),  # not 1,23456
    (";", "1.000,00", "1.23"),  # not 123
    (";", "1.000,00", ".5"),  # not 5
    (";", "1000,00", "12.5"),
    (",", "1000.00", '"1,5"'),  # comma decimal in a point column: not 15
    (",", '"1,000.00"', '"1,5"'),
]


@pytest.mark.parametrize("position", ["first line", "after the sampled lines"])
@pytest.mark.parametrize(("delimiter", "good", "bad"), MISFITS)
def test_a_misfit_amount_is_rejected_wherever_it_is_in_the_file(
    write_text, read_lines, records, delimiter, good, bad, position
):
    header = delimiter.join(["Klantnummer", "Klantnaam", "Factuurdatum", "Bedrag excl. btw"])
    lines = [delimiter.join([str(i), f"Klant {i}", "05-01-2025", good]) for i in range(300)]
    misfit = delimiter.join(["X", "Fout", "05-01-2025", bad])
    at = 0 if position == "first line" else len(lines)
    lines.insert(at, misfit)
    imp = read_lines(write_text("export.csv", "\n".join([header, *lines]) + "\n"))
    assert records(imp.rejects) == [
        {
            "row": at + 2,
            "reason": "amount_unreadable",
            "column": "Bedrag excl. btw",
            "value": bad.strip('"'),
        },
    ]
    assert imp.rows_used == 300


@pytest.mark.parametrize("position", ["first line", "after the sampled lines"])
@pytest.mark.parametrize("bad", ["05-01-25", "5-1-25", "05-01-0025", "31-12-1899", "01-01-2100"])
def test_a_date_outside_1900_2099_is_rejected_not_read_as_that_year(
    con, write_text, read_lines, records, bad, position
):
    # %Y reads "25" as the year 25: the line fell in no period and its revenue vanished
    lines = [f"{i};Klant {i};05-01-2025;100,00" for i in range(300)]
    at = 0 if position == "first line" else len(lines)
    lines.insert(at, f"X;Fout;{bad};1,00")
    imp = read_lines(write_text("export.csv", "\n".join([LINES_HEADER, *lines]) + "\n"))
    [reject] = records(imp.rejects)
    assert (reject["row"], reject["reason"], reject["column"]) == (
        at + 2,
        "date_unreadable",
        "Factuurdatum",
    )
    # the text as written, also after the sampled lines, where DuckDB typed the column
    # while reading (it made the year 25 of "25"): the cell is read back from the file
    assert reject["value"] == bad
    assert imp.rows_used == 300
    assert con.execute(f"SELECT min(invoice_date) FROM {imp.table}").fetchone() == (
        dt.date(2025, 1, 5),
    )


def test_an_amount_too_large_for_money_is_rejected_not_a_crash(con, read_lines, write_text):
    path = write_text(
        "groot.csv",
        "Klant;Factuurdatum;Bedrag\r\nA;01-03-2025;12,50\r\nB;01-03-2025;100000000000000000000,00\r\n",
    )
    imp = read_lines(path)
    assert (imp.rows_used, imp.rows_rejected) == (1, 1)
    assert con.execute(f"SELECT row, reason FROM {imp.rejects}").fetchall() == [
        (3, "amount_unreadable")
    ]


def test_parquet_rows_are_numbered_below_the_column_names(con, read_lines, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "verkoop.parquet"
    pq.write_table(
        pa.table({"Klant": ["A", "B"], "Factuurdatum": ["01-03-2025", "x"], "Bedrag": [1.0, 2.0]}),
        path,
    )
    imp = read_lines(path)
    assert imp.source.header_row == 1
    assert con.execute(f"SELECT row, value FROM {imp.rejects}").fetchall() == [(3, "x")]
