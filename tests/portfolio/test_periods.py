"""Analysis periods: P and the periods before it tile the calendar, without gaps or overlaps.

A line belongs to exactly one of P, P-1, P-2, …; when two periods overlapped,
the days in both went to the newer one and the older one's dates were wrong
(retention per period shows them).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio import between, calendar_year, months_ending
from portfolio.periods import history

D = dt.date


# (period, k, expected start, expected end of P-k)
# fmt: off
PREVIOUS = [
    (calendar_year(2025), 1, D(2024, 1, 1), D(2024, 12, 31)),
    (calendar_year(2025), 2, D(2023, 1, 1), D(2023, 12, 31)),
    (months_ending(D(2025, 6, 30)), 1, D(2023, 7, 1), D(2024, 6, 30)),
    (months_ending(D(2025, 6, 15)), 1, D(2023, 6, 16), D(2024, 6, 15)),
    # 3 months ending 30 May: the periods before end on 27 Feb, 29 Nov, 30 Aug
    (months_ending(D(2025, 5, 30), 3), 1, D(2024, 11, 30), D(2025, 2, 27)),
    (months_ending(D(2025, 5, 30), 3), 2, D(2024, 8, 31), D(2024, 11, 29)),
    # 12 months ending 28 Feb 2024 (a leap year): the day after is 29 Feb
    (months_ending(D(2024, 2, 28)), 3, D(2020, 2, 29), D(2021, 2, 27)),
    (months_ending(D(2024, 2, 28)), 4, D(2019, 2, 28), D(2020, 2, 28)),
    (between(D(2025, 1, 1), D(2025, 1, 10)), 1, D(2024, 12, 22), D(2024, 12, 31)),
]
# fmt: on


@pytest.mark.parametrize(("period", "k", "start", "end"), PREVIOUS)
def test_previous_period(period, k, start, end):
    assert (period.previous(k).start, period.previous(k).end) == (start, end)


@settings(max_examples=200, deadline=None)
@given(
    end=st.dates(D(2000, 1, 1), D(2035, 12, 31)),
    months=st.integers(1, 24),
    back=st.integers(1, 8),
)
def test_periods_before_p_follow_each_other_without_gap_or_overlap(end, months, back):
    period = months_ending(end, months)
    assert period.previous(0) == period
    for k in range(back):
        newer, older = period.previous(k), period.previous(k + 1)
        assert older.end + dt.timedelta(days=1) == newer.start, (k, older, newer)
        assert older.months == months


def test_history_reaches_back_to_the_first_date():
    periods = history(calendar_year(2025), D(2022, 7, 1))
    assert [p.start.year for p in periods] == [2025, 2024, 2023, 2022]
