"""The fast column formatters write exactly what babel writes, value by value."""

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.formatting import money, money_texts, number, number_texts, percent, percent_texts

values = st.lists(
    st.one_of(
        st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
        # halves: small, and large enough that the float's error near them exceeds 1e-6
        st.sampled_from(
            [0.0, -0.0, 0.005, -0.005, -0.004, 1234.565, 0.125, 274877906944.525, math.nan]
        ),
        st.none(),
    ),
    max_size=50,
)


@settings(max_examples=200, deadline=None)
@given(values, st.sampled_from(["nl", "en"]), st.sampled_from([0, 2]))
def test_money_texts_equal_money(vals, lang, decimals):
    assert money_texts(vals, lang, decimals) == [money(v, lang, decimals) for v in vals]


@settings(max_examples=200, deadline=None)
@given(values, st.sampled_from(["nl", "en"]), st.sampled_from([0, 1]))
def test_percent_and_number_texts_equal_their_single_value_forms(vals, lang, decimals):
    small = [v / 1e6 if isinstance(v, float) else v for v in vals]  # fractions near 0–1
    assert percent_texts(small, lang, decimals) == [percent(v, lang, decimals) for v in small]
    assert number_texts(vals, lang, decimals) == [number(v, lang, decimals) for v in vals]


def test_dutch_and_english_money_as_the_issue_shows_them():
    assert money_texts([1234.56, -12.5], "nl") == ["€\xa01.234,56", "€\xa0-12,50"]
    assert money_texts([1234.56, -12.5], "en") == ["€1,234.56", "-€12.50"]


def test_a_missing_value_of_a_nullable_column_is_empty_text_not_a_crash_or_zero():
    column = pd.Series([1234, None, 5], dtype="Int64")  # as DuckDB gives a count with gaps
    assert number_texts(column, "nl") == ["1.234", "", "5"]
    assert money_texts(pd.Series([1.5, None], dtype="Float64"), "nl") == ["€\xa01,50", ""]
    assert number(pd.NA) == "" and money(pd.NA) == ""


def test_a_value_that_rounds_to_zero_has_no_minus_sign():
    zero, minus_one = money(0.0, "nl", 0), money(-1.0, "nl", 0)  # "€ 0", "€ -1"
    assert money(-0.3, "nl", 0) == zero and money(-0.004, "en") == "€0.00"
    assert money_texts([-0.3, -0.0, -0.6], "nl", 0) == [zero, zero, minus_one]
    assert number(-0.2) == "0" and percent(-0.00001) == "0,0%"
