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
from portfolio.periods import add_months, history, neighbours

D = dt.date


# (period, k, expected start, expected end of P-k)
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
    # from/to over whole calendar months steps back by months, not by its 181 days
    # (by days P-1 was 4 Jul - 31 Dec 2024 and P-2 5 Jan - 3 Jul 2024)
    (between(D(2025, 1, 1), D(2025, 6, 30)), 1, D(2024, 7, 1), D(2024, 12, 31)),
    (between(D(2025, 1, 1), D(2025, 6, 30)), 2, D(2024, 1, 1), D(2024, 6, 30)),
    (between(D(2025, 2, 1), D(2025, 2, 28)), 1, D(2025, 1, 1), D(2025, 1, 31)),
    (between(D(2025, 3, 1), D(2025, 3, 31)), 1, D(2025, 2, 1), D(2025, 2, 28)),
    (between(D(2024, 3, 1), D(2025, 2, 28)), 1, D(2023, 3, 1), D(2024, 2, 29)),
    # not whole months: the same number of days (122) before
    (between(D(2025, 3, 10), D(2025, 7, 9)), 1, D(2024, 11, 8), D(2025, 3, 9)),
    (between(D(2025, 1, 1), D(2025, 6, 29)), 1, D(2024, 7, 5), D(2024, 12, 31)),
    (between(D(2025, 1, 2), D(2025, 6, 30)), 1, D(2024, 7, 6), D(2025, 1, 1)),
]


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


@settings(max_examples=200, deadline=None)
@given(
    first=st.dates(D(2000, 1, 1), D(2035, 12, 1)).map(lambda d: d.replace(day=1)),
    months=st.integers(1, 24),
    back=st.integers(1, 8),
)
def test_from_to_over_whole_months_steps_back_by_calendar_months(first, months, back):
    end = add_months(first, months) - dt.timedelta(days=1)
    period = between(first, end)
    assert period.months == months
    for k in range(1, back + 1):
        older = period.previous(k)
        assert older.start == add_months(first, -months * k)  # a first of the month
        assert older.end + dt.timedelta(days=1) == period.previous(k - 1).start


@settings(max_examples=200, deadline=None)
@given(start=st.dates(D(2000, 1, 1), D(2035, 12, 31)), days=st.integers(0, 800))
def test_from_to_not_over_whole_months_steps_back_by_its_days(start, days):
    end = start + dt.timedelta(days=days)
    period = between(start, end)
    whole = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    assert (period.months is not None) == whole
    if not whole:
        before = period.previous()
        assert (before.days, before.end + dt.timedelta(days=1)) == (period.days, start)


def test_neighbours_of_months_ending_at_the_last_date_are_one_month_fewer_and_more():
    first, last = dt.date(2022, 1, 3), dt.date(2025, 11, 15)

    assert neighbours(months_ending(last, 12), first, last, 36) == [
        months_ending(last, 11),
        months_ending(last, 13),
    ]
    assert neighbours(months_ending(last, 1), first, last, 36) == [months_ending(last, 2)]
    assert neighbours(months_ending(last, 36), first, last, 36) == [months_ending(last, 35)]


def test_neighbours_of_a_calendar_year_are_the_years_of_the_data_around_it():
    first, last = dt.date(2022, 1, 3), dt.date(2025, 11, 15)

    assert neighbours(calendar_year(2024), first, last, 36) == [
        calendar_year(2025),
        calendar_year(2023),
    ]
    assert neighbours(calendar_year(2025), first, last, 36) == [calendar_year(2024)]
    assert neighbours(calendar_year(2022), first, last, 36) == [calendar_year(2023)]


def test_chosen_dates_and_months_ending_elsewhere_have_no_neighbours():
    first, last = dt.date(2022, 1, 3), dt.date(2025, 11, 15)

    assert neighbours(between(dt.date(2024, 2, 3), dt.date(2024, 9, 9)), first, last, 36) == []
    assert neighbours(months_ending(dt.date(2025, 6, 30), 12), first, last, 36) == []
