"""``frames.among`` answers as ``Series.isin`` does for text columns, whichever way pandas
keeps the text (its Arrow ``str`` dtype or plain objects), missing values included."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from portfolio.frames import among

TEXTS = st.text(alphabet="ab1 é'\"", max_size=3)


@given(st.lists(st.none() | TEXTS, max_size=30), st.lists(TEXTS, max_size=10))
def test_among_answers_as_isin_for_text_however_pandas_keeps_it(values, allowed):
    for dtype in ("str", object):
        column = pd.Series(values, dtype=dtype)
        expected = column.isin(allowed).to_numpy() & column.notna().to_numpy()
        assert among(column, allowed).tolist() == expected.tolist()
        assert among(column, pd.Series(allowed, dtype="str")).tolist() == expected.tolist()


def test_among_keeps_the_order_and_length_of_the_column():
    column = pd.Series(["K3", "K1", None, "K3"], index=[10, 5, 7, 1], dtype="str")
    assert among(column, ["K3"]).tolist() == [True, False, False, True]
    assert among(column.iloc[:0], ["K3"]).tolist() == []
