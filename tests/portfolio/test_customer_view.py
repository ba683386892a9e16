"""The per-customer table as people read it (portfolio/customer_view.py), on the demo data.

The demo export and customer file are read with the product's own readers;
the table is the 12 months ending at the last invoice date.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from portfolio import customer_table, months_ending
from portfolio.customer_view import (
    COUNTS,
    DECIMALS,
    MONEY,
    SHARES,
    display_table,
    export_table,
    search,
)
from portfolio.formatting import money, number, percent
from portfolio.i18n import t
from tests.conftest import read_demo

STATUS = {
    "nl": {
        "retained": "behouden",
        "new": "nieuw",
        "reactivated": "teruggekeerd",
        "lost": "verloren",
        "inactive": "inactief",
    },
    "en": {
        "retained": "retained",
        "new": "new",
        "reactivated": "reactivated",
        "lost": "lost",
        "inactive": "inactive",
    },
}


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> pd.DataFrame:
    con, tables, last = read_demo(tmp_path_factory.mktemp("demo"))
    result = customer_table(con, tables, months_ending(last, 12))
    con.close()
    assert len(result) > 100
    return result


@pytest.fixture(scope="module")
def shown(table) -> dict[str, pd.DataFrame]:
    return {lang: display_table(table, lang) for lang in ("nl", "en")}


def _thousands_row(table: pd.DataFrame) -> int:
    """Index of a customer whose revenue has thousands and cents (e.g. 1.234,56)."""
    hits = table[(table["revenue"] >= 1000) & ((table["revenue"] * 100).round() % 100 != 0)]
    assert len(hits)
    return hits.index[0]


# --- display_table --------------------------------------------------------------------------


def test_headers_are_translated(shown):
    assert {"Klantnummer", "Klantnaam", "Omzet", "Status", "Bijdrage"} <= set(shown["nl"].columns)
    assert {"Customer", "Customer name", "Revenue", "Status", "Contribution"} <= set(
        shown["en"].columns
    )
    assert "revenue" not in shown["nl"].columns
    assert "Omzet" not in shown["en"].columns


def test_columns_come_in_reading_order(shown):
    assert list(shown["nl"].columns[:3]) == ["Klantnummer", "Klantnaam", "Omzet"]
    assert list(shown["en"].columns[:3]) == ["Customer", "Customer name", "Revenue"]


def test_dutch_money_is_written_with_euro_space_dots_and_a_decimal_comma(table, shown):
    row = _thousands_row(table)
    value = table.loc[row, "revenue"]

    text = shown["nl"].loc[row, "Omzet"]

    assert re.fullmatch(r"€\xa0\d{1,3}(\.\d{3})+,\d{2}", text), text
    assert text == money(value, "nl")
    whole, cents = f"{value:.2f}".split(".")
    assert text == f"€\xa0{int(whole):,}".replace(",", ".") + f",{cents}"


def test_english_money_is_written_with_euro_commas_and_a_decimal_point(table, shown):
    row = _thousands_row(table)
    value = table.loc[row, "revenue"]

    text = shown["en"].loc[row, "Revenue"]

    assert re.fullmatch(r"€\d{1,3}(,\d{3})+\.\d{2}", text), text
    assert text == money(value, "en") == f"€{value:,.2f}"


def test_negative_contribution_keeps_its_sign_in_both_languages(table, shown):
    row = table.index[table["contribution"] < 0][0]
    value = table.loc[row, "contribution"]

    assert shown["nl"].loc[row, "Bijdrage"] == money(value, "nl")
    assert shown["en"].loc[row, "Contribution"] == money(value, "en")
    assert "-" in shown["nl"].loc[row, "Bijdrage"]
    assert shown["en"].loc[row, "Contribution"].startswith("-€")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_value_reads_as_the_formatting_functions_write_it(table, shown, lang):
    out = shown[lang]
    for column in table.columns:
        header = t(f"col.{column}", lang)
        if column in MONEY:
            want = [money(v, lang) for v in table[column]]
        elif column in SHARES:
            want = [percent(v, lang) for v in table[column]]
        elif column in DECIMALS:
            want = [number(v, lang, 1) for v in table[column]]
        elif column in COUNTS:
            want = [number(v, lang) for v in table[column]]
        else:
            continue
        assert out[header].tolist() == want, column


def test_dates_are_written_day_month_year(table, shown):
    row = table.index[0]

    assert shown["nl"].loc[row, "Eerste factuur"] == f"{table.loc[row, 'first_date']:%d-%m-%Y}"
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", shown["en"].loc[row, "Last invoice"])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_status_size_and_group_words_are_translated(table, shown, lang):
    out = shown[lang]

    assert out[t("col.status", lang)].tolist() == [STATUS[lang][s] for s in table["status"]]
    assert out[t("col.size_class", lang)].tolist() == [
        t(f"size.{s}", lang) for s in table["size_class"]
    ]
    assert set(table["size_class"]) == {"small", "medium", "large"}
    assert set(out[t("col.pareto_group", lang)]) == {t("value.yes", lang), t("value.no", lang)}
    assert set(STATUS[lang]) - set(table["status"]) == set()  # the demo has every status


def test_display_keeps_the_index_so_filtered_rows_can_be_picked(table, shown):
    filtered = search(table, "bakkerij").sort_values("contribution")
    assert 1 < len(filtered) < len(table)

    picked = shown["nl"].loc[filtered.index]

    assert shown["nl"].index.equals(table.index)
    assert picked["Klantnummer"].tolist() == filtered["customer"].tolist()
    pd.testing.assert_frame_equal(picked, display_table(filtered, "nl"))


def test_display_does_not_change_the_table(table):
    before = table.copy()

    display_table(table, "nl")
    export_table(table, "en")

    pd.testing.assert_frame_equal(table, before)


# --- export_table ---------------------------------------------------------------------------


def test_export_keeps_numbers_numeric_under_translated_headers(table):
    out = export_table(table, "nl")

    for column, header in (("revenue", "Omzet"), ("contribution", "Bijdrage"), ("rank", "Rang")):
        assert pd.api.types.is_numeric_dtype(out[header]), column
        assert out[header].tolist() == table[column].tolist()
    assert pd.api.types.is_datetime64_any_dtype(out["Eerste factuur"])


def test_export_writes_words_in_the_language_and_keeps_the_order(table, shown):
    out = export_table(table, "en")

    assert list(out.columns) == list(shown["en"].columns)
    assert out.index.equals(table.index)
    assert out["Status"].tolist() == [STATUS["en"][s] for s in table["status"]]
    assert export_table(table, "nl")["Status"].tolist() == [
        STATUS["nl"][s] for s in table["status"]
    ]


# --- search ---------------------------------------------------------------------------------


def test_search_on_a_name_ignores_case(table):
    lower = search(table, "bakkerij")

    assert len(lower)
    assert lower.index.equals(search(table, "BAKKERIJ").index)
    assert lower.index.equals(search(table, "  BaKkErIj ").index)
    assert lower["customer_name"].str.lower().str.contains("bakkerij", regex=False).all()
    expected = table["customer_name"].str.lower().str.contains("bakkerij", regex=False)
    assert len(lower) == int(expected.sum())


def test_search_on_a_customer_number_finds_that_customer(table):
    customer = table["customer"].iloc[0]

    hits = search(table, customer)

    assert customer in hits["customer"].tolist()
    assert all(
        customer in c or customer in n.lower()
        for c, n in zip(hits["customer"], hits["customer_name"], strict=True)
    )


def test_search_treats_regex_characters_as_plain_text(table):
    named = table[table["customer_name"].str.contains("(", regex=False)]
    assert len(named)  # the demo has names like "Café de Vries (10402)"
    name = named["customer_name"].iloc[0]
    part = name[name.index("(") :].lower()  # e.g. "(10402)"

    assert name in search(table, part)["customer_name"].tolist()
    assert len(search(table, "(")) == len(named)
    for query in (".*", "[", "a|b", "+", "\\"):
        expected = table["customer_name"].str.lower().str.contains(query, regex=False) | table[
            "customer"
        ].str.contains(query, regex=False)
        assert len(search(table, query)) == int(expected.sum()), query


def test_search_keeps_the_index(table):
    hits = search(table, "bakkerij")

    matching = table["customer_name"].str.lower().str.contains("bakkerij", regex=False)
    assert len(hits) > 0
    assert hits.index.tolist() == table.index[matching].tolist()
    pd.testing.assert_frame_equal(hits, table.loc[hits.index])


@pytest.mark.parametrize("query", ["", "   ", None])
def test_an_empty_search_returns_every_customer(table, query):
    assert search(table, query) is table


def test_a_search_without_hits_is_empty(table):
    assert search(table, "geen klant heet zo xyz").empty
