"""The names of the retention periods on the flows chart's axis (``period_label``).

One name per period, short enough to stand horizontally under a bar, that says which
days it holds: a calendar year by its number, whole calendar months by their names,
any other span by its first and last day. Month names in the reader's language.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio import between, calendar_year, months_ending
from portfolio.periods import history
from portfolio.retention import period_label

D = dt.date


# (start, end, Dutch, English)
WHOLE_YEARS = [
    (D(2024, 1, 1), D(2024, 12, 31), "2024", "2024"),
    (D(2023, 1, 1), D(2024, 12, 31), "2023–2024", "2023–2024"),
]
WHOLE_MONTHS = [
    (D(2024, 6, 1), D(2024, 6, 30), "jun 2024", "Jun 2024"),
    (D(2024, 2, 1), D(2024, 2, 29), "feb 2024", "Feb 2024"),
    (D(2024, 1, 1), D(2024, 6, 30), "jan–jun 2024", "Jan–Jun 2024"),
    (D(2025, 3, 1), D(2025, 5, 31), "mrt–mei 2025", "Mar–May 2025"),
    (D(2024, 12, 1), D(2025, 2, 28), "dec 2024 – feb 2025", "Dec 2024 – Feb 2025"),
    (D(2023, 7, 1), D(2024, 6, 30), "jul 2023 – jun 2024", "Jul 2023 – Jun 2024"),
]
ARBITRARY_DAYS = [
    (D(2025, 3, 5), D(2025, 3, 5), "5 mrt 2025", "5 Mar 2025"),
    (D(2025, 3, 5), D(2025, 3, 20), "5–20 mrt 2025", "5–20 Mar 2025"),
    (D(2025, 1, 5), D(2025, 3, 20), "5 jan – 20 mrt 2025", "5 Jan – 20 Mar 2025"),
    (D(2024, 11, 18), D(2025, 11, 17), "18 nov 2024 – 17 nov 2025", "18 Nov 2024 – 17 Nov 2025"),
    # a month but for its last day, or a year but for its first: not whole, so by days
    (D(2024, 6, 1), D(2024, 6, 29), "1–29 jun 2024", "1–29 Jun 2024"),
    (D(2024, 1, 2), D(2024, 12, 31), "2 jan – 31 dec 2024", "2 Jan – 31 Dec 2024"),
]


@pytest.mark.parametrize(("start", "end", "nl", "en"), WHOLE_YEARS)
def test_a_calendar_year_is_named_by_its_number(start, end, nl, en):
    assert period_label(start, end, "nl") == nl
    assert period_label(start, end, "en") == en


@pytest.mark.parametrize(("start", "end", "nl", "en"), WHOLE_MONTHS)
def test_whole_calendar_months_are_named_by_their_months_in_the_readers_language(
    start, end, nl, en
):
    assert period_label(start, end, "nl") == nl
    assert period_label(start, end, "en") == en


@pytest.mark.parametrize(("start", "end", "nl", "en"), ARBITRARY_DAYS)
def test_any_other_span_is_named_by_its_first_and_last_day(start, end, nl, en):
    assert period_label(start, end, "nl") == nl
    assert period_label(start, end, "en") == en


def test_periods_ending_in_the_same_month_get_different_names():
    # 10-day periods: by their end month (the chart's old label) 22-31 Dec and 12-21 Dec
    # were both "12-2024" and became one bar
    periods = history(between(D(2025, 1, 1), D(2025, 1, 10)), D(2024, 12, 1))
    names = [period_label(p.start, p.end) for p in periods]
    assert names[:3] == ["1–10 jan 2025", "22–31 dec 2024", "12–21 dec 2024"]
    assert len(set(names)) == len(names)


PERIODS = st.one_of(
    st.builds(calendar_year, st.integers(2000, 2035)),
    st.builds(months_ending, st.dates(D(2000, 1, 1), D(2035, 12, 31)), st.integers(1, 24)),
    st.builds(
        lambda start, days: between(start, start + dt.timedelta(days=days)),
        st.dates(D(2000, 1, 1), D(2035, 12, 31)),
        st.integers(0, 400),
    ),
)


@settings(max_examples=200, deadline=None)
@given(period=PERIODS, back=st.integers(1, 30))
def test_every_period_of_a_history_has_a_name_of_its_own(period, back):
    periods = [period.previous(k) for k in range(back + 1)]
    for lang in ("nl", "en"):
        names = [period_label(p.start, p.end, lang) for p in periods]
        assert len(set(names)) == len(names), names
